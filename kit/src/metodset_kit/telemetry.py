"""OpenTelemetry traces and metrics; exporters are chosen by the standard OTEL_* variables.

OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER: `otlp`, `console` or `none` (default `none` here, so a
developer's laptop does not try to reach a collector). Metrics are also always served in the Prometheus
text format at each service's /metrics. W3C trace context is the propagator.
"""
from __future__ import annotations

import os

from opentelemetry import metrics, propagate, trace
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.propagators.textmap import Getter
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import ConsoleMetricExporter, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_configured = False


def _exporter_names(variable: str) -> list[str]:
    return [n.strip() for n in os.environ.get(variable, "none").split(",") if n.strip() and n.strip() != "none"]


def _span_exporter(name: str):
    if name == "console":
        return ConsoleSpanExporter()
    if name == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    raise ValueError(f"OTEL_TRACES_EXPORTER: unsupported exporter {name!r} (otlp, console, none)")


def _metric_exporter(name: str):
    if name == "console":
        return ConsoleMetricExporter()
    if name == "otlp":
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        return OTLPMetricExporter()
    raise ValueError(f"OTEL_METRICS_EXPORTER: unsupported exporter {name!r} (otlp, console, none)")


def configure(service_name: str) -> None:
    """Install the tracer and meter providers once per process."""
    global _configured
    if _configured:
        return
    _configured = True
    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", service_name)})
    tracer_provider = TracerProvider(resource=resource)
    for name in _exporter_names("OTEL_TRACES_EXPORTER"):
        tracer_provider.add_span_processor(BatchSpanProcessor(_span_exporter(name)))
    trace.set_tracer_provider(tracer_provider)
    readers = [PeriodicExportingMetricReader(_metric_exporter(n)) for n in _exporter_names("OTEL_METRICS_EXPORTER")
               if n != "prometheus"]
    readers.append(PrometheusMetricReader())  # always scrapeable at /metrics
    metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))
    propagate.set_global_textmap(TraceContextTextMapPropagator())


def tracer():
    # a proxy tracer: cheap to keep, and it follows the provider installed by configure()
    return _TRACER


_TRACER = trace.get_tracer("metodset")


def meter():
    return metrics.get_meter("metodset")


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


class _KafkaHeaders(Getter):
    def get(self, carrier, key):
        return [v.decode("utf-8", "replace") for k, v in carrier if k == key and v is not None]

    def keys(self, carrier):
        return [k for k, _ in carrier]


def context_from_kafka_headers(headers):
    return propagate.extract(list(headers or ()), getter=_KafkaHeaders())


def current_trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None

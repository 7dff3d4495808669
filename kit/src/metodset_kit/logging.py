"""One log per process: every logger, ours (structlog) and the libraries' (uvicorn, faststream, aiokafka,
asyncpg), goes through one handler on the root logger, as JSON lines carrying the service and the trace id.

LOG_FORMAT=text renders the same events as plain console lines for development; LOG_LEVEL sets the level.
"""
from __future__ import annotations

import logging
import sys

import structlog

from .telemetry import current_trace_id

# Libraries that install handlers of their own (and stop propagating): they are brought back to the root.
_OWN_HANDLERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "faststream", "faststream.access",
                 "faststream.access.kafka")
# The kit's middleware writes the access log, inside the request's span (with the trace id): uvicorn's own
# info line per request would be a second copy; its warnings, if any, still come through.
_QUIETER = {"httpx": logging.WARNING, "httpcore": logging.WARNING, "uvicorn.access": logging.WARNING}
_HANDLER = "metodset"


def _add_trace_id(_, __, event_dict):
    trace_id = current_trace_id()
    if trace_id:
        event_dict.setdefault("trace_id", trace_id)
    return event_dict


def _drop_colour(_, __, event_dict):
    event_dict.pop("color_message", None)  # uvicorn's copy of the message with terminal colour codes
    return event_dict


def _add_service(name: str):
    def add(_, __, event_dict):
        event_dict.setdefault("service", name)
        return event_dict

    return add


def _shared(service_name: str) -> list:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso"),
        _add_service(service_name),
        _add_trace_id,
    ]


def formatter(service_name: str, fmt: str = "json") -> structlog.stdlib.ProcessorFormatter:
    """The one formatter: structlog events and plain stdlib records (with their `extra` fields) alike."""
    if fmt == "text":
        render = [structlog.dev.ConsoleRenderer(colors=False)]
    else:
        # a plain traceback string: structured tracebacks would carry the frames' local variables (secrets)
        render = [structlog.processors.format_exc_info, structlog.processors.EventRenamer("msg"),
                  structlog.processors.JSONRenderer(ensure_ascii=False)]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_shared(service_name), structlog.stdlib.ExtraAdder(), _drop_colour],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *render],
    )


def configure(service_name: str, level: str = "INFO", fmt: str = "json", stream=None) -> None:
    """Route every logger of the process through one handler on the root logger (idempotent)."""
    handler = logging.StreamHandler(stream) if stream is not None else _Stderr()
    handler.setFormatter(formatter(service_name, fmt))
    handler.set_name(_HANDLER)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER]:  # others' (a test runner's) stay
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in _OWN_HANDLERS:
        lib = logging.getLogger(name)
        lib.handlers.clear()
        lib.propagate = True
        lib.setLevel(logging.NOTSET)
    for name, quieter in _QUIETER.items():
        logging.getLogger(name).setLevel(quieter)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    structlog.configure(
        processors=[*_shared(service_name), structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=False,
    )


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a test runner swaps it, and closes its copy at exit)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _):
        pass


def _log_uncaught(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    logging.getLogger("metodset").critical("process.crashed", exc_info=(exc_type, exc, tb))


def get(name: str | None = None):
    return structlog.get_logger(name)

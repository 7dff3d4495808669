"""The shutdown grace, the relay's batch limit, the background wait and Kubernetes' kill deadline agree."""
from pathlib import Path

import pytest
import yaml

from metodset_kit.relay import Relay
from metodset_kit.settings import CommonSettings, ServiceSettings, shutdown_budget

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "metodset.yaml"


def _documents() -> list[dict]:
    return [d for d in yaml.safe_load_all(MANIFEST.read_text()) if d]


def _grace() -> float:
    """What the pods run with: the ConfigMap's value, else the settings' default."""
    config = next(d for d in _documents() if d["kind"] == "ConfigMap")["data"]
    return float(config.get("SHUTDOWN_GRACE_SECONDS", CommonSettings.model_fields["shutdown_grace_seconds"].default))


def _deployments() -> list[dict]:
    return [d for d in _documents() if d["kind"] == "Deployment"]


def test_the_manifest_runs_with_the_default_grace():
    assert _grace() == CommonSettings.model_fields["shutdown_grace_seconds"].default == 20


@pytest.mark.parametrize("deployment", _deployments(), ids=lambda d: d["metadata"]["name"])
def test_kubernetes_waits_longer_than_the_service_takes_to_stop(deployment):
    pod = deployment["spec"]["template"]["spec"]
    for container in pod["containers"]:
        assert "SHUTDOWN_GRACE_SECONDS" not in {e["name"] for e in container.get("env", [])}
    # the default (30 s) would do, but the manifest must say it so that the two are read together
    assert pod["terminationGracePeriodSeconds"] > _grace()


def test_every_deployment_is_checked():
    assert {d["metadata"]["name"] for d in _deployments()} == {"registry", "events", "monitoring", "gateway"}


@pytest.mark.parametrize("grace", [1.0, 20.0, 120.0])
def test_draining_http_and_stopping_background_work_fit_in_the_grace(grace):
    budget = shutdown_budget(grace)
    assert 0 < budget.http_drain and 0 < budget.consumer_drain and 0 < budget.background_wait
    assert budget.http_drain + budget.consumer_drain + budget.background_wait <= grace
    assert 0 < budget.relay_batch_timeout < budget.background_wait  # a batch ends before its task is cancelled


def test_the_relay_and_the_consumers_use_the_budget():
    settings = ServiceSettings(service_name="registry", database_url="postgresql://u@h/db",
                               kafka_bootstrap_servers="k:9092", jwt_jwks_file=Path("/nonexistent/jwks.json"))
    relay = Relay.for_settings(None, None, settings)
    assert relay.batch_timeout == settings.shutdown.relay_batch_timeout < settings.shutdown_grace_seconds
    assert settings.consumer_retry_backoff_max_seconds < settings.shutdown_grace_seconds


def test_a_consumer_backoff_longer_than_the_grace_is_refused():
    with pytest.raises(ValueError, match="SHUTDOWN_GRACE_SECONDS"):
        ServiceSettings(service_name="registry", database_url="postgresql://u@h/db", kafka_bootstrap_servers="k:9092",
                        jwt_jwks_file=Path("/nonexistent/jwks.json"), shutdown_grace_seconds=5,
                        consumer_retry_backoff_max_seconds=5)


def test_compose_waits_longer_than_the_service_takes_to_stop():
    compose = yaml.safe_load((MANIFEST.parents[1] / "compose.yaml").read_text())
    services = [s for name, s in compose["services"].items() if name not in ("postgres", "kafka")]
    assert len(services) == 5
    for service in services:
        assert float(service["stop_grace_period"].removesuffix("s")) > _grace()

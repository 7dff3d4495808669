import pytest
from pydantic import ValidationError

from metodset_kit.settings import ServiceSettings

BASE = {"service_name": "registry", "database_url": "postgresql://u@db:5432/postgres",
        "kafka_bootstrap_servers": "k1:9092, k2:9092", "jwt_jwks_file": "/etc/metodset/jwks.json"}


def test_the_service_database_replaces_the_one_in_the_url():
    s = ServiceSettings(**BASE, database_name="metodset_registry")
    assert s.dsn == "postgresql://u@db:5432/metodset_registry"
    assert s.bootstrap_servers == ["k1:9092", "k2:9092"]


def test_topics_and_groups_take_the_namespace():
    assert ServiceSettings(**BASE, kafka_namespace="staging").topic("registry.organisations.v1") == \
        "staging.registry.organisations.v1"
    assert ServiceSettings(**BASE).topic("registry.organisations.v1") == "registry.organisations.v1"


@pytest.mark.parametrize("change,needle", [
    ({"jwt_jwks_file": None}, "JWT_JWKS"),
    ({"environment": "production"}, "development token issuer"),
    ({"port": 70000}, "port"),
    ({"database_pool_min": 20, "database_pool_max": 5}, "DATABASE_POOL_MIN"),
    ({"kafka_namespace": "Bad Name"}, "kafka_namespace"),
])
def test_bad_settings_stop_the_start_with_a_reason(change, needle):
    with pytest.raises(ValidationError) as err:
        ServiceSettings(**{**BASE, **change})
    assert needle in str(err.value)


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://env@db/postgres")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "env:9092")
    monkeypatch.setenv("JWT_JWKS_URL", "https://idp.example/jwks")
    monkeypatch.setenv("RELAY_BATCH_SIZE", "250")
    s = ServiceSettings(service_name="events")
    assert s.database_url.startswith("postgresql://env@") and s.relay_batch_size == 250

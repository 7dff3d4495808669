"""Monitoring service: indicators computed from what happens on the platform."""
from metodset_contracts.catalogue import INDICATORS_TOPIC
from metodset_kit.service import ServiceSpec, create_app
from metodset_kit.settings import ServiceSettings

from .api import router
from .compute import Hook
from .facts_projection import FACTS
from .indicators_api import router as indicators_router
from .projection import ORGANISATIONS
from .recomputer import starter


class MonitoringSettings(ServiceSettings):
    service_name: str = "monitoring"
    port: int = 8003


# Called with (connection, changes) inside the transaction that stores changed indicator values, e.g.
# recommendation rules: ON_VALUES_CHANGED.append(recommendations.on_values_changed)
ON_VALUES_CHANGED: list[Hook] = []

SPEC = ServiceSpec(
    name="monitoring",
    title="Metodset monitoring / Мониторинг",
    description="Показатели эффективности, рассчитанные по событиям платформы.",
    settings_cls=MonitoringSettings,
    routers=[router, indicators_router],
    migrations_package="metodset_monitoring",
    publishes=[INDICATORS_TOPIC],
    projections=[ORGANISATIONS, FACTS],
    starters=[starter(ON_VALUES_CHANGED)],
)


def app():
    return create_app(SPEC)

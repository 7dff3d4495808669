"""Monitoring service: indicators computed from what happens on the platform."""
from metodset_contracts.catalogue import RECOMMENDATIONS_TOPIC
from metodset_kit.service import ServiceSpec, create_app
from metodset_kit.settings import ServiceSettings

from .api import router
from .projection import ORGANISATIONS
from .recommendations.api import router as recommendations_router
from .support.api import router as support_router
from .support.projection import SUPPORT_CASES


class MonitoringSettings(ServiceSettings):
    service_name: str = "monitoring"
    port: int = 8003


SPEC = ServiceSpec(
    name="monitoring",
    title="Metodset monitoring / Мониторинг",
    description="Показатели эффективности, рассчитанные по событиям платформы.",
    settings_cls=MonitoringSettings,
    routers=[router, recommendations_router, support_router],
    migrations_package="metodset_monitoring",
    projections=[ORGANISATIONS, SUPPORT_CASES],
    publishes=[RECOMMENDATIONS_TOPIC],
)


def app():
    return create_app(SPEC)

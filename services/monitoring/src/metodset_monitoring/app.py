"""Monitoring service: indicators computed from what happens on the platform."""
from pathlib import Path

from pydantic import Field

from metodset_contracts.catalogue import CAMPAIGNS_TOPIC, INDICATORS_TOPIC, RECOMMENDATIONS_TOPIC
from metodset_kit.service import ServiceSpec, create_app
from metodset_kit.settings import ServiceSettings

from . import campaigns_api
from .api import router
from .compute import Hook
from .consumer import CONSUMER
from .indicators_api import router as indicators_router
from .recommendations import on_values_changed
from .recommendations.api import router as recommendations_router
from .recomputer import starter
from .reports_api import router as reports_router
from .support.api import router as support_router


class MonitoringSettings(ServiceSettings):
    service_name: str = "monitoring"
    port: int = 8003
    # Files attached to campaign forms (kit/storage.py): a local directory, content addressed
    storage_dir: Path = Path(".data/storage/monitoring")
    storage_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)


# Called with (connection, changes) inside the transaction that stores changed indicator values: the
# recommendation rules raise addressed recommendations when a value crosses a threshold
ON_VALUES_CHANGED: list[Hook] = [on_values_changed]

SPEC = ServiceSpec(
    name="monitoring",
    title="Metodset monitoring / Мониторинг",
    description="Показатели эффективности, рассчитанные по событиям платформы.",
    settings_cls=MonitoringSettings,
    routers=[router, campaigns_api.router, indicators_router, recommendations_router, support_router,
             reports_router],
    migrations_package="metodset_monitoring",
    publishes=[CAMPAIGNS_TOPIC, INDICATORS_TOPIC, RECOMMENDATIONS_TOPIC],
    projections=[CONSUMER],
    starters=[starter(ON_VALUES_CHANGED)],
)


def app():
    return create_app(SPEC)

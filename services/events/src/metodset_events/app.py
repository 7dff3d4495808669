"""Events service: methodical events, plans, competitions, olympiads (skeleton in this release)."""
from metodset_contracts.catalogue import METHODICAL_EVENTS_TOPIC, PLANS_TOPIC, REQUESTS_TOPIC
from metodset_kit.service import ServiceSpec, create_app
from metodset_kit.settings import ServiceSettings

from .api import router
from .plans_api import router as plans_router
from .projection import REGISTRY
from .requests_api import router as requests_router


class EventsSettings(ServiceSettings):
    service_name: str = "events"
    port: int = 8002


SPEC = ServiceSpec(
    name="events",
    title="Metodset events / Мероприятия",
    description="Методические мероприятия, планы, конкурсы, олимпиады.",
    settings_cls=EventsSettings,
    routers=[router, plans_router, requests_router],
    migrations_package="metodset_events",
    publishes=[METHODICAL_EVENTS_TOPIC, PLANS_TOPIC, REQUESTS_TOPIC],
    projections=[REGISTRY],
)


def app():
    return create_app(SPEC)

"""Events service: methodical events, plans, competitions, olympiads (skeleton in this release)."""
from metodset_contracts.catalogue import PLANS_TOPIC, REQUESTS_TOPIC
from metodset_kit.service import ServiceSpec, create_app
from metodset_kit.settings import ServiceSettings

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
    migrations_package="metodset_events",
    projections=[REGISTRY],
    routers=[plans_router, requests_router],
    publishes=[PLANS_TOPIC, REQUESTS_TOPIC],
)


def app():
    return create_app(SPEC)

"""Events service: methodical events, plans, competitions, olympiads (skeleton in this release)."""
from metodset_contracts.catalogue import METHODICAL_EVENTS_TOPIC
from metodset_kit.service import ServiceSpec, create_app
from metodset_kit.settings import ServiceSettings

from .api import router
from .projection import REGISTRY


class EventsSettings(ServiceSettings):
    service_name: str = "events"
    port: int = 8002


SPEC = ServiceSpec(
    name="events",
    title="Metodset events / Мероприятия",
    description="Методические мероприятия, планы, конкурсы, олимпиады.",
    settings_cls=EventsSettings,
    routers=[router],
    migrations_package="metodset_events",
    publishes=[METHODICAL_EVENTS_TOPIC],
    projections=[REGISTRY],
)


def app():
    return create_app(SPEC)

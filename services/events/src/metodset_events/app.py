"""Events service: methodical events, plans, competitions, olympiads."""
from metodset_contracts.catalogue import METHODICAL_EVENTS_TOPIC
from metodset_kit import documents
from metodset_kit.service import ServiceSpec, create_app
from metodset_kit.settings import ServiceSettings

from . import calendar, certificates, feedback
from .api import router
from .projection import REGISTRY


class EventsSettings(ServiceSettings):
    service_name: str = "events"
    port: int = 8002
    region_name: str = "Калужская область"
    region_timezone: str = "Europe/Moscow"
    # Public URLs printed on certificates and handed out for private calendars ({code}, {token}).
    certificate_url: str = "http://localhost:8002/certificates/{code}"
    calendar_url: str = "http://localhost:8002/calendar/people/{token}.ics"


SPEC = ServiceSpec(
    name="events",
    title="Metodset events / Мероприятия",
    description="Методические мероприятия, планы, конкурсы, олимпиады.",
    settings_cls=EventsSettings,
    routers=[router, certificates.router, documents.verification_router(), calendar.router, feedback.router],
    migrations_package="metodset_events",
    publishes=[METHODICAL_EVENTS_TOPIC],
    public=[*documents.PUBLIC, *calendar.PUBLIC],
    projections=[REGISTRY],
)


def app():
    return create_app(SPEC)

"""Events service: methodical events, annual work plans, support requests, materials and practices (competitions
and olympiads follow)."""
from pathlib import Path

from pydantic import Field

from metodset_contracts.catalogue import (
    COMPETITIONS_TOPIC,
    METHODICAL_EVENTS_TOPIC,
    OLYMPIADS_TOPIC,
    PLANS_TOPIC,
    PRACTICES_TOPIC,
    REQUESTS_TOPIC,
)
from metodset_kit import documents
from metodset_kit.service import ServiceSpec, create_app
from metodset_kit.settings import ServiceSettings

from . import calendar, certificates, competitions_api, feedback, olympiad_diplomas, olympiads_api, practices_api
from .api import router
from .imports import IMPORTS
from .plans_api import router as plans_router
from .projection import REGISTRY
from .region import DEFAULT_TIMEZONE
from .requests_api import router as requests_router


class EventsSettings(ServiceSettings):
    service_name: str = "events"
    port: int = 8002
    # Materials' files (kit/storage.py): a local directory, content addressed; the largest file taken
    storage_dir: Path = Path(".data/storage/events")
    storage_max_bytes: int = Field(default=7 * 1024 * 1024, ge=1024)
    region_name: str = "Калужская область"
    region_timezone: str = DEFAULT_TIMEZONE
    # Public URLs printed on certificates and handed out for private calendars ({code}, {token}).
    certificate_url: str = "http://localhost:8002/certificates/{code}"
    calendar_url: str = "http://localhost:8002/calendar/people/{token}.ics"


SPEC = ServiceSpec(
    name="events",
    title="Metodset events / Мероприятия",
    description=("Методические мероприятия, годовые планы, запросы и консультации, материалы и практики, "
                 "сертификаты, календари."),
    settings_cls=EventsSettings,
    routers=[router, plans_router, requests_router, practices_api.router, certificates.router,
             documents.verification_router(also=(olympiad_diplomas.KIND,)), calendar.router, feedback.router,
             competitions_api.router, olympiads_api.router, olympiad_diplomas.router, IMPORTS.router],
    migrations_package="metodset_events",
    publishes=[METHODICAL_EVENTS_TOPIC, PLANS_TOPIC, REQUESTS_TOPIC, PRACTICES_TOPIC,
               COMPETITIONS_TOPIC, OLYMPIADS_TOPIC],
    projections=[REGISTRY],
    public=[practices_api.DOWNLOAD, *documents.PUBLIC, *calendar.PUBLIC],
    starters=[IMPORTS.start],
)


def app():
    return create_app(SPEC)

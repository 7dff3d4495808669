"""Registry service: organisations, municipalities (and later staff, bodies, sites)."""
from pydantic import Field

from metodset_contracts.catalogue import BODIES_TOPIC, MENTORING_TOPIC, ORGANISATIONS_TOPIC, STAFF_TOPIC
from metodset_kit.service import ServiceSpec, create_app
from metodset_kit.settings import ServiceSettings

from .bodies.api import router as bodies_router
from .consumers.events_courses import COMPLETED_PROGRAMMES
from .growth.courses.api import router as courses_router
from .growth.diagnostics.api import router as diagnostics_router
from .growth.mentoring.api import router as mentoring_router
from .growth.routes.api import router as routes_router
from .imports.exports import router as list_exports
from .imports.kinds import IMPORTS
from .imports.organisations import exports
from .organisations.api import router
from .organisations.handlers import start_announcing
from .organisations.marks.api import router as marks_router
from .staff.api import router as staff_router


class RegistrySettings(ServiceSettings):
    service_name: str = "registry"
    port: int = 8001
    # The region's young specialist rule: fewer years of pedagogical experience than this, and younger than that
    young_specialist_max_years: int = Field(default=3, ge=1, le=10)
    young_specialist_max_age: int = Field(default=35, ge=18, le=70)
    # At most this many mentees of one mentor at a time (pairs and groups together)
    mentor_max_mentees: int = Field(default=3, ge=1, le=30)
    # The course rule: an upgrade course at least every N years (COURSE_YEARS)
    course_years: int = Field(default=3, ge=1, le=10)


SPEC = ServiceSpec(
    name="registry",
    title="Metodset registry / Реестр",
    description="Организации, муниципалитеты; команды реестра. События публикуются в Kafka (см. AsyncAPI).",
    settings_cls=RegistrySettings,
    # the exports (…/export.xlsx) before the routers holding /organisations/{id} and /bodies/{id}
    routers=[exports, list_exports, IMPORTS.router, router, marks_router, staff_router, bodies_router,
             mentoring_router, courses_router, diagnostics_router, routes_router],
    migrations_package="metodset_registry",
    publishes=[ORGANISATIONS_TOPIC, STAFF_TOPIC, BODIES_TOPIC, MENTORING_TOPIC],
    starters=[IMPORTS.start, start_announcing],  # municipalities created before their event are announced
    projections=[COMPLETED_PROGRAMMES],  # completed programmes of the events service become courses
)


def app():
    return create_app(SPEC)

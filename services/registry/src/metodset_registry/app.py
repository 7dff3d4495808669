"""Registry service: organisations, municipalities (and later staff, bodies, sites)."""
from metodset_contracts.catalogue import BODIES_TOPIC, ORGANISATIONS_TOPIC
from metodset_kit.service import ServiceSpec, create_app
from metodset_kit.settings import ServiceSettings

from .api import router
from .bodies_api import router as bodies_router
from .marks_api import router as marks_router


class RegistrySettings(ServiceSettings):
    service_name: str = "registry"
    port: int = 8001


SPEC = ServiceSpec(
    name="registry",
    title="Metodset registry / Реестр",
    description="Организации, муниципалитеты; команды реестра. События публикуются в Kafka (см. AsyncAPI).",
    settings_cls=RegistrySettings,
    routers=[router, marks_router, bodies_router],
    migrations_package="metodset_registry",
    publishes=[ORGANISATIONS_TOPIC, BODIES_TOPIC],
)


def app():
    return create_app(SPEC)

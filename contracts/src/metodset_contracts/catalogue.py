"""Every published event type with its topic: the single source for schemas and the AsyncAPI document."""
from dataclasses import dataclass

from .base import EventData
from .organisations import OrganisationClosed, OrganisationRegistered, OrganisationUpdated

TYPE_PREFIX = "ru.metodset"


@dataclass(frozen=True)
class EventType:
    name: str  # e.g. "registry.organisation.registered"
    major: int
    topic: str
    model: type[EventData]
    title: str

    @property
    def type(self) -> str:
        return f"{TYPE_PREFIX}.{self.name}.v{self.major}"

    @property
    def dataschema(self) -> str:
        return f"urn:metodset:schema:{self.name}:v{self.major}"


ORGANISATIONS_TOPIC = "registry.organisations.v1"

EVENT_TYPES: tuple[EventType, ...] = (
    EventType("registry.organisation.registered", 1, ORGANISATIONS_TOPIC, OrganisationRegistered,
              "Организация зарегистрирована"),
    EventType("registry.organisation.updated", 1, ORGANISATIONS_TOPIC, OrganisationUpdated,
              "Сведения об организации изменены"),
    EventType("registry.organisation.closed", 1, ORGANISATIONS_TOPIC, OrganisationClosed,
              "Организация закрыта"),
)

TOPICS: dict[str, list[EventType]] = {}
for _t in EVENT_TYPES:
    TOPICS.setdefault(_t.topic, []).append(_t)

_BY_TYPE = {t.type: t for t in EVENT_TYPES}
_BY_MODEL = {t.model: t for t in EVENT_TYPES}


def event_type(key: str | type[EventData]) -> EventType:
    """Look an event type up by its CloudEvents `type` or by its data model."""
    found = _BY_MODEL.get(key) if isinstance(key, type) else _BY_TYPE.get(key)
    if found is None:
        raise KeyError(f"unknown event type: {key!r}")
    return found

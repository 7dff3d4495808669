"""Organisations and persons of the plans' and requests' tests, put into the events service's projection of the
registry (tests.events_app has the app in process)."""
import itertools
import uuid

from metodset_contracts.organisations import OrganisationKind
from tests.events_app import KALUGA, OBNINSK, events_client, seed_organisation

__all__ = ["KALUGA", "OBNINSK", "events_client", "organisation", "person"]
_n = itertools.count(97_000)


async def organisation(pool, oktmo: str = KALUGA, name: str = "МБОУ СОШ № 1", kind: str = "school") -> str:
    return str(await seed_organisation(pool, oktmo, next(_n), kind=OrganisationKind(kind), name=name))


async def person(pool, oktmo: str = KALUGA) -> str:
    """A person as the registry projection would hold it (ids only)."""
    pid = uuid.uuid4()
    await pool.execute("insert into registry_persons (person_id, registered_municipality, version) values ($1, $2, 1)",
                       pid, oktmo)
    return str(pid)

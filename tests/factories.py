"""Test data that passes the registry's checks (valid ИНН, ОКТМО)."""
from metodset_registry.domain.identifiers import legal_inn_check_digit, ogrn_check_digit


def legal_inn(n: int) -> str:
    """The n-th valid 10-digit ИНН of a legal entity (distinct for distinct n < 10**8)."""
    first = f"77{n:07d}"
    return first + str(legal_inn_check_digit(first))


def ogrn(n: int) -> str:
    """The n-th valid 13-digit ОГРН (distinct for distinct n < 10**7)."""
    first = f"10240{n:07d}"
    return first + str(ogrn_check_digit(first))


def oktmo(n: int) -> str:
    return f"{29600000 + n * 1000:08d}"


def registered_event(n: int):
    """A CloudEvent of the n-th school's registration, as the registry would publish it."""
    import uuid

    from metodset_contracts.organisations import OrganisationKind, OrganisationRegistered
    from metodset_kit.events import new_event

    data = OrganisationRegistered(organisation_id=uuid.uuid4(), version=1, municipality_oktmo="29701000",
                                  kind=OrganisationKind.SCHOOL, name=f"Школа {n}", inn=legal_inn(n))
    return new_event(data, source="urn:test", subject="organisation")


def snils(n: int) -> str:
    """The n-th valid СНИЛС as 11 digits (numbers above 001-001-998 carry a checksum)."""
    from metodset_registry.domain.identifiers import snils_check_number

    first = f"{2_000_000 + n:09d}"
    return f"{first}{snils_check_number(first):02d}"

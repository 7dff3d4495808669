"""Who may write which fields of an organisation: a table the registry checks on every change.

Scope (which organisations a caller reaches at all: the region, a municipality, one organisation) is the
kit's Principal; this table says which fields a role may write inside its scope. `closed_on` stands for
the organisation's status: closing it; `flags` for setting and clearing its flags (ШНОР and others);
`sites` for granting and ending its site statuses (площадки).
"""
from __future__ import annotations

from pydantic.alias_generators import to_camel

from metodset_kit.scope import Role

from .organisations import CONTACTS, EDITABLE

STATUS = "closed_on"
FLAGS = "flags"
SITES = "sites"
ALL_FIELDS = frozenset((*EDITABLE, STATUS, FLAGS, SITES))

WRITABLE: dict[Role, frozenset[str]] = {
    Role.REGIONAL_COORDINATOR: ALL_FIELDS,
    Role.MUNICIPAL_METHODIST: ALL_FIELDS,  # of their municipality's organisations: the scope decides which
    Role.ORGANISATION_ADMIN: frozenset((*CONTACTS, "short_name")),
    Role.ANALYST: frozenset(),
    Role.SERVICE: frozenset(),
    Role.PEDAGOGUE: frozenset(),
}

ROLE_TITLES: dict[Role, str] = {
    Role.REGIONAL_COORDINATOR: "Региональный координатор",
    Role.MUNICIPAL_METHODIST: "Муниципальный методист",
    Role.ORGANISATION_ADMIN: "Администратор организации",
    Role.ANALYST: "Аналитик",
    Role.SERVICE: "Сервисная учётная запись",
    Role.PEDAGOGUE: "Педагог",
}

FIELD_TITLES: dict[str, str] = {
    "name": "полное наименование",
    "short_name": "краткое наименование",
    "kind": "вид организации",
    "municipality_oktmo": "муниципалитет",
    "inn": "ИНН",
    "ogrn": "ОГРН",
    "address": "адрес",
    "phone": "телефон",
    "email": "электронная почта",
    "website": "сайт",
    "parent_id": "головная организация",
    STATUS: "закрытие организации (дата закрытия)",
    FLAGS: "признаки организации (ШНОР, необъективные результаты, сложные условия)",
    SITES: "статусы площадок (инновационная, базовая, стажировочная, опорная)",
}


def may_register(role: Role) -> bool:
    """Registering writes every field: only the roles that may write all of them (inside their scope)."""
    return WRITABLE.get(role, frozenset()) >= ALL_FIELDS


def registration_refusal(role: Role) -> str:
    return f"{ROLE_TITLES[role]} не может регистрировать организации"


def refused(role: Role, fields: list[str]) -> list[str]:
    """The given fields this role may not write, in the order given."""
    allowed = WRITABLE.get(role, frozenset())
    return [f for f in fields if f not in allowed]


def refusal_message(role: Role, fields: list[str]) -> str:
    noun = "поле" if len(fields) == 1 else "поля"
    return f"{ROLE_TITLES[role]} не может изменять {noun}: {', '.join(FIELD_TITLES[f] for f in fields)}"


def refusal_detail(role: Role, fields: list[str]) -> list[dict]:
    """FastAPI-like detail: one entry per refused field (camelCase, as the request names it)."""
    message = refusal_message(role, fields)
    return [{"loc": ["body", to_camel(f)], "msg": message, "type": "forbidden"} for f in fields]

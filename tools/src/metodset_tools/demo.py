"""Load a generated region into a running registry through its REST API; running it again adds nothing."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import httpx

from metodset_registry.schemas import MunicipalityCreate, OrganisationCreate

from .region import Region

BATCH = 5000  # the registry's limit for one POST /organisations/batch
PAGE = 5000  # and for one GET /organisations


class LoadError(Exception):
    """The registry refused or is not there: the message says what to do, in Russian / English."""


@dataclass
class Summary:
    municipalities_created: int = 0
    municipalities_existing: int = 0
    organisations_created: int = 0
    organisations_existing: int = 0

    @property
    def created_nothing(self) -> bool:
        return self.municipalities_created == 0 and self.organisations_created == 0


def load(region: Region, registry_url: str, token: str, *, timeout: float = 60) -> Summary:
    summary = Summary()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=registry_url.rstrip("/"), headers=headers, timeout=timeout) as http:
        try:
            _municipalities(http, region, summary)
            _organisations(http, region, summary)
        except httpx.TransportError as exc:
            raise LoadError(f"Реестр не отвечает по адресу {registry_url}: запустите стек (`make run` в другом "
                            f"терминале) / the registry is not running at {registry_url}: start it with `make run` "
                            f"({exc.__class__.__name__})") from exc
    return summary


def _municipalities(http: httpx.Client, region: Region, summary: Summary) -> None:
    for m in region.municipalities:
        body = MunicipalityCreate(oktmo=m.oktmo, name=m.name).model_dump(by_alias=True, mode="json")
        r = http.post("/municipalities", json=body)
        if r.status_code == 409:
            summary.municipalities_existing += 1
        else:
            _ok(r, f"муниципалитет {m.oktmo}")
            summary.municipalities_created += 1


def _organisations(http: httpx.Client, region: Region, summary: Summary) -> None:
    known = registered_inns(http, [m.oktmo for m in region.municipalities])
    rows = [o for o in region.organisations if o.inn not in known]
    summary.organisations_existing += len(region.organisations) - len(rows)
    for start in range(0, len(rows), BATCH):
        chunk = [payload(o) for o in rows[start:start + BATCH]]
        created = post_batch(http, chunk)
        summary.organisations_created += created
        summary.organisations_existing += len(chunk) - created


def registered_inns(http: httpx.Client, oktmo: list[str]) -> set[str]:
    """ИНН of every organisation (closed ones too) of these municipalities."""
    inns: set[str] = set()
    for first in range(0, len(oktmo), 100):
        after = None
        while True:
            params = {"municipality": oktmo[first:first + 100], "limit": PAGE}
            if after:
                params["after"] = after
            page = _ok(http.get("/organisations", params=params), "список организаций").json()
            inns.update(o["inn"] for o in page["items"])
            after = page["nextCursor"]
            if not after:
                break
    return inns


def post_batch(http: httpx.Client, rows: list[dict]) -> int:
    """Post the rows; rows someone registered meanwhile (the batch's duplicate report) are dropped and the rest
    posted again. Returns how many were created."""
    r = http.post("/organisations/batch", json=rows)
    if r.status_code == 422:
        taken = _duplicate_rows(r.json())
        if taken:
            rest = [row for i, row in enumerate(rows) if i not in taken]
            return post_batch(http, rest) if rest else 0
    return len(_ok(r, "пакет организаций").json()["ids"])


def _duplicate_rows(body: dict) -> set[int]:
    """Indexes of rows refused only because their ИНН is taken; empty if any other problem is reported."""
    problems = body.get("detail") if isinstance(body, dict) else None
    if not isinstance(problems, list) or not problems:
        return set()
    if any(p.get("type") != "duplicate" or len(p.get("loc", [])) != 3 for p in problems):
        return set()
    return {p["loc"][1] for p in problems}


def payload(org) -> dict:
    """Checked by the registry's own schema before it travels."""
    return OrganisationCreate(**asdict(org)).model_dump(by_alias=True, mode="json", exclude_none=True)


def _ok(r: httpx.Response, what: str) -> httpx.Response:
    if r.status_code in (401, 403):
        raise LoadError(f"Реестр не принял токен регионального координатора ({r.status_code}): стек запущен с "
                        f"другими ключами? / the registry refused the development token: {r.text[:300]}")
    if r.is_error:
        raise LoadError(f"{what}: реестр ответил {r.status_code} / the registry answered {r.status_code}: "
                        f"{r.text[:500]}")
    return r


def describe(summary: Summary, region: Region, gateway_url: str) -> str:
    """What was done and a query to try in GraphiQL."""
    if summary.created_nothing:
        head = ("Регион уже загружен: ничего нового не создано / the region is already loaded: nothing new created")
    else:
        head = "Регион загружен / the region is loaded"
    first = region.municipalities[0].oktmo if region.municipalities else "29701000"
    return "\n".join([
        head,
        f"  муниципалитеты / municipalities: создано {summary.municipalities_created}, "
        f"уже были {summary.municipalities_existing}",
        f"  организации / organisations:    создано {summary.organisations_created}, "
        f"уже были {summary.organisations_existing}",
        "",
        f"GraphiQL: {gateway_url.rstrip('/')}/graphql (Authorization: Bearer <token from `make run`>); try:",
        f'  {{ municipality(oktmo: "{first}") {{ name organisations {{ totalCount nodes {{ name kind }} }}',
        "    indicators { code value } } }",
    ])

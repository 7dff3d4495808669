"""SQL access to persons, employments, their terms and the catalogues."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from metodset_kit.pagination import Ordering, keyset_after, order_by

from ..domain.courses import overdue_since
from ..domain.history import end_of_day
from ..domain.staff import PERSON_FIELDS, Employment, Term

PERSON_COLUMNS = ("id", "version", *PERSON_FIELDS, "name_key", "registered_municipality", "registered_by")
_VERSION_COLUMNS = ("person_id", "version", "changed_by", *PERSON_FIELDS)
_PERSON_SELECT = ", ".join(PERSON_COLUMNS)


# ---- catalogues -------------------------------------------------------------------------------------------

async def catalogue(conn: asyncpg.Connection, name: str) -> list[asyncpg.Record]:
    return await conn.fetch("select code, title, extra, origin from catalogue_items where catalogue = $1 "
                            "order by origin, title", name)


async def add_catalogue_item(conn: asyncpg.Connection, name: str, code: str, title: str, extra: dict,
                             by: str) -> bool:
    status = await conn.execute(
        "insert into catalogue_items (catalogue, code, title, extra, origin, added_by) "
        "values ($1, $2, $3, $4, 'region', $5) on conflict do nothing", name, code, title, extra, by)
    return status.endswith(" 1")


async def catalogue_codes(conn: asyncpg.Connection, name: str) -> dict[str, asyncpg.Record]:
    return {r["code"]: r for r in await catalogue(conn, name)}


async def pedagogical_positions(conn: asyncpg.Connection) -> set[str]:
    rows = await conn.fetch("select code from catalogue_items where catalogue = 'positions' "
                            "and extra ->> 'group' = 'pedagogical'")
    return {r["code"] for r in rows}


# ---- persons ----------------------------------------------------------------------------------------------

async def insert_persons(conn: asyncpg.Connection, persons: Sequence[dict], by: str) -> None:
    await conn.copy_records_to_table("persons", columns=PERSON_COLUMNS,
                                     records=[tuple(p[c] for c in PERSON_COLUMNS) for p in persons])
    await _record_versions(conn, persons, by)


async def _record_versions(conn: asyncpg.Connection, persons: Sequence[dict], by: str) -> None:
    changed = [p["id"] for p in persons if p["version"] > 1]
    if changed:
        await conn.execute("update person_versions set valid_to = now() where person_id = any($1) and valid_to is null",
                           changed)
    rows = [(p["id"], p["version"], by, *(p[c] for c in PERSON_FIELDS)) for p in persons]
    await conn.copy_records_to_table("person_versions", columns=_VERSION_COLUMNS, records=rows)


async def save_persons(conn: asyncpg.Connection, persons: Sequence[dict], by: str) -> None:
    """Write the new state of changed persons (their version already bumped) and keep the old one."""
    sets = ", ".join(f"{c} = n.{c}" for c in (*PERSON_FIELDS, "name_key", "version"))
    await conn.execute(f"create temporary table if not exists person_changes on commit drop as "
                       f"select {_PERSON_SELECT} from persons with no data")
    await conn.execute("truncate person_changes")
    await conn.copy_records_to_table("person_changes", columns=PERSON_COLUMNS,
                                     records=[tuple(p[c] for c in PERSON_COLUMNS) for p in persons])
    await conn.execute(f"update persons p set {sets}, updated_at = now() from person_changes n where p.id = n.id")
    await _record_versions(conn, persons, by)


async def persons(conn: asyncpg.Connection, ids: Sequence[UUID], *, lock: bool = False,
                  as_of: date | None = None) -> dict[UUID, dict]:
    """Persons now, or as recorded at the end of `as_of` (the current record when none was recorded yet)."""
    rows = await conn.fetch(f"select {_PERSON_SELECT} from persons where id = any($1)"
                            f"{' for update' if lock else ''}", list(ids))
    found = {r["id"]: dict(r) for r in rows}
    if as_of is not None and found:
        old = await conn.fetch(f"select person_id, {', '.join(PERSON_FIELDS)} from person_versions "
                               "where person_id = any($1) and valid_from < $2 and (valid_to is null or valid_to >= $2)",
                               list(found), end_of_day(as_of))
        for r in old:
            found[r["person_id"]].update({c: r[c] for c in PERSON_FIELDS})
    return found


async def persons_by_snils(conn: asyncpg.Connection, snils: Sequence[str]) -> dict[str, dict]:
    rows = await conn.fetch(f"select {_PERSON_SELECT} from persons where snils = any($1)", list(snils))
    return {r["snils"]: dict(r) for r in rows}


async def persons_by_name(conn: asyncpg.Connection, keys: Sequence[str], births: Sequence[date]) -> list[dict]:
    rows = await conn.fetch(
        f"""select {_PERSON_SELECT} from persons p
             where (p.name_key, p.birth_date) in (select * from unnest($1::text[], $2::date[]))""",
        list(keys), list(births))
    return [dict(r) for r in rows]


# ---- employments ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Placed:
    """An employment with where it is: the organisation's municipality (scope and events need it)."""

    employment: Employment
    municipality_oktmo: str
    organisation_name: str | None = None


_EMPLOYMENT_SELECT = """select e.id, e.person_id, e.organisation_id, e.start_date, e.end_date, e.version,
                               o.municipality_oktmo, o.name as organisation_name,
                               array_agg(row(t.valid_from, t.valid_to, t.position, t.subjects, t.rate, t.main)
                                         order by t.valid_from) as terms
                          from employments e
                          join organisations o on o.id = e.organisation_id
                          join employment_terms t on t.employment_id = e.id"""


def _placed(row) -> Placed:
    terms = tuple(Term(t[0], t[1], t[2], tuple(t[3]), t[4], t[5]) for t in row["terms"])
    employment = Employment(row["id"], row["person_id"], row["organisation_id"], row["start_date"], row["end_date"],
                            terms, row["version"])
    return Placed(employment, row["municipality_oktmo"], row["organisation_name"])


async def employments_of(conn: asyncpg.Connection, person_ids: Sequence[UUID]) -> dict[UUID, list[Placed]]:
    rows = await conn.fetch(f"{_EMPLOYMENT_SELECT} where e.person_id = any($1) group by e.id, o.id "
                            "order by e.start_date, e.id", list(person_ids))
    out: dict[UUID, list[Placed]] = {}
    for r in rows:
        out.setdefault(r["person_id"], []).append(_placed(r))
    return out


async def employment(conn: asyncpg.Connection, employment_id: UUID, *, lock: bool = False) -> Placed | None:
    if lock:
        await conn.execute("select 1 from employments where id = $1 for update", employment_id)
    row = await conn.fetchrow(f"{_EMPLOYMENT_SELECT} where e.id = $1 group by e.id, o.id",
                              employment_id)
    return _placed(row) if row else None


async def lock_persons(conn: asyncpg.Connection, person_ids: Sequence[UUID]) -> None:
    """Changes of one person's employments one at a time (the one-main rule reads all of them)."""
    await conn.execute("select 1 from persons where id = any($1) order by id for update", sorted(person_ids))


_TERM_COLUMNS = ("employment_id", "valid_from", "valid_to", "position", "subjects", "rate", "main", "recorded_by")


def _term_rows(employment: Employment, by: str, terms: Sequence[Term]) -> list[tuple]:
    return [(employment.id, t.valid_from, t.valid_to, t.position, list(t.subjects), t.rate, t.main, by) for t in terms]


async def insert_employments(conn: asyncpg.Connection, employments: Sequence[Employment], by: str) -> None:
    await conn.copy_records_to_table(
        "employments",
        columns=("id", "person_id", "organisation_id", "start_date", "end_date", "version", "created_by"),
        records=[(e.id, e.person_id, e.organisation_id, e.start, e.end, e.version, by) for e in employments])
    await conn.copy_records_to_table("employment_terms", columns=_TERM_COLUMNS,
                                     records=[r for e in employments for r in _term_rows(e, by, e.terms)])


async def save_transfers(conn: asyncpg.Connection, employments: Sequence[Employment], by: str) -> None:
    """Close the term each transfer ends (the one before the last) and add the new last term."""
    await conn.executemany("update employment_terms set valid_to = $3 where employment_id = $1 and valid_from = $2",
                           [(e.id, e.terms[-2].valid_from, e.terms[-2].valid_to) for e in employments])
    await conn.copy_records_to_table("employment_terms", columns=_TERM_COLUMNS,
                                     records=[r for e in employments for r in _term_rows(e, by, e.terms[-1:])])
    await conn.executemany("update employments set version = $2, updated_at = now() where id = $1",
                           [(e.id, e.version) for e in employments])


async def save_dismissal(conn: asyncpg.Connection, employment: Employment, by: str) -> None:
    await conn.execute("update employments set end_date = $2, version = $3, ended_by = $4, updated_at = now() "
                       "where id = $1", employment.id, employment.end, employment.version, by)


async def organisation_places(conn: asyncpg.Connection, ids: Sequence[UUID]) -> dict[UUID, asyncpg.Record]:
    rows = await conn.fetch("select id, municipality_oktmo, closed_on, name from organisations where id = any($1)",
                            list(ids))
    return {r["id"]: r for r in rows}


async def organisations_by_inn(conn: asyncpg.Connection, inns: Sequence[str]) -> dict[str, asyncpg.Record]:
    rows = await conn.fetch("select id, inn, municipality_oktmo, name from organisations "
                            "where inn = any($1) and closed_on is null", list(inns))
    return {r["inn"]: r for r in rows}


# ---- lists ------------------------------------------------------------------------------------------------

_ORDER_KEYS = (("name_key", str), ("id", UUID))


def staff_order(as_of: date | None) -> Ordering:
    return Ordering("staff" if as_of is None else f"staff@{as_of.isoformat()}", _ORDER_KEYS)


@dataclass(frozen=True)
class StaffFilter:
    day: date
    municipality: str | None = None
    organisation: UUID | None = None
    position: str | None = None
    subject: str | None = None
    young: bool | None = None
    max_years: int = 3
    max_age: int = 35
    course_overdue: bool | None = None
    course_years: int = 3

    def args(self) -> list:
        return [self.day, self.municipality, self.organisation, self.position, self.subject, self.young,
                self.max_years, self.max_age, self.course_overdue, overdue_since(self.day, self.course_years)]


# $1 day, $2 municipality, $3 organisation, $4 position, $5 subject, $6 young, $7 max years, $8 max age,
# $9 course overdue, $10 the earliest end of an upgrade course that is in time on the day
_TERMS_OF_DAY = """from employments e
      join organisations o on o.id = e.organisation_id
      join employment_terms t on t.employment_id = e.id
                             and t.valid_from <= $1 and (t.valid_to is null or t.valid_to >= $1)
     where e.start_date <= $1 and (e.end_date is null or e.end_date >= $1)
       and ($2::text is null or o.municipality_oktmo = $2)
       and ($3::uuid is null or e.organisation_id = $3)
       and ($4::text is null or t.position = $4)
       and ($5::text is null or $5 = any(t.subjects))"""
EMPLOYED = f"exists (select 1 {_TERMS_OF_DAY} and e.person_id = p.id)"
_YOUNG_AGE = "p.birth_date > ($1::date - make_interval(years => $8::int))::date"
# per person (a page's rows) and for a whole list at once (filters, counts): the same rule
YOUNG = f"(case when {_YOUNG_AGE} then staff_experience_days(p.id, $1, true) < $7::int * 365.25 else false end)"
YOUNG_SET = f"({_YOUNG_AGE} and p.id not in (select staff_experienced($1, $7::int, $8::int)))"
# the course rule (migration 012): the person's last upgrade end when it is not after the day (always, for
# today: courses do not end in the future), else one probe of courses_upgrades
COURSE_OVERDUE = ("(case when p.last_upgrade_end is null then true when p.last_upgrade_end <= $1 "
                  "then p.last_upgrade_end < $10::date else not exists (select 1 from courses c where "
                  "c.person_id = p.id and c.kind = 'upgrade' and c.end_date between $10::date and $1) end)")
_MORE = f"($6::bool is null or {YOUNG_SET} = $6) and ($9::bool is null or {COURSE_OVERDUE} = $9)"
_WHERE = f"{EMPLOYED} and {_MORE}"


async def staff(conn: asyncpg.Connection, f: StaffFilter, limit: int, after: tuple | None,
                order: Ordering, also: str = "true") -> list[asyncpg.Record]:
    """A page of the list; `also`: a further condition on `p` over the same parameters $1..$10."""
    args = [*f.args(), limit]
    seek = ""
    if after is not None:
        seek = f"and {keyset_after(order, len(args) + 1)}"
        args += list(after)
    return await conn.fetch(
        f"""select p.id, p.name_key, p.last_name, p.first_name, p.middle_name, p.birth_date, {YOUNG} as young
              from persons p where {_WHERE} and {also} {seek} {order_by(order)} limit $11""", *args)


async def count_staff(conn: asyncpg.Connection, f: StaffFilter, also: str = "true") -> int:
    return await conn.fetchval(f"select count(*) from persons p where {_WHERE} and {also}", *f.args())


_GROUPS = {
    "position": "t.position",
    "subject": "unnest(case when cardinality(t.subjects) = 0 then array[null::text] else t.subjects end)",
    "organisation": "e.organisation_id::text",
}


async def staff_counts(conn: asyncpg.Connection, f: StaffFilter, group_by: str) -> list[asyncpg.Record]:
    """Distinct persons per group (a person in two groups counts in both)."""
    if group_by == "youngSpecialist":
        return await conn.fetch(f"select ({YOUNG_SET})::text as key, count(*) as count from persons p "
                                f"where {_WHERE} group by 1 order by 1", *f.args())
    return await conn.fetch(
        f"""select g.key, count(distinct g.person_id) as count
              from (select e.person_id, {_GROUPS[group_by]} as key {_TERMS_OF_DAY}) g
              join persons p on p.id = g.person_id
             where {_MORE}
             group by g.key order by count desc, g.key""", *f.args())


async def export_rows(conn: asyncpg.Connection, f: StaffFilter) -> list[asyncpg.Record]:
    """One row per employment in effect on the day (the staff template's columns), in the list's order."""
    return await conn.fetch(
        f"""select p.id as person_id, p.last_name, p.first_name, p.middle_name, p.birth_date, p.snils,
                   o.inn as organisation_inn, t.position, t.subjects, t.rate, e.start_date, t.main
              {_TERMS_OF_DAY.replace("from employments e", "from employments e join persons p on p.id = e.person_id",
                                     1)}
               and {_MORE}
             order by p.name_key, p.id, e.start_date, e.id""", *f.args())


async def page_employments(conn: asyncpg.Connection, person_ids: Sequence[UUID], day: date) -> list[asyncpg.Record]:
    """The employments in effect on `day` of the given persons, with their state then."""
    return await conn.fetch(
        """select e.id, e.person_id, e.organisation_id, o.municipality_oktmo, o.name as organisation_name,
                  t.position, t.subjects, t.rate, t.main, e.start_date, e.end_date, e.version
             from employments e
             join organisations o on o.id = e.organisation_id
             join employment_terms t on t.employment_id = e.id and t.valid_from <= $2
                                     and (t.valid_to is null or t.valid_to >= $2)
            where e.person_id = any($1) and e.start_date <= $2 and (e.end_date is null or e.end_date >= $2)
            order by e.start_date, e.id""", list(person_ids), day)

"""SQL access to recommendation rules and recommendations, and their rows in `facts`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.recommendations import Addressee, RecommendationStatus
from metodset_kit.pagination import Ordering

from ..domain.recommendations import OPEN, Direction, Recommendation, Rule, fact_attrs
from ..domain.values import IndicatorValueChange, Level
from ..paging import count_rows, page_rows
from ..publishing import write_fact

ORDER = Ordering("recommendations", (("id", UUID),))
FACT_KIND = "recommendation"


def rule_of(r) -> Rule:
    return Rule(code=r["code"], indicator=r["indicator"], level=Level(r["level"]), threshold=float(r["threshold"]),
                direction=Direction(r["direction"]), addressee=Addressee(r["addressee"]), template=r["template"],
                due_days=r["due_days"], active=r["active"])


async def rules_for(conn: asyncpg.Connection, indicators: list[str]) -> list[Rule]:
    rows = await conn.fetch("select * from recommendation_rules where active and indicator = any($1) order by code",
                            indicators)
    return [rule_of(r) for r in rows]


async def all_rules(conn: asyncpg.Connection) -> list[Rule]:
    return [rule_of(r) for r in await conn.fetch("select * from recommendation_rules order by code")]


async def rule(conn: asyncpg.Connection, code: str) -> Rule | None:
    row = await conn.fetchrow("select * from recommendation_rules where code = $1", code)
    return rule_of(row) if row else None


async def save_rule(conn: asyncpg.Connection, r: Rule, by: str) -> None:
    await conn.execute(
        """insert into recommendation_rules (code, indicator, level, threshold, direction, addressee, template,
                                             due_days, active, updated_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           on conflict (code) do update set indicator = excluded.indicator, level = excluded.level,
               threshold = excluded.threshold, direction = excluded.direction, addressee = excluded.addressee,
               template = excluded.template, due_days = excluded.due_days, active = excluded.active,
               updated_by = excluded.updated_by, updated_at = now()""",
        r.code, r.indicator, r.level.value, r.threshold, r.direction.value, r.addressee.value, r.template,
        r.due_days, r.active, by)


def recommendation_of(r) -> Recommendation:
    return Recommendation(
        id=r["id"], rule=r["rule"], indicator=r["indicator"], period=r["period"], level=Level(r["level"]),
        subject=r["subject"], municipality_oktmo=r["municipality_oktmo"], organisation_id=r["organisation_id"],
        addressee=Addressee(r["addressee"]), text=r["text"], value=r["value"], threshold=r["threshold"],
        raised_on=r["raised_on"], due_on=r["due_on"], status=RecommendationStatus(r["status"]),
        assignee_id=r["assignee_id"], closed_on=r["closed_on"], evidence_text=r["evidence_text"],
        evidence_link=r["evidence_link"], cancel_reason=r["cancel_reason"], value_returned_on=r["value_returned_on"],
        version=r["version"], current_value=r["current_value"])


async def municipality_of(conn: asyncpg.Connection, organisation_id: UUID) -> str | None:
    return await conn.fetchval("select municipality_oktmo from organisation_facts where organisation_id = $1",
                               organisation_id)


async def insert_once(conn: asyncpg.Connection, r: Recommendation) -> bool:
    """Insert unless this rule already raised one for the subject and period; whether it was inserted."""
    inserted = await conn.fetchval(
        """insert into recommendations (id, rule, indicator, period, level, subject, municipality_oktmo,
                                        organisation_id, addressee, text, value, threshold, raised_on, due_on,
                                        current_value)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $11)
           on conflict (rule, subject, period) do nothing returning id""",
        r.id, r.rule, r.indicator, r.period, r.level.value, r.subject, r.municipality_oktmo, r.organisation_id,
        r.addressee.value, r.text, r.value, r.threshold, r.raised_on, r.due_on)
    if inserted is not None:
        await write_facts(conn, r)
    return inserted is not None


async def follow_values(conn: asyncpg.Connection, changes: list[IndicatorValueChange]) -> None:
    """Recommendations about the changed values show the latest one (closed ones too: what came of it)."""
    await conn.execute(
        "update recommendations r set current_value = c.value "
        "from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[]) as c(code, period, level, subject, "
        "value) where r.indicator = c.code and r.period = c.period and r.level = c.level and r.subject = c.subject",
        [c.code for c in changes], [c.period for c in changes], [c.level.value for c in changes],
        [c.subject for c in changes], [c.value for c in changes])


async def save(conn: asyncpg.Connection, r: Recommendation) -> None:
    await conn.execute(
        """update recommendations set text = $2, due_on = $3, status = $4, assignee_id = $5, closed_on = $6,
                  evidence_text = $7, evidence_link = $8, cancel_reason = $9, value_returned_on = $10, version = $11,
                  updated_at = now() where id = $1""",
        r.id, r.text, r.due_on, r.status.value, r.assignee_id, r.closed_on, r.evidence_text, r.evidence_link,
        r.cancel_reason, r.value_returned_on, r.version)
    await write_facts(conn, r)


async def write_facts(conn: asyncpg.Connection, r: Recommendation) -> None:
    await write_fact(conn, FACT_KIND, r.id, r.organisation_id, r.municipality_oktmo, r.raised_on, r.closed_on,
                     fact_attrs(r))


async def get(conn: asyncpg.Connection, rec_id: UUID, *, lock: bool = False) -> Recommendation | None:
    row = await conn.fetchrow(f"select * from recommendations where id = $1{' for update' if lock else ''}", rec_id)
    return recommendation_of(row) if row else None


async def open_one(conn: asyncpg.Connection, rule_code: str, subject: str, period: str) -> Recommendation | None:
    row = await conn.fetchrow(
        "select * from recommendations where rule = $1 and subject = $2 and period = $3 and status = any($4) "
        "for update", rule_code, subject, period, [s.value for s in OPEN])
    return recommendation_of(row) if row else None


@dataclass(frozen=True)
class RecommendationFilter:
    municipality: str | None = None
    organisation: UUID | None = None
    status: RecommendationStatus | None = None
    indicator: str | None = None
    overdue_on: date | None = None  # only those open past their due date on this day
    region_level: bool = True  # False: only recommendations of a municipality (a methodist's, an admin's)

    def args(self) -> list:
        return [self.municipality, self.organisation, self.status.value if self.status else None, self.indicator,
                self.overdue_on, self.region_level, [s.value for s in OPEN]]


_WHERE = """($1::text is null or municipality_oktmo = $1)
        and ($2::uuid is null or organisation_id = $2)
        and ($3::text is null or status = $3)
        and ($4::text is null or indicator = $4)
        and ($5::date is null or (status = any($7::text[]) and due_on < $5))
        and ($6::bool or municipality_oktmo is not null)"""


async def page(conn: asyncpg.Connection, f: RecommendationFilter, limit: int,
               after: tuple | None) -> list[Recommendation]:
    rows = await page_rows(conn, "recommendations", _WHERE, f.args(), ORDER, limit, after)
    return [recommendation_of(r) for r in rows]


async def count(conn: asyncpg.Connection, f: RecommendationFilter) -> int:
    return await count_rows(conn, "recommendations", _WHERE, f.args())


async def for_shares(conn: asyncpg.Connection, municipalities: list[str] | None) -> list[Recommendation]:
    rows = await conn.fetch("select * from recommendations where $1::text[] is null or municipality_oktmo = any($1)",
                            municipalities)
    return [recommendation_of(r) for r in rows]


async def of_organisation(conn: asyncpg.Connection, organisation_id: UUID) -> list[Recommendation]:
    rows = await conn.fetch("select * from recommendations where organisation_id = $1 order by raised_on, id",
                            organisation_id)
    return [recommendation_of(r) for r in rows]

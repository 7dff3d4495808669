"""The olympiad's tables: stages and grades, pupils, results, appeals, protocol versions, admission lists.
Bulk writes go through COPY into a temporary table and one set-based statement each."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

import asyncpg

from metodset_contracts.olympiads import OlympiadStageLevel
from metodset_kit.pagination import Ordering, keyset_after, order_by

from .domain.olympiad_rule import StatusRule
from .domain.olympiads import OlympiadStage, StageGrade

BY_GRADE_CODE = Ordering("olympiad_results", (("grade", int), ("code", str)))
ADMITTED = Ordering("olympiad_admissions", (("grade", int), ("code", str)))
STAGES = Ordering("olympiad_stages", (("year", int), ("subject", str), ("id", UUID)))


def stage_of(row: asyncpg.Record, grades: Sequence[asyncpg.Record]) -> OlympiadStage:
    return OlympiadStage(row["year"], row["subject"], OlympiadStageLevel(row["level"]), row["municipality_oktmo"],
                         tuple(StageGrade(g["grade"], g["max_score"], g["passing_score"]) for g in grades),
                         StatusRule.of(row["rule"]))


async def insert_stage(conn: asyncpg.Connection, stage_id: UUID, stage: OlympiadStage, by: str,
                       starts_on, ends_on, venue: str) -> None:
    await conn.execute(
        """insert into olympiad_stages (id, year, subject, level, municipality_oktmo, starts_on, ends_on, venue,
                                        rule, created_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""",
        stage_id, stage.year, stage.subject, stage.level.value, stage.municipality_oktmo, starts_on, ends_on,
        venue, stage.rule.as_json(), by)
    await conn.executemany("insert into olympiad_stage_grades (stage_id, grade, max_score) values ($1, $2, $3)",
                           [(stage_id, g.grade, g.max_score) for g in stage.grades])


async def stage_exists(conn: asyncpg.Connection, stage: OlympiadStage) -> bool:
    return await conn.fetchval(
        """select exists(select 1 from olympiad_stages where year = $1 and subject = $2 and level = $3
                          and coalesce(municipality_oktmo, '') = coalesce($4, ''))""",
        stage.year, stage.subject, stage.level.value, stage.municipality_oktmo)


async def stage_row(conn: asyncpg.Connection, stage_id: UUID, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(f"select * from olympiad_stages where id = $1{' for update' if lock else ''}",
                               stage_id)


async def grades(conn: asyncpg.Connection, stage_ids: Sequence[UUID]) -> dict[UUID, list[asyncpg.Record]]:
    rows = await conn.fetch("select * from olympiad_stage_grades where stage_id = any($1) order by grade",
                            list(stage_ids))
    out: dict[UUID, list] = {i: [] for i in stage_ids}
    for r in rows:
        out[r["stage_id"]].append(r)
    return out


async def stages(conn: asyncpg.Connection, year: int | None, subject: str | None, level: str | None,
                 limit: int, seek: tuple | None) -> tuple[list[asyncpg.Record], int]:
    where = "($1::int is null or year = $1) and ($2::text is null or subject = $2) and ($3::text is null or level = $3)"
    args: list = [year, subject, level]
    total = await conn.fetchval(f"select count(*) from olympiad_stages where {where}", *args)
    if seek is not None:
        where += f" and {keyset_after(STAGES, 5)}"
    rows = await conn.fetch(f"select * from olympiad_stages where {where} {order_by(STAGES)} limit $4",
                            *args, limit, *(seek or ()))
    return rows, total


async def set_passing_score(conn: asyncpg.Connection, stage_id: UUID, grade: int, score: Decimal) -> None:
    await conn.execute("update olympiad_stage_grades set passing_score = $3 where stage_id = $1 and grade = $2",
                       stage_id, grade, score)


async def touch(conn: asyncpg.Connection, stage_id: UUID) -> None:
    """A change of scores: after a publication the stage differs from its published protocol."""
    await conn.execute("""update olympiad_stages set version = version + 1, updated_at = now(),
                                 changed_since_publication = protocol_version > 0 where id = $1""", stage_id)


# ---- results ------------------------------------------------------------------------------------------------

STAGING = """create temporary table if not exists olympiad_staging (
    code text, last_name text, first_name text, patronymic text, organisation_id uuid, municipality_oktmo text,
    study_grade int, grade int, ranking_group text, score numeric(8, 2), tasks numeric(8, 2)[]
) on commit delete rows"""
STAGING_COLUMNS = ("code", "last_name", "first_name", "patronymic", "organisation_id", "municipality_oktmo",
                   "study_grade", "grade", "ranking_group", "score", "tasks")

_STUDENTS = """
insert into olympiad_students (code, last_name, first_name, patronymic, organisation_id, municipality_oktmo,
                               study_grade, study_year)
select code, last_name, first_name, patronymic, organisation_id, municipality_oktmo, study_grade, $1
  from olympiad_staging
on conflict (code) do update
   set last_name = excluded.last_name, first_name = excluded.first_name, patronymic = excluded.patronymic,
       organisation_id = excluded.organisation_id, municipality_oktmo = excluded.municipality_oktmo,
       study_grade = excluded.study_grade, study_year = excluded.study_year, updated_at = now()
 where olympiad_students.study_year <= excluded.study_year
   and (olympiad_students.last_name, olympiad_students.first_name, olympiad_students.patronymic,
        olympiad_students.organisation_id, olympiad_students.study_grade, olympiad_students.study_year)
       is distinct from (excluded.last_name, excluded.first_name, excluded.patronymic, excluded.organisation_id,
                         excluded.study_grade, excluded.study_year)
"""

_RESULTS = """
insert into olympiad_results (stage_id, code, organisation_id, municipality_oktmo, study_grade, grade, ranking_group,
                              score, tasks)
select $1, code, organisation_id, municipality_oktmo, study_grade, grade, ranking_group, score, tasks
  from olympiad_staging
on conflict (stage_id, code) do update
   set organisation_id = excluded.organisation_id, municipality_oktmo = excluded.municipality_oktmo,
       study_grade = excluded.study_grade, grade = excluded.grade, ranking_group = excluded.ranking_group,
       score = excluded.score, tasks = excluded.tasks, updated_at = now()
 where (olympiad_results.organisation_id, olympiad_results.study_grade, olympiad_results.grade,
        olympiad_results.ranking_group, olympiad_results.score, olympiad_results.tasks)
       is distinct from (excluded.organisation_id, excluded.study_grade, excluded.grade, excluded.ranking_group,
                         excluded.score, excluded.tasks)
returning (xmax = 0) as inserted
"""


async def students_by_code(conn: asyncpg.Connection, codes: Sequence[str]) -> dict[str, asyncpg.Record]:
    rows = await conn.fetch("select code, last_name, first_name from olympiad_students where code = any($1)",
                            list(codes))
    return {r["code"]: r for r in rows}


async def write_results(conn: asyncpg.Connection, stage_id: UUID, year: int,
                        records: Sequence[tuple]) -> tuple[int, int]:
    """Pupils and results of rows in STAGING_COLUMNS order: (created, updated); the rest were unchanged."""
    await conn.execute(STAGING)
    await conn.execute("truncate olympiad_staging")
    await conn.copy_records_to_table("olympiad_staging", records=records, columns=STAGING_COLUMNS)
    await conn.execute(_STUDENTS, year)
    written = await conn.fetch(_RESULTS, stage_id)
    created = sum(1 for r in written if r["inserted"])
    return created, len(written) - created


async def scores(conn: asyncpg.Connection, stage_id: UUID, grade: int | None = None) -> list[asyncpg.Record]:
    """The stage's scores and statuses: all, or one grade's."""
    return await conn.fetch("""select code, grade, ranking_group, score, status from olympiad_results
                                where stage_id = $1 and ($2::int is null or grade = $2)""", stage_id, grade)


async def admission_candidates(conn: asyncpg.Connection, stage_id: UUID, grade: int | None,
                               codes: Sequence[str]) -> list[asyncpg.Record]:
    """The results the admission rule has to look at: those at or above their grade's passing score (the others
    cannot pass it), and all of `codes` (last year's winners); of one grade, or all."""
    return await conn.fetch(
        """select r.code, r.grade, r.ranking_group, r.score, r.organisation_id, r.municipality_oktmo
             from olympiad_results r join olympiad_stage_grades g using (stage_id, grade)
            where r.stage_id = $1 and (($2::int is null or r.grade = $2) and r.score >= g.passing_score
                                       or r.code = any($3))""",
        stage_id, grade, list(codes))


async def set_statuses(conn: asyncpg.Connection, stage_id: UUID, changed: Sequence[tuple[str, str]]) -> None:
    if changed:
        await conn.execute(
            """update olympiad_results r set status = c.status, updated_at = now()
                 from unnest($2::text[], $3::text[]) as c(code, status)
                where r.stage_id = $1 and r.code = c.code""",
            stage_id, [c for c, _ in changed], [s for _, s in changed])


async def result(conn: asyncpg.Connection, stage_id: UUID, code: str, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"select * from olympiad_results where stage_id = $1 and code = $2{' for update' if lock else ''}",
        stage_id, code)


async def set_score(conn: asyncpg.Connection, stage_id: UUID, code: str, score: Decimal) -> None:
    await conn.execute("""update olympiad_results set score = $3, tasks = '{}', updated_at = now()
                           where stage_id = $1 and code = $2""", stage_id, code, score)


_VISIBLE = "($2::bool or r.municipality_oktmo = $3 or r.organisation_id::text = $4)"


async def results_page(conn: asyncpg.Connection, stage_id: UUID, visible: tuple, limit: int,
                       seek: tuple | None) -> tuple[list[asyncpg.Record], int]:
    """Results without names, of the organisations the caller sees (visible: all?, municipality, organisation)."""
    total = await conn.fetchval(f"select count(*) from olympiad_results r where r.stage_id = $1 and {_VISIBLE}",
                                stage_id, *visible)
    seek_sql = f"and {keyset_after(BY_GRADE_CODE, 6)}" if seek else ""
    rows = await conn.fetch(
        f"""select r.code, r.organisation_id, o.name as organisation_name, r.grade, r.ranking_group, r.score,
                   r.status, r.study_grade
              from olympiad_results r left join registry_organisations o using (organisation_id)
             where r.stage_id = $1 and {_VISIBLE} {seek_sql}
             {order_by(BY_GRADE_CODE)} limit $5""",
        stage_id, *visible, limit, *(seek or ()))
    return rows, total


# ---- appeals, protocols, admission --------------------------------------------------------------------------

async def add_appeal(conn: asyncpg.Connection, stage_id: UUID, grade: int, appeal, previous_status: str,
                     status: str, after_version: int, by: str) -> asyncpg.Record:
    return await conn.fetchrow(
        """insert into olympiad_appeals (stage_id, code, grade, previous_score, score, previous_status, status,
                                         reason, after_version, resolved_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning *""",
        stage_id, appeal.participant_code, grade, appeal.previous_score, appeal.score, previous_status, status,
        appeal.reason, after_version, by)


async def appeals(conn: asyncpg.Connection, stage_id: UUID, code: str | None) -> list[asyncpg.Record]:
    return await conn.fetch("""select * from olympiad_appeals where stage_id = $1 and ($2::text is null or code = $2)
                                order by id""", stage_id, code)


async def publish(conn: asyncpg.Connection, stage_id: UUID, version: int, by: str) -> int:
    count = await conn.fetchval("select count(*) from olympiad_results where stage_id = $1", stage_id)
    await conn.execute("insert into olympiad_protocols (stage_id, version, published_by, participants)"
                       " values ($1, $2, $3, $4)", stage_id, version, by, count)
    await conn.execute(
        """insert into olympiad_protocol_rows (stage_id, version, code, organisation_id, grade, ranking_group, score,
                                               status)
           select stage_id, $2, code, organisation_id, grade, ranking_group, score, status
             from olympiad_results where stage_id = $1""", stage_id, version)
    await conn.execute("""update olympiad_stages set protocol_version = $2, changed_since_publication = false,
                                 version = version + 1, updated_at = now() where id = $1""", stage_id, version)
    return count


async def protocol_rows(conn: asyncpg.Connection, stage_id: UUID, version: int) -> list[asyncpg.Record]:
    return await conn.fetch("""select * from olympiad_protocol_rows where stage_id = $1 and version = $2
                                order by grade, code""", stage_id, version)


async def protocol_tallies(conn: asyncpg.Connection, stage_id: UUID, version: int) -> list[dict]:
    """A protocol version's participants, winners and prize-winners per organisation (numbers only)."""
    rows = await conn.fetch(
        """select p.organisation_id, r.municipality_oktmo, count(*) as participants,
                  count(*) filter (where p.status = 'winner') as winners,
                  count(*) filter (where p.status = 'prize_winner') as prize_winners
             from olympiad_protocol_rows p join olympiad_results r on r.stage_id = p.stage_id and r.code = p.code
            where p.stage_id = $1 and p.version = $2
            group by p.organisation_id, r.municipality_oktmo order by p.organisation_id""", stage_id, version)
    return [dict(r) for r in rows]


async def last_year_awards(conn: asyncpg.Connection, stage: OlympiadStage, level: str) -> list[asyncpg.Record]:
    """Last year's results at `level` (the stage admission is made to) of pupils now in the stage's area."""
    return await conn.fetch(
        """select r.code, r.study_grade, r.status, s.organisation_id, s.municipality_oktmo, s.study_year
             from olympiad_results r
             join olympiad_stages st on st.id = r.stage_id
             join olympiad_students s on s.code = r.code
            where st.year = $1 and st.subject = $2 and st.level = $3 and r.status <> 'participant'
              and ($4::text is null or s.municipality_oktmo = $4)""",
        stage.year - 1, stage.subject, level, stage.municipality_oktmo)


async def replace_admission(conn: asyncpg.Connection, stage_id: UUID, rows: Sequence[tuple], grade: int | None = None,
                            codes: Sequence[str] = ()) -> None:
    """The stage's admission list anew: whole, or one grade's and that of `codes`."""
    await conn.execute("""delete from olympiad_admissions
                           where stage_id = $1 and ($2::int is null or grade = $2 or code = any($3))""",
                       stage_id, grade, list(codes))
    await conn.copy_records_to_table(
        "olympiad_admissions", records=[(stage_id, *r) for r in rows],
        columns=("stage_id", "code", "grade", "score", "reason", "organisation_id", "municipality_oktmo"))


async def admission_page(conn: asyncpg.Connection, stage_id: UUID, visible: tuple, limit: int,
                         seek: tuple | None) -> tuple[list[asyncpg.Record], int]:
    where = "stage_id = $1 and ($2::bool or municipality_oktmo = $3 or organisation_id::text = $4)"
    total = await conn.fetchval(f"select count(*) from olympiad_admissions where {where}", stage_id, *visible)
    seek_sql = f"and {keyset_after(ADMITTED, 6)}" if seek else ""
    rows = await conn.fetch(
        f"""select * from olympiad_admissions where {where} {seek_sql}
             {order_by(ADMITTED)} limit $5""", stage_id, *visible, limit, *(seek or ()))
    return rows, total


async def admitted_from(conn: asyncpg.Connection, stage: OlympiadStage, level: str) -> list[asyncpg.Record]:
    """The admission lists of the previous level's stages that feed a stage: the same year and subject, and
    for a municipal stage the same municipality."""
    return await conn.fetch(
        """select a.*, least(s.study_grade + (st.year - s.study_year), 11) as study_grade, st.id as from_stage_id
             from olympiad_admissions a
             join olympiad_stages st on st.id = a.stage_id
             join olympiad_students s on s.code = a.code
            where st.year = $1 and st.subject = $2 and st.level = $3
              and ($4::text is null or st.municipality_oktmo = $4)""",
        stage.year, stage.subject, level, stage.municipality_oktmo)


async def add_participants(conn: asyncpg.Connection, stage_id: UUID, rows: Sequence[tuple]) -> list[str]:
    """Participants without a score yet: (code, organisation, municipality, study grade, grade); the codes added."""
    added = await conn.fetch(
        """insert into olympiad_results (stage_id, code, organisation_id, municipality_oktmo, study_grade, grade)
           select $1, * from unnest($2::text[], $3::uuid[], $4::text[], $5::int[], $6::int[])
           on conflict (stage_id, code) do nothing returning code""",
        stage_id, *[list(c) for c in zip(*rows, strict=True)] if rows else ([], [], [], [], []))
    return [r["code"] for r in added]


async def organisations_by_inn(conn: asyncpg.Connection, inns: Sequence[str]) -> dict[str, asyncpg.Record]:
    rows = await conn.fetch("""select inn, organisation_id, municipality_oktmo from registry_organisations
                                where inn = any($1) and active""", list(inns))
    return {r["inn"]: r for r in rows}


async def student(conn: asyncpg.Connection, code: str) -> asyncpg.Record | None:
    return await conn.fetchrow("select * from olympiad_students where code = $1", code)


async def awarded_published(conn: asyncpg.Connection, stage_id: UUID, version: int) -> list[asyncpg.Record]:
    """Winners and prize-winners of a published version, with the names their diplomas print."""
    return await conn.fetch(
        """select p.code, p.grade, p.score, p.status, s.last_name, s.first_name, s.patronymic
             from olympiad_protocol_rows p join olympiad_students s using (code)
            where p.stage_id = $1 and p.version = $2 and p.status <> 'participant' order by p.grade, p.code""",
        stage_id, version)


RATED = Ordering("olympiad_rating", (("place", int), ("code", str)))
_RATING = """
select * from (
  select p.code, p.organisation_id, o.name as organisation_name, p.grade, p.score, p.status,
         rank() over (order by p.score desc nulls last)::int as place
    from olympiad_stages st
    join olympiad_protocol_rows p on p.stage_id = st.id and p.version = st.protocol_version
    left join registry_organisations o on o.organisation_id = p.organisation_id
   where st.year = $1 and st.subject = $2 and st.level = $3 and p.grade = $4 and p.score is not null
) rated
"""


async def rating(conn: asyncpg.Connection, year: int, subject: str, level: str, grade: int, limit: int,
                 seek: tuple | None) -> tuple[list[asyncpg.Record], int]:
    """The published results of a level's stages in one subject and grade across the region, by score."""
    args = (year, subject, level, grade)
    total = await conn.fetchval(f"select count(*) from ({_RATING}) counted", *args)
    where = f"where {keyset_after(RATED, 6)}" if seek else ""
    rows = await conn.fetch(f"{_RATING} {where} {order_by(RATED)} limit $5", *args, limit, *(seek or ()))
    return rows, total

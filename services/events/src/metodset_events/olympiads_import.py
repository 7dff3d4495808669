"""Results of an olympiad stage from the protocols schools and juries send (the kit's tabular mechanism, a
kind bound to one stage: POST /olympiads/stages/{id}/results), and the same rows entered through the API.

A row names a pupil by the region's participant code with the name and the organisation's ИНН, the grade they
study in and the one they write for, the score and/or the scores per task. The same file again changes
nothing (rows compare equal and come out unchanged). Chunks write through COPY and set-based statements;
statuses and the admission list are recomputed once per file (Kind.finish)."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache, partial
from uuid import UUID

import asyncpg

from metodset_contracts.olympiads import PARTICIPANT_CODE
from metodset_kit.scope import Principal
from metodset_kit.tabular import Column, ColumnType, Kind, Outcome, Row, RowError
from metodset_kit.tabular.columns import folded

from . import olympiads
from . import olympiads_repository as repo
from .domain import olympiads as rules
from .domain.olympiads import OlympiadStage

TASKS = 10
TASK_KEYS = tuple(f"task{i}" for i in range(1, TASKS + 1))
_CODE = re.compile(PARTICIPANT_CODE)
_INN = re.compile(r"^[0-9]{10}$")
UPLOAD_PATH = "POST /olympiads/stages/{id}/results"


def _code_problem(value: str) -> str | None:
    return None if _CODE.fullmatch(value) else "Код участника — буквы, цифры, «-», «_», «/», «.», до 40 знаков"


def _inn_problem(value: str) -> str | None:
    return None if _INN.fullmatch(value) else f"ИНН организации — 10 цифр, а не «{value}»"


COLUMNS = (
    Column("code", "Код участника", required=True, unique=True, check=_code_problem, example="М-2026-000123",
           help="Код участника в региональной системе, один на все этапы и годы", width=18),
    Column("lastName", "Фамилия", required=True, example="Ёлкина"),
    Column("firstName", "Имя", required=True, example="Анна"),
    Column("patronymic", "Отчество", example="Сергеевна"),
    Column("inn", "ИНН организации", required=True, check=_inn_problem, example="4027012345", width=14),
    Column("studyGrade", "Класс обучения", ColumnType.INTEGER, required=True, example="8", width=10),
    Column("grade", "Класс участия", ColumnType.INTEGER, example="9", width=10,
           help="За какой класс выполнял задания: свой или старший; пусто — класс обучения"),
    Column("score", "Баллы", ColumnType.DECIMAL, example="37,5", width=10,
           help="Итоговый балл; пусто — сумма баллов за задания"),
    Column("group", "Группа ранжирования", example="", width=16,
           help="Физическая культура — юноши или девушки; технология — профиль; иначе пусто"),
    *(Column(key, f"Задание {i}", ColumnType.DECIMAL, width=9) for i, key in enumerate(TASK_KEYS, 1)),
)
_CAPTION = {c.key: c.caption for c in COLUMNS}


@cache
def _groups_by_text(subject: str) -> dict[str, str]:
    groups = rules.ranking_groups(subject)
    return {folded(t): c for c, t in groups.items()} | {c: c for c in groups}


def _group(stage: OlympiadStage, text: str | None) -> tuple[str, str | None]:
    groups = rules.ranking_groups(stage.subject)
    if not groups:
        return "", (f"По этому предмету группы ранжирования нет, а указано «{text}»" if text else None)
    found = _groups_by_text(stage.subject).get(folded(text or ""))
    if found is None:
        return "", f"Укажите группу ранжирования: {', '.join(groups.values())}"
    return found, None


def check_line(stage: OlympiadStage, values: Mapping, org: asyncpg.Record | None,
               known: asyncpg.Record | None) -> tuple[tuple | None, list[tuple[str, str]]]:
    """A row as a staging record, or what is wrong with it: (column key, message) pairs."""
    problems: list[tuple[str, str]] = []
    if org is None:
        problems.append(("inn", f"Организация с ИНН {values['inn']} не найдена среди действующих в реестре"))
    elif stage.municipality_oktmo and org["municipality_oktmo"] != stage.municipality_oktmo:
        problems.append(("inn", f"Организация с ИНН {values['inn']} не из муниципалитета этапа"))
    if known is not None and (folded(known["last_name"]), folded(known["first_name"])) != (
            folded(values["lastName"]), folded(values["firstName"])):
        problems.append(("code", f"Код {values['code']} уже принадлежит другому участнику (другие фамилия и имя)"))
    study = values["studyGrade"]
    grade = values.get("grade") or study
    why = rules.check_participation(stage, study, grade) if 1 <= study <= rules.LAST_GRADE else \
        f"Класс обучения — от 1 до {rules.LAST_GRADE}"
    if why:
        problems.append(("grade" if values.get("grade") else "studyGrade", why))
    group, bad_group = _group(stage, values.get("group"))
    if bad_group:
        problems.append(("group", bad_group))
    tasks = [t for t in map(values.get, TASK_KEYS) if t is not None]
    score = None
    if not why:
        score, bad_score = rules.total_score(stage.grade(grade), values.get("score"), tasks)
        if bad_score:
            problems.append(("score", bad_score))
    if problems:
        return None, problems
    return (values["code"], values["lastName"].strip(), values["firstName"].strip(),
            (values.get("patronymic") or "").strip(), org["organisation_id"], org["municipality_oktmo"], study, grade,
            group, score, tasks), []


async def write_lines(conn: asyncpg.Connection, stage_id: UUID, stage: OlympiadStage,
                      lines: Sequence[tuple[int, Mapping]]) -> Outcome:
    """Rows (number, values) into the stage: the good ones written, the bad ones reported."""
    orgs = await repo.organisations_by_inn(conn, list({v["inn"] for _, v in lines}))
    known = await repo.students_by_code(conn, [v["code"] for _, v in lines])
    records, outcome = [], Outcome()
    for number, values in lines:
        record, problems = check_line(stage, values, orgs.get(values["inn"]), known.get(values["code"]))
        outcome.errors += [RowError(number, _CAPTION[key], message) for key, message in problems]
        if record:
            records.append(record)
    if records:
        outcome.created, outcome.updated = await repo.write_results(conn, stage_id, stage.year, records)
        outcome.unchanged = len(records) - outcome.created - outcome.updated
        if outcome.created or outcome.updated:
            await repo.touch(conn, stage_id)
    return outcome


async def _rows(stage_id: str, conn: asyncpg.Connection, principal: Principal, rows: Sequence[Row]) -> Outcome:
    row, stage = await olympiads.loaded(conn, UUID(stage_id), lock=True)
    if not rules.may_run(principal, stage.level, stage.municipality_oktmo):
        return Outcome(errors=[RowError(r.number, None, olympiads.REFUSED) for r in rows])
    return await write_lines(conn, row["id"], stage, [(r.number, r.values) for r in rows])


async def _finish(stage_id: str, conn: asyncpg.Connection, principal: Principal) -> None:
    _, stage = await olympiads.loaded(conn, UUID(stage_id), lock=True)
    await olympiads.recompute(conn, UUID(stage_id), stage)


def _bind(stage_id: str) -> Kind:
    return Kind(RESULTS.name, RESULTS.title, COLUMNS, partial(_rows, stage_id), chunk=RESULTS.chunk,
                finish=partial(_finish, stage_id))


async def _unbound(conn, principal, rows) -> Outcome:  # pragma: no cover - the generic route refuses the kind
    return Outcome(errors=[RowError(r.number, None, f"Результаты загружаются на {UPLOAD_PATH}") for r in rows])


RESULTS = Kind("olympiad-results", "Результаты этапа олимпиады", COLUMNS, _unbound, chunk=20_000, bind=_bind)

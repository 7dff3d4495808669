"""The All-Russian school olympiad without I/O: a stage (year, subject, level, its grades with the maximum and
passing scores), who runs it, the participation grade, scores per task, appeals, and admission to the next
stage. The stages, grades and ranking groups come from the reference data (olympiad_stages.json).

A participant is known by the region's participant code, stable across stages and years: last year's winners
are found by it. The year is the academic year by its first calendar year (2026 — 2026/27)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property

from metodset_contracts.olympiads import (
    STAGE_TITLES,
    AdmissionReason,
    OlympiadStageLevel,
    OlympiadStatus,
)
from metodset_contracts.reference import catalogue, olympiad_stages
from metodset_kit.scope import Principal, Role

from .olympiad_rule import StatusRule

LAST_GRADE = 11
NEXT: dict[OlympiadStageLevel, OlympiadStageLevel | None] = {
    OlympiadStageLevel.SCHOOL: OlympiadStageLevel.MUNICIPAL,
    OlympiadStageLevel.MUNICIPAL: OlympiadStageLevel.REGIONAL,
    OlympiadStageLevel.REGIONAL: OlympiadStageLevel.FINAL,
    OlympiadStageLevel.FINAL: None,
}
MUNICIPAL_LEVELS = (OlympiadStageLevel.SCHOOL, OlympiadStageLevel.MUNICIPAL)
AWARDED = (OlympiadStatus.WINNER, OlympiadStatus.PRIZE_WINNER)


class OlympiadRuleError(ValueError):
    def __init__(self, field: str, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.code = code


@dataclass(frozen=True)
class StageGrade:
    grade: int
    max_score: Decimal
    passing_score: Decimal | None = None  # set by the next stage's organiser: the score admitting to it


@dataclass(frozen=True)
class OlympiadStage:
    year: int
    subject: str
    level: OlympiadStageLevel
    municipality_oktmo: str | None
    grades: tuple[StageGrade, ...]
    rule: StatusRule = field(default_factory=StatusRule)

    @cached_property
    def _by_grade(self) -> dict[int, StageGrade]:
        return {g.grade: g for g in self.grades}

    def grade(self, grade: int) -> StageGrade | None:
        return self._by_grade.get(grade)


def olympiad_subjects() -> dict[str, str]:
    return {i.code: i.title for i in catalogue("subjects").items if i.extra.get("olympiad")}


def allowed_grades(level: OlympiadStageLevel, subject: str) -> range:
    spec = next(s for s in olympiad_stages()["stages"] if s["code"] == level.value)
    low, high = spec.get("subjectGrades", {}).get(subject, spec["grades"])
    return range(low, high + 1)


@cache
def ranking_groups(subject: str) -> dict[str, str]:
    """Groups ranked separately inside the subject (code → title); empty when the subject ranks as one."""
    return {g["code"]: g["title"] for g in olympiad_stages()["rankingGroups"].get(subject, [])}


def check_stage(stage: OlympiadStage) -> None:
    """A stage as it is opened: an olympiad subject, the municipality only where the stage is municipal,
    grades the level admits, each once, with a positive maximum."""
    if stage.subject not in olympiad_subjects():
        raise OlympiadRuleError("subject", f"Предмет {stage.subject} не входит в перечень предметов олимпиады")
    if (stage.level in MUNICIPAL_LEVELS) != (stage.municipality_oktmo is not None):
        need = "укажите муниципалитет" if stage.level in MUNICIPAL_LEVELS else "муниципалитет не указывается"
        raise OlympiadRuleError("municipalityOktmo", f"{STAGE_TITLES[stage.level].capitalize()}: {need}")
    if not stage.grades:
        raise OlympiadRuleError("grades", "Укажите классы участия и максимальные баллы")
    allowed = allowed_grades(stage.level, stage.subject)
    seen: set[int] = set()
    for i, g in enumerate(stage.grades):
        if g.grade not in allowed:
            raise OlympiadRuleError(f"grades[{i}].grade", f"{STAGE_TITLES[stage.level].capitalize()} по предмету "
                                    f"проводится для {allowed.start}–{allowed.stop - 1} классов, не для {g.grade}")
        if g.grade in seen:
            raise OlympiadRuleError(f"grades[{i}].grade", f"Класс {g.grade} указан дважды")
        if g.max_score <= 0:
            raise OlympiadRuleError(f"grades[{i}].maxScore", "Максимальный балл должен быть больше нуля")
        seen.add(g.grade)


def may_run(principal: Principal, level: OlympiadStageLevel, municipality_oktmo: str | None) -> bool:
    """School and municipal stages: the municipality's methodist (and the region); regional and final: the
    regional coordinator (the institute)."""
    if level in MUNICIPAL_LEVELS:
        return municipality_oktmo is not None and principal.may_manage_municipality(municipality_oktmo)
    return principal.may_manage_region()


def may_set_passing_score(principal: Principal, stage: OlympiadStage) -> bool:
    """The passing score of a stage is set by the organiser of the next one."""
    following = NEXT[stage.level]
    return following is not None and may_run(principal, following, stage.municipality_oktmo)


def sees_participant(principal: Principal, municipality_oktmo: str, organisation_id: str) -> bool:
    """Whose results with names a caller reads: the region's roles all; a methodist their municipality's
    schools; an organisation's administrator their own pupils."""
    if principal.role is Role.ORGANISATION_ADMIN:
        return principal.organisation == str(organisation_id)
    return principal.sees_municipality(municipality_oktmo)


def passing_score(stage: OlympiadStage, grade: int, score: Decimal) -> StageGrade:
    found = stage.grade(grade)
    if found is None:
        raise OlympiadRuleError("grade", f"Класса {grade} нет среди классов этапа")
    following = NEXT[stage.level]
    if following is None:
        raise OlympiadRuleError("stageId", "После заключительного этапа проходных баллов нет", "final")
    if grade not in allowed_grades(following, stage.subject):
        raise OlympiadRuleError("grade", f"На {STAGE_TITLES[following]} класс {grade} не допускается")
    if not Decimal(0) <= score <= found.max_score:
        raise OlympiadRuleError("score", f"Проходной балл — от 0 до максимального ({found.max_score})")
    return StageGrade(found.grade, found.max_score, score)


def check_participation(stage: OlympiadStage, study_grade: int, grade: int) -> str | None:
    """Why a participant cannot write for `grade` (None when they can): one of the stage's grades, and not
    lower than the grade they study in (writing for a higher grade is allowed)."""
    if stage.grade(grade) is None:
        grades = ", ".join(str(g.grade) for g in stage.grades)
        return f"Класса участия {grade} нет на этапе (классы: {grades})"
    if grade < study_grade:
        return f"Класс участия {grade} ниже класса обучения {study_grade}: можно писать только за свой или старший"
    return None


def total_score(stage_grade: StageGrade, score: Decimal | None,
                tasks: Sequence[Decimal]) -> tuple[Decimal | None, str | None]:
    """The score of a result and what is wrong with it: the total equals the sum of the tasks when both are
    given, the tasks alone make the total, and it lies between 0 and the grade's maximum."""
    if tasks:
        if min(tasks) < 0:
            return None, "Баллы за задание не могут быть отрицательными"
        summed = sum(tasks)
        if score is None:
            score = summed
        elif summed != score:
            return None, f"Сумма баллов за задания ({summed}) не равна итоговому баллу ({score})"
    if score is not None and not 0 <= score <= stage_grade.max_score:
        return None, f"Балл {score} вне допустимого: от 0 до {stage_grade.max_score} для {stage_grade.grade} класса"
    return score, None


@dataclass(frozen=True)
class Appeal:
    participant_code: str
    previous_score: Decimal | None
    score: Decimal
    reason: str


def appeal(stage_grade: StageGrade, code: str, previous: Decimal | None, score: Decimal, reason: str) -> Appeal:
    """An appeal resolved: the new score with the jury's reason. After the protocol was published the published
    version stays frozen; the changed score and recomputed statuses go into the next version."""
    if not reason.strip():
        raise OlympiadRuleError("reason", "Укажите основание решения апелляционной комиссии")
    if not Decimal(0) <= score <= stage_grade.max_score:
        raise OlympiadRuleError("newScore", f"Балл — от 0 до {stage_grade.max_score} для {stage_grade.grade} класса")
    return Appeal(code, previous, score, reason.strip())


@dataclass(frozen=True)
class Result:
    code: str
    grade: int  # participation grade
    score: Decimal | None
    group: str = ""  # ranking group inside the subject


@dataclass(frozen=True)
class PastAward:
    """Last year's status of a participant at the stage admission is made to."""

    code: str
    study_grade: int  # last year's
    status: OlympiadStatus
    left: bool = False  # no longer studies in the region's organisations


@dataclass(frozen=True)
class Admission:
    code: str
    grade: int
    score: Decimal | None
    reason: AdmissionReason


def admission(results: Iterable[Result], passing: Mapping[int, Decimal | None],
              last_year: Iterable[PastAward]) -> list[Admission]:
    """Who is admitted to the next stage and why: reached the passing score of their participation grade, or
    was a winner or prize-winner of the next stage last year and still studies (then in this year's grade)."""
    admitted: dict[str, Admission] = {}
    for r in results:
        bar = passing.get(r.grade)
        if bar is not None and r.score is not None and r.score >= bar:
            admitted[r.code] = Admission(r.code, r.grade, r.score, AdmissionReason.PASSING_SCORE)
    for past in last_year:
        grade = past.study_grade + 1
        if past.status in AWARDED and not past.left and grade <= LAST_GRADE and past.code not in admitted:
            admitted[past.code] = Admission(past.code, grade, None, AdmissionReason.LAST_YEAR_STATUS)
    return sorted(admitted.values(), key=lambda a: (a.grade, -(a.score or 0), a.code))

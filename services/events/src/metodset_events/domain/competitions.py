"""Rules of competitions of staff and students, without I/O.

A competition runs in stages of rising level (school → municipal → regional → federal); its nominations
carry a rubric (criteria with maximum points). Jurors of a stage score an entry per criterion; a juror from the
entrant's organisation (or a team member's) is refused. An entry's score aggregates the complete score sheets:
each juror's points summed over the criteria, then the mean (or the sum) over jurors, as configured. Entries
of a nomination are ranked by score (ties share a place: 1, 1, 3); statuses follow the award rule (places or
shares of the entries per tier, cumulative: winners, then prize-winners, then laureates); the statuses the rule
names advance to the next stage."""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from uuid import UUID

from metodset_contracts.competitions import LEVEL_TITLES, ResultStatus, StageLevel
from metodset_kit.scope import Principal, Role

LEVELS = (StageLevel.SCHOOL, StageLevel.MUNICIPAL, StageLevel.REGIONAL, StageLevel.FEDERAL)
CENT = Decimal("0.01")
READ_ALL = (Role.REGIONAL_COORDINATOR, Role.ANALYST, Role.SERVICE)


class CompetitionRuleError(ValueError):
    def __init__(self, field: str, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.code = code


class Aggregation(StrEnum):
    MEAN = "mean"  # the mean of the jurors' totals: fair when jurors score different numbers of entries
    SUM = "sum"


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    max_points: Decimal


def rubric(criteria: Sequence[Criterion]) -> tuple[Criterion, ...]:
    """A nomination's rubric: at least one criterion, codes unique, maximum points positive."""
    if not criteria:
        raise CompetitionRuleError("criteria", "Укажите хотя бы один критерий оценивания")
    seen: set[str] = set()
    for i, c in enumerate(criteria):
        if c.code in seen:
            raise CompetitionRuleError(f"criteria[{i}].code", f"Критерий {c.code} указан дважды", "duplicate")
        if c.max_points <= 0:
            raise CompetitionRuleError(f"criteria[{i}].maxPoints", "Максимальный балл критерия должен быть больше нуля")
        seen.add(c.code)
    return tuple(criteria)


@dataclass(frozen=True)
class Tier:
    """How many entries of a nomination a status reaches: a number of places, or a share of the entries
    (rounded down)."""

    places: int | None = None
    share: Decimal | None = None

    def size(self, entries: int) -> int:
        if self.places is not None:
            return self.places
        return math.floor((self.share or Decimal(0)) * entries)


@dataclass(frozen=True)
class AwardRule:
    winners: Tier = Tier(places=1)
    prize_winners: Tier = Tier(places=2)
    laureates: Tier = Tier(places=0)
    advance: frozenset[ResultStatus] = frozenset({ResultStatus.WINNER})

    def validate(self) -> AwardRule:
        for name, tier in (("winners", self.winners), ("prizeWinners", self.prize_winners),
                           ("laureates", self.laureates)):
            if (tier.places is None) == (tier.share is None):
                raise CompetitionRuleError(f"awardRule.{name}", "Укажите число мест или долю участников (одно из двух)")
            if (tier.places or 0) < 0 or not (0 <= (tier.share or 0) <= 1):
                raise CompetitionRuleError(f"awardRule.{name}", "Число мест не меньше нуля, доля — от 0 до 1")
        if ResultStatus.PARTICIPANT in self.advance:
            raise CompetitionRuleError("awardRule.advance", "На следующий этап выдвигают победителей, призёров или "
                                                            "лауреатов")
        return self

    def status(self, place: int, entries: int) -> ResultStatus:
        """The status of a place; tied entries share a place and so its status (a tie at the edge of a tier
        brings every tied entry in)."""
        edge = 0
        for status, tier in ((ResultStatus.WINNER, self.winners), (ResultStatus.PRIZE_WINNER, self.prize_winners),
                             (ResultStatus.LAUREATE, self.laureates)):
            edge += tier.size(entries)
            if place <= edge:
                return status
        return ResultStatus.PARTICIPANT


# --- scores -------------------------------------------------------------------------------------------------

def score_sheet(criteria: Sequence[Criterion], points: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """A juror's points for one entry: every criterion of the rubric, from 0 to its maximum, nothing else."""
    known = {c.code: c for c in criteria}
    for code in points:
        if code not in known:
            raise CompetitionRuleError(f"scores.{code}", f"Критерия {code} нет в критериях номинации", "unknown")
    sheet: dict[str, Decimal] = {}
    for c in criteria:
        if c.code not in points:
            raise CompetitionRuleError(f"scores.{c.code}", f"Не выставлен балл по критерию «{c.title}»", "missing")
        value = Decimal(points[c.code])
        if not (0 <= value <= c.max_points):
            raise CompetitionRuleError(f"scores.{c.code}", f"Балл по критерию «{c.title}» — от 0 до {c.max_points}")
        sheet[c.code] = value
    return sheet


def aggregate(criteria: Sequence[Criterion], sheets: Iterable[Mapping[str, Decimal]],
              how: Aggregation) -> Decimal | None:
    """The entry's score from the complete sheets (an incomplete one — the rubric changed — does not count);
    None when no sheet counts."""
    codes = {c.code for c in criteria}
    totals = [sum((s[c] for c in codes), Decimal(0)) for s in sheets if codes <= set(s)]
    if not totals:
        return None
    total = sum(totals, Decimal(0))
    value = total / len(totals) if how is Aggregation.MEAN else total
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Result:
    entry_id: UUID
    score: Decimal
    place: int
    status: ResultStatus


def rank(scores: Mapping[UUID, Decimal]) -> list[tuple[UUID, Decimal, int]]:
    """The best first; equal scores share the place and the next place skips them (1, 1, 3)."""
    ordered = sorted(scores.items(), key=lambda item: (-item[1], str(item[0])))
    out: list[tuple[UUID, Decimal, int]] = []
    for i, (entry, score) in enumerate(ordered):
        place = out[-1][2] if out and out[-1][1] == score else i + 1
        out.append((entry, score, place))
    return out


def results(scores: Mapping[UUID, Decimal | None], rule: AwardRule) -> list[Result]:
    """The results of one nomination; an entry without a counted score cannot be ranked (refused, named)."""
    unscored = sorted(str(e) for e, s in scores.items() if s is None)
    if unscored:
        raise CompetitionRuleError("entries", f"Нет ни одной полной оценки жюри у заявок: {', '.join(unscored)}",
                                   "unscored")
    ranked = rank({e: s for e, s in scores.items() if s is not None})
    return [Result(e, s, p, rule.status(p, len(ranked))) for e, s, p in ranked]


def advancing(found: Sequence[Result], rule: AwardRule) -> list[Result]:
    return [r for r in found if r.status in rule.advance]


# --- conflicts of interest ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Member:
    """One entrant: a staff person (their id) or a student (no id outside the service), and their
    organisation."""

    organisation_id: UUID
    person_id: UUID | None = None


@dataclass(frozen=True)
class EntryParties:
    organisation_id: UUID  # the organisation that submitted the entry
    members: tuple[Member, ...] = field(default=())


def conflict(juror_id: UUID, juror_organisations: Iterable[UUID], entry: EntryParties) -> str | None:
    """Why the juror may not score the entry, in Russian; None when they may."""
    if any(m.person_id == juror_id for m in entry.members):
        return "Член жюри — участник этой заявки: оценивать собственную работу нельзя"
    own = set(juror_organisations)
    if entry.organisation_id in own:
        return "Член жюри работает в организации участника (подавшей заявку): конфликт интересов"
    if any(m.organisation_id in own for m in entry.members):
        if len(entry.members) > 1:
            return "Член жюри работает в организации одного из участников команды: конфликт интересов"
        return "Член жюри работает в организации участника: конфликт интересов"
    return None


# --- stages and scope ------------------------------------------------------------------------------------------

def next_stage_checked(from_level: StageLevel, to_level: StageLevel) -> None:
    if LEVELS.index(to_level) <= LEVELS.index(from_level):
        raise CompetitionRuleError("toStageId", f"Выдвигают на этап выше: после «{LEVEL_TITLES[from_level]}» "
                                                f"не может идти «{LEVEL_TITLES[to_level]}»", "level")


def stage_area_checked(level: StageLevel, municipality_oktmo: str | None) -> None:
    """School and municipal stages belong to a municipality; regional and federal ones to the region."""
    local = level in (StageLevel.SCHOOL, StageLevel.MUNICIPAL)
    if local and not municipality_oktmo:
        raise CompetitionRuleError("municipalityOktmo", f"Для этапа «{LEVEL_TITLES[level]}» укажите муниципалитет")
    if not local and municipality_oktmo:
        raise CompetitionRuleError("municipalityOktmo", f"Этап «{LEVEL_TITLES[level]}» ведёт регион: муниципалитет "
                                                        "не указывают")


def may_run_stage(principal: Principal, level: StageLevel, municipality_oktmo: str | None) -> bool:
    """The municipal methodist runs the school and municipal stages of their municipality; the coordinator any."""
    if principal.role is Role.REGIONAL_COORDINATOR:
        return True
    return (principal.role is Role.MUNICIPAL_METHODIST and municipality_oktmo is not None
            and principal.municipality == municipality_oktmo)


def may_submit(principal: Principal, organisation_id: UUID, organisation_oktmo: str) -> bool:
    """Entries for an organisation: its administrator, its municipality's methodist, the coordinator."""
    return principal.may_edit_organisation(str(organisation_id), organisation_oktmo)


def sees_entry(principal: Principal, stage_level: StageLevel, stage_oktmo: str | None, organisation_id: UUID,
               organisation_oktmo: str, judges: bool = False) -> bool:
    """Who reads an entry with its entrants: the stage's runners and jurors (`judges`: the caller is a pedagogue
    appointed to the stage's jury), the entry organisation's administrator and municipality's methodist, the
    region's readers."""
    if judges or principal.role in READ_ALL or may_run_stage(principal, stage_level, stage_oktmo):
        return True
    return principal.may_edit_organisation(str(organisation_id), organisation_oktmo)


def juror_of(principal: Principal) -> UUID | None:
    """The person a pedagogue's token names, who may be a juror; None for every other role (or a malformed id)."""
    if principal.role is not Role.PEDAGOGUE or principal.person is None:
        return None
    try:
        return UUID(principal.person)
    except ValueError:
        return None


def may_score(principal: Principal, juror_id: UUID, runs_stage: bool) -> bool:
    """A sheet is entered by those who run the stage, for any juror, or by a juror for themselves (appointment to
    the stage's jury is checked apart: it is the same answer for both)."""
    return runs_stage or principal.is_person(juror_id)


def entrant_area_checked(stage_level: StageLevel, stage_oktmo: str | None, organisation_oktmo: str) -> None:
    if stage_oktmo is not None and stage_oktmo != organisation_oktmo:
        raise CompetitionRuleError("organisationId", f"На этап «{LEVEL_TITLES[stage_level]}» принимают заявки "
                                                     "организаций его муниципалитета")

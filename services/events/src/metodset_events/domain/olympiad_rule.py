"""The rule for winners and prize-winners of an olympiad stage, as configuration, without I/O.

Within one ranking group (a participation grade, and a group inside the subject such as boys and girls in
physical education) the results are ranked by score. Winners: those with the highest score, when it reaches
`winner_min_share` of the maximum. Prize-winners: the next scores down, each reaching `prize_min_share` of the
maximum, while winners and prize-winners together stay within `quota` of the participants. Equal scores always
get the same status: a tie that straddles the quota is taken in whole (`include`) or left out whole (`exclude`).
Participants without a score (did not write) are not counted."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from metodset_contracts.olympiads import OlympiadStatus
from metodset_contracts.reference import olympiad_stages


class Ties(StrEnum):
    INCLUDE = "include"  # all tied at the quota boundary become prize-winners (the quota may be exceeded)
    EXCLUDE = "exclude"  # none of them does (the quota is never exceeded)


@dataclass(frozen=True)
class StatusRule:
    quota: Decimal = Decimal("0.45")
    winner_min_share: Decimal = Decimal("0.5")
    prize_min_share: Decimal = Decimal("0.5")
    ties: Ties = Ties.INCLUDE

    def __post_init__(self):
        for name in ("quota", "winner_min_share", "prize_min_share"):
            if not Decimal(0) <= getattr(self, name) <= Decimal(1):
                raise ValueError(f"{name} must be a share between 0 and 1")

    def as_json(self) -> dict:
        return {"quota": str(self.quota), "winnerMinShare": str(self.winner_min_share),
                "prizeMinShare": str(self.prize_min_share), "ties": self.ties.value}

    @classmethod
    def of(cls, data: Mapping | None) -> StatusRule:
        """From the stage's stored configuration; what it leaves out comes from the reference default."""
        merged = {**olympiad_stages()["statusRule"], **(data or {})}
        return cls(Decimal(str(merged["quota"])), Decimal(str(merged["winnerMinShare"])),
                   Decimal(str(merged["prizeMinShare"])), Ties(merged["ties"]))


def statuses(scores: Mapping[Hashable, Decimal | None], max_score: Decimal,
             rule: StatusRule) -> dict[Hashable, OlympiadStatus]:
    """The status of every participant of one ranking group, by key (a participant code)."""
    written = {k: s for k, s in scores.items() if s is not None}
    awarded = _awarded_levels(Counter(written.values()), len(written), max_score, rule)
    out = {k: OlympiadStatus.PARTICIPANT for k in scores}
    for key, score in written.items():
        out[key] = awarded.get(score, OlympiadStatus.PARTICIPANT)
    return out


def _awarded_levels(counts: Counter, participants: int, max_score: Decimal,
                    rule: StatusRule) -> dict[Decimal, OlympiadStatus]:
    levels = sorted((s for s in counts if s > 0), reverse=True)
    awarded: dict[Decimal, OlympiadStatus] = {}
    if levels and levels[0] >= rule.winner_min_share * max_score:
        awarded[levels[0]] = OlympiadStatus.WINNER
        levels = levels[1:]
    quota = math.floor(participants * rule.quota)
    granted = sum(counts[s] for s in awarded)
    for level in levels:
        if level < rule.prize_min_share * max_score or granted >= quota:
            break
        if granted + counts[level] > quota and rule.ties is Ties.EXCLUDE:
            break
        awarded[level] = OlympiadStatus.PRIZE_WINNER
        granted += counts[level]
    return awarded

"""Attestation: qualification categories awarded to a person, their expiry and the due list, without I/O.

The categories and their validity («valid_years») are reference data (metodset_contracts reference
`categories`). A new award supersedes the previous one, which stays in the history; the attestation is due on
the expiry of the current award; `due within N months` on a day: expiry not later than N months after it
(already expired awards included, as most urgent)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .courses import CourseRuleError, add_months, add_years


class AttestationRuleError(CourseRuleError):
    """A broken attestation rule, naming the field."""


@dataclass(frozen=True)
class Award:
    category: str
    awarded_on: date
    order_number: str | None
    expires_on: date | None


def expiry(awarded_on: date, valid_years: int | None) -> date | None:
    """The last day the category is valid: the day before the same date `valid_years` later; None: no expiry."""
    if not valid_years:
        return None
    return date.fromordinal(add_years(awarded_on, valid_years).toordinal() - 1)


def award(category: str, awarded_on: date, order_number: str | None, categories: dict[str, dict],
          current: Award | None, today: date) -> Award:
    """A new award checked against the catalogue (code → extra) and the current award it supersedes."""
    if category not in categories:
        raise AttestationRuleError("category", f"Категории «{category}» нет в справочнике категорий")
    if awarded_on > today:
        raise AttestationRuleError("awardedOn", "Дата присвоения в будущем")
    valid_years = categories[category].get("valid_years")
    if valid_years and not (order_number or "").strip():
        raise AttestationRuleError("orderNumber", "Не указан номер приказа о присвоении")
    if current is not None and awarded_on < current.awarded_on:
        raise AttestationRuleError("awardedOn", f"Дата присвоения раньше действующей записи "
                                                f"({current.awarded_on:%d.%m.%Y}): историю не переписывают")
    number = (order_number or "").strip() or None
    return Award(category, awarded_on, number, expiry(awarded_on, valid_years))


def due_horizon(day: date, within_months: int) -> date:
    """The last expiry that is due within N months of `day`."""
    return add_months(day, within_months)


def is_due(expires_on: date | None, day: date, within_months: int) -> bool:
    return expires_on is not None and expires_on <= due_horizon(day, within_months)

"""What a route could hold for a person's deficits, from what the registry has, without I/O:
- an internship at an organisation holding a site status whose topic matches the area (the area's keywords);
- a mentor: a colleague of the same municipality whose latest diagnostic shows no deficit in the area and who
  has at least MENTOR_MIN_YEARS of pedagogical experience;
- courses that others closed the same deficit with (given by the caller; none until course records exist);
- methodical events whose topic matches (given by the caller; none until the events service publishes them);
- self-study, always."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from .diagnostics import Deficit, Instrument, Result
from .experience import years
from .routes import ItemKind, plain

MENTOR_MIN_YEARS = 5


@dataclass(frozen=True)
class Suggestion:
    kind: ItemKind
    area: str
    title: str
    ref: str | None
    reason: str


@dataclass(frozen=True)
class SiteOffer:
    organisation_id: UUID
    organisation_name: str
    site_title: str
    topic: str | None


@dataclass(frozen=True)
class MentorOffer:
    person_id: UUID
    short_name: str
    latest: Result | None
    pedagogical_days: int


@dataclass(frozen=True)
class Offer:
    """A course or an event known to address an area (from the courses and events hooks)."""

    area: str
    title: str
    ref: str
    reason: str


def topic_matches(topic: str | None, keywords: Sequence[str]) -> bool:
    return bool(topic) and any(plain(k) in plain(topic) for k in keywords if k.strip())


def years_text(n: int) -> str:
    """«1 год», «3 года», «21 год», «11 лет», «46 лет»."""
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} год"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} года"
    return f"{n} лет"


def may_mentor(m: MentorOffer, area: str) -> bool:
    return (m.latest is not None and area in m.latest.scores and m.latest.deficit(area) is None
            and years(m.pedagogical_days) >= MENTOR_MIN_YEARS)  # as the person's record shows them


def suggest(deficits: Sequence[Deficit], instrument: Instrument, sites: Sequence[SiteOffer],
            mentors: Sequence[MentorOffer], courses: Sequence[Offer] = (),
            events: Sequence[Offer] = ()) -> list[Suggestion]:
    """Suggestions per deficit in the instrument's order: courses, events, internships, mentors, self-study."""
    out: list[Suggestion] = []
    for d in deficits:
        area = instrument.area(d.area)
        title, keywords = (area.title, area.keywords) if area else (d.area, ())
        out += [Suggestion(ItemKind.COURSE, d.area, c.title, c.ref, c.reason) for c in courses if c.area == d.area]
        out += [Suggestion(ItemKind.EVENT, d.area, e.title, e.ref, e.reason) for e in events if e.area == d.area]
        out += [Suggestion(ItemKind.INTERNSHIP, d.area, f"Стажировка: {s.organisation_name}", str(s.organisation_id),
                           f"{s.site_title}; тема: {s.topic}")
                for s in sites if topic_matches(s.topic, keywords)]
        out += [Suggestion(ItemKind.MENTORING, d.area, f"Наставничество: {m.short_name}", str(m.person_id),
                           f"Без дефицита в области «{title}», педагогический стаж "
                           f"{years_text(int(years(m.pedagogical_days)))}")
                for m in mentors if may_mentor(m, d.area)]
        out.append(Suggestion(ItemKind.SELF_STUDY, d.area, f"Самообразование: {title}", None,
                              "Изучение методических материалов по области дефицита"))
    return out

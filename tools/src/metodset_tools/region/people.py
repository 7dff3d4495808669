"""A person of the region's staff: name consistent with sex and era of birth, birth date, СНИЛС, contacts.

Cheap per person (a handful of draws from precomputed cumulative weights): a 30,000-person region is made
in well under a second."""
from __future__ import annotations

import random
from bisect import bisect
from datetime import date, timedelta
from functools import cache
from itertools import accumulate

from metodset_registry.domain.identifiers import snils_check_number

from .model import Person
from .names import FEMALE, MAIL_DOMAINS, MALE, SURNAMES, TRANSLIT

# (youngest, oldest, share in per cent) of pedagogical staff: most are 35–60, a share of young teachers
AGE_BANDS = ((21, 24, 4), (25, 29, 8), (30, 34, 9), (35, 39, 11), (40, 44, 13), (45, 49, 14), (50, 54, 13),
             (55, 59, 12), (60, 64, 9), (65, 69, 5), (70, 72, 2))
_AGE_CUM = tuple(accumulate(b[2] for b in AGE_BANDS))


def draw(rng: random.Random, low: int, high: int) -> int:
    """rng.randint(low, high), several times cheaper: the hot paths draw a few million numbers."""
    return low + int(rng.random() * (high - low + 1))


def era(birth_year: int) -> int:
    return 0 if birth_year < 1970 else 1 if birth_year < 1986 else 2


@cache
def _cumulative(table: str, which: int) -> tuple[tuple[str, ...], tuple[float, ...]]:
    if table == "surnames":
        return SURNAMES, tuple(accumulate(1 / (1 + i * 0.04) for i in range(len(SURNAMES))))
    rows = MALE if table == "male" else FEMALE
    weights = [r[-1][which] for r in rows]
    return tuple(r[0] for r in rows), tuple(accumulate(weights))


def _pick(rng: random.Random, table: str, which: int = 0) -> str:
    names, cum = _cumulative(table, which)
    return names[bisect(cum, rng.random() * cum[-1])]


_PATRONYMICS = {name: (son, daughter) for name, son, daughter, _ in MALE}


def patronymic(father: str, sex: str) -> str:
    son, daughter = _PATRONYMICS[father]
    return son if sex == "M" else daughter


def female_surname(male: str) -> str:
    """Иванов → Иванова, Королёв → Королёва, Ильин → Ильина, Вишневский → Вишневская; Черных, Шевченко stay."""
    if male.endswith(("ский", "цкий")):
        return male[:-2] + "ая"
    if male.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return male + "а"
    return male


def names(rng: random.Random, sex: str, birth_year: int) -> tuple[str, str, str]:
    """(last, first, middle): the father's name drawn from the generation before."""
    surname = _pick(rng, "surnames")
    first = _pick(rng, "male" if sex == "M" else "female", era(birth_year))
    father = _pick(rng, "male", era(birth_year - 28))
    return (surname if sex == "M" else female_surname(surname)), first, patronymic(father, sex)


def age(rng: random.Random, youngest: int = 21) -> int:
    while True:
        low, high, _ = AGE_BANDS[bisect(_AGE_CUM, rng.random() * _AGE_CUM[-1])]
        years = draw(rng, low, high)
        if years >= youngest:
            return years


def years_after(day: date, years: int) -> date:
    return day.replace(year=day.year + years, day=min(day.day, 28) if day.month == 2 else day.day)


def birth_date(rng: random.Random, reference: date, years: int) -> date:
    """Someone exactly `years` old on `reference`."""
    latest = years_after(reference, -years)
    return latest - timedelta(days=draw(rng, 0, 364))


def snils(number: int) -> str:
    """A valid СНИЛС for a serial `number` below 10⁹: a bijection scatters serials over the whole range, so
    different numbers never collide and nothing needs remembering."""
    first = f"{(number * 387_420_489 + 123_456_789) % 1_000_000_000:09d}"
    return first + f"{snils_check_number(first):02d}"


def contacts(rng: random.Random, last: str, first: str, birth_year: int) -> tuple[str | None, str | None]:
    phone = email = None
    if rng.random() < 0.35:
        digits = f"{draw(rng, 0, 10 ** 7 - 1):07d}"
        phone = f"+7 (9{draw(rng, 10, 99)}) {digits[:3]}-{digits[3:5]}-{digits[5:]}"
    if rng.random() < 0.25:
        login = f"{translit(last)}.{translit(first)[:1]}{birth_year % 100:02d}"
        email = f"{login}@{MAIL_DOMAINS[draw(rng, 0, len(MAIL_DOMAINS) - 1)]}"
    return phone, email


def translit(text: str) -> str:
    return "".join(TRANSLIT.get(c, c) for c in text.lower())


def person(rng: random.Random, key: str, serial: int, reference: date, male_share: float, youngest: int,
           no_snils: float = 0.05) -> Person:
    sex = "M" if rng.random() < male_share else "F"
    born = birth_date(rng, reference, age(rng, youngest))
    last, first, middle = names(rng, sex, born.year)
    phone, email = contacts(rng, last, first, born.year)
    return Person(key=key, last_name=last, first_name=first, middle_name=middle, sex=sex, birth_date=born,
                  snils=None if rng.random() < no_snils else snils(serial), phone=phone, email=email)

"""The region's staff as rows of the staff import template, the way a person fills them in, and rows spoiled
the ways people spoil them (for the importer's tests)."""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from metodset_contracts.reference import catalogue
from metodset_registry.domain.identifiers import format_snils, legal_inn_check_digit

from .model import Region
from .people import snils

CAPTIONS = ("Фамилия", "Имя", "Отчество", "Дата рождения", "СНИЛС", "ИНН организации", "Должность", "Предметы",
            "Ставка", "Дата приёма", "Основное место работы")
LAST, FIRST, MIDDLE, BORN, SNILS, INN, POSITION, SUBJECTS, RATE, HIRED, MAIN = range(len(CAPTIONS))
HEADER_ROWS = 1  # data start on the sheet's second row

SPOILS = ("snils_checksum", "position_typo", "impossible_date", "empty_name", "rate_words", "foreign_inn",
          "duplicate_person")


def staff_rows(region: Region, ended: bool = False) -> list[list[Any]]:
    """One row per current employment (the template has no end date), values as a person types them:
    titles from the catalogues, subjects joined by «; », dates as dates, the rate as a Decimal, да/нет.
    `ended`: the rows of the employments that ended instead (their dismissal is recorded apart)."""
    positions, subjects = catalogue("positions").titles(), catalogue("subjects").titles()
    people = {p.key: p for p in region.persons}
    rows = []
    for job in region.employments:
        if (job.end_date is not None) != ended:
            continue
        p = people[job.person_key]
        rows.append([p.last_name, p.first_name, p.middle_name, p.birth_date,
                     format_snils(p.snils) if p.snils else None, job.organisation_inn, positions[job.position],
                     "; ".join(subjects[s] for s in job.subjects) or None, job.rate, job.start_date,
                     "да" if job.main else "нет"])
    return rows


@dataclass(frozen=True)
class Spoiled:
    index: int  # in the list of rows
    column: str  # the caption of the spoiled cell
    kind: str  # one of SPOILS
    value: Any  # what the cell holds now
    note: str = ""

    @property
    def sheet_row(self) -> int:
        """The row number a person sees in the sheet (the header is row 1)."""
        return self.index + HEADER_ROWS + 1


def spoil(rows: list[list[Any]], count: int, seed: int = 0, kinds: tuple[str, ...] = SPOILS
          ) -> tuple[list[list[Any]], list[Spoiled]]:
    """A copy of `rows` with `count` rows spoiled, the kinds taken in turn; only rows of people who have one
    row are spoiled, each at most once (a duplicate also leaves its source row alone)."""
    unknown = set(kinds) - set(SPOILS)
    if unknown:
        raise ValueError(f"kinds: unknown {sorted(unknown)}")
    rng = random.Random(seed)
    rows = [list(r) for r in rows]
    per_person = Counter(_who(r) for r in rows)
    free = [i for i, r in enumerate(rows) if per_person[_who(r)] == 1]
    rng.shuffle(free)
    done: list[Spoiled] = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        index = next((i for i in free if _fits(kind, rows[i])), None)
        if index is None:
            raise ValueError(f"not enough rows to spoil {count}")
        free.remove(index)
        done.append(SPOILERS[kind](rng, rows, index, free))
    return rows, sorted(done, key=lambda s: s.index)


def _who(row: list[Any]) -> tuple:
    return row[LAST], row[FIRST], row[MIDDLE], row[BORN]


def _fits(kind: str, row: list[Any]) -> bool:
    if kind == "snils_checksum":
        return bool(row[SNILS]) and int(row[SNILS][:11].replace("-", "")) > 1001998
    return True


def _snils_checksum(rng, rows, i, free) -> Spoiled:
    digits = rows[i][SNILS].replace("-", "").replace(" ", "")
    wrong = f"{(int(digits[9:]) + rng.randint(1, 98)) % 100:02d}"
    rows[i][SNILS] = format_snils(digits[:9] + wrong)
    return Spoiled(i, CAPTIONS[SNILS], "snils_checksum", rows[i][SNILS], "контрольное число не сходится")


def _position_typo(rng, rows, i, free) -> Spoiled:
    titles = set(catalogue("positions").by_title())
    title = rows[i][POSITION]
    while True:
        at = rng.randint(1, len(title) - 2)
        typo = title[:at] + title[at + 1:]  # a letter lost: «учитль»
        if typo not in titles:
            break
    rows[i][POSITION] = typo
    return Spoiled(i, CAPTIONS[POSITION], "position_typo", typo, f"вместо «{title}»")


def _impossible_date(rng, rows, i, free) -> Spoiled:
    rows[i][HIRED] = "31.02.2020"
    return Spoiled(i, CAPTIONS[HIRED], "impossible_date", "31.02.2020", "такой даты нет")


def _empty_name(rng, rows, i, free) -> Spoiled:
    column = rng.choice([LAST, FIRST])
    rows[i][column] = None
    return Spoiled(i, CAPTIONS[column], "empty_name", None, "обязательное поле пусто")


def _rate_words(rng, rows, i, free) -> Spoiled:
    rows[i][RATE] = "полторы"
    return Spoiled(i, CAPTIONS[RATE], "rate_words", "полторы", "ставка словами")


def _foreign_inn(rng, rows, i, free) -> Spoiled:
    """A valid ИНН of an organisation of another region (Москва, 77): not in this region's registry."""
    first = f"77{rng.randint(0, 99):02d}{rng.randrange(100000):05d}"
    rows[i][INN] = first + str(legal_inn_check_digit(first))
    return Spoiled(i, CAPTIONS[INN], "foreign_inn", rows[i][INN], "организации нет в регионе")


def _duplicate_person(rng, rows, i, free) -> Spoiled:
    """The person of another (untouched) row again, with another valid СНИЛС and «е» for «ё» or other case."""
    sources = [j for j in free if rows[j][SNILS]]
    if not sources:
        raise ValueError("not enough rows to spoil: a duplicate needs a second row")
    source = rng.choice(sources)
    free.remove(source)
    last, first, middle, born = rows[source][LAST:BORN + 1]
    if "ё" in last or "Ё" in last:
        last = last.replace("ё", "е").replace("Ё", "Е")
    else:
        last = last.upper() if rng.random() < 0.5 else last.lower()
    other = snils(990_000_000 + rng.randrange(9_000_000))
    rows[i][LAST:BORN + 1] = [last, first, middle, born]
    rows[i][SNILS] = format_snils(other)
    return Spoiled(i, CAPTIONS[SNILS], "duplicate_person", rows[i][SNILS],
                   f"тот же человек, что в строке {source + HEADER_ROWS + 1}, с другим СНИЛС")


SPOILERS = {"snils_checksum": _snils_checksum, "position_typo": _position_typo,
            "impossible_date": _impossible_date, "empty_name": _empty_name, "rate_words": _rate_words,
            "foreign_inn": _foreign_inn, "duplicate_person": _duplicate_person}


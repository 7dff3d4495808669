"""The region's educational organisations: names by kind, unique valid ИНН and ОГРН, addresses and contacts.

Pure and seeded; one small function per kind of organisation."""
from __future__ import annotations

import random

from metodset_contracts.organisations import OrganisationKind as Kind
from metodset_registry.domain.identifiers import legal_inn_check_digit, ogrn_check_digit

from .model import Municipality, Organisation
from .org_names import (
    COLLEGES,
    HONOURS,
    KINDERGARTEN_NAMES,
    OWNERSHIP,
    SCHOOL_TYPES,
    STREETS,
    SUPPLEMENTARY,
    SUPPORT_NAMES,
    VILLAGES,
)
from .places import REGION_CODE, REGION_NAME, Place


def municipality(place: Place) -> Municipality:
    return Municipality(place.oktmo, f"{place.form} «{place.title}»")


class Identifiers:
    """Unique ИНН and ОГРН of the region's legal entities, with valid check digits."""

    def __init__(self, rng: random.Random, inns: set[str] | None = None, ogrns: set[str] | None = None):
        self.rng = rng
        self.inns = set() if inns is None else inns
        self.ogrns = set() if ogrns is None else ogrns

    def inn(self, place: Place) -> str:
        return self._unique(self.inns, lambda: REGION_CODE + place.tax_office + f"{self.rng.randrange(100000):05d}",
                            legal_inn_check_digit)

    def ogrn(self, place: Place) -> str:
        # 1: a legal entity; two digits of the year; region; tax office; serial
        return self._unique(self.ogrns, lambda: f"1{self.rng.randint(2, 24):02d}{REGION_CODE}{place.tax_office}"
                                                f"{self.rng.randrange(100000):05d}", ogrn_check_digit)

    def _unique(self, taken: set[str], draw, check_digit) -> str:
        while True:
            first = draw()
            value = first + str(check_digit(first))
            if value not in taken and set(first) != {"0"}:
                taken.add(value)
                return value


def kinds(rng: random.Random, count: int) -> list[Kind]:
    """An authority, its methodical service, then schools and kindergartens with a few centres."""
    head = [Kind.EDUCATION_AUTHORITY, Kind.METHODICAL_SERVICE][:count]
    rest = count - len(head)
    extra = []
    if rest >= 5:
        extra.append(Kind.SUPPLEMENTARY_EDUCATION)
    extra += [Kind.SUPPLEMENTARY_EDUCATION] * max(0, round(rest * 0.1) - 1)
    if rest >= 12 and rng.random() < 0.5:
        extra.append(Kind.COLLEGE)
    if rest >= 15 and rng.random() < 0.4:
        extra.append(Kind.SUPPORT_CENTRE)
    left = rest - len(extra)
    schools = (left + 1) // 2
    return head + [Kind.SCHOOL] * schools + [Kind.KINDERGARTEN] * (left - schools) + extra


def organisations(rng: random.Random, ids: Identifiers, place: Place, count: int) -> list[Organisation]:
    numbers = _Numbers(rng)
    made = []
    for kind in kinds(rng, count):
        name, short, village = NAMERS[kind](rng, place, numbers)
        made.append(_contacts(rng, ids, place, kind, name, short, village, len(made) + 1))
    return made


class _Numbers:
    """Distinct numbers and titles within a municipality: no two «Детский сад № 12» in one town."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[tuple[str, object]] = set()

    def number(self, series: str, top: int) -> int:
        n = self.rng.randint(1, top)
        while (series, n) in self.used:
            n += 1
        self.used.add((series, n))
        return n

    def pick(self, series: str, options: tuple):
        free = [o for o in options if (series, o) not in self.used] or list(options)
        choice = self.rng.choice(free)
        self.used.add((series, choice))
        return choice


def _owner(rng: random.Random, city: bool) -> tuple[str, str]:
    weights = [w if city or key != "МА" else 0 for key, (_, w) in OWNERSHIP.items()]
    key = rng.choices(list(OWNERSHIP), weights)[0]
    return key, OWNERSHIP[key][0]


def of_place(place: Place) -> str:
    return f"{'городского округа' if place.district is None else 'муниципального района'} «{place.title}»"


def _authority(rng, place: Place, numbers) -> tuple[str, str, str | None]:
    if place.district is None:
        return f"Управление образования администрации {of_place(place)}", "Управление образования", None
    return f"Отдел образования администрации {of_place(place)}", "Отдел образования", None


def _methodical(rng, place: Place, numbers) -> tuple[str, str, str | None]:
    title, short = rng.choice([("Информационно-методический центр", "ИМЦ"), ("Методический кабинет", "МК"),
                               ("Учебно-методический центр", "УМЦ")])
    return f"Муниципальное казённое учреждение «{title}» {of_place(place)}", f"МКУ «{short}»", None


def _school(rng, place: Place, numbers) -> tuple[str, str, str | None]:
    city = place.district is None
    title, short, *_ = rng.choices(SCHOOL_TYPES, [t[2] if city else t[3] for t in SCHOOL_TYPES])[0]
    key, owner = _owner(rng, city)
    village = None if city or rng.random() < 0.35 else numbers.pick("village", VILLAGES)
    if village:
        title_full, short_full = f"«{title}» {village}", f"«{short}» {village}"
    else:
        n = numbers.number(short, 40 if city else 5)
        title_full, short_full = f"«{title} № {n}»", f"«{short} № {n}»"
    if not village and rng.random() < 0.12:
        title_full = f"{title_full[:-1]} {rng.choice(HONOURS)}»"
    return f"{owner} общеобразовательное учреждение {title_full}", f"{key}ОУ {short_full}", village


def _kindergarten(rng, place: Place, numbers) -> tuple[str, str, str | None]:
    city = place.district is None
    key, owner = _owner(rng, city)
    nickname = numbers.pick("kindergarten", KINDERGARTEN_NAMES)
    village = None if city or rng.random() < 0.4 else numbers.pick("village-dou", VILLAGES)
    if village:
        title = f"«Детский сад «{nickname}»» {village}"
    else:
        kind = rng.choices(["Детский сад", "Детский сад общеразвивающего вида", "Центр развития ребёнка — детский сад"],
                           [6, 2, 1])[0]
        title = f"«{kind} № {numbers.number('ДОУ', 90 if city else 6)} «{nickname}»»"
    return f"{owner} дошкольное образовательное учреждение {title}", f"{key}ДОУ {title}", village


def _supplementary(rng, place: Place, numbers) -> tuple[str, str, str | None]:
    title, short = numbers.pick("УДО", SUPPLEMENTARY)
    key, owner = _owner(rng, place.district is None)
    return (f"{owner} учреждение дополнительного образования «{title}» {of_place(place)}", f"{key}У ДО «{short}»", None)


def _college(rng, place: Place, numbers) -> tuple[str, str, str | None]:
    title = f"{place.adjective} {numbers.pick('college', COLLEGES)}"
    return (f"Государственное бюджетное профессиональное образовательное учреждение Калужской области «{title}»",
            f"ГБПОУ КО «{title[0]}{''.join(w[0].upper() for w in title.split()[1:])}»", None)


def _support(rng, place: Place, numbers) -> tuple[str, str, str | None]:
    nickname = numbers.pick("ППМС", SUPPORT_NAMES)
    return (f"Муниципальное бюджетное учреждение «Центр психолого-педагогической, медицинской и социальной помощи "
            f"«{nickname}»» {of_place(place)}", f"МБУ «ЦППМСП «{nickname}»»", None)


NAMERS = {Kind.EDUCATION_AUTHORITY: _authority, Kind.METHODICAL_SERVICE: _methodical, Kind.SCHOOL: _school,
          Kind.KINDERGARTEN: _kindergarten, Kind.SUPPLEMENTARY_EDUCATION: _supplementary, Kind.COLLEGE: _college,
          Kind.SUPPORT_CENTRE: _support}


def _contacts(rng: random.Random, ids: Identifiers, place: Place, kind: Kind, name: str, short: str,
              village: str | None, index: int) -> Organisation:
    slug = f"{place.slug}-{_SLUGS[kind]}{index}"
    return Organisation(
        name=name, short_name=short, kind=kind, municipality_oktmo=place.oktmo, inn=ids.inn(place),
        ogrn=ids.ogrn(place) if rng.random() < 0.9 else None, address=address(rng, place, village),
        phone=phone(rng, place) if rng.random() < 0.95 else None,
        email=f"{slug}@{rng.choice(['yandex.ru', 'mail.ru', 'kaluga.ru'])}" if rng.random() < 0.75 else None,
        website=f"https://{slug}-r{REGION_CODE}.gosweb.gosuslugi.ru" if rng.random() < 0.5 else None,
    )


_SLUGS = {Kind.EDUCATION_AUTHORITY: "uo", Kind.METHODICAL_SERVICE: "imc", Kind.SCHOOL: "school",
          Kind.KINDERGARTEN: "ds", Kind.SUPPLEMENTARY_EDUCATION: "do", Kind.COLLEGE: "college",
          Kind.SUPPORT_CENTRE: "ppms"}


def address(rng: random.Random, place: Place, village: str | None) -> str:
    postcode = place.postcode + rng.randrange(0, 10 if place.district is None else 4)
    where = [place.district, village] if village else [place.district, place.centre]
    street = f"{rng.choice(STREETS)}, д. {rng.randint(1, 30 if village else 120)}"
    return ", ".join(p for p in (str(postcode), REGION_NAME, *where, street) if p)


def phone(rng: random.Random, place: Place) -> str:
    local = 10 - len(place.area_code)  # ten digits after +7
    number = f"{rng.randint(2, 9)}{rng.randrange(10 ** (local - 1)):0{local - 1}d}"
    head = number[:-4]
    return f"+7 ({place.area_code}) {head}-{number[-4:-2]}-{number[-2:]}"


def institute(rng: random.Random, ids: Identifiers, place: Place) -> Organisation:
    """The regional institute for education development, in the regional centre."""
    return Organisation(
        name="Государственное автономное образовательное учреждение дополнительного профессионального "
             "образования Калужской области «Калужский государственный институт развития образования»",
        short_name="ГАОУ ДПО «КГИРО»", kind=Kind.REGIONAL_INSTITUTE, municipality_oktmo=place.oktmo,
        inn=ids.inn(place), ogrn=ids.ogrn(place), address=address(rng, place, None), phone=phone(rng, place),
        email=f"info@kgiro-r{REGION_CODE}.ru", website=f"https://kgiro-r{REGION_CODE}.ru")

"""A realistic region for demos and load: municipalities and their educational organisations (Kaluga-like).

Pure and seeded: the same arguments give the same region. One small function per kind of thing; staff,
methodical bodies and sites will be added to `Region` the same way."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from metodset_contracts.organisations import OrganisationKind as Kind
from metodset_registry.domain.identifiers import legal_inn_check_digit, ogrn_check_digit

REGION_CODE = "40"  # Калужская область: the tax region code that starts its ИНН
REGION_NAME = "Калужская область"
OKTMO_PREFIX = "29"


@dataclass(frozen=True)
class Place:
    """A municipality's template: `title` is quoted verbatim in names, so nothing needs declension."""

    oktmo: str
    form: str  # «городской округ» or «муниципальный район»
    title: str  # «Город Калуга», «Козельский район»
    adjective: str  # «Калужский», «Козельский» (colleges)
    centre: str  # «г. Козельск»
    district: str | None  # «Козельский район» for addresses outside a city
    area_code: str  # telephone code without +7
    slug: str  # Latin, for e-mails and sites
    postcode: int
    tax_office: str  # two digits after the region code in ИНН and ОГРН


def _district(n: int, root: str, centre: str, slug: str, area: str, postcode: int, office: str) -> Place:
    return Place(f"{OKTMO_PREFIX}6{n:02d}000", "муниципальный район", f"{root} район", root, centre, f"{root} район",
                 area, slug, postcode, office)


# The regional centre and the science city first, then districts (real names; codes only OKTMO-like)
PLACES: tuple[Place, ...] = (
    Place("29701000", "городской округ", "Город Калуга", "Калужский", "г. Калуга", None, "4842", "kaluga",
          248000, "27"),
    Place("29715000", "городской округ", "Город Обнинск", "Обнинский", "г. Обнинск", None, "48439", "obninsk",
          249030, "25"),
    _district(23, "Козельский", "г. Козельск", "kozelsk", "48442", 249720, "09"),
    _district(10, "Боровский", "г. Боровск", "borovsk", "48438", 249010, "03"),
    _district(27, "Малоярославецкий", "г. Малоярославец", "maloyaroslavets", "48431", 249090, "11"),
    _district(25, "Людиновский", "г. Людиново", "lyudinovo", "48444", 249400, "24"),
    _district(38, "Сухиничский", "г. Сухиничи", "sukhinichi", "48451", 249270, "17"),
    _district(22, "Кировский", "г. Киров", "kirov", "48456", 249440, "23"),
    _district(18, "Жуковский", "г. Жуков", "zhukov", "48432", 249190, "07"),
    _district(12, "Дзержинский", "г. Кондрово", "kondrovo", "48434", 249830, "04"),
    _district(5, "Бабынинский", "п. Бабынино", "babynino", "48448", 249210, "01"),
    _district(8, "Барятинский", "с. Барятино", "baryatino", "48454", 249650, "02"),
    _district(14, "Думиничский", "п. Думиничи", "duminichi", "48447", 249300, "05"),
    _district(16, "Жиздринский", "г. Жиздра", "zhizdra", "48445", 249340, "06"),
    _district(20, "Износковский", "с. Износки", "iznoski", "48449", 249880, "08"),
    _district(24, "Куйбышевский", "п. Бетлица", "betlitsa", "48457", 249500, "10"),
    _district(29, "Медынский", "г. Медынь", "medyn", "48433", 249950, "12"),
    _district(31, "Мещовский", "г. Мещовск", "meshchovsk", "48446", 249240, "13"),
    _district(32, "Мосальский", "г. Мосальск", "mosalsk", "48452", 249930, "14"),
    _district(34, "Перемышльский", "с. Перемышль", "peremyshl", "48441", 249130, "15"),
    _district(36, "Спас-Деменский", "г. Спас-Деменск", "spas-demensk", "48455", 249610, "16"),
    _district(39, "Тарусский", "г. Таруса", "tarusa", "48435", 249100, "18"),
    _district(41, "Ульяновский", "с. Ульяново", "ulyanovo", "48443", 249750, "19"),
    _district(43, "Ферзиковский", "п. Ферзиково", "ferzikovo", "48437", 249800, "20"),
    _district(45, "Хвастовичский", "с. Хвастовичи", "khvastovichi", "48453", 249360, "21"),
    _district(48, "Юхновский", "г. Юхнов", "yukhnov", "48436", 249910, "22"),
)

STREETS = ("ул. Ленина", "ул. Советская", "ул. Гагарина", "ул. Кирова", "ул. Школьная", "ул. Садовая",
           "ул. Молодёжная", "ул. Пушкина", "ул. Циолковского", "ул. Мира", "ул. Чкалова", "ул. Комсомольская",
           "ул. Набережная", "ул. Полевая", "ул. Лесная", "пер. Первомайский", "пр-т Ленина", "ул. Жукова")
VILLAGES = ("с. Покровское", "с. Никольское", "д. Берёзовка", "с. Троицкое", "д. Сосновка", "с. Спас-Загорье",
            "с. Воскресенское", "д. Александровка", "с. Знаменское", "с. Богородское", "д. Ивановка",
            "с. Ильинское", "д. Дубрава", "с. Успенское", "п. Садовый", "с. Петровское")
KINDERGARTEN_NAMES = ("Солнышко", "Ромашка", "Колокольчик", "Берёзка", "Теремок", "Радуга", "Светлячок",
                      "Сказка", "Улыбка", "Ёлочка", "Журавлёнок", "Золотой ключик", "Ласточка", "Рябинка",
                      "Аленький цветочек", "Звёздочка", "Капелька", "Чебурашка", "Незабудка", "Родничок")
HONOURS = ("имени К. Э. Циолковского", "имени Г. К. Жукова", "имени А. С. Пушкина", "имени Героя Советского Союза "
           "А. Ф. Зыкова", "имени Н. В. Гоголя", "имени Ф. М. Достоевского", "имени С. П. Королёва")
SUPPLEMENTARY = (
    ("Дом детского творчества", "ДДТ"), ("Центр дополнительного образования детей", "ЦДОД"),
    ("Детско-юношеская спортивная школа", "ДЮСШ"), ("Станция юных натуралистов", "СЮН"),
    ("Станция юных техников", "СЮТ"), ("Детская школа искусств", "ДШИ"), ("Центр детского творчества", "ЦДТ"),
    ("Детско-юношеский центр «Радуга»", "ДЮЦ «Радуга»"), ("Детский технопарк «Кванториум»", "Кванториум"),
)
COLLEGES = ("индустриально-педагогический колледж", "технологический колледж", "колледж сервиса",
            "аграрный колледж", "медицинский колледж", "политехнический колледж")
SUPPORT_NAMES = ("Стратегия", "Доверие", "Гармония", "Содействие", "Развитие")
SCHOOL_TYPES = (  # (title, short, weight in a city, weight in a district)
    ("Средняя общеобразовательная школа", "СОШ", 10, 6),
    ("Основная общеобразовательная школа", "ООШ", 1, 4),
    ("Лицей", "Лицей", 2, 0),
    ("Гимназия", "Гимназия", 2, 0),
    ("Средняя общеобразовательная школа с углублённым изучением отдельных предметов", "СОШ с УИОП", 1, 0),
)
OWNERSHIP = {"МБ": ("Муниципальное бюджетное", 8), "МК": ("Муниципальное казённое", 3),
             "МА": ("Муниципальное автономное", 1)}


@dataclass(frozen=True)
class Municipality:
    oktmo: str
    name: str


@dataclass(frozen=True)
class Organisation:
    """The fields of the registry's OrganisationCreate."""

    name: str
    kind: Kind
    municipality_oktmo: str
    inn: str
    short_name: str | None = None
    ogrn: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None


@dataclass
class Region:
    name: str
    municipalities: list[Municipality] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)


def generate(seed: int = 2026, municipalities: int = 3, per_municipality: int = 20) -> Region:
    """A region of `municipalities` municipalities with exactly `per_municipality` organisations each."""
    if not 0 <= municipalities <= len(PLACES):
        raise ValueError(f"municipalities: from 0 to {len(PLACES)}")
    if per_municipality < 0:
        raise ValueError("per_municipality: not negative")
    region = Region(REGION_NAME)
    taken: tuple[set[str], set[str]] = (set(), set())
    for place in _places(random.Random(seed), municipalities):
        # each municipality draws from its own stream: a bigger region of the same seed keeps the smaller one
        rng = random.Random(f"{seed}:{place.oktmo}")
        region.municipalities.append(municipality(place))
        region.organisations.extend(organisations(rng, Identifiers(rng, *taken), place, per_municipality))
    return region


def _places(rng: random.Random, count: int) -> list[Place]:
    """The regional centre first, then the others in an order drawn by the seed."""
    rest = list(PLACES[1:])
    rng.shuffle(rest)
    return [PLACES[0], *rest][:count]


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


def _of(place: Place) -> str:
    return f"{'городского округа' if place.district is None else 'муниципального района'} «{place.title}»"


def _authority(rng, place: Place, numbers) -> tuple[str, str, str | None]:
    if place.district is None:
        return f"Управление образования администрации {_of(place)}", "Управление образования", None
    return f"Отдел образования администрации {_of(place)}", "Отдел образования", None


def _methodical(rng, place: Place, numbers) -> tuple[str, str, str | None]:
    title, short = rng.choice([("Информационно-методический центр", "ИМЦ"), ("Методический кабинет", "МК"),
                               ("Учебно-методический центр", "УМЦ")])
    return f"Муниципальное казённое учреждение «{title}» {_of(place)}", f"МКУ «{short}»", None


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
    return (f"{owner} учреждение дополнительного образования «{title}» {_of(place)}", f"{key}У ДО «{short}»", None)


def _college(rng, place: Place, numbers) -> tuple[str, str, str | None]:
    title = f"{place.adjective} {numbers.pick('college', COLLEGES)}"
    return (f"Государственное бюджетное профессиональное образовательное учреждение Калужской области «{title}»",
            f"ГБПОУ КО «{title[0]}{''.join(w[0].upper() for w in title.split()[1:])}»", None)


def _support(rng, place: Place, numbers) -> tuple[str, str, str | None]:
    nickname = numbers.pick("ППМС", SUPPORT_NAMES)
    return (f"Муниципальное бюджетное учреждение «Центр психолого-педагогической, медицинской и социальной помощи "
            f"«{nickname}»» {_of(place)}", f"МБУ «ЦППМСП «{nickname}»»", None)


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

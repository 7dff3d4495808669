"""Municipalities of the region (Kaluga-like): real names, OKTMO-like codes, tax offices and telephone codes."""
from __future__ import annotations

from dataclasses import dataclass

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

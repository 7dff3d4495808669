"""The generated region: deterministic, sized as asked, and every row acceptable to the registry."""
from collections import Counter
from dataclasses import asdict

import pytest

from metodset_contracts.organisations import OrganisationKind as Kind
from metodset_registry.domain.identifiers import is_valid_legal_inn, is_valid_ogrn, is_valid_oktmo
from metodset_registry.organisations.schemas import MunicipalityCreate, OrganisationCreate
from metodset_tools.region import PLACES, generate


@pytest.fixture(scope="module")
def region():
    return generate(seed=7, municipalities=len(PLACES), per_municipality=25)


def test_same_seed_same_region_other_seed_other_region():
    assert generate(5, 4, 18) == generate(5, 4, 18)
    assert generate(5, 4, 18).organisations != generate(6, 4, 18).organisations


def test_a_bigger_region_of_the_same_seed_keeps_the_smaller_one():
    small, big = generate(9, 3, 12), generate(9, 5, 12)
    assert big.municipalities[:3] == small.municipalities
    assert big.organisations[:36] == small.organisations[:36]  # then the institute
    own = [p for p in small.persons if not p.key.startswith("institute")]
    assert big.persons[:len(own)] == own


@pytest.mark.parametrize(("municipalities", "per"), [(0, 10), (1, 0), (1, 1), (2, 2), (3, 20), (5, 7)])
def test_sizes_are_as_asked(municipalities, per):
    region = generate(1, municipalities, per)
    assert len(region.municipalities) == municipalities
    by_municipality = Counter(o.municipality_oktmo for o in region.organisations if o.kind != Kind.REGIONAL_INSTITUTE)
    assert len(region.organisations) == municipalities * per + (1 if municipalities else 0)  # and the institute
    assert all(by_municipality[m.oktmo] == per for m in region.municipalities if per)


def test_more_municipalities_than_known_is_refused():
    with pytest.raises(ValueError):
        generate(1, len(PLACES) + 1, 5)
    with pytest.raises(ValueError):
        generate(1, 2, -1)


def test_municipalities_share_the_region_prefix_and_are_valid(region):
    codes = [m.oktmo for m in region.municipalities]
    assert len(set(codes)) == len(codes)
    assert all(is_valid_oktmo(c) and len(c) == 8 and c[:3] in ("296", "297") for c in codes)
    assert region.municipalities[0].name == "городской округ «Город Калуга»"
    assert all(m.name.startswith(("городской округ «", "муниципальный район «")) for m in region.municipalities)
    for m in region.municipalities:
        MunicipalityCreate(oktmo=m.oktmo, name=m.name)


def test_identifiers_are_valid_unique_and_of_the_region(region):
    inns = [o.inn for o in region.organisations]
    ogrns = [o.ogrn for o in region.organisations if o.ogrn]
    assert len(set(inns)) == len(inns) and len(set(ogrns)) == len(ogrns)
    assert all(is_valid_legal_inn(i) and i.startswith("40") for i in inns)
    assert all(is_valid_ogrn(o) and o[0] == "1" and o[3:5] == "40" for o in ogrns)
    assert 0.7 < len(ogrns) / len(inns) < 1  # ОГРН is optional, usually given


def test_every_organisation_passes_the_registrys_validation(region):
    for org in region.organisations:
        checked = OrganisationCreate(**asdict(org))
        assert checked.inn == org.inn and checked.kind == org.kind
        assert checked.model_dump(exclude_none=True)  # a row the batch endpoint accepts


def test_every_municipality_has_its_authority_and_methodical_service(region):
    for m in region.municipalities:
        kinds = Counter(o.kind for o in region.organisations if o.municipality_oktmo == m.oktmo)
        assert kinds[Kind.EDUCATION_AUTHORITY] == 1 and kinds[Kind.METHODICAL_SERVICE] == 1
        assert kinds[Kind.SCHOOL] >= 5 and kinds[Kind.KINDERGARTEN] >= 5
        assert kinds[Kind.SUPPLEMENTARY_EDUCATION] >= 1
        assert kinds[Kind.SCHOOL] + kinds[Kind.KINDERGARTEN] > 3 * kinds[Kind.SUPPLEMENTARY_EDUCATION]


def test_kinds_in_the_region_are_in_realistic_proportions(region):
    kinds = Counter(o.kind for o in region.organisations)
    assert kinds[Kind.SCHOOL] > kinds[Kind.SUPPLEMENTARY_EDUCATION]
    assert kinds[Kind.KINDERGARTEN] > kinds[Kind.SUPPLEMENTARY_EDUCATION]
    assert 0 < kinds[Kind.COLLEGE] < len(region.municipalities)  # occasionally a college
    assert kinds[Kind.OTHER] == 0 and kinds[Kind.REGIONAL_INSTITUTE] == 1


def test_names_look_like_russian_educational_organisations(region):
    names = {o.kind: [] for o in region.organisations}
    for o in region.organisations:
        names[o.kind].append(o.name)
    assert all("общеобразовательное учреждение" in n for n in names[Kind.SCHOOL])
    assert all("дошкольное образовательное учреждение «" in n and "детский сад" in n.lower()
               for n in names[Kind.KINDERGARTEN])
    assert any("Лицей" in n for n in names[Kind.SCHOOL]) and any("Гимназия" in n for n in names[Kind.SCHOOL])
    assert all(n.startswith(("Отдел образования", "Управление образования")) for n in names[Kind.EDUCATION_AUTHORITY])
    shorts = [o.short_name for o in region.organisations]
    assert all(s and len(s) <= 150 for s in shorts)
    assert any(s.startswith("МБОУ «СОШ № ") for s in shorts) and any(s.startswith("МБДОУ «") for s in shorts)


def test_names_are_unique_within_a_municipality_at_a_usual_size():
    region = generate(3, len(PLACES), 22)
    for m in region.municipalities:
        names = [o.name for o in region.organisations if o.municipality_oktmo == m.oktmo]
        assert len(set(names)) == len(names), m


def test_contacts_are_of_the_municipality(region):
    places = {p.oktmo: p for p in PLACES}
    for o in region.organisations:
        place = places[o.municipality_oktmo]
        assert "Калужская область" in o.address and (place.district or place.centre) in o.address
        assert o.phone is None or o.phone.startswith(f"+7 ({place.area_code}) ")
    assert any(o.email for o in region.organisations) and any(o.email is None for o in region.organisations)
    assert any(o.website for o in region.organisations) and any(o.website is None for o in region.organisations)


def test_the_students_count_has_a_report_per_school_for_each_academic_year_of_history():
    from metodset_tools.region.campaigns import YEARS
    from metodset_tools.region.olympiads import school_stages

    region = generate(5, 2, 20)
    schools = {o.inn for o in region.organisations if o.kind == Kind.SCHOOL}
    by_year = {y: {r.inn: r.students_total for r in region.contingent if r.year == y} for y in YEARS}
    assert len(YEARS) >= 2 and all(set(counts) == schools for counts in by_year.values())
    first, last = by_year[YEARS[0]], by_year[YEARS[-1]]
    assert first != last and all(v >= 10 and abs(v - first[inn]) <= 60 for inn, v in last.items())
    # last year's olympiad pupils never share a code with this year's
    now, past = school_stages(region, subjects=("mathematics",)), school_stages(region, 2025, ("mathematics",), 2025)
    assert {r[0] for s in now for r in s.rows}.isdisjoint({r[0] for s in past for r in s.rows})
    assert {s.year for s in past} == {2025}

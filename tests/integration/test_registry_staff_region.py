"""The generated region's staff rows (the template's columns, as people fill them) through the staff import:
clean rows all go in and a second run changes nothing; each way of spoiling a row is reported for that row."""
import dataclasses

import pytest

from metodset_kit.scope import Principal, Role
from metodset_registry.domain.staff_rows import COLUMNS
from metodset_registry.organisations import handlers
from metodset_registry.organisations.schemas import MunicipalityCreate, OrganisationCreate
from metodset_registry.staff import import_ as staff_import
from metodset_tools.region import CAPTIONS, small, spoil, staff_rows
from tests.conftest import migrated_pool, settings_for

pytestmark = pytest.mark.integration
COORDINATOR = Principal("coordinator", Role.REGIONAL_COORDINATOR)
FIELD_OF = dict(COLUMNS)
KEYS = tuple(FIELD_OF[c] for c in CAPTIONS)  # the template's captions, in the generator's order


@pytest.fixture(scope="module")
async def region_pool(infra, namespace):
    pool = await migrated_pool(settings_for(infra, namespace, "registry"), "metodset_registry")
    region = small()
    for m in region.municipalities:
        await handlers.create_municipality(pool, COORDINATOR, MunicipalityCreate(oktmo=m.oktmo, name=m.name))
    await handlers.register_organisations(pool, COORDINATOR, [
        OrganisationCreate(**{k: v for k, v in dataclasses.asdict(o).items() if v is not None})
        for o in region.organisations])
    yield pool, region
    await pool.close()


def as_dicts(rows):
    return [{**dict(zip(KEYS, r, strict=True)), "row": i + 2} for i, r in enumerate(rows)]


async def test_the_region_imports_cleanly_and_again_unchanged(region_pool):
    pool, region = region_pool
    rows = as_dicts(staff_rows(region))
    first = await staff_import.import_staff(pool, COORDINATOR, rows, "ALL_OR_NOTHING")
    assert first.errors == 0, [r for r in first.rows if r.errors][:5]
    assert first.applied and first.created == len(rows)
    again = await staff_import.import_staff(pool, COORDINATOR, rows, "ALL_OR_NOTHING")
    assert again.unchanged == len(rows)


async def test_each_spoiled_row_is_reported(region_pool):
    pool, region = region_pool
    rows, spoiled = spoil(staff_rows(region), 14, seed=3)
    report = await staff_import.import_staff(pool, COORDINATOR, as_dicts(rows), "VALID_ROWS")
    bad = {o.row: o for o in report.rows if o.outcome == "error"}
    for s in spoiled:
        if s.kind == "duplicate_person":  # one of the two rows, whichever comes second
            continue
        assert s.sheet_row in bad, s
        assert FIELD_OF[s.column] in [e["field"] for e in bad[s.sheet_row].errors], (s, bad[s.sheet_row])
    duplicates = [o for o in bad.values() if any("дубликат" in e["message"] for e in o.errors)]
    assert len(duplicates) == sum(1 for s in spoiled if s.kind == "duplicate_person")


async def test_the_export_imports_back_unchanged(region_pool):
    from datetime import date

    from metodset_registry.staff import handlers as staff_handlers
    from metodset_registry.staff.repository import StaffFilter

    pool, region = region_pool
    await staff_import.import_staff(pool, COORDINATOR, as_dicts(staff_rows(region)), "VALID_ROWS")
    oktmo = region.municipalities[0].oktmo
    methodist = Principal("m", Role.MUNICIPAL_METHODIST, municipality=oktmo)
    rows = await staff_handlers.export_staff(pool, methodist, StaffFilter(date.today()))
    assert rows and all(r["snils"] is None or len(r["snils"]) == 11 for r in rows)
    back = await staff_import.import_staff(pool, methodist, rows, "ALL_OR_NOTHING")
    assert back.errors == 0 and back.unchanged == len(rows)
    audited = await pool.fetchval("select count(*) from audit_log where operation = 'staff.export'")
    people = {(r["lastName"], r["firstName"], r["middleName"], r["birthDate"]) for r in rows}
    assert audited == len(people)

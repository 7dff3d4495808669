"""The bank of practices and materials on the events service: Russian full-text search, ranking, filters,
scope, status and dissemination with their topic events, files refused by content and size, download headers."""
import io
import json
import uuid
import zipfile

import pytest

from tests.events_app import KALUGA, OBNINSK, body, events_client, methodical_event, organisation
from tests.registry_app import bearer

pytestmark = pytest.mark.integration
MAX_BYTES = 64 * 1024


@pytest.fixture(scope="module")
async def api(infra, namespace, tmp_path_factory):
    async with events_client(infra, namespace, storage_dir=tmp_path_factory.mktemp("storage"),
                             storage_max_bytes=MAX_BYTES) as http:
        http.kaluga_org = await organisation(http.pool, KALUGA)
        http.obninsk_org = await organisation(http.pool, OBNINSK)
        yield http


@pytest.fixture(scope="module")
def coordinator(infra):
    return bearer(infra)


@pytest.fixture(scope="module")
def kaluga(infra):
    return bearer(infra, "municipal_methodist", municipality=KALUGA)


@pytest.fixture(scope="module")
def obninsk(infra):
    return bearer(infra, "municipal_methodist", municipality=OBNINSK)


async def add(api, headers, title, description="", org=None, **extra):
    body = {"title": title, "description": description, "organisationId": str(org or api.kaluga_org),
            "level": "municipal", **extra}
    r = await api.post("/practices", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def search(api, headers, text=None, **params):
    r = await api.get("/practices", params={**({"search": text} if text else {}), **params}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def outbox(api, practice_id):
    rows = await api.pool.fetch("select event_type, value from outbox where key = $1 order by seq",
                                practice_id)
    return [r["event_type"].split(".")[-2] for r in rows]


async def test_a_word_form_and_its_kin_are_found_and_exact_forms_rank_first(api, coordinator, infra):
    kin = await add(api, coordinator, "Школа молодого педагога", "Сопровождение молодого специалиста опытным "
                                      "педагогом в роли наставника в течение первого года работы.")
    form = await add(api, coordinator, "Наставничество «учитель — учитель»", "Целевая модель наставничества.")
    physics = await add(api, coordinator, "Цифровая лаборатория на уроках физики", "Проектная деятельность.")
    found = await search(api, bearer(infra, "analyst"), "наставничество")
    ids = [p["id"] for p in found["items"]]
    assert ids == [form["id"], kin["id"]] and found["totalCount"] == 2
    assert found["items"][0]["rank"] > found["items"][1]["rank"]
    assert "**наставника**" in found["items"][1]["snippet"]
    phrase = await search(api, coordinator, '"целевая модель"')  # websearch syntax as written
    assert [p["id"] for p in phrase["items"]] == [form["id"]]
    lab = await search(api, coordinator, "Цифровой лабораторией")  # another case of both words, capitals
    assert [p["id"] for p in lab["items"]] == [physics["id"]]
    either = await search(api, coordinator, "наставничество or физика")  # websearch: word forms, no kin
    assert {p["id"] for p in either["items"]} == {form["id"], physics["id"]}
    assert (await search(api, coordinator, "наставничество -учитель"))["totalCount"] == 0


async def test_filters_and_cursor_pages(api, coordinator):
    made = [await add(api, coordinator, f"Формирование функциональной грамотности {i}", "Читательская грамотность",
                      subject="mathematics", level="school") for i in range(5)]
    await add(api, coordinator, "Функциональная грамотность в Обнинске", org=api.obninsk_org, subject="mathematics",
              level="school")
    seen, after = [], None
    while True:
        page = await search(api, coordinator, "функциональная грамотность", subject="mathematics",
                            municipality=KALUGA, limit=2, **({"after": after} if after else {}))
        seen += [p["id"] for p in page["items"]]
        assert page["totalCount"] == 5
        after = page["nextCursor"]
        if after is None:
            break
    assert sorted(seen) == sorted(p["id"] for p in made) and len(seen) == 5
    assert (await search(api, coordinator, subject="mathematics", level="regional"))["totalCount"] == 0
    plain = await search(api, coordinator, subject="mathematics", limit=100)
    titles = [p["title"] for p in plain["items"]]
    assert titles == sorted(titles) and plain["totalCount"] == 6 and plain["items"][0]["rank"] is None
    bad = await api.get("/practices", params={"after": "nonsense"}, headers=coordinator)
    assert bad.status_code == 422


async def test_status_moves_forward_and_dissemination_needs_an_event_with_topic_events(api, kaluga):
    p = await add(api, kaluga, "Лесson study в начальной школе")
    event = await methodical_event(api.pool, api.kaluga_org, KALUGA)
    early = await api.post(f"/practices/{p['id']}/disseminations", json={"eventId": str(event)}, headers=kaluga)
    assert early.status_code == 409 and early.json()["detail"][0]["loc"] == ["body", "eventId"]
    skip = await api.post(f"/practices/{p['id']}/status", json={"status": "summarised"}, headers=kaluga)
    assert skip.status_code == 409 and "изучена" in skip.json()["detail"][0]["msg"]
    for status in ("studied", "summarised"):
        r = await api.post(f"/practices/{p['id']}/status", json={"status": status}, headers=kaluga)
        assert r.status_code == 200 and r.json()["status"] == status
    unknown = await api.post(f"/practices/{p['id']}/disseminations", json={"eventId": str(uuid.uuid4())},
                             headers=kaluga)
    assert unknown.status_code == 422
    done = await api.post(f"/practices/{p['id']}/disseminations", json={"eventId": str(event)}, headers=kaluga)
    assert done.status_code == 200 and done.json()["status"] == "disseminated"
    assert done.json()["eventIds"] == [str(event)] and done.json()["statusTitle"] == "распространена"
    assert await outbox(api, p["id"]) == ["identified", "status_changed", "status_changed", "status_changed",
                                          "disseminated"]
    value = json.loads(await api.pool.fetchval(
        "select value from outbox where key = $1 and event_type like '%disseminated%'", p["id"]))
    assert value["data"]["eventId"] == str(event) and "title" not in value["data"]
    assert (await search(api, kaluga, status="disseminated"))["totalCount"] >= 1


async def test_scope_matrix(api, infra, coordinator, kaluga, obninsk):
    p = await add(api, kaluga, "Практика Калуги")
    cases = [(kaluga, 200), (coordinator, 200), (obninsk, 403),
             (bearer(infra, "organisation_admin", organisation=str(api.kaluga_org)), 403),
             (bearer(infra, "analyst"), 403)]
    for headers, status in cases:
        r = await api.post(f"/practices/{p['id']}/status", json={"status": "studied"}, headers=headers)
        assert r.status_code == status, (headers, r.text)
        if status == 200:  # back to identified for the next caller
            await api.pool.execute("update practices set status = 'identified' where id = $1", uuid.UUID(p["id"]))
    refused = await api.post("/practices", json={"title": "Чужая", "organisationId": str(api.kaluga_org),
                                                 "level": "school"}, headers=obninsk)
    assert refused.status_code == 403
    closed = await organisation(api.pool, KALUGA, active=False)
    gone = await api.post("/practices", json={"title": "x", "organisationId": str(closed), "level": "school"},
                          headers=coordinator)
    assert gone.status_code == 422 and gone.json()["detail"][0]["loc"] == ["body", "organisationId"]
    for headers in (obninsk, bearer(infra, "organisation_admin", organisation=str(api.obninsk_org))):
        assert (await api.get(f"/practices/{p['id']}", headers=headers)).status_code == 200
    assert (await api.get(f"/practices/{p['id']}")).status_code == 401
    assert (await api.get(f"/practices/{uuid.uuid4()}", headers=kaluga)).status_code == 404


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


async def upload(api, headers, owner, owner_id, data, name="material.pdf", title="Материал"):
    return await api.post("/materials/files", headers=headers, data={"owner": owner, "ownerId": str(owner_id),
                                                                     "title": title},
                          files={"file": (name, data, "application/pdf")})


async def test_files_are_checked_by_content_and_size_and_downloaded_as_attachments(api, kaluga, infra):
    p = await add(api, kaluga, "Практика с материалами")
    html = await upload(api, kaluga, "practice", p["id"], b"<html><script>alert(1)</script></html>", "plan.pdf")
    assert html.status_code == 422 and html.json()["detail"][0]["type"] == "file_type"
    big = await upload(api, kaluga, "practice", p["id"], b"%PDF-1.7" + b"0" * MAX_BYTES)
    assert big.status_code == 413
    untitled = await upload(api, kaluga, "practice", p["id"], docx(), title="   ")
    assert untitled.status_code == 422 and untitled.json()["detail"][0]["loc"] == ["body", "title"]
    ok = await upload(api, kaluga, "practice", p["id"], docx(), "Конспект урока.pdf")
    assert ok.status_code == 201, ok.text
    material = ok.json()
    assert (material["fileType"], material["fileName"], material["kind"]) == ("docx", "Конспект урока.docx", "file")
    got = await api.get(material["url"], headers=kaluga)
    assert got.status_code == 200 and got.content == docx()
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
    assert (await api.get(material["url"])).status_code == 404  # a practice's file: authenticated callers only
    card = (await api.get(f"/practices/{p['id']}", headers=bearer(infra, "analyst"))).json()
    assert [m["id"] for m in card["materials"]] == [material["id"]]
    foreign = await upload(api, bearer(infra, "municipal_methodist", municipality=OBNINSK), "practice", p["id"],
                           b"%PDF-1.7")
    assert foreign.status_code == 403


async def test_links_and_materials_of_events_and_bodies(api, kaluga, obninsk, infra):
    event = await methodical_event(api.pool, api.kaluga_org, KALUGA)
    link = await api.post("/materials/links", headers=kaluga, json={
        "owner": "event", "ownerId": str(event), "title": "Запись", "url": "javascript:alert(1)"})
    assert link.status_code == 422
    link = await api.post("/materials/links", headers=kaluga, json={
        "owner": "event", "ownerId": str(event), "title": "Запись", "url": "https://video.example/1"})
    assert link.status_code == 201 and link.json()["kind"] == "link"
    assert (await upload(api, obninsk, "event", event, b"%PDF-1.7")).status_code == 403
    pdf = (await upload(api, kaluga, "event", event, b"%PDF-1.7 programme")).json()
    public = await api.get(pdf["url"])  # an event's materials are public, like the event
    assert public.status_code == 200 and public.content == b"%PDF-1.7 programme"
    listed = await api.get("/materials", params={"owner": "event", "ownerId": str(event)}, headers=obninsk)
    assert [m["kind"] for m in listed.json()] == ["link", "file"]

    school = await body(api.pool, "organisation", organisation_id=api.kaluga_org)
    admin = bearer(infra, "organisation_admin", organisation=str(api.kaluga_org))
    assert (await upload(api, admin, "body", school, b"\x89PNG\r\n\x1a\n...", "photo.png")).status_code == 201
    assert (await upload(api, obninsk, "body", school, b"%PDF-1")).status_code == 403
    municipal = await body(api.pool, "municipal", oktmo=OBNINSK)
    assert (await upload(api, obninsk, "body", municipal, b"%PDF-1")).status_code == 201
    assert (await upload(api, kaluga, "body", municipal, b"%PDF-1")).status_code == 403
    unknown = await upload(api, kaluga, "body", uuid.uuid4(), b"%PDF-1")
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "ownerId"]

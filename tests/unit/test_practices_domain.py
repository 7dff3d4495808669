"""The bank of practices' rules (status moves one step forward; disseminated only with an event) and the
storage's type check by content."""
import io
import uuid
import zipfile

import pytest

from metodset_contracts.practices import PracticeDisseminated, PracticeLevel, PracticeStatus, PracticeStatusChanged
from metodset_events.domain import practices as rules
from metodset_events.domain.practices import Practice, PracticeRuleError
from metodset_events.materials import file_name
from metodset_kit import storage
from metodset_kit.scope import Principal, Role

S = PracticeStatus


def practice(status=S.IDENTIFIED, events=()) -> Practice:
    return Practice(id=uuid.uuid4(), title="Наставничество в школе", organisation_id=uuid.uuid4(),
                    municipality_oktmo="29701000", level=PracticeLevel.MUNICIPAL, status=status,
                    event_ids=tuple(events))


def test_status_moves_one_step_forward_and_names_the_previous():
    p = practice()
    for to in (S.STUDIED, S.SUMMARISED):
        p, fact = rules.change_status(p, to)
        assert isinstance(fact, PracticeStatusChanged) and fact.status is to
    assert p.status is S.SUMMARISED and p.version == 3 and fact.previous_status is S.STUDIED


@pytest.mark.parametrize(("at", "to"), [(S.IDENTIFIED, S.SUMMARISED), (S.STUDIED, S.IDENTIFIED),
                                        (S.IDENTIFIED, S.IDENTIFIED), (S.DISSEMINATED, S.DISSEMINATED),
                                        (S.SUMMARISED, S.STUDIED)])
def test_skipping_or_going_back_is_refused(at, to):
    with pytest.raises(PracticeRuleError) as refused:
        rules.change_status(practice(at, [uuid.uuid4()]), to)
    assert refused.value.code == "transition" and refused.value.field == "status"


def test_disseminated_needs_an_event():
    with pytest.raises(PracticeRuleError) as refused:
        rules.change_status(practice(S.SUMMARISED), S.DISSEMINATED)
    assert refused.value.code == "no_event"
    new, _ = rules.change_status(practice(S.SUMMARISED, [uuid.uuid4()]), S.DISSEMINATED)
    assert new.status is S.DISSEMINATED


def test_a_dissemination_moves_a_summarised_practice_and_adds_events_to_a_disseminated_one():
    first, second = uuid.uuid4(), uuid.uuid4()
    p, facts = rules.disseminate(practice(S.SUMMARISED), first)
    assert p.status is S.DISSEMINATED and [type(f) for f in facts] == [PracticeStatusChanged, PracticeDisseminated]
    p, facts = rules.disseminate(p, second)
    assert p.event_ids == (first, second) and [type(f) for f in facts] == [PracticeDisseminated]
    assert facts[0].event_id == second and p.version == 3
    with pytest.raises(PracticeRuleError, match="уже указано"):
        rules.disseminate(p, first)


@pytest.mark.parametrize("status", [S.IDENTIFIED, S.STUDIED])
def test_a_practice_not_summarised_is_not_disseminated(status):
    with pytest.raises(PracticeRuleError) as refused:
        rules.disseminate(practice(status), uuid.uuid4())
    assert refused.value.field == "eventId"


def test_identify_refuses_a_blank_title_and_twice_the_same_author():
    author = uuid.uuid4()
    with pytest.raises(PracticeRuleError, match="дважды"):
        rules.identify(Practice(**{**practice().__dict__, "author_ids": (author, author)}))
    fact = rules.identify(Practice(**{**practice().__dict__, "author_ids": (author,)}))
    assert fact.author_ids == [author] and fact.status is S.IDENTIFIED


def test_scope_coordinator_all_methodist_own_municipality_others_none():
    assert rules.may_manage(Principal("c", Role.REGIONAL_COORDINATOR), "29701000")
    assert rules.may_manage(Principal("m", Role.MUNICIPAL_METHODIST, municipality="29701000"), "29701000")
    assert not rules.may_manage(Principal("m", Role.MUNICIPAL_METHODIST, municipality="29715000"), "29701000")
    assert not rules.may_manage(Principal("a", Role.ORGANISATION_ADMIN, organisation="x"), "29701000")
    assert not rules.may_manage(Principal("n", Role.ANALYST), "29701000")


def office(folder: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{folder}document.xml", "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(("data", "code"), [
    (b"%PDF-1.7\n...", "pdf"), (b"\x89PNG\r\n\x1a\n....", "png"), (b"\xff\xd8\xff\xe0....", "jpg"),
    (b"\x00\x00\x00\x18ftypmp42....", "mp4"), (office("word/"), "docx"), (office("xl/"), "xlsx"),
    (office("ppt/"), "pptx"),
])
def test_types_are_told_by_content(data, code):
    assert storage.checked(data, 1 << 20).code == code


@pytest.mark.parametrize("data", [b"<html><script>alert(1)</script></html>", b"MZ\x90\x00", b"PK\x03\x04broken",
                                  b"#!/bin/sh\nrm -rf /"])
def test_other_content_is_refused_whatever_its_name(data):
    with pytest.raises(storage.FileRefused) as refused:
        storage.checked(data, 1 << 20)
    assert refused.value.field == "file" and refused.value.code == "file_type"


def test_a_plain_zip_is_not_an_office_file_and_size_is_limited():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("a.txt", "x")
    with pytest.raises(storage.FileRefused):
        storage.checked(out.getvalue(), 1 << 20)
    with pytest.raises(storage.FileTooLarge) as refused:
        storage.checked(b"%PDF-" + b"0" * 2000, 1024)
    assert refused.value.status_code == 413


def test_download_name_takes_the_real_types_extension():
    assert file_name("C:\\docs\\Отчёт.html", storage.PDF, "a" * 64) == "Отчёт.pdf"
    assert file_name(None, storage.PNG, "ab" * 32) == "abababababab.png"


async def test_local_storage_is_content_addressed(tmp_path):
    kept = storage.LocalStorage(tmp_path)
    key = await kept.put(b"%PDF-1")
    assert key == storage.digest(b"%PDF-1") and await kept.put(b"%PDF-1") == key
    assert await kept.get(key) == b"%PDF-1" and await kept.get("0" * 64) is None
    with pytest.raises(ValueError):
        await kept.get("../etc/passwd")


def test_plain_words_ask_for_the_stem_or_the_roots_prefix_and_websearch_goes_as_written():
    from metodset_events.domain.search import text_query

    assert text_query("  ") is None and text_query(None) is None
    plain = text_query("Наставничество  в школе")
    assert (plain.text, plain.websearch) == ("(наставничество | наставн:*) & в & школе", False)
    assert "to_tsquery" in plain.sql and "websearch" not in plain.sql
    for written in ('"целевая модель"', "наставничество -школа", "физика or химия", "a & b | c"):
        found = text_query(written)
        assert found.websearch and found.text == written

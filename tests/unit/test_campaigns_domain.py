"""Campaign forms, their validation, the submission's status machine, completeness, reminders, facts, and the
suppression of small groups in needs surveys: pure, no database."""
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from metodset_contracts.campaigns import ApprovalLevel, ReminderReason, SubmissionStatus
from metodset_monitoring.domain import campaigns as c
from metodset_monitoring.domain.forms import FieldType, Form, FormError, FormField, Option, check_values, checked
from metodset_monitoring.domain.surveys import SurveyResponse, aggregate

S = SubmissionStatus
M, R = ApprovalLevel.MUNICIPALITY, ApprovalLevel.REGION
NOW = datetime(2026, 10, 1, tzinfo=UTC)

FORM = Form("contingent", "Контингент обучающихся", (
    FormField("students_total", "Число обучающихся", FieldType.NUMBER, required=True, minimum=Decimal(0),
              maximum=Decimal(5000), integer=True),
    FormField("shift", "Сменность", FieldType.CHOICE, options=(Option("one", "одна"), Option("two", "две"))),
    FormField("profiles", "Профили", FieldType.CHOICE, multiple=True,
              options=(Option("tech", "технологический"), Option("science", "естественнонаучный"))),
    FormField("checked_on", "Дата сверки", FieldType.DATE, earliest=date(2025, 9, 1), latest=date(2026, 8, 31)),
    FormField("note", "Примечание", FieldType.TEXT, max_length=10),
    FormField("order", "Приказ", FieldType.FILE, file_types=("pdf",), max_bytes=1000),
))
CAMPAIGN = c.Campaign(uuid.uuid4(), "contingent_2025", "Контингент 2025/2026", "contingent", "2025/2026",
                      date(2025, 9, 1), date(2026, 10, 10))
SHA = "a" * 64


def _submission(org: bool = True, status=S.DRAFT, campaign=CAMPAIGN) -> c.Submission:
    return c.Submission(uuid.uuid4(), campaign.id, uuid.uuid4() if org else None, "29701000", status)


def test_valid_values_are_cleaned():
    got = check_values(FORM, {"students_total": "1 200".replace(" ", ""), "shift": "two", "profiles": ["tech"],
                              "checked_on": "2025-09-15", "note": " 2 смены ",
                              "order": {"sha256": SHA, "fileType": "pdf", "sizeBytes": 900}}, complete=True)
    assert got.ok, got.problems
    assert got.values["students_total"] == 1200 and got.values["note"] == "2 смены"
    assert got.values["order"]["fileType"] == "pdf"


def test_every_bad_field_is_named_in_russian():
    got = check_values(FORM, {"students_total": 12.5, "shift": "three", "profiles": ["tech", "tech"],
                              "checked_on": "2024-01-01", "note": "очень длинный текст",
                              "order": {"sha256": SHA, "fileType": "docx", "sizeBytes": 10}, "typo": 1}, complete=True)
    by_field = {p.field: p.message for p in got.problems}
    assert set(by_field) == {"students_total", "shift", "profiles", "checked_on", "note", "order", "typo"}
    assert by_field["students_total"] == "Поле «Число обучающихся»: ожидается целое число"
    assert "three" in by_field["shift"] and "раньше 01.09.2025" in by_field["checked_on"]
    assert "docx" in by_field["order"] and "нет поля typo" in by_field["typo"]


def test_ranges_and_required_only_on_submission():
    assert [p.field for p in check_values(FORM, {"students_total": -1}, complete=False).problems] == ["students_total"]
    assert "значение 5001 больше допустимого максимума 5000" in check_values(FORM, {"students_total": 5001},
                                                              complete=False).problems[0].message
    assert check_values(FORM, {}, complete=False).ok
    [missing] = check_values(FORM, {}, complete=True).problems
    assert missing.message == "Поле «Число обучающихся» обязательно"
    assert not check_values(FORM, {"students_total": True}, complete=True).ok
    assert not check_values(FORM, {"shift": ["one", "two"]}, complete=False).ok


def test_a_form_definition_is_checked():
    with pytest.raises(FormError) as e:
        checked(Form("f", "Ф", (FormField("a", "А", FieldType.CHOICE),)))
    assert e.value.field == "fields.0.options"
    with pytest.raises(FormError):
        checked(Form("f", "Ф", (FormField("a", "А", FieldType.NUMBER), FormField("a", "Б", FieldType.TEXT))))
    with pytest.raises(FormError):
        checked(Form("f", "Ф", (FormField("a", "А", FieldType.NUMBER, minimum=Decimal(5), maximum=Decimal(1)),)))


def test_organisation_form_goes_through_municipality_then_region():
    s = c.submit(c.save_draft(_submission(), {"students_total": 10}), {"students_total": 10}, NOW)
    assert s.status is S.SUBMITTED and s.version == 3
    with pytest.raises(c.TransitionError):
        c.approve(CAMPAIGN, s, R)  # the municipality first
    s = c.approve(CAMPAIGN, s, M)
    assert s.status is S.APPROVED_BY_MUNICIPALITY and s.approvals == 0
    s = c.approve(CAMPAIGN, s, R)
    assert s.status is S.APPROVED and s.approvals == 1
    with pytest.raises(c.TransitionError):
        c.save_draft(s, {})


def test_return_needs_a_comment_and_allows_resubmission():
    s = c.submit(_submission(), {"students_total": 10}, NOW)
    with pytest.raises(c.TransitionError) as e:
        c.return_back(CAMPAIGN, s, M, "  ")
    assert e.value.field == "comment"
    s = c.return_back(CAMPAIGN, s, M, "Проверьте число")
    assert (s.status, s.return_comment, s.returned_by) == (S.RETURNED, "Проверьте число", M)
    s = c.submit(s, {"students_total": 11}, NOW)
    assert s.status is S.SUBMITTED


def test_only_the_final_level_returns_an_approved_form():
    s = c.approve(CAMPAIGN, c.approve(CAMPAIGN, c.submit(_submission(), {}, NOW), M), R)
    with pytest.raises(c.TransitionError):
        c.return_back(CAMPAIGN, s, M, "поздно")
    assert c.return_back(CAMPAIGN, s, R, "Ошибка в числе").status is S.RETURNED


def test_municipality_answer_goes_to_region_directly_and_municipal_campaign_ends_in_municipality():
    own = c.submit(_submission(org=False), {}, NOW)
    with pytest.raises(c.TransitionError):
        c.approve(CAMPAIGN, own, M)
    assert c.approve(CAMPAIGN, own, R).status is S.APPROVED
    municipal = c.Campaign(uuid.uuid4(), "m", "М", "contingent", "2025/2026", date(2025, 9, 1), date(2026, 10, 10),
                           owner_oktmo="29701000")
    s = c.submit(_submission(campaign=municipal), {}, NOW)
    assert c.approve(municipal, s, M).status is S.APPROVED
    with pytest.raises(c.TransitionError):
        c.approve(municipal, s, R)


def test_reminders_and_overdue():
    draft = _submission()
    assert c.reminder_reason(CAMPAIGN, draft, date(2026, 10, 1)) is None
    assert c.reminder_reason(CAMPAIGN, draft, date(2026, 10, 7)) is ReminderReason.DEADLINE_APPROACHING
    assert c.reminder_reason(CAMPAIGN, draft, date(2026, 10, 11)) is ReminderReason.OVERDUE
    assert c.overdue(CAMPAIGN, draft, date(2026, 10, 11)) and not c.overdue(CAMPAIGN, draft, date(2026, 10, 10))
    handed_in = c.submit(draft, {}, NOW)
    assert c.reminder_reason(CAMPAIGN, handed_in, date(2026, 10, 11)) is None


def test_completeness_per_municipality_with_total():
    subs = [_submission(status=S.DRAFT), _submission(status=S.SUBMITTED), _submission(status=S.APPROVED),
            c.Submission(uuid.uuid4(), CAMPAIGN.id, uuid.uuid4(), "29715000", S.RETURNED)]
    kaluga, obninsk, total = c.completeness(CAMPAIGN, subs, date(2026, 10, 11))
    assert (kaluga.assigned, kaluga.submitted, kaluga.approved, kaluga.overdue) == (3, 2, 1, 1)
    assert (obninsk.returned, obninsk.overdue, obninsk.submitted_share) == (1, 1, 0.0)
    assert (total.municipality_oktmo, total.assigned, total.submitted, total.approved) == ("", 4, 2, 1)


def test_facts_of_an_approved_submission():
    s = c.Submission(uuid.uuid4(), CAMPAIGN.id, uuid.uuid4(), "29701000", S.APPROVED,
                     {"students_total": 420, "shift": "one", "profiles": ["science", "tech"], "note": "x"}, approvals=2)
    facts = {f.record_id: f for f in c.facts_of(CAMPAIGN, FORM, s)}
    prefix = f"{CAMPAIGN.id}:{s.organisation_id}:"
    assert set(facts) == {prefix + "students_total", prefix + "shift", prefix + "profiles:science",
                          prefix + "profiles:tech"}
    total = facts[prefix + "students_total"]
    assert (total.value, total.version, total.valid_from) == (420.0, 2, date(2025, 9, 1))
    assert total.attrs == {"campaign": "contingent_2025", "form": "contingent", "field": "students_total",
                           "period": "2025/2026"}
    assert facts[prefix + "shift"].attrs["choice"] == "one" and facts[prefix + "shift"].value == 1.0
    assert c.facts_of(CAMPAIGN, FORM, c.Submission(uuid.uuid4(), CAMPAIGN.id, None, "1", S.SUBMITTED, {})) == []


SURVEY = Form("needs", "Потребности", (
    FormField("topic", "Тема", FieldType.CHOICE, options=(Option("fgos", "ФГОС"), Option("ai", "ИИ"))),
    FormField("hours", "Часов", FieldType.NUMBER),
    FormField("comment", "Комментарий", FieldType.TEXT),
))


def _responses(oktmo: str, org: uuid.UUID, n: int, hours: int = 10) -> list[SurveyResponse]:
    return [SurveyResponse(org, oktmo, {"topic": "ai" if i % 2 else "fgos", "hours": hours, "comment": "Иванов"})
            for i in range(n)]


def test_groups_below_the_minimum_size_are_suppressed():
    big, small = uuid.uuid4(), uuid.uuid4()
    groups = aggregate(SURVEY, _responses("29701000", big, 6) + _responses("29715000", small, 2, hours=40))
    by_key = {g.key: g for g in groups}
    assert by_key["region"].responses == 8 and not by_key["region"].suppressed
    assert by_key["29715000"].suppressed and by_key["29715000"].responses is None and by_key["29715000"].fields == []
    assert by_key[str(small)].suppressed
    # the only other municipality is suppressed too, or region minus Kaluga would reveal Obninsk
    assert by_key["29701000"].suppressed
    assert by_key[str(big)].suppressed  # and its school, which alone makes up Kaluga
    hours = next(f for f in by_key["region"].fields if f.field == "hours")
    assert hours.mean == 17.5 and hours.answered == 8
    topic = next(f for f in by_key["region"].fields if f.field == "topic")
    assert topic.options == {"fgos": 4, "ai": 4}
    assert "Иванов" not in repr(groups)


def test_shown_groups_and_a_configurable_minimum():
    a, b = uuid.uuid4(), uuid.uuid4()
    groups = aggregate(SURVEY, _responses("29701000", a, 5) + _responses("29701000", b, 5), min_group=5)
    assert not any(g.suppressed for g in groups)
    assert all(g.suppressed for g in aggregate(SURVEY, _responses("29701000", a, 5), min_group=6))


async def test_a_role_without_a_campaign_rule_reads_no_campaign():
    from metodset_kit.errors import NotFound
    from metodset_kit.scope import Principal
    from metodset_monitoring import campaigns as handlers

    stranger = Principal("p", "pedagogue")  # a role the campaign rules do not place: nothing, as if missing
    assert await handlers.listing(None, stranger, None, 10, None) == ([], 0, False)
    with pytest.raises(NotFound):
        await handlers._campaign(None, stranger, uuid.uuid4())

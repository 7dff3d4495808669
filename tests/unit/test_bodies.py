"""Pure rules of methodical bodies: kinds, levels and owners, terms, members, compositions, access."""
import uuid
from datetime import date

import pytest

from metodset_contracts.bodies import BodyLevel, MemberRole
from metodset_kit.scope import Principal, Role
from metodset_registry.domain import bodies
from metodset_registry.domain.bodies import Body, BodyConflict, Composition, Membership
from metodset_registry.domain.periods import Period, PeriodError

D = date.fromisoformat
TODAY = D("2026-11-29")
KALUGA, OBNINSK = "29701000", "29715000"
SCHOOL = uuid.uuid4()


def _body(kind="municipal_methodical_council", level=BodyLevel.MUNICIPAL, **kw) -> Body:
    owner = {BodyLevel.MUNICIPAL: {"municipality_oktmo": KALUGA}, BodyLevel.ORGANISATION: {"organisation_id": SCHOOL},
             BodyLevel.REGIONAL: {}}[level]
    return Body(id=uuid.uuid4(), name="Совет", kind=kind, level=level,
                **{"created_on": D("2025-09-01"), **owner, **kw})


def _error(call, *args) -> PeriodError:
    with pytest.raises(PeriodError) as caught:
        call(*args)
    return caught.value


def test_every_catalogue_kind_has_a_known_group_and_level():
    found = bodies.kinds()
    assert {k.group for k in found.values()} == {"council", "association", "community", "temporary"}
    assert {k.level for k in found.values()} <= {"regional", "municipal", "organisation", "any"}
    assert found["school_association"].subject and not found["school_methodical_council"].subject


def test_a_fixed_level_is_taken_from_the_kind_and_a_different_one_refused():
    kind = bodies.kind_of("school_association")
    assert bodies.level_for(kind, None) is BodyLevel.ORGANISATION
    assert _error(bodies.level_for, kind, BodyLevel.MUNICIPAL).field == "level"
    community = bodies.kind_of("professional_community")
    assert _error(bodies.level_for, community, None).field == "level"
    assert bodies.level_for(community, BodyLevel.REGIONAL) is BodyLevel.REGIONAL


def test_unknown_kind_names_the_kind():
    assert _error(bodies.kind_of, "book_club").field == "kind"


@pytest.mark.parametrize(("level", "oktmo", "org", "field"), [
    (BodyLevel.ORGANISATION, None, None, "organisationId"),  # a school body belongs to an organisation
    (BodyLevel.ORGANISATION, KALUGA, SCHOOL, "municipalityOktmo"),
    (BodyLevel.MUNICIPAL, None, None, "municipalityOktmo"),  # a municipal one to a municipality
    (BodyLevel.MUNICIPAL, KALUGA, SCHOOL, "organisationId"),
    (BodyLevel.REGIONAL, KALUGA, None, "municipalityOktmo"),
    (BodyLevel.REGIONAL, None, SCHOOL, "organisationId"),
])
def test_the_owner_matches_the_level(level, oktmo, org, field):
    assert _error(bodies.check_owner, level, oktmo, org).field == field


def test_owners_that_match_pass():
    bodies.check_owner(BodyLevel.REGIONAL, None, None)
    bodies.check_owner(BodyLevel.MUNICIPAL, KALUGA, None)
    bodies.check_owner(BodyLevel.ORGANISATION, None, SCHOOL)


def test_subject_is_required_for_subject_kinds_checked_against_the_catalogue_and_refused_for_councils():
    body = _body("municipal_association")
    assert _error(bodies.create, body, TODAY).field == "subject"
    assert _error(bodies.create, _body("municipal_association", subject="alchemy"), TODAY).field == "subject"
    assert _error(bodies.create, _body(subject="mathematics"), TODAY).field == "subject"
    event = bodies.create(_body("municipal_association", subject="mathematics"), TODAY)
    assert event.subject == "mathematics" and event.kind == "municipal_association"


def test_a_temporary_group_needs_a_goal_and_a_term_ending_after_it_starts():
    kind, level = "working_group", BodyLevel.ORGANISATION
    assert _error(bodies.create, _body(kind, level), TODAY).field == "goal"
    assert _error(bodies.create, _body(kind, level, goal="ФГ"), TODAY).field == "termStart"
    assert _error(bodies.create, _body(kind, level, goal="ФГ", term_start=D("2025-09-01")), TODAY).field == "termEnd"
    late = _body(kind, level, goal="ФГ", term_start=D("2026-09-01"), term_end=D("2026-08-31"))
    assert _error(bodies.create, late, TODAY).field == "termEnd"
    event = bodies.create(_body(kind, level, goal="ФГ", term_start=D("2025-09-01"), term_end=D("2026-05-31")),
                          TODAY)
    assert (event.term_start, event.term_end) == (D("2025-09-01"), D("2026-05-31"))


def test_a_body_is_not_created_in_the_future():
    assert _error(bodies.create, _body(created_on=D("2026-11-30")), TODAY).field == "createdOn"


def _member(body: Body, role=MemberRole.MEMBER, start="2025-09-01", end=None, person=None) -> Membership:
    return Membership(id=uuid.uuid4(), body_id=body.id, person_id=person or uuid.uuid4(), role=role,
                      period=Period(D(start), end and D(end)))


def test_one_chair_at_a_time_but_a_new_chair_after_the_old_one_left():
    body = _body()
    chair = _member(body, MemberRole.CHAIR, end="2025-12-31")
    with pytest.raises(BodyConflict) as caught:
        bodies.join(body, _member(body, MemberRole.CHAIR, start="2025-12-31"), [chair])
    assert caught.value.field == "role"
    event = bodies.join(body, _member(body, MemberRole.CHAIR, start="2026-01-01"), [chair])
    assert event.role is MemberRole.CHAIR and event.valid_from == D("2026-01-01")
    bodies.join(body, _member(body, MemberRole.DEPUTY), [chair])  # deputies are not chairs


def test_a_person_does_not_join_twice_over_overlapping_dates():
    body, person = _body(), uuid.uuid4()
    first = _member(body, start="2025-09-01", end="2026-01-31", person=person)
    with pytest.raises(BodyConflict) as caught:
        bodies.join(body, _member(body, MemberRole.SECRETARY, start="2026-01-31", person=person), [first])
    assert caught.value.field == "personId"
    bodies.join(body, _member(body, MemberRole.SECRETARY, start="2026-02-01", person=person), [first])


def test_membership_dates_fit_the_body():
    body = _body()
    assert _error(bodies.join, body, _member(body, start="2025-08-31"), []).field == "from"
    assert _error(bodies.join, body, _member(body, start="2025-10-01", end="2025-09-30"), []).field == "to"
    closed = _body(closed_on=D("2026-01-01"))
    with pytest.raises(BodyConflict):
        bodies.join(closed, _member(closed), [])


def test_leaving_keeps_the_start_and_cuts_the_period():
    body = _body()
    member = _member(body)
    left, event = bodies.leave(member, D("2026-06-30"))
    assert left.period == Period(D("2025-09-01"), D("2026-06-30")) and event.valid_to == D("2026-06-30")
    assert _error(bodies.leave, member, D("2025-08-01")).field == "to"


def test_closing_ends_the_open_memberships_on_the_last_day():
    body = _body()
    stays, gone = _member(body), _member(body, end="2025-10-31")
    new, event, left = bodies.close(body, D("2026-06-30"), TODAY, [stays, gone])
    assert new.closed_on == event.closed_on == D("2026-06-30") and not new.active
    assert [(m.id, m.period.end) for m, _ in left] == [(stays.id, D("2026-06-30"))]
    assert _error(bodies.close, body, D("2025-08-31"), TODAY, []).field == "closedOn"
    assert _error(bodies.close, body, D("2026-12-01"), TODAY, []).field == "closedOn"
    with pytest.raises(BodyConflict):
        bodies.close(new, D("2026-07-01"), TODAY, [])


def _composition(body, order_date, members=(), year="2025/2026") -> Composition:
    return Composition(id=uuid.uuid4(), body_id=body.id, order_number="1-п", order_date=D(order_date),
                       academic_year=year, members=tuple(members))


def test_the_composition_in_force_is_the_latest_approved_on_or_before_the_day():
    body = _body()
    first, second = _composition(body, "2025-09-05"), _composition(body, "2026-09-03", year="2026/2027")
    assert bodies.approved_on([first, second], D("2025-09-04")) is None
    assert bodies.approved_on([first, second], D("2025-09-05")) is first
    assert bodies.approved_on([second, first], D("2026-09-02")) is first
    assert bodies.approved_on([first, second], D("2026-09-03")) is second


def test_a_composition_has_a_real_academic_year_one_chair_and_each_person_once():
    body, person = _body(), uuid.uuid4()
    assert _error(bodies.approve, body, _composition(body, "2025-09-05", year="2025/2027"), TODAY).field \
        == "academicYear"
    assert _error(bodies.approve, body, _composition(body, "2025-08-01"), TODAY).field == "orderDate"
    twice = [bodies.ApprovedMember(person_id=person, role=MemberRole.MEMBER)] * 2
    assert _error(bodies.approve, body, _composition(body, "2025-09-05", twice), TODAY).field == "members"
    chairs = [bodies.ApprovedMember(person_id=uuid.uuid4(), role=MemberRole.CHAIR) for _ in range(2)]
    assert _error(bodies.approve, body, _composition(body, "2025-09-05", chairs), TODAY).field == "members"


def test_composition_of_the_day_lists_the_members_taking_part_chair_first():
    body = _body()
    member, chair = _member(body), _member(body, MemberRole.CHAIR)
    gone = _member(body, end="2025-09-30")
    listed = bodies.composition_of([member, chair, gone], D("2025-10-01"))
    assert [(m.person_id, m.role) for m in listed] == [(chair.person_id, MemberRole.CHAIR),
                                                       (member.person_id, MemberRole.MEMBER)]


def test_who_manages_a_body():
    coordinator = Principal("c", Role.REGIONAL_COORDINATOR)
    kaluga = Principal("m", Role.MUNICIPAL_METHODIST, municipality=KALUGA)
    obninsk = Principal("o", Role.MUNICIPAL_METHODIST, municipality=OBNINSK)
    admin = Principal("a", Role.ORGANISATION_ADMIN, organisation=str(SCHOOL))
    other_admin = Principal("b", Role.ORGANISATION_ADMIN, organisation=str(uuid.uuid4()))
    analyst = Principal("x", Role.ANALYST)
    regional = _body("regional_coordination_council", BodyLevel.REGIONAL)
    municipal = _body()
    school = _body("school_methodical_council", BodyLevel.ORGANISATION)

    def managers(body):
        return {p.subject for p in (coordinator, kaluga, obninsk, admin, other_admin, analyst)
                if bodies.may_manage(p, body, KALUGA)}

    assert managers(regional) == {"c"}
    assert managers(municipal) == {"c", "m"}
    assert managers(school) == {"c", "m", "a"}


def test_a_region_own_kind_and_subject_from_its_catalogues():
    own = bodies.Catalogues({**bodies.reference().kinds,
                             "tutor_council": bodies.kind_from("tutor_council", "совет тьюторов", {}),
                             "olympiad_team": bodies.kind_from("olympiad_team", "олимпиадная команда",
                                                               {"group": "association", "level": "municipal",
                                                                "subject": True})},
                            {**bodies.reference().subjects, "robotics": "робототехника"})
    assert _error(bodies.create, _body("tutor_council"), TODAY).field == "kind"  # not in the reference
    bodies.create(_body("tutor_council"), TODAY, own)  # a community of any level
    team = _body("olympiad_team", subject="robotics")
    assert _error(bodies.create, team, TODAY).field == "kind"
    assert bodies.create(team, TODAY, own).subject == "robotics"
    with pytest.raises(PeriodError):
        bodies.create(_body("olympiad_team"), TODAY, own)  # its subject is required


def test_an_academic_year_is_written_in_full():
    assert [bodies.academic_year(y) for y in ("2026/2027", "2026/27", "2026-2027", " 2099/00 ")] == \
        ["2026/2027", "2026/2027", "2026/2027", "2099/2100"]
    for bad in ("2026/2028", "2026", "26/27", "2026/26"):
        assert _error(bodies.academic_year, bad).field == "academicYear"


def test_a_sheet_row_takes_russian_dates_and_role_titles():
    from metodset_registry.bodies.schemas import BodyImportRow

    row = BodyImportRow.model_validate({"name": " ШМО ", "kind": "кафедра", "created_on": "01.09.2025",
                                        "snils": "11223344595", "role": "Заместитель  председателя",
                                        "from": "2025-09-02", "to": "", "unknown column": 1})
    assert (row.name, row.created_on, row.role, row.from_, row.to) == \
        ("ШМО", D("2025-09-01"), MemberRole.DEPUTY, D("2025-09-02"), None)
    with pytest.raises(ValueError, match="роль"):
        BodyImportRow.model_validate({"name": "ШМО", "kind": "кафедра", "snils": "11223344595"})
    with pytest.raises(ValueError):
        BodyImportRow.model_validate({"name": "ШМО", "kind": "кафедра", "created_on": "31.02.2025"})

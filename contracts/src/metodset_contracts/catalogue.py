"""Every published event type with its topic: the single source for schemas and the AsyncAPI document."""
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Annotated, Literal, Union

from pydantic import Field, TypeAdapter, create_model

from .base import EventData
from .bodies import BodyClosed, BodyCreated, CompositionApproved, MemberJoined, MemberLeft
from .campaigns import (
    CampaignOpened,
    FormSubmitted,
    ReminderDue,
    SubmissionApproved,
    SubmissionReturned,
)
from .competitions import CompetitionEntryAccepted, CompetitionEntryAdvanced, CompetitionResultPublished
from .courses import CategoryAwarded, CourseCompleted
from .envelope import CloudEvent
from .growth import DeficitsDiagnosed, RouteClosed, RouteItemCompleted, RouteOpened
from .indicators import IndicatorThresholdCrossed, IndicatorValueChanged
from .mentoring import MentoringEnded, MentoringStarted
from .methodical_events import (
    CompletedWithHours,
    EventCancelled,
    EventChanged,
    EventScheduled,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationWaitlisted,
    SessionAttended,
)
from .olympiads import OlympiadAdmitted, OlympiadAppealResolved, OlympiadProtocolPublished, OlympiadStageOpened
from .organisations import (
    MunicipalityRegistered,
    OrganisationClosed,
    OrganisationFlagCleared,
    OrganisationFlagSet,
    OrganisationRegistered,
    OrganisationReorganised,
    OrganisationSiteStatusEnded,
    OrganisationSiteStatusGranted,
    OrganisationUpdated,
)
from .plans import PlanApproved, PlanItemStatusChanged
from .practices import PracticeDisseminated, PracticeIdentified, PracticeStatusChanged
from .recommendations import (
    RecommendationAssigned,
    RecommendationCancelled,
    RecommendationClosed,
    RecommendationRaised,
    RecommendationUpdated,
    SupportCaseClosed,
    SupportCaseOpened,
)
from .requests import RequestAssigned, RequestClosed, RequestConsulted, RequestDeclared
from .staff import EmploymentChanged, EmploymentEnded, EmploymentStarted, PersonRegistered, PersonUpdated

TYPE_PREFIX = "ru.metodset"


@dataclass(frozen=True)
class EventType:
    name: str  # e.g. "registry.organisation.registered"
    major: int
    topic: str
    model: type[EventData]
    title: str

    @cached_property  # read for every event sent and received
    def type(self) -> str:
        return f"{TYPE_PREFIX}.{self.name}.v{self.major}"

    @cached_property
    def dataschema(self) -> str:
        return f"urn:metodset:schema:{self.name}:v{self.major}"


ORGANISATIONS_TOPIC = "registry.organisations.v1"
BODIES_TOPIC = "registry.bodies.v1"
STAFF_TOPIC = "registry.staff.v1"
MENTORING_TOPIC = "registry.mentoring.v1"
METHODICAL_EVENTS_TOPIC = "events.methodical.v1"
PLANS_TOPIC = "events.plans.v1"
REQUESTS_TOPIC = "events.requests.v1"
PRACTICES_TOPIC = "events.practices.v1"
COMPETITIONS_TOPIC = "events.competitions.v1"
CAMPAIGNS_TOPIC = "monitoring.campaigns.v1"
OLYMPIADS_TOPIC = "events.olympiads.v1"
INDICATORS_TOPIC = "monitoring.indicators.v1"
RECOMMENDATIONS_TOPIC = "monitoring.recommendations.v1"

EVENT_TYPES: tuple[EventType, ...] = (
    EventType("registry.organisation.registered", 1, ORGANISATIONS_TOPIC, OrganisationRegistered,
              "Организация зарегистрирована"),
    EventType("registry.organisation.updated", 1, ORGANISATIONS_TOPIC, OrganisationUpdated,
              "Сведения об организации изменены"),
    EventType("registry.organisation.closed", 1, ORGANISATIONS_TOPIC, OrganisationClosed,
              "Организация закрыта"),
    EventType("registry.organisation.reorganised", 1, ORGANISATIONS_TOPIC, OrganisationReorganised,
              "Организация реорганизована"),
    EventType("registry.organisation.flag_set", 1, ORGANISATIONS_TOPIC, OrganisationFlagSet,
              "Организации установлен признак"),
    EventType("registry.organisation.flag_cleared", 1, ORGANISATIONS_TOPIC, OrganisationFlagCleared,
              "С организации снят признак"),
    EventType("registry.organisation.site_status_granted", 1, ORGANISATIONS_TOPIC, OrganisationSiteStatusGranted,
              "Организации присвоен статус площадки"),
    EventType("registry.organisation.site_status_ended", 1, ORGANISATIONS_TOPIC, OrganisationSiteStatusEnded,
              "Статус площадки прекращён"),
    EventType("registry.municipality.registered", 1, ORGANISATIONS_TOPIC, MunicipalityRegistered,
              "Муниципалитет внесён в реестр"),
    EventType("registry.body.created", 1, BODIES_TOPIC, BodyCreated, "Методическое объединение создано"),
    EventType("registry.body.closed", 1, BODIES_TOPIC, BodyClosed, "Методическое объединение закрыто"),
    EventType("registry.body.member_joined", 1, BODIES_TOPIC, MemberJoined, "Педагог включён в состав объединения"),
    EventType("registry.body.member_left", 1, BODIES_TOPIC, MemberLeft, "Педагог выведен из состава объединения"),
    EventType("registry.body.composition_approved", 1, BODIES_TOPIC, CompositionApproved,
              "Состав объединения утверждён приказом"),
    EventType("registry.person.registered", 1, STAFF_TOPIC, PersonRegistered, "Работник зарегистрирован"),
    EventType("registry.person.updated", 1, STAFF_TOPIC, PersonUpdated, "Сведения о работнике изменены"),
    EventType("registry.employment.started", 1, STAFF_TOPIC, EmploymentStarted, "Работник принят на работу"),
    EventType("registry.employment.changed", 1, STAFF_TOPIC, EmploymentChanged, "Работник переведён"),
    EventType("registry.employment.ended", 1, STAFF_TOPIC, EmploymentEnded, "Работник уволен"),
    EventType("registry.mentoring.started", 1, MENTORING_TOPIC, MentoringStarted, "Наставничество начато"),
    EventType("registry.mentoring.ended", 1, MENTORING_TOPIC, MentoringEnded, "Наставничество завершено"),
    EventType("registry.course.completed", 1, STAFF_TOPIC, CourseCompleted, "Работник прошёл курсы"),
    EventType("registry.category.awarded", 1, STAFF_TOPIC, CategoryAwarded, "Присвоена квалификационная категория"),
    EventType("registry.deficits.diagnosed", 1, STAFF_TOPIC, DeficitsDiagnosed, "Выявлены профессиональные дефициты"),
    EventType("registry.route.opened", 1, STAFF_TOPIC, RouteOpened, "Открыт индивидуальный маршрут"),
    EventType("registry.route.item_completed", 1, STAFF_TOPIC, RouteItemCompleted, "Пункт маршрута выполнен"),
    EventType("registry.route.closed", 1, STAFF_TOPIC, RouteClosed, "Индивидуальный маршрут закрыт"),
    EventType("events.event.scheduled", 1, METHODICAL_EVENTS_TOPIC, EventScheduled, "Мероприятие запланировано"),
    EventType("events.event.changed", 1, METHODICAL_EVENTS_TOPIC, EventChanged, "Мероприятие изменено"),
    EventType("events.event.cancelled", 1, METHODICAL_EVENTS_TOPIC, EventCancelled, "Мероприятие отменено"),
    EventType("events.registration.confirmed", 1, METHODICAL_EVENTS_TOPIC, RegistrationConfirmed,
              "Участие в мероприятии подтверждено"),
    EventType("events.registration.waitlisted", 1, METHODICAL_EVENTS_TOPIC, RegistrationWaitlisted,
              "Участник в листе ожидания"),
    EventType("events.registration.cancelled", 1, METHODICAL_EVENTS_TOPIC, RegistrationCancelled,
              "Регистрация на мероприятие отменена"),
    EventType("events.session.attended", 1, METHODICAL_EVENTS_TOPIC, SessionAttended,
              "Участник присутствовал на занятии"),
    EventType("events.participation.completed", 1, METHODICAL_EVENTS_TOPIC, CompletedWithHours,
              "Участник выполнил правило посещаемости, часы зачтены"),
    EventType("events.plan.approved", 1, PLANS_TOPIC, PlanApproved, "Годовой план работы утверждён"),
    EventType("events.plan.item_status_changed", 1, PLANS_TOPIC, PlanItemStatusChanged,
              "Изменился статус пункта годового плана"),
    EventType("events.request.declared", 1, REQUESTS_TOPIC, RequestDeclared, "Организация заявила проблему"),
    EventType("events.request.assigned", 1, REQUESTS_TOPIC, RequestAssigned, "По запросу назначен методист"),
    EventType("events.request.consulted", 1, REQUESTS_TOPIC, RequestConsulted, "По запросу проведена консультация"),
    EventType("events.request.closed", 1, REQUESTS_TOPIC, RequestClosed, "Запрос закрыт"),
    EventType("events.practice.identified", 1, PRACTICES_TOPIC, PracticeIdentified, "Практика выявлена"),
    EventType("events.practice.status_changed", 1, PRACTICES_TOPIC, PracticeStatusChanged,
              "Состояние практики изменено"),
    EventType("events.practice.disseminated", 1, PRACTICES_TOPIC, PracticeDisseminated,
              "Практика распространена на мероприятии"),
    EventType("events.competition.entry_accepted", 1, COMPETITIONS_TOPIC, CompetitionEntryAccepted,
              "Заявка принята на этап конкурса"),
    EventType("events.competition.result_published", 1, COMPETITIONS_TOPIC, CompetitionResultPublished,
              "Итоги этапа конкурса опубликованы"),
    EventType("events.competition.entry_advanced", 1, COMPETITIONS_TOPIC, CompetitionEntryAdvanced,
              "Участник конкурса выдвинут на следующий этап"),
    EventType("monitoring.campaign.opened", 1, CAMPAIGNS_TOPIC, CampaignOpened, "Кампания сбора данных открыта"),
    EventType("monitoring.campaign.form_submitted", 1, CAMPAIGNS_TOPIC, FormSubmitted, "Форма кампании представлена"),
    EventType("monitoring.campaign.submission_approved", 1, CAMPAIGNS_TOPIC, SubmissionApproved,
              "Форма кампании согласована"),
    EventType("monitoring.campaign.submission_returned", 1, CAMPAIGNS_TOPIC, SubmissionReturned,
              "Форма кампании возвращена на доработку"),
    EventType("monitoring.campaign.reminder_due", 1, CAMPAIGNS_TOPIC, ReminderDue,
              "Напоминание о форме кампании"),
    EventType("events.olympiad.stage_opened", 1, OLYMPIADS_TOPIC, OlympiadStageOpened, "Этап олимпиады открыт"),
    EventType("events.olympiad.protocol_published", 1, OLYMPIADS_TOPIC, OlympiadProtocolPublished,
              "Протокол этапа олимпиады опубликован"),
    EventType("events.olympiad.appeal_resolved", 1, OLYMPIADS_TOPIC, OlympiadAppealResolved,
              "Апелляция участника олимпиады рассмотрена"),
    EventType("events.olympiad.admitted", 1, OLYMPIADS_TOPIC, OlympiadAdmitted,
              "Участник допущен к следующему этапу олимпиады"),
    EventType("monitoring.indicator.value_changed", 1, INDICATORS_TOPIC, IndicatorValueChanged,
              "Значение показателя изменилось"),
    EventType("monitoring.indicator.threshold_crossed", 1, INDICATORS_TOPIC, IndicatorThresholdCrossed,
              "Значение показателя пересекло пороговое"),
    EventType("monitoring.recommendation.raised", 1, RECOMMENDATIONS_TOPIC, RecommendationRaised,
              "Сформирована адресная рекомендация"),
    EventType("monitoring.recommendation.assigned", 1, RECOMMENDATIONS_TOPIC, RecommendationAssigned,
              "Рекомендации назначен исполнитель"),
    EventType("monitoring.recommendation.updated", 1, RECOMMENDATIONS_TOPIC, RecommendationUpdated,
              "Рекомендация изменена"),
    EventType("monitoring.recommendation.closed", 1, RECOMMENDATIONS_TOPIC, RecommendationClosed,
              "Рекомендация выполнена"),
    EventType("monitoring.recommendation.cancelled", 1, RECOMMENDATIONS_TOPIC, RecommendationCancelled,
              "Рекомендация отменена"),
    EventType("monitoring.support_case.opened", 1, RECOMMENDATIONS_TOPIC, SupportCaseOpened,
              "Открыто сопровождение школы с низкими результатами"),
    EventType("monitoring.support_case.closed", 1, RECOMMENDATIONS_TOPIC, SupportCaseClosed,
              "Сопровождение школы закрыто"),
)

TOPICS: dict[str, list[EventType]] = {}
for _t in EVENT_TYPES:
    TOPICS.setdefault(_t.topic, []).append(_t)

_BY_TYPE = {t.type: t for t in EVENT_TYPES}
_BY_MODEL = {t.model: t for t in EVENT_TYPES}


def event_type(key: str | type[EventData]) -> EventType:
    """Look an event type up by its CloudEvents `type` or by its data model."""
    found = _BY_MODEL.get(key) if isinstance(key, type) else _BY_TYPE.get(key)
    if found is None:
        raise KeyError(f"unknown event type: {key!r}")
    return found


@cache
def _typed_envelopes() -> TypeAdapter:
    """One validator for every known type: the envelope and its data, told apart by `type`, in one pass."""
    models = tuple(create_model(f"CloudEvent_{t.name.replace('.', '_')}_v{t.major}", __base__=CloudEvent,
                                type=(Literal[t.type], ...), data=(t.model, ...)) for t in EVENT_TYPES)
    return TypeAdapter(Annotated[Union[models], Field(discriminator="type")])  # noqa: UP007 - a runtime tuple


def parse_event(raw: bytes) -> CloudEvent:
    """A record's value as a CloudEvent of a known type whose `data` is its validated model.

    Raises pydantic's ValidationError for anything else (not JSON, not an envelope, unknown type, bad data)."""
    return _typed_envelopes().validate_json(raw)

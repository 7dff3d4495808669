"""What a run of the demo did, and what to try next in GraphiQL, in Russian and English."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from ..region import Region
from .campaigns import Counts as CampaignCounts
from .client import Tally
from .methodical import Counts
from .olympiads import OlympiadCounts

TITLES = {
    "municipalities": "муниципалитеты / municipalities",
    "organisations": "организации / organisations",
    "staff": "работники: строки импорта / staff rows",
    "dismissals": "увольнения / dismissals",
    "bodies": "методические объединения / bodies",
    "members": "участники объединений / members",
    "compositions": "утверждённые составы / compositions",
    "sites": "статусы площадок / site statuses",
    "flags": "признаки организаций / flags",
    "courses": "курсы: строки импорта / course rows",
    "categories": "квалификационные категории / categories",
    "diagnostics": "диагностика: строки / diagnostic rows",
    "mentoring": "наставничество / mentorings",
    "routes": "индивидуальные маршруты / routes",
    "events": "методические мероприятия / events",
    "registrations": "регистрации / registrations",
    "attendance": "отметки посещения / attendance marks",
    "completions": "завершили участие / completed participants",
    "certificates": "сертификаты / certificates",
    "plans": "годовые планы / work plans",
    "plan_items": "пункты планов / plan items",
    "requests": "запросы организаций / support requests",
    "consultations": "консультации / consultations",
    "practices": "практики / practices",
    "competition_entries": "заявки на конкурсы / competition entries",
    "competition_scores": "оценки жюри / jury score sheets",
    "campaigns": "кампании сбора данных / data campaigns",
    "submissions": "формы кампании: продвинуты / campaign forms moved on",
    "olympiad_stages": "этапы олимпиады / olympiad stages",
    "olympiad_results": "результаты олимпиады: строки протоколов / olympiad result rows",
    "olympiad_diplomas": "дипломы олимпиады / olympiad diplomas",
}


@dataclass
class Summary:
    municipalities: Tally = field(default_factory=Tally)
    organisations: Tally = field(default_factory=Tally)
    staff: Tally = field(default_factory=Tally)
    dismissals: Tally = field(default_factory=Tally)
    bodies: Tally = field(default_factory=Tally)
    members: Tally = field(default_factory=Tally)
    compositions: Tally = field(default_factory=Tally)
    sites: Tally = field(default_factory=Tally)
    flags: Tally = field(default_factory=Tally)
    courses: Tally = field(default_factory=Tally)
    categories: Tally = field(default_factory=Tally)
    diagnostics: Tally = field(default_factory=Tally)
    mentoring: Tally = field(default_factory=Tally)
    routes: Tally = field(default_factory=Tally)
    methodical: Counts = field(default_factory=Counts)  # the events service
    competition_entries: Tally = field(default_factory=Tally)
    competition_scores: Tally = field(default_factory=Tally)
    campaign: CampaignCounts = field(default_factory=CampaignCounts)  # the monitoring service
    olympiads: OlympiadCounts = field(default_factory=OlympiadCounts)  # the events service
    examples: dict[str, str] = field(default_factory=dict)  # ids to try: person, body, growth_person, …

    def tallies(self) -> dict[str, Tally]:
        found = {f.name: getattr(self, f.name) for f in fields(self) if f.name in TITLES}
        nested = (self.methodical, self.campaign, self.olympiads)
        return found | {f.name: getattr(n, f.name) for n in nested for f in fields(n)}

    @property
    def created_nothing(self) -> bool:
        return all(t.created == 0 for t in self.tallies().values())


def describe(summary: Summary, region: Region, gateway_url: str) -> str:
    if summary.created_nothing:
        head = "Регион уже загружен: ничего нового не создано / the region is already loaded: nothing new created"
    else:
        head = "Регион загружен / the region is loaded"
    lines = [head, *(t.line(TITLES[name]) for name, t in summary.tallies().items()
                     if name in ("municipalities", "organisations") or t.created or t.existing or t.refused)]
    return "\n".join([*lines, "", *_try(summary, region, gateway_url)])


def _try(summary: Summary, region: Region, gateway_url: str) -> list[str]:
    first = region.municipalities[0].oktmo if region.municipalities else "29701000"
    graphql = f"{gateway_url.rstrip('/')}/graphql"
    lines = [
        f"GraphiQL: {graphql}",
        "  Токен / token: .venv/bin/metodset token --role regional_coordinator  (весь регион / the whole region)",
        f"                 .venv/bin/metodset token --role municipal_methodist --municipality {first}",
        "  В GraphiQL: Headers → {\"Authorization\": \"Bearer <токен / token>\"}. Попробуйте / try:",
        f'  {{ municipality(oktmo: "{first}") {{ name organisations {{ totalCount nodes {{ name kind }} }}',
        "    indicators { code value } } }",
        "  Показатели эффективности с динамикой, рейтинг / indicators with dynamics, a rating:",
        '  { indicators(level: MUNICIPALITY, code: "staff_upgraded_3y_share") { title value target',
        "    municipality { oktmo name } dynamics { period value } }",
        '    rating(code: "composite") { rank value rankChange municipality { name } } }',
        f'  {{ indicator(code: "staff_upgraded_3y_share", oktmo: "{first}") {{ value numerator denominator',
        "    drillDown(first: 10) { totalCount nodes { person { fullName } } } } }",
    ]
    if summary.staff.created or summary.staff.existing:
        lines += ["  Работники муниципалитета / a municipality's staff:",
                  f'  {{ municipality(oktmo: "{first}") {{ staff(first: 10) {{ totalCount nodes {{ id fullName }}',
                  "    pageInfo { hasNextPage endCursor } } sites { totalCount nodes { name sites { title from to } } }"
                  " } }"]
    person = summary.examples.get("person")
    if person:
        day = summary.examples.get("person_date")
        lines += [f"  Работник в последний день прежней работы / a person on the last day of a past job ({day}):",
                  f'  {{ person(id: "{person}", asOf: "{day}") {{ fullName birthDate snils',
                  "    experience { total pedagogical }",
                  "    employments { organisation { name } positionTitle subjectTitles startDate endDate } } }"]
    body = summary.examples.get("body")
    if body:
        day = summary.examples.get("body_date")
        lines += [f"  Совет на дату / a council as of {day}:",
                  f'  {{ body(id: "{body}", asOf: "{day}") {{ name memberCount',
                  "    members { role person { fullName } }",
                  "    composition { orderNumber orderDate academicYear memberCount } } }"]
    return (lines + _growth(summary, first) + _methodical(summary, first) + _campaign(summary) + _olympiads(summary)
            + _monitoring(first))


def _monitoring(first: str) -> list[str]:
    """The year of history the demo loads gives indicators a past: dynamics, rank changes, raised
    recommendations."""
    return ["  Показатели за этот и прошлые учебные годы / indicators with dynamics over academic years:",
            '  { indicators(level: MUNICIPALITY, code: "young_specialists_mentored_share") { period value threshold',
            "    municipality { oktmo name } dynamics { period value } }",
            '    olympiads: indicators(level: REGION, code: "olympiad_participants_per_100") { value',
            "    dynamics { period value } } }",
            "  Рейтинг муниципалитетов и изменение места за год / a rating of municipalities, rank change:",
            '  { rating(code: "staff_upgraded_3y_share") { rank value previousRank rankChange',
            "    municipality { oktmo name } } }",
            "  Рекомендации, поднятые правилами по порогам / recommendations raised by threshold rules:",
            f'  {{ recommendations(filter: {{municipalityOktmo: "{first}"}}, first: 10) {{ totalCount',
            "    nodes { id rule indicator period value threshold addresseeTitle text dueOn status } } }"]


def _campaign(summary: Summary) -> list[str]:
    campaign = summary.examples.get("campaign")
    if not campaign:
        return []
    return ["  Кампания «Контингент обучающихся»: полнота по муниципалитетам / the campaign's completeness:",
            f'  {{ campaign(id: "{campaign}") {{ title completeness {{ municipality {{ name }} assigned submitted '
            "approved } submissions(first: 5) { nodes { status values { field value } } } } }"]


def _growth(summary: Summary, first: str) -> list[str]:
    lines = []
    if summary.courses.created or summary.courses.existing:
        lines += ["  Кому нужны курсы и аттестация, молодые без наставника / overdue courses, attestation due, young "
                  "specialists without a mentor:",
                  f'  {{ municipality(oktmo: "{first}") {{ staff(filter: {{courseOverdue: true}}, first: 10) {{ '
                  "totalCount nodes { id fullName } }",
                  "    attestationDue(withinMonths: 6) { totalCount nodes { fullName categoryName expiresOn expired } "
                  "}",
                  "    youngSpecialistsWithoutMentor { totalCount nodes { id fullName } } } }"]
    person = summary.examples.get("growth_person")
    if person:
        lines += ["  Работник с открытым маршрутом / a person on an open route (asOf: на любую дату / any day):",
                  f'  {{ person(id: "{person}") {{ fullName courseDue courseOverdue category {{ name awardedOn '
                  "expiresOn }",
                  "    courses(first: 3) { nodes { programme hours endDate } } deficits { areaTitle levelTitle }",
                  "    route { status items { kind title dueDate status } } mentors { fullName } } }"]
    person = summary.examples.get("closed_route_person")
    if person:
        lines += ["  Маршрут, закрытый записью о курсах / a route closed when its course was recorded:",
                  f'  {{ person(id: "{person}") {{ fullName courses(first: 1) {{ nodes {{ programme endDate }} }}',
                  "    routes { nodes { status closedOn outcome items { title status completedOn byFact } } } } }"]
    mentee = summary.examples.get("mentee")
    if mentee:
        lines += ["  Молодой специалист и его наставник / a young specialist and their mentor:",
                  f'  {{ person(id: "{mentee}") {{ fullName mentors {{ fullName }} }} }}']
    return lines


def _methodical(summary: Summary, first: str) -> list[str]:
    if not (summary.methodical.events.created or summary.methodical.events.existing):
        return []
    lines = ["  Мероприятия муниципалитета / a municipality's events:",
             f'  {{ events(filter: {{municipalityOktmo: "{first}"}}, first: 10) {{ totalCount nodes {{ id title '
             "formTitle level sessions { startsAt hours } capacity placesLeft waiting } } }"]
    event = summary.examples.get("event")
    if event:
        lines += ["  Мероприятие с записавшимися и сертификатами / an event with its registrations:",
                  f'  {{ event(id: "{event}") {{ title hours placesLeft registrations(first: 10) {{ totalCount',
                  "    nodes { person { id fullName } status } } } }"]
    organisation = summary.examples.get("plan_organisation")
    if organisation:
        year = summary.examples["plan_year"]
        lines += ["  Выполнение годового плана / a work plan's fulfilment:",
                  f'  {{ workPlan(organisationId: "{organisation}", year: {year}) {{ academicYear',
                  "    items { title status }",
                  "    fulfilment { overall { total done moved overdue cancelled share }"
                  " directions { directionTitle share } } } }"]
    competition = summary.examples.get("competition")
    if competition:
        lines += ["  Конкурс: этап, заявки, итоги / a competition's stage, entries and results:",
                  f'  {{ competition(id: "{competition}") {{ title stages {{ levelTitle status',
                  "    entries(first: 5) { totalCount nodes { participants { person { fullName } } place",
                  "    statusTitle } } results { place statusTitle score } } } }"]
    word = summary.examples.get("practice_word")
    if word:
        lines += ["  Поиск в банке практик / a practice search:",
                  f'  {{ practices(search: "{word}") {{ totalCount nodes {{ title levelTitle statusTitle }} }} }}']
    return lines


def _olympiads(summary: Summary) -> list[str]:
    stage = summary.examples.get("olympiad_stage")
    if not stage:
        return []
    return ["  Школьный этап олимпиады: результаты и допуск / an olympiad's school stage, results and admission:",
            f'  {{ olympiadStage(id: "{stage}") {{ subjectTitle stage grades {{ grade maxScore passingScore }}',
            "    results(first: 10) { totalCount nodes { participantCode organisation { name } grade score status } }",
            "    admitted(first: 10) { totalCount nodes { participantCode grade score reason } } } }"]

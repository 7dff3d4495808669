"""Professional growth as data: course providers and programmes, categories by experience, the diagnostic
instrument, mentoring programmes. Shares are those a regional institute sees in its course database."""
from metodset_contracts.reference import diagnostic_instruments

ACADEMY = "ФГАОУ ДПО «Академия реализации государственной политики и профессионального развития работников " \
          "образования Министерства просвещения Российской Федерации»"
# (provider, share of upgrade courses); None: the regional institute (an organisation of the region)
PROVIDERS = ((None, 55), (ACADEMY, 12), ("ФГАОУ ДПО «Академия Минпросвещения России»", 6),
             ("ФГБНУ «Институт стратегии развития образования»", 4),
             ("ФГБОУ ВО «Калужский государственный университет им. К.Э. Циолковского»", 6),
             ("ООО «Центр инновационного образования и воспитания»", 6), ("ООО «Инфоурок»", 5),
             ("АНО ДПО «Платформа»", 3), ("ООО «Московский институт профессиональной переподготовки и повышения "
                                          "квалификации педагогов»", 3))
RETRAINING_PROVIDERS = (None, "ООО «Московский институт профессиональной переподготовки и повышения квалификации "
                              "педагогов»", "ООО «Инфоурок»", "АНО ДПО «Институт современного образования»")
UPGRADE_HOURS = ((16, 12), (18, 6), (24, 10), (36, 35), (48, 8), (72, 22), (108, 7))
RETRAINING_HOURS = (252, 260, 270, 300, 340, 500, 520)
UPGRADE_SHARE_RECENT = 0.84  # of staff hired more than three years ago: an upgrade within the last three years
RETRAINING_SHARE = 0.05

# Programmes every pedagogue may take, then those by subject ({subject}: the catalogue's title)
COMMON_PROGRAMMES = (
    "Реализация требований обновлённых ФГОС НОО, ФГОС ООО в работе учителя",
    "Формирование функциональной грамотности обучающихся",
    "Разговоры о важном: система работы классного руководителя (куратора)",
    "Обучение детей с ограниченными возможностями здоровья в условиях инклюзивного образования",
    "Цифровая образовательная среда: сервисы ФГИС «Моя школа» в работе педагога",
    "Оказание первой помощи пострадавшим в образовательной организации",
    "Профилактика деструктивного поведения обучающихся",
    "Организация воспитательной работы в соответствии с федеральной рабочей программой воспитания",
)
SUBJECT_PROGRAMMES = (
    "Методика преподавания предмета «{subject}» в соответствии с ФОП ООО и ФОП СОО",
    "Школа современного учителя: предмет «{subject}»",
    "Подготовка обучающихся к государственной итоговой аттестации: «{subject}»",
    "Совершенствование предметных и методических компетенций педагогических работников: «{subject}»",
)
PRESCHOOL_PROGRAMMES = (
    "Реализация федеральной образовательной программы дошкольного образования",
    "Развивающая предметно-пространственная среда дошкольной образовательной организации",
)
MANAGER_PROGRAMMES = (
    "Управление образовательной организацией в условиях реализации ФОП",
    "Школа Минпросвещения России: управленческие решения руководителя",
)
RETRAININGS = (
    "Педагогическое образование: учитель информатики", "Педагогическое образование: учитель-дефектолог",
    "Педагогическое образование: педагог-психолог", "Менеджмент в образовании",
    "Педагогическое образование: учитель основ безопасности и защиты Родины",
    "Педагогическое образование: воспитатель дошкольной образовательной организации",
    "Педагогика дополнительного образования детей и взрослых",
)

# Categories by pedagogical experience: (fewer than years, ((category or None, share), ...))
CATEGORY_SHARES = (
    (2, ((None, 100),)),
    (5, ((None, 45), ("compliance", 30), ("first", 25))),
    (10, ((None, 18), ("compliance", 22), ("first", 42), ("highest", 18))),
    (20, ((None, 10), ("compliance", 14), ("first", 36), ("highest", 40))),
    (99, ((None, 8), ("compliance", 12), ("first", 30), ("highest", 50))),
)
TOP_SHARE = 0.07  # of those with the highest category and 15+ years: педагог-методист or педагог-наставник
CATEGORY_YEARS = 5

# The reference instrument of deficit diagnostics (the registry seeds it): (area code, title, the score below
# which the area is a deficit, i.e. the mildest level's threshold); scores 0..100
INSTRUMENT = diagnostic_instruments()[0]["code"]
INSTRUMENTS = {i["code"]: tuple((a["code"], a["title"], max(t["below"] for t in a["thresholds"])) for a in i["areas"])
               for i in diagnostic_instruments()}
DIAGNOSED_SHARE = 0.3  # of teachers: a result within the last two years

MENTORED_SHARE = 0.88  # of young specialists: an active mentoring
GROUP_SHARE = 0.15  # of an organisation's young specialists with three or more of them: mentored as a group
MENTOR_MIN_YEARS = 7  # of pedagogical experience
MENTOR_MAX_MENTEES = 3
YOUNG_PROGRAMMES = ("Адаптация молодого специалиста в образовательной организации",
                    "Первые шаги в профессии: индивидуальная программа наставничества",
                    "Профессиональное становление молодого педагога")
GROUP_PROGRAMMES = ("Школа молодого педагога", "Клуб молодых специалистов")

"""Site statuses and flags as data: how often, at which level, on which themes, by which orders."""
from metodset_contracts.organisations import FlagKind, SiteKind, SiteLevel

# (kind, share of schools; kindergartens, centres and colleges get half, levels with weights)
SITES = (
    (SiteKind.INNOVATION, 0.08, ((SiteLevel.FEDERAL, 1), (SiteLevel.REGIONAL, 5), (SiteLevel.MUNICIPAL, 4))),
    (SiteKind.BASE, 0.04, ((SiteLevel.REGIONAL, 1),)),
    (SiteKind.INTERNSHIP, 0.025, ((SiteLevel.REGIONAL, 4), (SiteLevel.FEDERAL, 1))),
    (SiteKind.SUPPORT, 0.05, ((SiteLevel.MUNICIPAL, 3), (SiteLevel.REGIONAL, 1))),
)
TOPICS = {
    SiteKind.INNOVATION: ("Формирование функциональной грамотности обучающихся", "Цифровая образовательная среда школы",
                          "Наставничество как ресурс профессионального роста молодого педагога",
                          "Инклюзивное образование детей с ОВЗ", "Ранняя профориентация обучающихся",
                          "Школа полного дня", "Инженерные классы: развитие инженерного мышления"),
    SiteKind.BASE: ("Повышение квалификации учителей по обновлённым ФГОС", "Методика обучения математике",
                    "Преподавание русского языка как родного и неродного", "Организация внеурочной деятельности"),
    SiteKind.INTERNSHIP: ("Формирующее оценивание", "Современный урок в цифровой среде",
                          "Работа с одарёнными детьми", "Технологии смыслового чтения"),
    SiteKind.SUPPORT: ("Опорная школа по работе со школами с низкими образовательными результатами",
                       "Профориентация и профильное обучение", "Работа с одарёнными детьми",
                       "Методическое сопровождение молодых педагогов"),
}
PRESCHOOL_TOPICS = {
    SiteKind.INNOVATION: ("Проектная деятельность дошкольников", "Экологическое воспитание в системе ДОО",
                          "Ранняя профориентация дошкольников", "Инклюзивная практика в детском саду"),
    SiteKind.BASE: ("Повышение квалификации воспитателей по ФОП ДО", "Развивающая предметно-пространственная среда"),
    SiteKind.INTERNSHIP: ("Игровые технологии в дошкольном образовании", "Речевое развитие дошкольников"),
    SiteKind.SUPPORT: ("Опорный детский сад по работе с детьми раннего возраста",
                       "Методическое сопровождение молодых воспитателей"),
}

# (kind, share of village schools, of other schools, how many academic years in a row at most)
FLAGS = (
    (FlagKind.LOW_RESULTS, 0.14, 0.06, 3),
    (FlagKind.UNOBJECTIVE_RESULTS, 0.05, 0.04, 2),
    (FlagKind.DIFFICULT_CONDITIONS, 0.22, 0.05, 0),  # 0: set once, mostly without an end
)
FLAG_ORDERS = {
    FlagKind.LOW_RESULTS: "Об утверждении перечня школ с низкими образовательными результатами",
    FlagKind.UNOBJECTIVE_RESULTS: "Об организации работы со школами с признаками необъективных результатов",
    FlagKind.DIFFICULT_CONDITIONS: "Об утверждении перечня школ, функционирующих в сложных социальных условиях",
}
MINISTRY = "министерства образования и науки Калужской области"

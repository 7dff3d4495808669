"""Methodical bodies as data: which subjects have associations, how they are named, temporary groups' goals."""

# Associations by subject: (the body's subject code, «…методическое объединение» + whom, members' subjects)
MUNICIPAL_SUBJECTS = (
    ("primary", "учителей начальных классов", ("primary",)),
    ("russian", "учителей русского языка и литературы", ("russian", "literature", "native_language")),
    ("mathematics", "учителей математики", ("mathematics",)),
    ("english", "учителей иностранных языков", ("english", "german", "french")),
    ("history", "учителей истории и обществознания", ("history", "social_studies", "law")),
    ("physics", "учителей физики", ("physics", "astronomy")),
    ("chemistry", "учителей химии", ("chemistry",)),
    ("biology", "учителей биологии", ("biology", "ecology")),
    ("geography", "учителей географии", ("geography",)),
    ("informatics", "учителей информатики", ("informatics",)),
    ("physical_education", "учителей физической культуры", ("physical_education",)),
    ("technology", "учителей технологии", ("technology",)),
    ("music", "учителей музыки и изобразительного искусства", ("music", "fine_arts", "art")),
    ("security", "учителей и преподавателей-организаторов ОБЗР", ("security",)),
    ("preschool", "воспитателей дошкольных образовательных организаций", ("preschool",)),
)
REGIONAL_SUBJECTS = ("mathematics", "russian", "primary", "history", "english", "physics", "chemistry", "biology")
SCHOOL_GROUPS = (
    ("primary", "учителей начальных классов", ("primary",)),
    ("russian", "учителей русского языка и литературы", ("russian", "literature", "native_language")),
    ("mathematics", "учителей математики, физики и информатики", ("mathematics", "physics", "informatics")),
    ("english", "учителей иностранных языков", ("english", "german", "french")),
    ("history", "учителей истории, обществознания и географии", ("history", "social_studies", "geography")),
    ("biology", "учителей естественнонаучного цикла", ("chemistry", "biology", "ecology")),
    ("physical_education", "учителей физической культуры и ОБЗР", ("physical_education", "security")),
    ("technology", "учителей технологии, музыки и изобразительного искусства", ("technology", "music",
                                                                                 "fine_arts")),
)
LARGE_SCHOOL = 25  # teachers: a school this big has its methodical council and ШМО

# (kind, name, goal, (start, end) as (years after the current academic year's start, month, day))
REGIONAL_GROUPS = (
    ("working_group", "Региональная рабочая группа по введению обновлённых ФГОС и ФОП",
     "Методическое сопровождение перехода школ региона на обновлённые ФГОС и федеральные образовательные "
     "программы", ((-4, 1, 20), (-3, 8, 31))),
    ("project_group", "Проектная группа по развитию региональной системы наставничества",
     "Разработать региональную модель наставничества и методические рекомендации для образовательных "
     "организаций", ((-1, 11, 1), (1, 5, 31))),
)
MUNICIPAL_GROUPS = (
    ("creative_group", "Творческая группа «Функциональная грамотность»",
     "Собрать банк заданий по формированию функциональной грамотности для 5–9 классов"),
    ("problem_group", "Проблемная группа «Обучающиеся с ОВЗ в общеобразовательном классе»",
     "Обобщить опыт инклюзивного обучения и подготовить рекомендации для учителей"),
    ("working_group", "Рабочая группа по подготовке к государственной итоговой аттестации",
     "Проанализировать результаты ГИА прошлого года и спланировать адресную помощь школам"),
)

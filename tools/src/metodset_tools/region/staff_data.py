"""Who works where, as data: the subjects school teachers teach in realistic proportions, shares of men by
position and subject, rates. Codes are those of metodset_contracts.reference."""
from datetime import date
from decimal import Decimal

# The first teachers of every school, in this order, so that even a village school has the core subjects
CORE_SUBJECTS = (("primary",), ("russian", "literature"), ("mathematics",), ("english",), ("primary",),
                 ("history", "social_studies"), ("physical_education",), ("biology",), ("primary",),
                 ("russian", "literature"), ("mathematics", "informatics"))

# (subjects, share in per cent of a school's teachers)
SUBJECT_MIX = (
    (("primary",), 22), (("primary", "religious_culture"), 1.5),
    (("russian", "literature"), 11.5), (("russian", "literature", "native_language"), 1),
    (("mathematics",), 8), (("mathematics", "informatics"), 2), (("informatics",), 2),
    (("english",), 8), (("german",), 1), (("english", "german"), 0.6), (("french",), 0.3),
    (("history", "social_studies"), 5), (("history", "social_studies", "law"), 0.6), (("social_studies",), 0.8),
    (("physics",), 2.5), (("physics", "astronomy"), 0.8), (("chemistry",), 1.5), (("chemistry", "biology"), 1),
    (("biology",), 2), (("biology", "ecology"), 0.5), (("geography",), 2), (("geography", "biology"), 0.4),
    (("physical_education",), 7), (("technology",), 3), (("fine_arts",), 1.5), (("fine_arts", "technology"), 0.8),
    (("music",), 1.8), (("music", "art"), 0.4), (("security",), 1.2),
)
LECTURER_SUBJECTS = (("russian", "literature"), ("mathematics",), ("english",), ("history", "social_studies"),
                     ("physics",), ("informatics",), ("chemistry", "biology"), ("physical_education",),
                     ("security",), ("economics",), ("law",), ("geography",))
# Methodists of a municipal service and of the institute look after these groups of subjects, in this order
SUPERVISED = (("primary",), ("russian", "literature"), ("mathematics", "informatics"), ("english",),
              ("history", "social_studies"), ("preschool",), ("physics", "astronomy"), ("chemistry", "biology"),
              ("geography",), ("physical_education", "security"), ("special_education",), ("supplementary",),
              ("technology",), ("music", "fine_arts"))

DEFAULT_MALE = 0.07
MALE_BY_SUBJECT = {"physical_education": 0.45, "security": 0.7, "technology": 0.35, "informatics": 0.35,
                   "physics": 0.2, "history": 0.15, "mathematics": 0.1, "primary": 0.015, "preschool": 0.005}
MALE_BY_POSITION = {"director": 0.25, "deputy_director": 0.12, "educator": 0.005, "senior_educator": 0.005,
                    "music_director": 0.05, "pe_instructor": 0.3, "coach": 0.55, "senior_coach": 0.6,
                    "vocational_master": 0.5, "pe_head": 0.6, "accompanist": 0.15, "security_teacher": 0.7,
                    "speech_therapist": 0.01, "upbringing_adviser": 0.15, "senior_counsellor": 0.1,
                    "methodist": 0.1, "senior_methodist": 0.12}
YOUNGEST = {"director": 30, "deputy_director": 27, "senior_methodist": 30, "senior_educator": 26,
            "methodist": 24}
SINCE = {"upbringing_adviser": date(2022, 9, 1)}  # a position that exists since then
MANAGERIAL = frozenset({"director", "deputy_director", "senior_methodist", "senior_educator"})

# main rates: (rate, share); managers work at 1.0; a secondary job is 0.25 or 0.5
MAIN_RATES = ((Decimal("1.0"), 75), (Decimal("1.5"), 10), (Decimal("1.25"), 7), (Decimal("0.5"), 8))
SECONDARY_RATES = (Decimal("0.25"), Decimal("0.5"))

"""What a diploma of an olympiad's winner or prize-winner shows (pure): verified at the same public address as
certificates (GET /certificates/{code})."""
from __future__ import annotations

from decimal import Decimal

from metodset_contracts.olympiads import STAGE_TITLES, OlympiadStatus
from metodset_kit.documents import DocumentSpec, Fact

from .diplomas import score_text
from .olympiads import OlympiadStage, olympiad_subjects

TITLES = {OlympiadStatus.WINNER: "Диплом победителя", OlympiadStatus.PRIZE_WINNER: "Диплом призёра"}
STATEMENTS = {OlympiadStatus.WINNER: "стал(а) победителем этапа олимпиады",
              OlympiadStatus.PRIZE_WINNER: "стал(а) призёром этапа олимпиады"}


def diploma_spec(stage: OlympiadStage, region: str, holder: str, grade: int, score: Decimal,
                 status: OlympiadStatus, municipality: str | None = None) -> DocumentSpec:
    """`municipality`: the municipal stage's municipality by name (its ОКТМО where no name has arrived)."""
    subject = olympiad_subjects().get(stage.subject, stage.subject)
    oktmo = stage.municipality_oktmo
    issuer = region if oktmo is None else f"{region}, {municipality or f'муниципалитет (ОКТМО {oktmo})'}"
    maximum = stage.grade(grade).max_score
    return DocumentSpec(
        title=TITLES[status], statement=STATEMENTS[status], region=region, issuer=issuer, holder=holder.strip(),
        subject=f"Всероссийская олимпиада школьников по предмету «{subject}», {STAGE_TITLES[stage.level]}, "
                f"{stage.year}/{stage.year + 1} учебный год",
        facts=[Fact("Класс участия", str(grade)), Fact("Баллы", f"{score_text(score)} из {score_text(maximum)}")])

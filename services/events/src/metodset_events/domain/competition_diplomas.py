"""What a competition diploma shows (pure): winners and prize-winners of a published stage."""
from __future__ import annotations

from decimal import Decimal

from metodset_contracts.competitions import LEVEL_TITLES, ResultStatus, StageLevel
from metodset_kit.documents import DocumentSpec, Fact

from .diplomas import score_text

TITLES = {ResultStatus.WINNER: "Диплом победителя", ResultStatus.PRIZE_WINNER: "Диплом призёра"}
STATEMENTS = {ResultStatus.WINNER: "стал(а) победителем конкурса",
              ResultStatus.PRIZE_WINNER: "стал(а) призёром конкурса"}
AWARDED = tuple(TITLES)


def issuer(region: str, municipality_oktmo: str | None, municipality: str | None = None) -> str:
    if municipality_oktmo is None:
        return f"Организатор этапа: {region}"
    if municipality:
        return f"Муниципальная методическая служба, {municipality}"
    return f"Муниципальная методическая служба (ОКТМО {municipality_oktmo})"


def diploma_spec(*, competition: str, year: int, level: StageLevel, nomination: str, status: ResultStatus,
                 place: int, score: Decimal, holder: str, region: str, municipality_oktmo: str | None,
                 work: str = "", municipality: str | None = None) -> DocumentSpec:
    facts = [Fact("Этап", LEVEL_TITLES[level]), Fact("Номинация", nomination), Fact("Место", str(place)),
             Fact("Итоговый балл", score_text(score)), Fact("Год", str(year))]
    if work:
        facts.append(Fact("Работа", work))
    return DocumentSpec(title=TITLES[status], statement=STATEMENTS[status],
                        region=region, issuer=issuer(region, municipality_oktmo, municipality),
                        holder=holder.strip(), subject=competition, facts=facts)


def student_name(last: str, first: str, middle: str | None) -> str:
    return " ".join(p for p in (last, first, middle) if p)

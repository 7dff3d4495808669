"""What a certificate of participation shows (pure)."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from metodset_kit.documents import DocumentSpec, Fact

from ..facts import EventInfo

TITLE = "Сертификат участника"


def hours_text(hours: float) -> str:
    """«16 ч.», «3,5 ч.»"""
    return f"{hours:g}".replace(".", ",") + " ч."


def dates_text(event: EventInfo, zone: ZoneInfo) -> str:
    days = sorted({s.starts_at.astimezone(zone).date() for s in event.sessions})
    if not days:
        return ""
    first, last = days[0].strftime("%d.%m.%Y"), days[-1].strftime("%d.%m.%Y")
    return first if first == last else f"{first} – {last}"


def certificate_spec(event: EventInfo, region: str, zone: ZoneInfo, holder: str, hours: float) -> DocumentSpec:
    facts = [Fact("Объём", hours_text(hours))]
    dates = dates_text(event, zone)
    if dates:
        facts.append(Fact("Даты проведения", dates))
    return DocumentSpec(title=TITLE, region=region, issuer=event.organiser_name, holder=holder.strip(),
                       subject=event.title, facts=facts)

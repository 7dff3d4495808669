"""A document spec rendered as a one-page A4 PDF: the region, the title, the holder, lines of facts, the issuer,
the verification code and a QR code of the public verification URL. Noto Sans (the `fontpkg-noto-sans`
package, pinned in uv.lock) is embedded, subset to the glyphs used, so Cyrillic shows in every viewer."""
from __future__ import annotations

import io
import threading
from dataclasses import asdict, dataclass, field

import fontpkg_noto_sans
from PIL import Image
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .codes import display

FONT = "NotoSans"
MARGIN = 30 * mm
_registered = threading.Lock()
# One render at a time: reportlab keeps per-document state in shared font objects and promises no thread safety;
# rendering is CPU-bound, so worker threads gain nothing by overlapping anyway.
_rendering = threading.Lock()


@dataclass(frozen=True)
class Fact:
    label: str  # «Объём», «Даты»
    value: str  # «16 ч.», «12.03.2027 – 13.03.2027»


PARTICIPATED = "принял(а) участие в мероприятии"


@dataclass(frozen=True)
class DocumentSpec:
    """What a document shows; stored as issued and answered by the public verification as it is."""

    title: str  # «Сертификат участника»
    region: str  # the region's name
    issuer: str  # the issuing organisation or body
    holder: str  # the holder's full name
    subject: str  # what it is for: the event's title
    facts: list[Fact] = field(default_factory=list)
    statement: str = PARTICIPATED  # what the holder did, between the name and the subject

    def shows(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, shown: dict) -> DocumentSpec:
        return cls(**{**shown, "facts": [Fact(**f) for f in shown.get("facts", [])]})


def _font() -> str:
    with _registered:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            path = fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf"
            pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT


def render(spec: DocumentSpec, code: str, url: str) -> bytes:
    """The PDF of `spec` with the code (canonical form; shown grouped) and a QR code of `url`."""
    with _rendering:
        return _render(spec, code, url)


def _render(spec: DocumentSpec, code: str, url: str) -> bytes:
    font = _font()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    page.setTitle(f"{spec.title}: {spec.holder}")
    width, height = A4
    y = height - 30 * mm
    y = _lines(page, font, 11, width, y, [spec.region, spec.issuer])
    y = _lines(page, font, 26, width, y - 14 * mm, [spec.title])
    y = _lines(page, font, 12, width, y - 8 * mm, ["подтверждает, что"])
    y = _lines(page, font, 20, width, y - 4 * mm, [spec.holder])
    y = _lines(page, font, 12, width, y - 4 * mm, [spec.statement, f"«{spec.subject}»"])
    page.setFont(font, 12)
    y -= 8 * mm
    for fact in spec.facts:
        for part in simpleSplit(f"{fact.label}: {fact.value}", font, 12, width - 2 * MARGIN):
            page.drawString(MARGIN, y, part)
            y -= 7 * mm
    _qr(page, url, 30 * mm, 25 * mm, 35 * mm)
    page.setFont(font, 11)
    page.drawString(70 * mm, 50 * mm, f"Код проверки: {display(code)}")
    page.setFont(font, 9)
    page.drawString(70 * mm, 43 * mm, f"Проверить: {url}")
    page.showPage()
    page.save()
    return out.getvalue()


def _lines(page: canvas.Canvas, font: str, size: int, width: float, y: float, lines: list[str]) -> float:
    """Centred lines, each wrapped within the page's margins (a long title or name takes several)."""
    page.setFont(font, size)
    for line in lines:
        for part in simpleSplit(line, font, size, width - 2 * MARGIN):
            page.drawCentredString(width / 2, y, part)
            y -= size * 1.4
    return y


QUIET = 4  # modules of white margin around a QR code, as the standard asks
PIXELS = 8  # per module: a bilevel image, sharp at print size


def qr_image(url: str) -> Image.Image:
    """The QR code of `url` (error correction M) as a black-and-white image with its quiet zone."""
    widget = QrCodeWidget(url, barLevel="M")
    widget.draw()
    count = widget.qr.getModuleCount()
    image = Image.new("1", (count + 2 * QUIET, count + 2 * QUIET), 1)
    for row in range(count):
        for col in range(count):
            if widget.qr.isDark(row, col):
                image.putpixel((col + QUIET, row + QUIET), 0)
    return image.resize((image.width * PIXELS, image.height * PIXELS), Image.Resampling.NEAREST)


def _qr(page: canvas.Canvas, url: str, x: float, y: float, side: float) -> None:
    page.drawImage(ImageReader(qr_image(url)), x, y, side, side)

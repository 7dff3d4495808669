"""Kit documents: verification codes and the PDF (text extracted back with pypdf)."""
import io

import pypdf
import pytest

from metodset_kit.documents import DocumentSpec, Fact, display, new_code, normalise, render
from metodset_kit.documents.codes import ALPHABET, digest


def test_codes_are_12_crockford_characters_and_differ():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 12 and set(c) <= set(ALPHABET) for c in codes)


def test_a_typed_code_reads_back_leniently():
    code = "7K3M9QX2ABCD"
    assert display(code) == "7K3M-9QX2-ABCD"
    assert normalise(" 7k3m-9qx2-abcd ") == code
    assert normalise("7K3M 9QX2 ABCO") == "7K3M9QX2ABC0"  # O is read as zero, as Crockford intends
    assert normalise("IL00-0000-0000") == "110000000000"


@pytest.mark.parametrize("typed", ["", "7K3M-9QX2", "7K3M-9QX2-ABCD-E", "7K3M-9QX2-ABC!", "Ж" * 12, "x" * 5000])
def test_what_cannot_be_a_code_is_refused(typed):
    assert normalise(typed) is None


def test_only_the_digest_is_a_key_and_it_depends_on_every_character():
    assert digest("7K3M9QX2ABCD") != digest("7K3M9QX2ABCE")
    assert len(digest("7K3M9QX2ABCD")) == 32


def test_the_pdf_shows_cyrillic_names_hours_and_the_code():
    spec = DocumentSpec(title="Сертификат участника", region="Калужская область", issuer="МБУ «Методический центр»",
                        holder="Ёлкина Жанна Щукиновна", subject="Семинар «Функциональная грамотность»",
                        facts=[Fact("Объём", "16 ч."), Fact("Даты проведения", "12.03.2027 – 13.03.2027")])
    pdf = render(spec, "7K3M9QX2ABCD", "https://metodset.example/certificates/7K3M-9QX2-ABCD")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for shown in ("Калужская область", "Сертификат участника", "Ёлкина Жанна Щукиновна", "Объём: 16 ч.",
                  "7K3M-9QX2-ABCD", "Функциональная грамотность", "Методический центр"):
        assert shown in text
    assert b"/FontFile2" in pdf  # the TrueType font is embedded (subset), not named for the viewer to find


def test_the_qr_code_in_the_pdf_decodes_to_the_verification_url():
    import zxingcpp

    url = "https://metodset.example/certificates/7K3M-9QX2-ABCD"
    pdf = render(DocumentSpec("Сертификат", "Р", "И", "Х", "С"), "7K3M9QX2ABCD", url)
    [image] = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].images
    assert [b.text for b in zxingcpp.read_barcodes(image.image.convert("L"))] == [url]


def test_a_long_subject_is_wrapped_within_the_page():
    subject = "Региональный семинар-практикум «Формирование функциональной грамотности обучающихся на уроках " \
              "математики, физики и информатики в условиях обновлённых ФГОС»"
    pdf = render(DocumentSpec("Сертификат", "Р", "И", "Иванова", subject), "7K3M9QX2ABCD", "http://x/c")
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    lines = [line for line in text.splitlines() if "грамотности" in line or "ФГОС" in line]
    assert len(lines) >= 2 and "ФГОС" in text  # more than one line, nothing cut off


def test_the_shown_facts_round_trip():
    spec = DocumentSpec("Т", "Р", "И", "Х", "С", [Fact("Объём", "2 ч.")])
    assert DocumentSpec.of(spec.shows()) == spec


def test_misses_are_throttled_per_client_within_a_window():
    from metodset_kit.documents import MissThrottle

    now = [0.0]
    throttle = MissThrottle(limit=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.retry_after("1.2.3.4") is None
        throttle.missed("1.2.3.4")
    assert throttle.retry_after("1.2.3.4") == 60
    assert throttle.retry_after("5.6.7.8") is None  # another address is not slowed
    now[0] = 45.0
    assert throttle.retry_after("1.2.3.4") == 15
    now[0] = 60.0
    assert throttle.retry_after("1.2.3.4") is None  # a new window

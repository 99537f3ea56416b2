"""The printouts: a join sheet a phone can scan on A4 and Letter, and the board as the room saw it."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from hopecircle import printing
from hopecircle.crisis import crisis_lines
from hopecircle.domain import Card, Kind

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "screenshots" / "join-sheet.png"
ADDRESS = "http://192.168.1.20:8501"
URL = f"{ADDRESS}/?code=K7M4QX"
LOCAL = (
    {"id": "local-1", "name": "Eastside Peer Warmline", "call": "555-0100", "text": "", "detail": "Peers, 9am-9pm"},
)
PAGE_POINTS = {"a4": (595, 842), "letter": (612, 792)}


def sheet(title: str = "Thursday circle", local: tuple[dict[str, str], ...] = LOCAL) -> printing.JoinSheet:
    languages = ("en", "es")
    return printing.JoinSheet(
        title=title,
        code="K7M4QX",
        url=URL,
        address=ADDRESS,
        languages=languages,
        support=tuple(crisis_lines(language, local) for language in languages),
    )


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def rendered(data: bytes, folder: Path, dpi: int = 110) -> Image.Image:
    """The first page as a phone camera would see it on paper (poppler's pdftoppm)."""
    source = folder / "sheet.pdf"
    source.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", str(source), str(folder / "page")], check=True
    )
    (png,) = folder.glob("page*.png")
    return Image.open(png)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_join_sheet_is_one_page_with_everything_a_door_needs(paper):
    data = printing.join_sheet_pdf(sheet(), paper)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == PAGE_POINTS[paper]
    (text,) = pages(data)
    for expected in (
        "Thursday circle",
        "Join from your phone",
        "Únete desde tu teléfono",
        "K 7 M 4 Q X",
        ADDRESS,
        "If you need support now",
        "Si necesitas apoyo ahora",
        "988 Suicide & Crisis Lifeline",
        "988 Línea de Prevención del Suicidio y Crisis",
        "Crisis Text Line",
        "Eastside Peer Warmline",
        "not a crisis service",
        "no es un servicio de crisis",
    ):
        assert expected in text.replace("\n", " "), expected


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_join_sheets_qr_code_opens_the_session_on_a_phone(paper, tmp_path):
    page = rendered(
        printing.join_sheet_pdf(sheet("A much longer title that wraps onto a second line here"), paper), tmp_path
    )
    decoded = zxingcpp.read_barcodes(page)
    assert [code.text for code in decoded] == [URL]


def test_an_organization_with_many_lines_gets_them_all_and_a_readable_code(tmp_path):
    many = tuple(
        {"id": f"local-{n}", "name": f"Local line {n}", "call": "555-0100", "text": "555-0101", "detail": "Every day"}
        for n in range(10)
    )
    data = printing.join_sheet_pdf(sheet(local=many), "letter")
    text = " ".join(pages(data))
    assert all(f"Local line {n}" in text for n in range(10))
    assert [code.text for code in zxingcpp.read_barcodes(rendered(data, tmp_path))] == [URL]


def test_a_paper_size_is_one_of_the_two():
    with pytest.raises(ValueError, match="a4, letter"):
        printing.join_sheet_pdf(sheet(), "legal")


def test_the_join_sheet_screenshot_in_the_docs_is_the_printed_page(tmp_path):
    page = rendered(printing.join_sheet_pdf(sheet("Thursday evening circle", ()), "letter"), tmp_path, dpi=80)
    saved = tmp_path / "join-sheet.png"
    page.save(saved)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(saved, SCREENSHOT)
    assert Image.open(SCREENSHOT).size == page.size


def card(number: int, kind: Kind = Kind.REFLECTION, **fields: object) -> Card:
    values: dict[str, object] = {
        "id": number,
        "kind": kind,
        "body": f"Card number {number}: the walks helped",
        "goal_when": None,
        "goal_support": None,
        "dimension": None,
        "me_too": 0,
        "language": "en",
    }
    values.update(fields)
    return Card(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_board_prints_every_card_over_as_many_pages_as_it_needs(paper):
    cards = [card(n, me_too=n % 3) for n in range(1, 31)]
    cards.append(
        card(31, Kind.GOAL, body="llamar a mi hermana", goal_when="el domingo", dimension="community", language="es")
    )
    data = printing.board_pdf(printing.BoardSheet("Thursday circle", "en", tuple(cards)), paper)
    texts = pages(data)
    assert len(texts) > 1
    joined = " ".join(texts).replace("\n", " ")
    assert all(f"Card number {n}:" in joined for n in range(1, 31))
    assert "Voy a llamar a mi hermana" in joined and "el domingo" in joined
    assert "Our hope board" in texts[0] and "Thursday circle" in texts[0]
    assert "me too × 2" in joined and "Community" in joined


def test_an_empty_board_says_so_in_the_sessions_language():
    (text,) = pages(printing.board_pdf(printing.BoardSheet("Círculo del jueves", "es", ())))
    assert "No había tarjetas en el tablero." in text and "Nuestro tablero de esperanza" in text

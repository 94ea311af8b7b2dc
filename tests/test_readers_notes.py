"""Reader notes (converter used, numbering restored, pages without text, OCR) reach the user.

They used to be computed by the readers and dropped by the pipeline; now they are in the
scorecard's ``document.notes`` and in the terminal report's header.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEED_FILES, cli
from tests.test_readers import make_docx, seed_lines

NUMBERING_NOTE = "已按 Word 自动编号补回标题序号（如“一、”“（一）”）"


def test_notes_reach_the_scorecard_and_the_terminal(tmp_path: Path) -> None:
    path = make_docx(seed_lines(SEED_FILES[1]), tmp_path / "report.docx", auto_numbering=True)
    card = cli("check", path, "-f", "json").json()
    assert isinstance(card, dict)
    assert card["document"]["notes"] == [NUMBERING_NOTE]
    assert card["document"]["ocr_pages"] == []
    shown = cli("check", path)
    assert "说明 " + NUMBERING_NOTE in shown.stdout.replace("\n", "")


def test_a_text_file_has_no_notes(tmp_path: Path) -> None:
    card = cli("check", SEED_FILES[1], "-f", "json").json()
    assert isinstance(card, dict)
    assert card["document"]["notes"] == []
    assert all(not ev["ocr"] for item in card["items"] for ev in item["evidence"])

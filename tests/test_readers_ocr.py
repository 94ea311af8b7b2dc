"""Scanned PDFs read by OCR, the optional extra checker[ocr] (issue 14, point 1).

The scans are made here: a seed's text typeset on A4 page images with Pillow and a CJK
font, saved as a PDF without a text layer. Tests that need the OCR models skip, with the
reason, when the extra is not installed (scripts/test.sh installs it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.readers import ocr, read_report
from checker.text.decode import InputError
from tests.conftest import SEED_FILES, cli
from tests.ofd_maker import make_ofd
from tests.scan_maker import cjk_font, make_scanned_pdf, page_images
from tests.test_readers import assert_same_verdicts, seed_lines

needs_ocr = pytest.mark.skipif(
    not ocr.available(), reason="the OCR extra is not installed (pip install -e '.[ocr]'; scripts/test.sh does)"
)
needs_font = pytest.mark.skipif(
    cjk_font() is None, reason="no CJK font to draw the scans (Debian: fonts-noto-cjk or fonts-wqy-zenhei)"
)
SEED = SEED_FILES[1]


@needs_font
def test_without_the_extra_the_message_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    scan = make_scanned_pdf(seed_lines(SEED), tmp_path / "scan.pdf", max_pages=2)
    with pytest.raises(InputError) as info:
        read_report(scan)
    assert "没有文字层" in info.value.cause and ocr.INSTALL in info.value.cause


@needs_font
def test_the_page_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 2)
    scan = make_scanned_pdf(seed_lines(SEED), tmp_path / "scan.pdf", max_pages=3)
    with pytest.raises(InputError, match="超过上限 2 页"):
        read_report(scan)


@needs_ocr
@needs_font
def test_seven_page_scan_gives_the_verdicts_of_the_text(tmp_path: Path) -> None:
    import pypdfium2

    scan = make_scanned_pdf(seed_lines(SEED), tmp_path / "scan.pdf")
    assert len(pypdfium2.PdfDocument(scan)) == 7
    decoded = read_report(scan)
    assert decoded.ocr_pages == (1, 2, 3, 4, 5, 6, 7)
    assert decoded.notes[0] == "第 1—7 页是扫描页，已用文字识别（OCR）读取，引文可能有识别错字"
    assert "- 3 -" not in decoded.text  # page numbers dropped as in text PDFs
    assert_same_verdicts(SEED, decoded)


@needs_ocr
@needs_font
def test_scan_through_the_cli_marks_ocr_pages(tmp_path: Path) -> None:
    scan = make_scanned_pdf(seed_lines(SEED), tmp_path / "scan.pdf", max_pages=2)
    done = cli("check", scan, "-f", "json")
    card = json.loads(done.stdout)
    assert card["document"]["ocr_pages"] == [1, 2]
    assert any("文字识别" in note for note in card["document"]["notes"])
    evidence = [ev for item in card["items"] for ev in item["evidence"]]
    assert evidence and all(ev["ocr"] and ev["page"] in (1, 2) for ev in evidence)
    shown = cli("check", scan)
    assert "页（文字识别）" in shown.stdout


@needs_font
def test_scanned_ofd_without_the_extra_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    lines = seed_lines(SEED)
    scan = make_ofd(lines, tmp_path / "scan.ofd", scan=page_images(lines, max_pages=2))
    with pytest.raises(InputError) as info:
        read_report(scan)
    assert info.value.cause.startswith("OFD 没有文字层") and ocr.INSTALL in info.value.cause


@needs_ocr
@needs_font
def test_scanned_ofd_is_read_by_ocr(tmp_path: Path) -> None:
    lines = seed_lines(SEED)
    scan = make_ofd(lines, tmp_path / "scan.ofd", scan=page_images(lines, max_pages=2))
    decoded = read_report(scan)
    assert decoded.kind == "ofd" and decoded.ocr_pages == (1, 2)
    assert decoded.text.splitlines()[0] == lines[0]  # the title, recognised
    assert set(decoded.page_of_line) == {1, 2}

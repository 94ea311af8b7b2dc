"""Text PDFs read by PDFium (issue 14, point 2): the same text as pdfplumber, or pdfplumber.

Every PDF here is read twice, by the fast path (checker.readers.pdffast, PDFium's characters
fed to pdfplumber's line grouping) and with the fast path switched off (pdfplumber for every
page); the text, the page of every line, the reader notes and the scorecards (evidence pages
included) must be identical. The pages the fast path must leave to pdfplumber (rotated text,
fake bold, unmapped glyphs, hyphens ending a line, encrypted files, scans …) are checked to
take that path, by their Fallback code.
"""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path
from typing import Any

import pytest

from checker.readers import pdf, read_report
from checker.readers.pdfbudget import PdfBudget
from checker.readers.pdffast import Fallback, FastPdf, count_streams
from checker.text.decode import DecodedText, InputError
from tests.conftest import cli
from tests.pdf_maker import assemble
from tests.test_readers import SEEDS, _cjk_pdf, _soffice_convert, make_docx, needs_soffice, seed_lines, squash

BODY = "各级行政机关严格落实行政执法三项制度，取得明显成效。"
#: A CJK font with TrueType outlines (reportlab embeds those only).
TTF = next((f for f in (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
                        Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")) if f.is_file()), None)  # fmt: skip


def both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[DecodedText, DecodedText]:
    """The file read with the fast path and with pdfplumber only."""
    monkeypatch.setattr(pdf, "FAST_PATH", True)
    fast = read_report(path)
    monkeypatch.setattr(pdf, "FAST_PATH", False)
    slow = read_report(path)
    monkeypatch.setattr(pdf, "FAST_PATH", True)
    return fast, slow


def assert_identical(path: Path, monkeypatch: pytest.MonkeyPatch) -> DecodedText:
    fast, slow = both(path, monkeypatch)
    assert fast.text == slow.text
    assert fast.page_of_line == slow.page_of_line
    assert fast.notes == slow.notes
    return fast


def paths_taken(path: Path) -> list[str]:
    """For each page: "pdfium", or the Fallback code that leaves it to pdfplumber."""
    fast = FastPdf.open(path.read_bytes(), str(path))
    if isinstance(fast, Fallback):
        return [fast.value]
    try:
        return [got.value if isinstance(got, Fallback) else "pdfium" for got in map(fast.page, range(1, len(fast) + 1))]
    finally:
        fast.close()


def _canvas_pdf(path: Path, draw: Any, pages: int = 2) -> Path:
    """A reportlab PDF of ``pages`` pages of BODY lines; ``draw(c, y)`` replaces every third line of page 1."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in range(pages):
        y = 760.0
        for i in range(20):
            c.setFont("STSong-Light", 12)
            if page == 0 and i % 3 == 0:
                draw(c, y)
            else:
                c.drawString(72, y, f"{BODY}{i}")
            y -= 20
        c.showPage()
    c.save()
    return path


# ---------------------------------------------------------------------------------------
# Same text


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_reportlab_pdfs_read_by_pdfium_are_identical(seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _cjk_pdf(seed_lines(seed), tmp_path / "report.pdf")
    assert set(same_lines(path)) == {"pdfium"}
    out = assert_identical(path, monkeypatch)
    assert squash(out.text) == squash(seed.read_text(encoding="utf-8"))


@pytest.mark.skipif(TTF is None, reason="no CJK font with TrueType outlines (Debian: fonts-wqy-zenhei)")
def test_pdf_with_an_embedded_truetype_subset_is_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Word and WPS embed subsets of TrueType fonts with a ToUnicode map; reportlab does the same with a .ttc.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("CJK", str(TTF), subfontIndex=0))
    path = tmp_path / "ttf.pdf"
    c = canvas.Canvas(str(path))
    for page in range(3):
        c.setFont("CJK", 9)
        c.drawString(72, 800, "某某县人民政府")
        c.setFont("CJK", 12)
        for i, line in enumerate(seed_lines(SEEDS[page])[:30]):
            c.drawString(72 + (24 if i % 4 else 0), 760 - 22 * i, line[:38])
        c.drawCentredString(300, 40, f"- {page + 1} -")
        c.showPage()
    c.save()
    assert set(paths_taken(path)) == {"pdfium"}
    assert_identical(path, monkeypatch)


@needs_soffice
@pytest.mark.parametrize("seed", [SEEDS[0], SEEDS[3]], ids=lambda p: p.stem[:3])
def test_libreoffice_pdfs_read_by_pdfium_are_identical(seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = seed_lines(seed)
    path = _soffice_convert(make_docx(lines, tmp_path / "src.docx", header_footer=True), "pdf", tmp_path)
    assert set(same_lines(path)) == {"pdfium"}
    out = assert_identical(path, monkeypatch)
    assert "某某县人民政府文件" not in out.text
    assert squash(out.text) == squash("\n".join(lines))


@needs_soffice
def test_a_varied_word_layout_is_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Bold centred 16 pt headings, justified text, italic English and numbers, superscripts, tables, a landscape
    # section, running header and footer: converted by LibreOffice as a Word user would print to PDF.
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.size = Pt(12)
    doc.sections[0].header.paragraphs[0].text = "某某市司法局 2024年度报告"
    doc.sections[0].footer.paragraphs[0].text = "第 1 页"
    for k, seed in enumerate(SEEDS[:3]):
        for i, line in enumerate(ln for ln in seed_lines(seed) if ln):
            para = doc.add_paragraph()
            if i % 7 == 0:
                run = para.add_run(line)
                run.bold, run.font.size, para.alignment = True, Pt(16), WD_ALIGN_PARAGRAPH.CENTER
                continue
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            para.add_run(line[: len(line) // 2])
            para.add_run("（English: Law-based Government 2024, ISO 9001）").italic = True
            para.add_run("注1").font.superscript = True
            para.add_run(line[len(line) // 2 :])
        table = doc.add_table(rows=3, cols=3)
        for r in range(3):
            for c in range(3):
                table.cell(r, c).text = f"表格{r}{c}行政复议案件{r * 10 + c}件"
        if k == 1:
            section = doc.add_section()
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
    doc.save(str(tmp_path / "varied.docx"))
    path = _soffice_convert(tmp_path / "varied.docx", "pdf", tmp_path)
    taken = same_lines(path)
    assert len(taken) > 10 and taken.count("pdfium") > len(taken) // 2, taken
    assert set(taken) <= {"pdfium", Fallback.HYPHEN.value}, taken
    out = assert_identical(path, monkeypatch)
    assert "某某市司法局" not in out.text


CHROMIUM = Path("/usr/bin/chromium")


def same_lines(path: Path) -> list[str]:
    """Compare, page by page, the lines (text and position) of the fast path with pdfplumber's; returns the paths."""
    data = path.read_bytes()
    fast = FastPdf.open(data, str(path))
    assert isinstance(fast, FastPdf)
    slow = pdf._Plumber(data, str(path))
    taken = []
    for number in range(1, len(fast) + 1):
        got = fast.page(number)
        taken.append(got.value if isinstance(got, Fallback) else "pdfium")
        if isinstance(got, Fallback):
            continue
        lines, expected = got[0], slow.page(number)[0]
        assert [ln.text for ln in lines] == [ln.text for ln in expected]
        for a, b in zip(lines, expected, strict=True):
            # widths: PDFium keeps whole 1/1000 units where the font gives fractions (Chrome does)
            assert (a.x0, a.top, a.bottom, a.size) == pytest.approx((b.x0, b.top, b.bottom, b.size), abs=0.01)
            assert a.x1 == pytest.approx(b.x1, abs=0.3)
    return taken


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium to print a page to PDF")
def test_a_browser_printed_pdf_is_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Chrome writes Type0 / Identity-H fonts with ToUnicode maps (as Word does), draws a space as its own text
    # object (PDFium leaves those out: they come back as word breaks) and slants synthetic italics.
    import html
    import subprocess

    parts = []
    for seed in SEEDS[:2]:
        for i, line in enumerate(ln for ln in seed_lines(seed) if ln):
            text = html.escape(line)
            parts.append(f"<h2>{text}</h2>" if i % 9 == 0 else f"<p>{text} <i>Law based 2024</i><sup>1</sup></p>")
    page = tmp_path / "r.html"
    page.write_text("<html><head><meta charset='utf-8'><style>body{font-family:'WenQuanYi Zen Hei';font-size:14pt}"
                    "p{text-indent:2em;text-align:justify}</style></head><body>" + "".join(parts) + "</body></html>",
                    encoding="utf-8")  # fmt: skip
    path = tmp_path / "r.pdf"
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={path}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    taken = same_lines(path)
    assert len(taken) > 5 and set(taken) <= {"pdfium", Fallback.HYPHEN.value} and taken.count("pdfium") > len(taken) // 2
    out = assert_identical(path, monkeypatch)
    assert "Law based 2024" in out.text


def test_scorecards_are_identical_with_evidence_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _cjk_pdf(seed_lines(SEEDS[1]), tmp_path / "report.pdf")
    cards = []
    for fast in (True, False):
        monkeypatch.setattr(pdf, "FAST_PATH", fast)
        done = cli("check", path, "-f", "json")
        assert done.code in (0, 1), done.stderr
        cards.append(json.loads(done.stdout))
    assert cards[0] == cards[1]
    pages = {e["page"] for item in cards[0]["items"] for e in item.get("evidence", []) if e.get("page")}
    assert len(pages) > 1, "evidence on several pages"


# ---------------------------------------------------------------------------------------
# Where pdfplumber must read


def test_rotated_text_leaves_the_page_to_pdfplumber(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def rotated(c: Any, y: float) -> None:
        c.saveState()
        c.translate(300, y)
        c.rotate(30)
        c.drawString(0, 0, BODY)
        c.restoreState()

    path = _canvas_pdf(tmp_path / "rotated.pdf", rotated)
    assert paths_taken(path) == [Fallback.ROTATED.value, "pdfium"]
    out = assert_identical(path, monkeypatch)
    assert "\n".join(f"{BODY}{i}" for i in range(20)) in out.text, "page 2, read by PDFium"


def test_horizontal_scaling_and_slanted_text_stay_on_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tz (character scaling in Word) and a slant (synthetic italics): pdfminer's boxes, computed the same way.
    def scaled(c: Any, y: float) -> None:
        text = c.beginText(72, y)
        text.setFont("STSong-Light", 12)
        text.setHorizScale(80)
        text.textOut(BODY + "2024 ABC")
        c.drawText(text)
        c.saveState()
        c.transform(1, 0, 0.25, 1, 0, 0)
        c.drawString(72 - 0.25 * (y - 10), y - 10, "ISO 9001 Law based")
        c.restoreState()

    path = _canvas_pdf(tmp_path / "tz.pdf", scaled)
    assert same_lines(path) == ["pdfium", "pdfium"]
    out = assert_identical(path, monkeypatch)
    assert "ISO 9001 Law based" in out.text


def test_fake_bold_leaves_the_page_to_pdfplumber(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Text drawn twice, a little apart (bold without a bold font): PDFium keeps one copy, pdfplumber both.
    def bold(c: Any, y: float) -> None:
        c.drawString(72, y, BODY)
        c.drawString(72.4, y, BODY)

    path = _canvas_pdf(tmp_path / "bold.pdf", bold)
    assert paths_taken(path) == [Fallback.DROPPED.value, "pdfium"]
    assert_identical(path, monkeypatch)


def test_character_spacing_and_rise_stay_on_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def spaced(c: Any, y: float) -> None:
        text = c.beginText(72, y)
        text.setFont("STSong-Light", 12)
        text.setCharSpace(1.5)
        text.textOut(BODY[:10])
        text.setRise(4)
        text.textOut("1")
        text.setRise(0)
        text.textOut(BODY[10:] + "2024年ABC")
        c.drawText(text)

    path = _canvas_pdf(tmp_path / "spaced.pdf", spaced)
    assert paths_taken(path) == ["pdfium", "pdfium"]
    assert_identical(path, monkeypatch)


def _raw_pdf(content: bytes, font: bytes, extra: list[bytes]) -> bytes:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream", font, *extra]  # fmt: skip
    return assemble(objs)


def test_glyphs_without_unicode_leave_the_page_to_pdfplumber(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An Identity-H font with no ToUnicode map: pdfminer gives "(cid:N)"; PDFium guesses the CID is the
    # character and flags the guess. The page goes to pdfplumber and its cid/pypdf handling.
    runs = b" ".join(b"<%s> Tj 0 -20 Td" % b"".join(b"%04X" % (0x4E00 + 7 * i + j) for j in range(20)) for i in range(20))
    font = b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H /DescendantFonts [6 0 R] >>"
    cid = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMap /DW 1000 /FontDescriptor 7 0 R"
           b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>")  # fmt: skip
    descriptor = b"<< /Type /FontDescriptor /FontName /NoMap /Flags 4 /FontBBox [0 -200 1000 800] /Descent -200 >>"
    path = tmp_path / "nomap.pdf"
    path.write_bytes(_raw_pdf(b"BT /F1 14 Tf 72 760 Td " + runs + b" ET", font, [cid, descriptor]))
    assert paths_taken(path) == [Fallback.UNMAPPED.value]
    causes = []
    for fast in (True, False):
        monkeypatch.setattr(pdf, "FAST_PATH", fast)
        with pytest.raises(InputError) as info:
            read_report(path)
        causes.append(info.value.cause)
    assert causes[0] == causes[1]


def test_owner_password_pdf_is_left_to_pdfplumber(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Encrypted streams cannot be counted against the budget before PDFium inflates them.
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption("", ownerPassword="owner", canModify=0, canCopy=0)
    path = _cjk_pdf(seed_lines(SEEDS[2]), tmp_path / "restricted.pdf", encrypt=enc)
    assert paths_taken(path) == [Fallback.ENCRYPTED.value]
    assert_identical(path, monkeypatch)


def test_a_page_pdfium_fails_on_is_read_by_pdfplumber(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _cjk_pdf(seed_lines(SEEDS[4]), tmp_path / "report.pdf")
    expected = read_report(path)
    real = FastPdf._page

    def failing(self: FastPdf, number: int) -> Any:
        if number == 2:
            raise RuntimeError("damaged page")
        return real(self, number)

    monkeypatch.setattr(FastPdf, "_page", failing)
    assert paths_taken(path)[:3] == ["pdfium", Fallback.PAGE_ERROR.value, "pdfium"]
    assert read_report(path) == expected


def test_scanned_pages_keep_pdfplumbers_checks(tmp_path: Path) -> None:
    from tests.test_readers import _scanned_pdf

    assert paths_taken(_scanned_pdf(tmp_path / "scan.pdf")) == [Fallback.LITTLE_TEXT.value] * 2


@pytest.mark.parametrize(
    "filters", [b"/Filter [ /LZWDecode /FlateDecode ]", b"/Filter [ /RL /FlateDecode ]", b"/Filter 99 0 R"],
    ids=["lzw", "runlength-abbreviated", "by-reference"],
)
def test_a_filter_the_budget_cannot_count_leaves_the_file_to_pdfplumber(filters: bytes, tmp_path: Path) -> None:
    data = _cjk_pdf(seed_lines(SEEDS[2]), tmp_path / "a.pdf").read_bytes()
    path = tmp_path / "filtered.pdf"
    path.write_bytes(data.replace(b"/Filter [ /ASCII85Decode /FlateDecode ]", filters, 1))
    assert paths_taken(path) == [Fallback.FILTER.value]


# ---------------------------------------------------------------------------------------
# The budget applies before PDFium sees the file


def _bomb_content(megabytes: int) -> bytes:
    comp = zlib.compressobj(9)
    return b"".join(comp.compress(b" " * (1 << 20)) for _ in range(megabytes)) + comp.flush()


@pytest.mark.parametrize("ascii85", [False, True], ids=["flate", "ascii85-flate"])
def test_a_decompression_bomb_never_reaches_pdfium(ascii85: bool) -> None:
    import base64

    def one_stream(inflated: bytes) -> bytes:
        body, head = inflated, b"<< /Length %d /Filter /FlateDecode >>"
        if ascii85:
            body, head = base64.a85encode(body, wrapcol=80) + b"~>", b"<< /Length %d /Filter [ /ASCII85Decode /FlateDecode ] >>"
        return b"%PDF-1.4\n4 0 obj\n" + head % len(body) + b"\nstream\n" + body + b"\nendstream\nendobj\n"

    # Past the budget the file goes to pdfplumber, whose own budget refuses a bomb (test_security runs one
    # through the CLI: 解压后超过 128 MB).
    assert count_streams(one_stream(_bomb_content(200)), PdfBudget("bomb.pdf")) == Fallback.BUDGET
    budget = PdfBudget("small.pdf")
    small = zlib.compress(b"BT ET")
    assert count_streams(one_stream(small), budget) is None
    assert budget.limit - budget.left == len(b"BT ET") + (len(base64.a85encode(small, wrapcol=80)) + 2 if ascii85 else 0)


def test_a_bomb_pdf_is_refused_with_the_budget_message(tmp_path: Path) -> None:
    from tests.test_security import _pdf_bomb

    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf_bomb(200))
    assert paths_taken(path) == [Fallback.BUDGET.value]
    with pytest.raises(InputError, match="解压后超过 128 MB"):
        read_report(path)


def test_large_images_do_not_refuse_a_text_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pdfminer never inflates image data; a report with 150 MB of (Flate) images is read, by pdfplumber.
    data = _cjk_pdf(seed_lines(SEEDS[1]), tmp_path / "text.pdf").read_bytes()
    image = zlib.compress(b"\xff" * (150 << 20))
    xobject = (b"99 0 obj\n<< /Type /XObject /Subtype /Image /Width 10240 /Height 5120 /ColorSpace /DeviceRGB"
               b" /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(image) + image
               + b"\nendstream\nendobj\n")  # fmt: skip
    path = tmp_path / "images.pdf"
    path.write_bytes(data.replace(b"%%EOF", b"", 1) + xobject + b"%%EOF\n")
    assert paths_taken(path) == [Fallback.BUDGET.value]
    out = assert_identical(path, monkeypatch)
    assert squash(out.text) == squash(SEEDS[1].read_text(encoding="utf-8"))


def test_page_count_cap_applies_on_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "MAX_PDF_PAGES", 3)
    path = _cjk_pdf(seed_lines(SEEDS[0]), tmp_path / "long.pdf")
    with pytest.raises(InputError, match=re.escape("上限 3 页")):
        read_report(path)


def test_text_in_form_xobjects_stays_on_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A running header drawn from a form XObject, once in place and once moved down by a transform.
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "form.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.beginForm("header")
    c.setFont("STSong-Light", 10)
    c.drawString(72, 800, "某某县人民政府办公室文件")
    c.endForm()
    for _ in range(3):
        c.doForm("header")
        c.saveState()
        c.translate(0, -30)
        c.doForm("header")
        c.restoreState()
        c.setFont("STSong-Light", 12)
        for i in range(20):
            c.drawString(72, 740 - 20 * i, f"{BODY}{i}")
        c.showPage()
    c.save()
    assert paths_taken(path) == ["pdfium"] * 3
    out = assert_identical(path, monkeypatch)
    assert "某某县人民政府办公室文件" not in out.text and out.notes == ("已去除页码和页眉页脚 6 行",)

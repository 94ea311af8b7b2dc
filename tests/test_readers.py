"""Real input formats (issue 6): Word, PDF and saved web pages made from the seed reports.

Every file is generated here from ``seeds/*.txt`` (python-docx for .docx, reportlab for
PDF, LibreOffice for the PDF/.doc round trips when it is installed). The extracted text,
built into a Document and run through the checklists, must give the same verdicts as the
.txt; bad inputs must raise InputError with a Chinese message within seconds.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from checker.document.model import build
from checker.document.profile import profile
from checker.engine import run
from checker.readers import ocr, read_report, ziplimits
from checker.rules.checklist import bundled
from checker.rules.loader import load_many
from checker.text.decode import DecodedText, InputError, read_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (Debian: libreoffice-writer-nogui) is not installed"
)

_HEADING = re.compile(r"^(?:([一二三四五六七八九十]{1,3})、|[（(]([一二三四五六七八九十]{1,3})[)）]|(\d{1,2})、)")
_CN = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


def _cn_value(text: str) -> int:
    if len(text) == 1:
        return _CN[text]
    if text.startswith("十"):
        return 10 + _CN[text[1]]
    return _CN[text[0]] * 10 + (_CN[text[2]] if len(text) == 3 else 0)


@cache
def _checklists() -> tuple[Any, ...]:
    specs: list[str] = [spec for spec in ("report-structure", "gangyao-2021") if spec in bundled()]
    return tuple(load_many(specs))


def verdicts(text: str) -> dict[tuple[str, str], str]:
    doc = build(text, path="<test>")
    report = run(_checklists(), doc, profile(doc))
    return {(r.checklist, r.item.id): r.status.value for r in report.items}


def squash(text: str) -> str:
    """Text without whitespace, half-/full-width brackets unified."""
    return re.sub(r"\s+", "", text).translate(str.maketrans("()", "（）"))


def seed_lines(seed: Path) -> list[str]:
    return [line.strip() for line in seed.read_text(encoding="utf-8").splitlines()]


def assert_same_verdicts(seed: Path, extracted: DecodedText) -> None:
    expected = verdicts(seed.read_text(encoding="utf-8"))
    got = verdicts(extracted.text)
    differing = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
    assert not differing, f"{seed.name} ({extracted.kind}): verdicts differ from the .txt: {differing}"


# ---------------------------------------------------------------------------------------
# Generators


def _numbering_xml(numbering: Any) -> tuple[str, str]:
    """Add a Chinese multilevel list (一、 / （一） / 1、) to a numbering part; returns (numId, abstractNumId)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    abstract_id, num_id = "90", "90"
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3、")]
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:suff w:val="nothing"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return num_id, abstract_id


def _set_num(element: Any, num_id: str, ilvl: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = element.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def make_docx(
    lines: list[str],
    path: Path,
    *,
    auto_numbering: bool = False,
    header_footer: bool = False,
    table_rows: tuple[int, int] | None = None,
) -> Path:
    """A Word document with one paragraph per line.

    ``auto_numbering``: headings 一、/（一）/1、 lose their typed marker and get Word's
    automatic numbering instead (top level through the Heading 1 style's numPr, the others
    through the paragraph's own numPr), where the typed number is the one Word would give.
    ``table_rows``: lines [a, b) go into a one-column table, one row each.
    ``header_footer``: a running header and a PAGE field in the footer.
    """
    import docx
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    if header_footer:
        section = document.sections[0]
        section.header.paragraphs[0].text = "某某县人民政府文件"
        run = section.footer.paragraphs[0].add_run("第 ")
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            if kind is not None:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            elif text == "1":
                el = OxmlElement("w:t")
                el.text = text
            else:
                el = OxmlElement("w:instrText")
                el.text = text
            run._r.append(el)
        section.footer.paragraphs[0].add_run(" 页")
    num_id = ""
    if auto_numbering:
        numbering = document.part.numbering_part.element
        num_id, _ = _numbering_xml(numbering)
        heading1 = document.styles["Heading 1"].element
        heading1.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
        )
    counters = [0, 0, 0]
    table = None
    for idx, line in enumerate(lines):
        if table_rows and table_rows[0] <= idx < table_rows[1]:
            if table is None:
                table = document.add_table(rows=0, cols=1)
            table.add_row().cells[0].text = line
            continue
        m = _HEADING.match(line) if auto_numbering else None
        if m is not None:
            level = next(i for i in range(3) if m.group(i + 1))
            value = int(m.group(3)) if level == 2 else _cn_value(m.group(level + 1))
            if value == counters[level] + 1:
                counters[level] = value
                for deeper in range(level + 1, 3):
                    counters[deeper] = 0
                rest = line[m.end() :]
                if level == 0:
                    document.add_paragraph(rest, style="Heading 1")
                else:
                    para = document.add_paragraph(rest)
                    _set_num(para._p, num_id, level)
                continue
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _cjk_pdf(lines: list[str], path: Path, *, encrypt: Any = None, running: bool = True) -> Path:
    """A multi-page A4 PDF: 14 pt CID font (no font file needed), lines wrapped at the margin,
    first-line indent of two characters, a running header and a page number."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    width, height = A4
    left, size = 72.0, 14.0
    usable = width - 2 * left
    page = 1
    y = height - 90

    def decorate() -> None:
        if running:
            c.setFont(font, 10)
            c.drawString(left, height - 50, "某某县人民政府办公室")
            c.drawCentredString(width / 2, 40, f"— {page} —")
        c.setFont(font, size)

    decorate()
    for line in lines:
        if not line:
            continue
        indent = 2 * size if not _HEADING.match(line) else 0.0
        rest = line
        while rest:
            avail = usable - indent
            n = 1
            while n < len(rest) and pdfmetrics.stringWidth(rest[: n + 1], font, size) <= avail:
                n += 1
            # word wrap: a Latin word or number moves to the next line whole
            k = n
            while 0 < k < len(rest) and rest[k - 1].isascii() and rest[k].isascii() and rest[k].isalnum():
                k -= 1
            n = k if k > 0 else n
            if y < 80:
                c.showPage()
                page += 1
                y = height - 90
                decorate()
            c.drawString(left + indent, y, rest[:n])
            rest, indent, y = rest[n:], 0.0, y - size * 1.6
    c.save()
    return path


def _scanned_pdf(path: Path) -> Path:
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(img)
    for row in range(40, 760, 24):
        draw.rectangle((60, row, 540, row + 12), fill=30)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        buf.seek(0)
        c.drawImage(ImageReader(buf), 40, 40, width=515, height=760)
        c.showPage()
    c.save()
    return path


def _soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    assert SOFFICE is not None
    profile_dir = outdir / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile_dir.as_uri()}", "--headless", "--convert-to", fmt,
         "--outdir", str(outdir), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.exists(), f"LibreOffice did not produce {out.name}"
    return out


def _fails_fast(path: Path, *words: str) -> InputError:
    started = time.monotonic()
    with pytest.raises(InputError) as info:
        read_report(path)
    assert time.monotonic() - started < 10, "refusing a bad input must take seconds, not minutes"
    cause = info.value.cause
    assert re.search(r"[\u4e00-\u9fff]", cause), cause
    assert "\n" not in cause
    for word in words:
        assert word in cause, cause
    return info.value


# ---------------------------------------------------------------------------------------
# .txt stays as it was


def test_txt_reads_as_before() -> None:
    for seed in SEEDS:
        assert read_report(seed) == read_text(seed)


# ---------------------------------------------------------------------------------------
# .docx


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_docx_plain_same_verdicts(seed: Path, tmp_path: Path) -> None:
    lines = seed_lines(seed)
    out = read_report(make_docx(lines, tmp_path / "report.docx"))
    assert out.kind == "docx" and out.locator == "paragraph"
    assert squash(out.text) == squash("\n".join(lines))
    # line N is paragraph N
    assert out.text.splitlines() == list(lines)[: len(out.text.splitlines())]
    assert_same_verdicts(seed, out)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_docx_automatic_numbering_recovers_markers(seed: Path, tmp_path: Path) -> None:
    lines = seed_lines(seed)
    path = make_docx(lines, tmp_path / "numbered.docx", auto_numbering=True)
    # the typed markers really are gone from the document body
    import docx

    stored = [p.text for p in docx.Document(str(path)).paragraphs]
    assert sum(1 for p in stored if _HEADING.match(p)) < sum(1 for ln in lines if _HEADING.match(ln))
    out = read_report(path)
    assert squash(out.text) == squash("\n".join(lines))
    assert any("自动编号" in note for note in out.notes)
    assert_same_verdicts(seed, out)


def test_docx_numbering_formats_and_restart(tmp_path: Path) -> None:
    lines = ["一、总体情况", "（一）第一项", "（二）第二项", "二、存在问题", "（一）重新编号", "1、细目"]
    out = read_report(make_docx([*lines, "本段正文。" * 5], tmp_path / "n.docx", auto_numbering=True))
    assert out.text.splitlines()[:6] == lines


def test_docx_table_rows(tmp_path: Path) -> None:
    seed = SEEDS[4]
    lines = seed_lines(seed)
    body = [i for i, ln in enumerate(lines) if len(ln) > 80]
    a, b = body[1], body[1] + 3
    out = read_report(make_docx(lines, tmp_path / "table.docx", table_rows=(a, b)))
    assert squash(out.text) == squash("\n".join(lines))
    assert_same_verdicts(seed, out)

    # a real two-column table: header row, merged cell read once, cells joined with "；"
    import docx

    document = docx.Document()
    document.add_paragraph("某县2023年法治政府建设年度报告")
    document.add_paragraph("现将有关情况报告如下：")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("序号", "事项", "完成情况"), ("1", "行政复议案件", ""), ("2", "行政应诉", "")]):
        for col, text in enumerate(row):
            table.cell(r, col).text = text
    table.cell(1, 2).merge(table.cell(2, 2)).text = "均已办结"  # vertical merge
    table.cell(0, 0).merge(table.cell(0, 1)).text = "事项"  # horizontal merge (gridSpan)
    document.add_paragraph("特此报告。")
    document.save(str(tmp_path / "t2.docx"))
    got = read_report(tmp_path / "t2.docx").text.splitlines()
    assert got == [
        "某县2023年法治政府建设年度报告",
        "现将有关情况报告如下：",
        "事项；完成情况",
        "1；行政复议案件；均已办结",
        "2；行政应诉",
        "特此报告。",
    ]


def test_docx_header_footer_ignored(tmp_path: Path) -> None:
    seed = SEEDS[1]
    lines = seed_lines(seed)
    out = read_report(make_docx(lines, tmp_path / "hf.docx", header_footer=True))
    assert "某某县人民政府文件" not in out.text
    assert "PAGE" not in out.text
    assert squash(out.text) == squash("\n".join(lines))
    assert_same_verdicts(seed, out)


def test_docx_under_doc_extension_is_read(tmp_path: Path) -> None:
    """Government sites often serve a .docx (or a Word HTML page) under the name .doc."""
    seed = SEEDS[0]
    lines = seed_lines(seed)
    path = make_docx(lines, tmp_path / "report.docx")
    renamed = path.rename(tmp_path / "report.doc")
    out = read_report(renamed)
    assert squash(out.text) == squash("\n".join(lines))


# ---------------------------------------------------------------------------------------
# .doc/.wps/.odt through LibreOffice


@needs_soffice
def test_doc_via_libreoffice(tmp_path: Path) -> None:
    seed = SEEDS[4]
    lines = seed_lines(seed)
    src = make_docx(lines, tmp_path / "src.docx", auto_numbering=True)
    doc = _soffice_convert(src, "doc:MS Word 97", tmp_path)
    assert doc.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    out = read_report(doc)
    assert out.kind == "doc"
    assert any("LibreOffice" in note for note in out.notes)
    assert squash(out.text) == squash("\n".join(lines))
    assert_same_verdicts(seed, out)


def test_doc_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKER_SOFFICE", str(tmp_path / "no-such-soffice"))  # configured, not there
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    _fails_fast(path, "LibreOffice", ".doc")


@needs_soffice
def test_corrupt_doc_via_libreoffice_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 20)
    with pytest.raises(InputError) as info:
        read_report(path)
    assert re.search(r"[\u4e00-\u9fff]", info.value.cause)


# ---------------------------------------------------------------------------------------
# PDF


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_pdf_same_verdicts(seed: Path, tmp_path: Path) -> None:
    lines = seed_lines(seed)
    out = read_report(_cjk_pdf(lines, tmp_path / "report.pdf"))
    assert out.kind == "pdf" and out.locator == "page"
    assert len(out.page_of_line) == len(out.text.splitlines())
    assert out.page_of_line[0] == 1 and out.page_of_line[-1] > 1, "a multi-page report"
    assert list(out.page_of_line) == sorted(out.page_of_line)
    assert "某某县人民政府办公室" not in out.text, "running header dropped"
    assert not re.search(r"(?m)^—\s*\d+\s*—$", out.text), "page numbers dropped"
    assert squash(out.text) == squash("\n".join(lines))
    # lines broken at the margin are re-joined: one line per paragraph, as in the .txt
    assert [squash(ln) for ln in out.text.splitlines()] == [squash(ln) for ln in lines if ln]
    assert_same_verdicts(seed, out)


@needs_soffice
@pytest.mark.parametrize("seed", [SEEDS[0], SEEDS[3]], ids=lambda p: p.stem[:3])
def test_pdf_from_libreoffice_same_verdicts(seed: Path, tmp_path: Path) -> None:
    lines = seed_lines(seed)
    pdf = _soffice_convert(make_docx(lines, tmp_path / "src.docx", header_footer=True), "pdf", tmp_path)
    out = read_report(pdf)
    assert "某某县人民政府文件" not in out.text
    assert squash(out.text) == squash("\n".join(lines))
    assert_same_verdicts(seed, out)


def test_pdf_heading_keeps_its_own_line(tmp_path: Path) -> None:
    body = "各级行政机关严格落实行政执法三项制度，" * 6
    lines = [
        "一、主要工作",
        body + "取得明显成效。",
        "二、存在问题",
        body + "仍有不足。",
        "（一）制度建设",
        body + "。",
    ]
    out = read_report(_cjk_pdf(lines, tmp_path / "h.pdf", running=False))
    assert out.text.splitlines() == lines


def test_pdf_owner_password_only_is_readable(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    seed = SEEDS[2]
    enc = StandardEncryption("", ownerPassword="owner", canModify=0, canCopy=0)
    out = read_report(_cjk_pdf(seed_lines(seed), tmp_path / "restricted.pdf", encrypt=enc))
    assert squash(out.text) == squash(seed.read_text(encoding="utf-8"))


def test_pdf_encrypted(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption("secret", ownerPassword="owner")
    path = _cjk_pdf(seed_lines(SEEDS[2]), tmp_path / "locked.pdf", encrypt=enc)
    _fails_fast(path, "密码")


def test_pdf_scanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the OCR extra a scan is refused, and the message names the command that installs it
    # (with the extra, tests/test_readers_ocr.py reads scans).
    monkeypatch.setattr(ocr, "available", lambda: False)
    _fails_fast(_scanned_pdf(tmp_path / "scan.pdf"), "OCR", "文字层", "pip install 'checker[ocr]'")


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_text("<html><body><p>法治政府建设年度报告</p></body></html>", encoding="utf-8")
    _fails_fast(path, "PDF")


def test_truncated_pdf(tmp_path: Path) -> None:
    data = _cjk_pdf(seed_lines(SEEDS[2]), tmp_path / "full.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    try:
        out = read_report(path)  # pdfminer may recover the pages it can read
    except InputError as exc:
        assert re.search(r"[\u4e00-\u9fff]", exc.cause)
    else:
        assert out.kind == "pdf"


# ---------------------------------------------------------------------------------------
# HTML


def test_saved_page_extracts_article() -> None:
    seed = ROOT / "seeds" / "001_335ed3547a572491.txt"
    out = read_report(FIXTURES / "saved_page_001.html")
    assert out.kind == "html"
    lines = out.text.splitlines()
    assert lines[0] == "紫阳县2023年法治政府建设工作总结"
    assert lines[1].startswith("发布时间：2024-03-04")
    for chrome in ("首页", "政务公开", "分享到", "打印本页", "网站标识码", "ICP", "相关阅读", "无障碍", "搜索"):
        assert chrome not in out.text, chrome
    seed_body = [ln for ln in seed_lines(seed)[3:] if ln]
    assert lines[2:] == seed_body
    assert_same_verdicts(seed, out)


def test_html_gbk_page(tmp_path: Path) -> None:
    page = (FIXTURES / "saved_page_001.html").read_text(encoding="utf-8").replace("charset=utf-8", "charset=gb2312")
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gb18030"))
    assert read_report(path).text == read_report(FIXTURES / "saved_page_001.html").text


def test_html_without_article(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_text(
        "<html><head><title>紫阳县人民政府</title></head><body><ul><li><a href='/a'>首页</a></li>"
        "<li><a href='/b'>政务公开</a></li></ul></body></html>",
        encoding="utf-8",
    )
    _fails_fast(path, "正文")


# ---------------------------------------------------------------------------------------
# Bad Word files


def test_empty_docx_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    _fails_fast(path, "空")


def test_docx_without_text(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    _fails_fast(path, "文字")


def test_truncated_docx(tmp_path: Path) -> None:
    data = make_docx(seed_lines(SEEDS[0]), tmp_path / "ok.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    _fails_fast(path, "损坏")


def test_docx_with_damaged_body(tmp_path: Path) -> None:
    src = make_docx(seed_lines(SEEDS[0]), tmp_path / "ok.docx")
    path = tmp_path / "bad.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            zout.writestr(item, data)
    _fails_fast(path, "Word")


def _bomb(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path


def test_zip_bomb_ratio(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.docx", 64 * 1024 * 1024)
    assert path.stat().st_size < 1024 * 1024
    _fails_fast(path, "压缩")


def test_zip_bomb_total_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ziplimits, "MAX_UNZIPPED", 4 * 1024 * 1024)
    _fails_fast(_bomb(tmp_path / "big.docx", 8 * 1024 * 1024), "解压后体积过大")


def test_password_protected_docx(tmp_path: Path) -> None:
    # Word saves a password-protected .docx as an OLE container holding EncryptionInfo
    # and EncryptedPackage streams; the directory entries carry UTF-16 names.
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    data += "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / "locked.docx"
    path.write_bytes(bytes(data))
    _fails_fast(path, "密码")


def test_unsupported_and_missing(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"PK\x03\x04")
    _fails_fast(path, "是电子表格")
    odd = tmp_path / "report.xyz"
    odd.write_bytes(b"PK\x03\x04")
    _fails_fast(odd, "不支持")
    _fails_fast(tmp_path / "nope.docx", "不存在")


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 100),
        lambda p: p.write_bytes(bytes(range(256)) * 10),
        lambda p: p.write_text("这不是一个 Word 文件", encoding="utf-8"),
    ],
    ids=["zip-header-only", "random-bytes", "text"],
)
def test_garbage_docx(tmp_path: Path, make: Callable[[Path], object]) -> None:
    path = tmp_path / "garbage.docx"
    make(path)
    _fails_fast(path)

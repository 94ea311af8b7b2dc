"""PDF with a text layer, read with pdfplumber (pdfminer's layout engine).

Text lines in reading order, running headers/footers and page numbers dropped, lines
re-joined into paragraphs by geometry (a line that reaches the right margin continues on
the next unindented line); each line remembers its page. Fonts pdfminer cannot map to
Unicode fall back to pypdf page by page.
"""

from __future__ import annotations

import contextlib
import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from checker.readers.common import HAN, Source, finish
from checker.readers.sniff import SNIFF_LABELS
from checker.text.decode import DecodedText, InputError

#: Every suffix this reader is chosen for.
SUFFIXES = frozenset({".pdf"})
#: PDFs with more pages are refused (an annual report has 5–40).
MAX_PDF_PAGES = 500

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–_\s·]*\d{1,4}[-—–_\s·]*|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-—–]?\s*[〇一二三四五六七八九十]{1,4}\s*[-—–]?)$"
)
_HEADING_START = re.compile(
    r"^(?:第[一二三四五六七八九十]{1,3}(?:部分|章|节|篇)|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]"
    r"|\d{1,2}(?:、|[.．](?!\d))|[（(]\d{1,2}[)）]|[①-⑳])"
)
_CID = re.compile(r"\(cid:\d+\)")
_CJKISH = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》]"
_CJK_SPACE = re.compile(rf"(?<={_CJKISH})[ \t\u00a0]+|[ \t\u00a0]+(?={_CJKISH})")
_TERMINAL = "。！？；：…"
_LEADING_WORD = re.compile(r"[A-Za-z0-9.%‰\-+/:,()\[\]]+")
_NO_LINE_START = frozenset("。，、；：！？）》」』”’】〕…—·")


@dataclass(slots=True)
class _PdfLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int  # 1-based
    geometry: bool = True  # False for lines from the pypdf fallback (no positions)


def _open_pdf(data: bytes, display: str) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        if isinstance(inner, PDFPasswordIncorrect):
            raise InputError(display, "PDF 设置了打开密码（已加密），请先取消密码或另存为无密码的 PDF") from None
        if isinstance(inner, PDFEncryptionError):
            raise InputError(display, f"PDF 使用了不支持的加密方式，无法读取（{inner}）") from None
        raise InputError(display, "PDF 文件已损坏或不完整，无法打开") from None


def _page_lines(page: Any, number: int) -> tuple[list[_PdfLine], int, bool]:
    """Text lines of one page (reading order), count of unmapped glyphs, whether it has images."""
    upright = page.filter(lambda obj: obj.get("object_type") != "char" or obj.get("upright", True))
    raw_lines = upright.extract_text_lines(layout=False, strip=True, return_chars=True)
    lines: list[_PdfLine] = []
    cids = 0
    for ln in raw_lines:
        text = ln["text"]
        cids += len(_CID.findall(text))
        text = _CJK_SPACE.sub("", _CID.sub("", text)).strip()
        if not text:
            continue
        sizes = [c.get("size", 0.0) for c in ln.get("chars", ()) if not c.get("text", " ").isspace()]
        size = statistics.median(sizes) if sizes else 10.0
        lines.append(_PdfLine(text, ln["x0"], ln["x1"], ln["top"], ln["bottom"], float(size), number))
    has_images = bool(page.images)
    return lines, cids, has_images


def _pypdf_page_lines(data: bytes, number: int, height: float, cache: dict[str, Any]) -> list[_PdfLine] | None:
    """Text of one page by pypdf, for fonts pdfminer cannot map to Unicode (it reports
    ``(cid:N)`` glyphs, e.g. non-embedded CID fonts in an encrypted file). pypdf keeps no
    positions, so these lines are not re-joined; header/footer zones are the first and
    last two lines."""
    import pypdf

    try:
        if "reader" not in cache:
            cache["reader"] = pypdf.PdfReader(io.BytesIO(data))
        text = cache["reader"].pages[number - 1].extract_text() or ""
    except Exception:  # the fallback failing leaves pdfplumber's result in place
        return None
    raw = [t for t in (_CJK_SPACE.sub("", ln).strip() for ln in text.splitlines()) if t]
    if len(HAN.findall("".join(raw))) < 5:
        return None
    n = len(raw)
    out = []
    for i, t in enumerate(raw):
        top = 0.0 if i < 2 else height / 2
        bottom = height if i >= n - 2 else height / 2
        out.append(_PdfLine(t, 0.0, 0.0, top, bottom, 10.0, number, geometry=False))
    return out


def _running_lines(pages: list[list[_PdfLine]], heights: list[float]) -> set[tuple[int, int]]:
    """(page, index) of page numbers and running headers/footers."""
    drop: set[tuple[int, int]] = set()
    candidates: dict[str, set[int]] = {}
    where: list[tuple[str, int, int]] = []
    for p, lines in enumerate(pages):
        height = heights[p] or 842.0
        n = len(lines)
        for i, ln in enumerate(lines):
            edge = i < 2 or i >= n - 2
            in_margin = ln.top < height * 0.14 or ln.bottom > height * 0.86
            if not (edge and in_margin):
                continue
            if _PAGE_NUMBER.match(ln.text.replace(" ", "")):
                drop.add((p, i))
                continue
            key = re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text))
            candidates.setdefault(key, set()).add(p)
            where.append((key, p, i))
    if len(pages) >= 2:
        need = max(2, (len(pages) + 1) // 2)
        repeated = {k for k, ps in candidates.items() if len(ps) >= need}
        drop.update((p, i) for key, p, i in where if key in repeated)
    return drop


def _join_paragraphs(lines: list[_PdfLine]) -> list[_PdfLine]:
    """Re-join lines of one paragraph: a line reaching the right margin goes on in the next
    unindented line. Headings (markers, other font size) always start a new line."""
    long_lines = [ln for ln in lines if len(ln.text) >= 12 and ln.geometry] or [ln for ln in lines if ln.geometry]
    if not long_lines:
        return lines
    left = Counter(round(ln.x0) for ln in long_lines).most_common(1)[0][0]
    rights = sorted(ln.x1 for ln in long_lines)
    right = rights[int(len(rights) * 0.9)] if len(rights) > 2 else rights[-1]
    out: list[_PdfLine] = []
    for ln in lines:
        prev = out[-1] if out else None
        if prev is not None and prev.geometry and ln.geometry:
            em = max(prev.size, 1.0)
            # Slack for what line breaking pushes down: a whole Latin word or number, or a
            # character pulled along by closing punctuation that may not start a line.
            slack = 1.6
            word = _LEADING_WORD.match(ln.text)
            if word:
                slack += 0.6 * len(word.group())
            elif ln.text[1:2] in _NO_LINE_START or ln.text[:1] in _NO_LINE_START:
                slack += 2.4
            full = prev.x1 >= right - slack * em
            flush = ln.x0 <= left + 0.8 * em
            same_font = abs(ln.size - prev.size) <= 0.15 * em
            near = ln.page != prev.page or 0 <= ln.top - prev.bottom <= 1.8 * em
            if full and flush and same_font and near and not _HEADING_START.match(ln.text):
                sep = " " if prev.text[-1:].isascii() and prev.text[-1:].isalnum() and ln.text[:1].isascii() else ""
                prev.text = prev.text + sep + ln.text
                prev.x1, prev.bottom = ln.x1, ln.bottom
                if ln.page != prev.page:
                    prev.top = ln.top  # geometry of the continuation, for the next test
                continue
        out.append(_PdfLine(ln.text, ln.x0, ln.x1, ln.top, ln.bottom, ln.size, ln.page))
    return out


def read(src: Source) -> DecodedText:
    """Read a PDF's text layer; a file that is not a PDF inside is refused with what it is."""
    if src.sniffed != "pdf":
        raise src.fail(f"扩展名是 .pdf，但文件内容不是 PDF（{SNIFF_LABELS.get(src.sniffed, '未知格式')}）")
    return _read_pdf(src.data, src.digest, src.display)


def _read_pdf(data: bytes, digest: str, display: str) -> DecodedText:
    pdf = _open_pdf(data, display)
    try:
        try:
            count = len(pdf.pages)
        except Exception:
            raise InputError(display, "PDF 文件已损坏，无法读取页面") from None
        if count == 0:
            raise InputError(display, "PDF 没有页面")
        if count > MAX_PDF_PAGES:
            raise InputError(display, f"PDF 页数过多（{count} 页，上限 {MAX_PDF_PAGES} 页）")
        pages: list[list[_PdfLine]] = []
        heights: list[float] = []
        image_only: list[int] = []
        cids = 0
        pypdf_cache: dict[str, Any] = {}
        for number, page in enumerate(pdf.pages, start=1):
            try:
                lines, page_cids, has_images = _page_lines(page, number)
                heights.append(float(page.height))
            except InputError:
                raise
            except Exception:
                raise InputError(display, f"PDF 第 {number} 页已损坏，无法读取") from None
            finally:
                with contextlib.suppress(Exception):
                    page.close()
            if page_cids > 5 and page_cids > sum(len(ln.text) for ln in lines) // 4:
                fallback = _pypdf_page_lines(data, number, float(page.height), pypdf_cache)
                if fallback is not None:
                    lines, page_cids = fallback, 0
            cids += page_cids
            if sum(len(HAN.findall(ln.text)) for ln in lines) < 5 and has_images:
                image_only.append(number)
            pages.append(lines)
    finally:
        with contextlib.suppress(Exception):
            pdf.close()
    han = sum(len(HAN.findall(ln.text)) for lines in pages for ln in lines)
    if han < 20:
        if cids > 20:
            raise InputError(display, "PDF 的字体缺少文字编码（只能显示、无法提取文字），需要先做文字识别（OCR）")
        if image_only:
            raise InputError(display, "PDF 没有文字层（可能是扫描件），需要先做文字识别（OCR）")
        raise InputError(display, "PDF 中没有可提取的中文文字")
    drop = _running_lines(pages, heights)
    body = [ln for p, lines in enumerate(pages) for i, ln in enumerate(lines) if (p, i) not in drop]
    paragraphs = _join_paragraphs(body)
    notes: list[str] = []
    if image_only:
        shown = "、".join(str(n) for n in image_only[:10]) + ("等" if len(image_only) > 10 else "")
        notes.append(f"第 {shown} 页没有文字层（可能是扫描页），这些页的内容未能读取")
    if drop:
        notes.append(f"已去除页码和页眉页脚 {len(drop)} 行")
    return finish(
        "\n".join(ln.text for ln in paragraphs), "pdf", digest, display,
        kind="pdf", locator="page", page_of_line=tuple(ln.page for ln in paragraphs), notes=tuple(notes),
    )  # fmt: skip

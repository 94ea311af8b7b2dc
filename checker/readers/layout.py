"""Page layout shared by the fixed-layout readers (PDF, OFD).

Lines with positions, running headers/footers and page numbers, and lines re-joined into paragraphs by geometry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

PAGE_NUMBER = re.compile(
    r"^(?:[-—–_\s·]*\d{1,4}[-—–_\s·]*|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-—–]?\s*[〇一二三四五六七八九十]{1,4}\s*[-—–]?)$"
)
_HEADING_START = re.compile(
    r"^(?:第[一二三四五六七八九十]{1,3}(?:部分|章|节|篇)|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]"
    r"|\d{1,2}(?:、|[.．](?!\d))|[（(]\d{1,2}[)）]|[①-⑳])"
)
_CJKISH = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》]"
CJK_SPACE = re.compile(rf"(?<={_CJKISH})[ \t\u00a0]+|[ \t\u00a0]+(?={_CJKISH})")
_LEADING_WORD = re.compile(r"[A-Za-z0-9.%‰\-+/:,()\[\]]+")
_NO_LINE_START = frozenset("。，、；：！？）》」』”’】〕…—·")


@dataclass(slots=True)
class PageLine:
    """One text line of a page, with its position (any unit, top-left origin) and font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int  # 1-based
    geometry: bool = True  # False for lines from the pypdf fallback (no positions)


def running_lines(pages: list[list[PageLine]], heights: list[float]) -> set[tuple[int, int]]:
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
            if PAGE_NUMBER.match(ln.text.replace(" ", "")):
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


def join_paragraphs(lines: list[PageLine]) -> list[PageLine]:
    """Re-join the lines of one paragraph.

    A line reaching the right margin goes on in the next unindented line. Headings (markers, other font size) always
    start a new line.
    """
    long_lines = [ln for ln in lines if len(ln.text) >= 12 and ln.geometry] or [ln for ln in lines if ln.geometry]
    if not long_lines:
        return lines
    left = Counter(round(ln.x0) for ln in long_lines).most_common(1)[0][0]
    rights = sorted(ln.x1 for ln in long_lines)
    right = rights[int(len(rights) * 0.9)] if len(rights) > 2 else rights[-1]
    out: list[PageLine] = []
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
        out.append(PageLine(ln.text, ln.x0, ln.x1, ln.top, ln.bottom, ln.size, ln.page))
    return out


def body_paragraphs(pages: list[list[PageLine]], heights: list[float]) -> tuple[list[PageLine], int]:
    """A paginated document's paragraphs and the number of lines dropped.

    Running headers/footers are dropped and broken lines re-joined.
    """
    drop = running_lines(pages, heights)
    body = [ln for p, lines in enumerate(pages) for i, ln in enumerate(lines) if (p, i) not in drop]
    return join_paragraphs(body), len(drop)


def ocr_note(ocr_pages: list[int]) -> list[str]:
    """The reader note for pages read by OCR (none when there are none)."""
    if not ocr_pages:
        return []
    return [f"第 {page_list(ocr_pages)} 页是扫描页，已用文字识别（OCR）读取，引文可能有识别错字"]


def page_list(numbers: list[int]) -> str:
    """Page numbers for a note: 1—7 for a run of three or more, else the first ten and 等."""
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}—{numbers[-1]}"
    return "、".join(str(n) for n in numbers[:10]) + ("等" if len(numbers) > 10 else "")

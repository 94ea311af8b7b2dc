"""OFD (GB/T 33190), the national fixed-layout format of electronic 公文, read with ofdkit.

ofdkit (Apache-2.0, no dependencies) resolves the package, templates, fonts' positions and
signatures; this module turns each page's text runs into lines with positions and hands
them to the same layout code as PDF (:mod:`checker.readers.layout`): running headers and
page numbers dropped, wrapped lines re-joined into paragraphs, each line keeping its page.
An OFD without text objects is a scan, refused like a scanned PDF.
"""

from __future__ import annotations

import itertools
import statistics
from typing import Any

from checker.readers.common import HAN, Source, finish
from checker.readers.layout import CJK_SPACE, PageLine, join_paragraphs, running_lines
from checker.readers.sniff import SNIFF_LABELS
from checker.readers.ziplimits import zip_names
from checker.text.decode import DecodedText

#: Every suffix this reader is chosen for.
SUFFIXES = frozenset({".ofd"})
#: OFDs with more pages are refused (an annual report has 5–40).
MAX_OFD_PAGES = 500


def _page_lines(runs: list[Any], number: int) -> list[PageLine]:
    """Runs grouped into lines by baseline (top to bottom), each line's runs left to right."""
    rows: list[list[Any]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        if not run.text.strip():
            continue
        row = rows[-1] if rows else None
        if row is not None and abs(run.y - row[0].y) <= 0.4 * max(row[0].size, run.size, 0.1):
            row.append(run)
        else:
            rows.append([run])
    lines: list[PageLine] = []
    for row in rows:
        row.sort(key=lambda r: r.x)
        text = row[0].text
        for prev, run in itertools.pairwise(row):
            gap = run.x - (prev.x + prev.width)
            latin = prev.text[-1:].isascii() or run.text[:1].isascii()
            text += (" " if gap > 0.3 * max(run.size, 0.1) and latin else "") + run.text
        text = CJK_SPACE.sub("", text).strip()
        if not text:
            continue
        size = float(statistics.median(r.size for r in row))
        bottom = max(r.y for r in row)
        x1 = max(r.x + r.width for r in row)
        lines.append(PageLine(text, row[0].x, x1, bottom - size, bottom, size, number))
    return lines


def read(src: Source) -> DecodedText:
    """Read the text of an OFD file in reading order, page by page."""
    import ofdkit

    if src.sniffed != "zip":
        raise src.fail(f"扩展名是 .ofd，但文件内容不是 OFD（{SNIFF_LABELS.get(src.sniffed, '未知格式')}）")
    names = zip_names(src.data, src.display)
    if not any(n.lower() == "ofd.xml" for n in names):
        raise src.fail("压缩包里没有 OFD.xml，不是有效的 OFD 文件")
    try:
        with ofdkit.open(src.data) as document:
            count = len(document.pages)
            if count == 0:
                raise src.fail("OFD 没有页面")
            if count > MAX_OFD_PAGES:
                raise src.fail(f"OFD 页数过多（{count} 页，上限 {MAX_OFD_PAGES} 页）")
            pages: list[list[PageLine]] = []
            heights: list[float] = []
            for number, page in enumerate(document.pages, start=1):
                x0, y0, width, height = page.box
                visible = [r for r in page.runs if x0 - 5 <= r.x <= x0 + width + 5 and y0 - 5 <= r.y <= y0 + height + 5]
                pages.append(_page_lines(visible, number))
                heights.append(float(height))
    except ofdkit.OFDLimitError:
        raise src.fail("OFD 文件超出安全限制（部件过大或过多），疑似恶意文件，已拒绝读取") from None
    except ofdkit.OFDError:
        raise src.fail("OFD 文件已损坏或不完整，无法读取") from None
    empty = [n for n, lines in enumerate(pages, start=1) if sum(len(HAN.findall(ln.text)) for ln in lines) < 5]
    if not any(lines for lines in pages):
        raise src.fail("OFD 没有文字层（可能是扫描件），需要先做文字识别（OCR）")
    drop = running_lines(pages, heights)
    body = [ln for p, lines in enumerate(pages) for i, ln in enumerate(lines) if (p, i) not in drop]
    paragraphs = join_paragraphs(body)
    notes: list[str] = []
    if empty:
        shown = "、".join(str(n) for n in empty[:10]) + ("等" if len(empty) > 10 else "")
        notes.append(f"第 {shown} 页没有文字（可能是扫描页），这些页的内容未能读取")
    if drop:
        notes.append(f"已去除页码和页眉页脚 {len(drop)} 行")
    return finish(
        "\n".join(ln.text for ln in paragraphs), "ofd", src.digest, src.display,
        kind="ofd", locator="page", page_of_line=tuple(ln.page for ln in paragraphs), notes=tuple(notes),
    )  # fmt: skip

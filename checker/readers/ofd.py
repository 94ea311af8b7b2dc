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

from checker.readers import ocr
from checker.readers.common import HAN, Source, finish
from checker.readers.layout import CJK_SPACE, PageLine, body_paragraphs, ocr_note, page_list
from checker.readers.sniff import SNIFF_LABELS
from checker.readers.ziplimits import zip_names
from checker.text.decode import DecodedText

#: Every suffix this reader is chosen for.
SUFFIXES = frozenset({".ofd"})
#: OFDs with more pages are refused (an annual report has 5–40).
MAX_OFD_PAGES = 500
#: A scanned page image larger than this (pixels) is not decoded (an A4 page at 300 dpi has 8.7 million).
MAX_IMAGE_PIXELS = 40_000_000


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
            untexted = [n for n, lines in enumerate(pages, start=1) if not lines]
            images = _page_images(src.data, document, untexted) if untexted else []
    except ofdkit.OFDLimitError:
        raise src.fail("OFD 文件超出安全限制（部件过大或过多），疑似恶意文件，已拒绝读取") from None
    except ofdkit.OFDError:
        raise src.fail("OFD 文件已损坏或不完整，无法读取") from None
    ocr_pages: list[int] = []
    if images and (not any(pages) or ocr.available()):
        # Scanned pages (an image, no text objects): read by OCR like a scanned PDF.
        recognised = ocr.recognise_images(images, src.display, "OFD ")
        for number, lines in recognised.items():
            pages[number - 1] = lines
        ocr_pages = sorted(n for n, lines in recognised.items() if lines)
    empty = [n for n, lines in enumerate(pages, start=1) if sum(len(HAN.findall(ln.text)) for ln in lines) < 5]
    if not any(lines for lines in pages):
        raise src.fail("OFD 没有文字层（页面只有图形或图片，文字识别也没有读出文字），无法读取")
    paragraphs, dropped = body_paragraphs(pages, heights)
    notes = ocr_note(ocr_pages)
    empty = [n for n in empty if n not in ocr_pages]
    if empty:
        hint = f"；{ocr.missing_hint()}" if images and not ocr.available() else ""
        notes.append(f"第 {page_list(empty)} 页没有文字（可能是扫描页），这些页的内容未能读取{hint}")
    if dropped:
        notes.append(f"已去除页码和页眉页脚 {dropped} 行")
    return finish(
        "\n".join(ln.text for ln in paragraphs), "ofd", src.digest, src.display,
        kind="ofd", locator="page", page_of_line=tuple(ln.page for ln in paragraphs), notes=tuple(notes),
        ocr_pages=tuple(ocr_pages),
    )  # fmt: skip


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _box(value: str | None) -> tuple[float, float, float, float] | None:
    try:
        x, y, w, h = (float(v) for v in (value or "").split())
    except ValueError:
        return None
    return (x, y, w, h) if w > 0 and h > 0 else None


def _media(package: Any) -> dict[str, str]:
    """MultiMedia ID -> package entry of its file, from every document's resource files."""
    out: dict[str, str] = {}
    entry = package.find("OFD.xml")
    for root_el in package.read_xml(entry).iter():
        if _local(root_el.tag) != "DocRoot" or not root_el.text:
            continue
        doc_path = package.resolve(entry, root_el.text)
        if doc_path is None:
            continue
        for el in package.read_xml(doc_path).iter():
            if _local(el.tag) not in ("PublicRes", "DocumentRes") or not el.text:
                continue
            res_path = package.resolve(doc_path, el.text)
            if res_path is None:
                continue
            res = package.read_xml(res_path)
            base = (res.get("BaseLoc") or "").strip()
            for mm in res.iter():
                if _local(mm.tag) != "MultiMedia" or not mm.get("ID"):
                    continue
                file_el = next((c for c in mm if _local(c.tag) == "MediaFile"), None)
                name = (file_el.text or "").strip() if file_el is not None else ""
                if not name:
                    continue
                found = (base and package.resolve(res_path, f"{base}/{name}")) or package.resolve(res_path, name)
                if found:
                    out[str(mm.get("ID"))] = found
    return out


def _page_images(data: bytes, document: Any, numbers: list[int]) -> list[ocr.PageImage]:
    """The largest image of each given page (a scanned page), with where it lies on the page (mm)."""
    import io

    from ofdkit.package import Package
    from PIL import Image

    out: list[ocr.PageImage] = []
    with Package(data) as package:
        media = _media(package)
        for number in numbers:
            location = document.pages[number - 1].location
            if location is None:
                continue
            best: tuple[str, tuple[float, float, float, float]] | None = None
            for el in package.read_xml(location).iter():
                box = _box(el.get("Boundary")) if _local(el.tag) == "ImageObject" else None
                rid = el.get("ResourceID") or ""
                if box is not None and rid in media and (best is None or box[2] * box[3] > best[1][2] * best[1][3]):
                    best = (media[rid], box)
            if best is None:
                continue
            try:
                image = Image.open(io.BytesIO(package.read(best[0])))
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    continue
                image.load()
            except (OSError, ValueError, Image.DecompressionBombError):
                continue  # an image Pillow cannot decode: the page stays without text, and the note says so
            out.append((number, image, best[1]))
    return out

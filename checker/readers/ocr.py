"""Optical character recognition of scanned pages: the optional extra ``checker[ocr]``.

rapidocr runs PaddleOCR's detection and recognition models on onnxruntime; the models
ship inside the rapidocr wheel, so nothing is downloaded. Pages are rendered with
pypdfium2 (a main dependency). Each recognised text box becomes a
:class:`~checker.readers.layout.PageLine` with its position, so scanned pages go through
the same header/footer and paragraph logic as text PDFs.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import logging
import multiprocessing
import re
import statistics
import sys
from collections.abc import Callable, Iterator
from typing import Any

from checker.readers.layout import CJK_SPACE, PageLine
from checker.text.decode import InputError

#: The command that installs the extra, named in every message that needs it.
INSTALL = "pip install 'checker[ocr]'"
#: Scanned pages recognised for one file at most (2–3 s a page on two cores; a report has 5–40).
MAX_OCR_PAGES = 60
#: Resolution pages are rendered at for recognition.
DPI = 150
#: Boxes recognised with less confidence are left out (stamps, seals, specks).
MIN_SCORE = 0.5
#: The recogniser drops the space between a date and a time ("2024-03-0416:37"): put it back.
_DATE_TIME = re.compile(r"(\d{4}[-/.]\d{1,2}[-/.]\d{2})(\d{1,2}:\d{2})")


def available() -> bool:
    """Whether the OCR extra (rapidocr and onnxruntime) is installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))


def missing_hint() -> str:
    """The end of a message about a scan when the extra is missing: what to install."""
    return f"需要文字识别（OCR）：请安装文字识别扩展（{INSTALL}）后重新检查"


@functools.cache
def _engine() -> Any:
    from rapidocr import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False})


def _lines(result: Any, number: int, scale: float) -> list[PageLine]:
    """Recognised boxes grouped into lines by their vertical centre, each line left to right.

    Positions are divided by ``scale`` (pixels to PDF points).
    """
    boxes = []
    boxes_in = result.boxes if result.boxes is not None else ()
    for box, text, score in zip(boxes_in, result.txts or (), result.scores or (), strict=False):
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        xs, ys = [float(p[0]) / scale for p in box], [float(p[1]) / scale for p in box]
        boxes.append((min(xs), max(xs), min(ys), max(ys), str(text)))
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for b in sorted(boxes, key=lambda b: ((b[2] + b[3]) / 2, b[0])):
        row = rows[-1] if rows else None
        if row is not None and abs((b[2] + b[3]) / 2 - (row[0][2] + row[0][3]) / 2) <= 0.4 * (row[0][3] - row[0][2]):
            row.append(b)
        else:
            rows.append([b])
    lines = []
    for row in rows:
        row.sort(key=lambda b: b[0])
        text = _DATE_TIME.sub(r"\1 \2", CJK_SPACE.sub("", " ".join(b[4] for b in row)).strip())
        if not text:
            continue
        height = float(statistics.median(b[3] - b[2] for b in row))
        top, bottom = min(b[2] for b in row), max(b[3] for b in row)
        # A box is about 1.2 character heights tall: the font size is what the layout code compares.
        lines.append(PageLine(text, row[0][0], row[-1][1], top, bottom, height / 1.2, number))
    return lines


@contextlib.contextmanager
def _progress(total: int, display: str) -> Iterator[Callable[[], None]]:
    """A transient progress bar on the terminal for multi-page recognition (not in workers or pipes)."""
    if total < 2 or not sys.stderr.isatty() or multiprocessing.parent_process() is not None:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("文字识别 {task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(display[-40:], total=total)
        yield lambda: bar.advance(task)


def _check(count: int, display: str, what: str) -> None:
    if not available():
        raise InputError(display, f"{what}没有文字层（可能是扫描件），{missing_hint()}")
    if count > MAX_OCR_PAGES:
        raise InputError(display, f"扫描件有 {count} 页需要文字识别，超过上限 {MAX_OCR_PAGES} 页，请拆分后再检查")


#: A page image to recognise: (1-based page, PIL image, (x, y, width, height) of the image on the page).
PageImage = tuple[int, Any, tuple[float, float, float, float]]


def recognise_images(images: list[PageImage], display: str, what: str) -> dict[int, list[PageLine]]:
    """Lines read by OCR from page images, with positions in page units.

    Each image: (page, PIL image, where it lies on the page (x, y, width, height) in page units). Raises InputError (no
    extra, budget).
    """
    _check(len(images), display, what)
    import numpy as np

    engine = _engine()
    out: dict[int, list[PageLine]] = {}
    with _progress(len(images), display) as advance:
        for number, image, (x, y, width, _height) in images:
            rgb = image.convert("RGB")
            scale = rgb.width / max(width, 1e-6)
            lines = _lines(engine(np.asarray(rgb)), number, scale)
            for ln in lines:
                ln.x0, ln.x1, ln.top, ln.bottom = ln.x0 + x, ln.x1 + x, ln.top + y, ln.bottom + y
            out[number] = lines
            advance()
    return out


def recognise(pdf_data: bytes, pages: list[int], display: str) -> tuple[dict[int, list[PageLine]], dict[int, float]]:
    """Lines of the given 1-based pages of a PDF read by OCR, and each page's height (PDF points).

    Raises InputError when the extra is missing or the pages exceed the budget.
    """
    _check(len(pages), display, "PDF ")
    import numpy as np
    import pypdfium2

    engine = _engine()
    out: dict[int, list[PageLine]] = {}
    heights: dict[int, float] = {}
    try:
        document = pypdfium2.PdfDocument(pdf_data)
    except Exception:
        raise InputError(display, "扫描件无法渲染为图像，不能做文字识别") from None
    try:
        with _progress(len(pages), display) as advance:
            for number in pages:
                page = document[number - 1]
                try:
                    image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("RGB")
                    heights[number] = float(page.get_height())
                finally:
                    page.close()
                result = engine(np.asarray(image))
                out[number] = _lines(result, number, DPI / 72)
                advance()
    finally:
        document.close()
    return out, heights

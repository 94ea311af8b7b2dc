"""Build scanned (image-only) PDFs for tests: a report's text typeset on page images with
Pillow and a CJK font, saved as a PDF with no text layer (as a scanner makes them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ofd_maker import LEFT, PER_LINE, SIZE

#: Lines on a page (a 公文 page holds 22; the wider gaps of a scan leave 20).
PER_PAGE = 20

#: CJK fonts looked for, in order (Debian: fonts-noto-cjk, fonts-wqy-zenhei).
FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
)
DPI = 150
MM = DPI / 25.4


def cjk_font() -> Path | None:
    """A CJK font on this machine, or None."""
    return next((f for f in FONTS if f.is_file()), None)


def _wrap(text: str, room: float, width: Any) -> int:
    """How many characters of ``text`` fill a line ``room`` wide (never breaking a run of Latin letters or digits)."""
    n = 1
    while n < len(text) and width(text[: n + 1]) <= room:
        n += 1
    if n < len(text):
        cut = n
        while cut > n // 2 and text[cut - 1].isascii() and text[cut - 1].isalnum() and text[cut].isascii() and text[cut].isalnum():
            cut -= 1
        n = cut
    return n


def page_images(lines: list[str], *, max_pages: int | None = None) -> list[Any]:
    """A4 page images (PIL, grey, 150 dpi) of ``lines`` typeset like a 公文 in Word: 16 pt, 28 CJK
    characters a line, first lines indented two characters, lines justified to both margins
    except a paragraph's last, 20 lines a page, a page number "- N -" in the footer."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = cjk_font()
    assert font_path is not None, "no CJK font"
    font = ImageFont.truetype(str(font_path), round(5.6 * MM))
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))

    def width(text: str) -> float:
        return float(measure.textlength(text, font=font))

    right = (LEFT + PER_LINE * SIZE) * MM
    typeset: list[tuple[float, str, bool]] = []  # (x in pixels, text, last line of its paragraph)
    for line in lines:
        line = line.strip()
        x = (LEFT + 2 * SIZE) * MM
        while line:
            n = _wrap(line, right - x + 0.5, width)
            typeset.append((x, line[:n], n == len(line)))
            line, x = line[n:], LEFT * MM
    chunks = [typeset[i : i + PER_PAGE] for i in range(0, len(typeset), PER_PAGE)]
    if max_pages is not None:
        chunks = chunks[:max_pages]
    size = (round(210 * MM), round(297 * MM))
    pages = []
    for n, chunk in enumerate(chunks, start=1):
        img = Image.new("L", size, 255)
        draw = ImageDraw.Draw(img)
        for k, (x, text, end) in enumerate(chunk):
            top = (31.4 + k * 10.0) * MM
            if end or len(text) < 2:  # a paragraph's last line is not justified
                draw.text((x, top), text, font=font, fill=20)
                continue
            gap = (right - x - width(text)) / (len(text) - 1)
            pos = x
            for ch in text:
                draw.text((pos, top), ch, font=font, fill=20)
                pos += width(ch) + gap
        draw.text((size[0] / 2 - 6 * MM, 275 * MM), f"- {n} -", font=font, fill=20)
        pages.append(img)
    return pages


def make_scanned_pdf(lines: list[str], path: Path, *, max_pages: int | None = None) -> Path:
    """An image-only PDF of ``lines`` (see :func:`page_images`), as a scanner makes it."""
    pages = page_images(lines, max_pages=max_pages)
    pages[0].save(path, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return path

"""Text lines of PDF pages by pypdfium2 (PDFium, C), fed to pdfplumber's own line grouping.

pdfplumber reads a page in 70–180 ms (pdfminer interprets the content stream in Python);
this path takes 13–17 ms (PDFium parses in C; most of the time is the per-character calls
and pdfplumber's grouping in Python). For the output to be *the same*, each character is
given the box pdfminer would give it — x0 at the glyph origin, x1 at origin + advance width,
bottom at baseline + the font descriptor's ``/Descent`` (pdfminer's rule: 0 when missing,
negated when positive), top at bottom + font size — and the characters go through
pdfplumber's :func:`~pdfplumber.utils.text.chars_to_textmap`, the function behind
``extract_text_lines``. Font descriptors come from pypdf (PDFium does not expose them).

Where this cannot be exact, the page (or the whole file) is left to pdfplumber, and the
reason is a :class:`Fallback` code. The PDF budget applies: before PDFium sees the file,
every Flate stream in it is inflated once, streaming, and counted (:func:`count_streams`); a
file whose streams inflate past the budget (a bomb — or a file with many large images, which
pdfminer never inflates), or with streams that cannot be counted (encryption, LZW/RunLength/
ASCIIHex filters), is read by pdfplumber, whose own inflating is counted as it happens and
refuses a bomb as before.
"""

from __future__ import annotations

import base64
import ctypes
import io
import logging
import re
import statistics
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from checker.readers.layout import CJK_SPACE, PageLine
from checker.text.decode import InputError

if TYPE_CHECKING:
    from checker.readers.pdfbudget import PdfBudget


class Fallback(StrEnum):
    """Why a PDF or one of its pages is read by pdfplumber instead of PDFium."""

    DISABLED = "disabled"  # the fast path is switched off (pdf.FAST_PATH)
    ENCRYPTED = "encrypted"  # encrypted streams cannot be counted against the budget before PDFium inflates them
    BUDGET = "budget"  # the streams inflate past the PDF budget (a bomb, or large images): pdfplumber's budget decides
    FILTER = "filter"  # a stream filter the budget does not count (LZW, RunLength, ASCIIHex, a filter by reference)
    OPEN = "open"  # PDFium cannot open it (pdfplumber then names the cause)
    FONTS = "fonts"  # the font dictionaries cannot be read (pypdf)
    FONT = "font"  # a font whose box pdfminer computes otherwise (Type3, vertical, unknown or ambiguous name)
    ROTATED = "rotated"  # rotated or mirrored text (skew and horizontal scaling are computed as pdfminer does)
    UNMAPPED = "unmapped"  # a glyph without a Unicode value (pdfplumber has the "(cid:N)" → pypdf fallback)
    WIDTH = "width"  # a glyph whose advance width PDFium cannot give
    DROPPED = "dropped"  # PDFium left out a text object with extent (fake bold drawn twice: pdfplumber keeps both)
    HYPHEN = "hyphen"  # a hyphen ending a line: PDFium replaces it by U+0002 and loses whether it was - or U+00AD
    PAGE_ERROR = "page_error"  # PDFium (or the font descriptors) failed on the page: pdfplumber reads or refuses it
    PAGE_BOX = "page_box"  # a page turned (/Rotate), cropped, or whose media box does not start at 0, 0
    LITTLE_TEXT = "little_text"  # fewer than 5 Han characters: scans and image pages keep pdfplumber's checks


#: Filters that expand data but are not counted by :func:`count_streams` (nor by pdfminer's budget). Full names are
#: looked for everywhere (too long to occur by chance in binary data), the abbreviations (meant for inline images) and
#: a filter given by reference outside the stream data.
_UNCOUNTED_NAMES = re.compile(rb"/(?:LZWDecode|RunLengthDecode|ASCIIHexDecode)(?![A-Za-z0-9])")
_UNCOUNTED_OUTSIDE = re.compile(rb"/(?:LZW|RL|AHx)(?![A-Za-z0-9])|/Filter\s*\d+\s+\d+\s+R")
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_MAX_FORM_DEPTH = 4


def count_streams(data: bytes, budget: PdfBudget) -> Fallback | None:
    """Inflate every zlib stream of the file once; a reason to fall back to pdfplumber, or None.

    Streams are inflated after ASCII85 when the data is ASCII85, counting against ``budget`` (a budget of its own:
    pdfplumber's is not spent). The reason is given when the streams inflate past it or some stream cannot be counted.
    """
    try:
        return _count_streams(data, budget)
    except InputError:  # past the budget: pdfplumber refuses a bomb; images it never inflates let it read the file
        return Fallback.BUDGET


def _count_streams(data: bytes, budget: PdfBudget) -> Fallback | None:
    if _UNCOUNTED_NAMES.search(data):
        return Fallback.FILTER
    view = memoryview(data)
    pos = 0
    while (match := _STREAM.search(data, pos)) is not None:
        if _UNCOUNTED_OUTSIDE.search(data, pos, match.start()):
            return Fallback.FILTER
        start = match.end()
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        if not _inflate(view[start:], budget):
            encoded = data[start:end].rstrip()
            if encoded.endswith(b"~>"):  # ASCII85, then (usually) Flate
                budget.spend(len(encoded) + 3 * encoded.count(b"z"))  # at most what it decodes to ("z": 4 bytes)
                try:
                    decoded = base64.a85decode(encoded, adobe=True, ignorechars=b" \t\n\r\x0c\x00")
                except ValueError:
                    decoded = b""  # PDFium cannot decode it either
                _inflate(decoded, budget)
        pos = end + len(b"endstream")
    if _UNCOUNTED_OUTSIDE.search(data, pos):
        return Fallback.FILTER
    return None


def _inflate(source: bytes | memoryview, budget: PdfBudget) -> bool:
    """Count what the zlib stream at the start of ``source`` inflates to; False when it is not one."""
    inflater = zlib.decompressobj()
    pos = 0
    try:
        while pos < len(source) and not inflater.eof:
            budget.spend(len(inflater.decompress(source[pos : pos + 65536], budget.left + 1)))
            while inflater.unconsumed_tail and not inflater.eof:
                budget.spend(len(inflater.decompress(inflater.unconsumed_tail, budget.left + 1)))
            pos += 65536
    except zlib.error:
        return pos > 0  # not a zlib stream (images, fonts stored raw, ASCII85): PDFium does not inflate it as Flate
    return True


def _name(value: Any) -> str:
    return _SUBSET.sub("", str(value or "").lstrip("/"))


def _descent(spec: Any) -> float | None:
    """The descent pdfminer uses (per 1000 of the font size) for a font dictionary.

    None when pdfminer computes the box otherwise (Type3, vertical writing, an embedded CMap).
    """
    from pdfminer.fontmetrics import FONT_METRICS

    subtype = str(spec.get("/Subtype", ""))
    if subtype == "/Type3":
        return None
    if subtype == "/Type0":
        encoding = spec.get("/Encoding")
        if not isinstance(encoding, str) or encoding.endswith("-V"):
            return None
        spec = spec["/DescendantFonts"][0].get_object()
    elif str(spec.get("/BaseFont", "")).lstrip("/") in FONT_METRICS:  # pdfminer's standard-14 metrics
        metrics: dict[str, Any] = FONT_METRICS[str(spec.get("/BaseFont")).lstrip("/")][0]
        return float(metrics.get("Descent", 0))
    descriptor = spec.get("/FontDescriptor")
    value = descriptor.get_object().get("/Descent", 0) if descriptor is not None else 0
    value = value.get_object() if hasattr(value, "get_object") else value
    descent = float(value) if isinstance(value, int | float) else 0.0
    return -descent if descent > 0 else descent


def _collect_fonts(resources: Any, fonts: dict[str, set[float | None]], depth: int) -> None:
    if resources is None or depth > _MAX_FORM_DEPTH:
        return
    resources = resources.get_object()
    for spec in (resources.get("/Font") or {}).values():
        spec = spec.get_object()
        d = _descent(spec)
        names = {_name(spec.get("/BaseFont"))}
        if spec.get("/Subtype") == "/Type0":
            names.add(_name(spec["/DescendantFonts"][0].get_object().get("/BaseFont")))
        for name in names:
            fonts.setdefault(name, set()).add(d)
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            _collect_fonts(xobject.get("/Resources"), fonts, depth + 1)


@dataclass
class FastPdf:
    """A PDF open in PDFium, with pypdf for the font descriptors (opened on first use)."""

    data: bytes
    document: Any
    _fonts: Any = None
    _fonts_failed: bool = False
    _page_font_cache: dict[int, dict[str, set[float | None]]] = field(default_factory=dict)
    _descents: dict[int, float | Fallback] = field(default_factory=dict)

    @classmethod
    def open(cls, data: bytes, display: str) -> FastPdf | Fallback:
        """The PDF in PDFium, or why it is left to pdfplumber."""
        from checker.readers.pdfbudget import PdfBudget

        reason = count_streams(data, PdfBudget(display))
        if reason is not None:
            return reason
        import pypdfium2
        import pypdfium2.raw as raw

        try:
            document = pypdfium2.PdfDocument(data)
        except Exception:  # damaged or password-protected: pdfplumber names the cause
            return Fallback.OPEN
        if raw.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
            document.close()
            return Fallback.ENCRYPTED
        return cls(data, document)

    def __len__(self) -> int:
        """The number of pages."""
        return len(self.document)

    def close(self) -> None:
        """Release PDFium's document."""
        self.document.close()

    def _page_fonts(self, number: int) -> dict[str, set[float | None]] | None:
        """Font names on a page (subset tag dropped, as PDFium gives them) and their pdfminer descents."""
        if self._fonts_failed:
            return None
        if number in self._page_font_cache:
            return self._page_font_cache[number]
        try:
            if self._fonts is None:
                import pypdf

                logging.getLogger("pypdf").setLevel(logging.ERROR + 1)  # a damaged file: our one-line error, no log
                self._fonts = pypdf.PdfReader(io.BytesIO(self.data))
            fonts: dict[str, set[float | None]] = {}
            _collect_fonts(self._fonts.pages[number - 1].get("/Resources"), fonts, 0)
        except Exception:
            self._fonts_failed = True
            return None
        self._page_font_cache = {number: fonts}
        return fonts

    def page(self, number: int) -> tuple[list[PageLine], float] | Fallback:
        """Text lines of a 1-based page as pdfplumber would give them and the page height, or why not."""
        try:
            return self._page(number)
        except Exception:  # a damaged page: pdfplumber gives the Chinese cause (or reads what it can)
            return Fallback.PAGE_ERROR

    def _page(self, number: int) -> tuple[list[PageLine], float] | Fallback:
        page = self.document[number - 1]
        try:
            box = page.get_mediabox()
            if page.get_rotation() or box[:2] != (0, 0) or page.get_cropbox() != box:
                return Fallback.PAGE_BOX
            height = float(box[3])
            textpage = page.get_textpage()
            try:
                got = self._chars(textpage, number, height)
            finally:
                textpage.close()
            if isinstance(got, Fallback):
                return got
            chars, referenced = got
            for obj, nested, wide in _text_objects(page.raw, 0):
                if _address(obj) in referenced:
                    continue
                if wide or nested:  # text PDFium dropped (or a space inside a form, not placed here)
                    return Fallback.DROPPED
                space = self._space(obj, number, height)
                if isinstance(space, Fallback):
                    return space
                chars.append(space)
            width = float(box[2])
        finally:
            page.close()
        if len(_HAN.findall("".join(c["text"] for c in chars))) < 5:
            return Fallback.LITTLE_TEXT
        return _lines(chars, number, width, height), height

    def _chars(self, textpage: Any, number: int, height: float) -> tuple[list[dict[str, Any]], set[int]] | Fallback:
        """The page's characters with pdfminer's boxes and the text objects they come from."""
        import pypdfium2.raw as raw

        tp = textpage.raw
        x, y, size, width = ctypes.c_double(), ctypes.c_double(), ctypes.c_float(), ctypes.c_float()
        matrix = raw.FS_MATRIX()
        descents = self._descents = {}  # by font handle, for this page
        widths: dict[tuple[int, int], float] = {}  # (font handle, character): advance per 1000 of the font size
        objects: set[int] = set()
        chars: list[dict[str, Any]] = []
        count = raw.FPDFText_CountChars(tp)
        i = 0
        while i < count:
            index, i = i, i + 1
            obj = raw.FPDFText_GetTextObject(tp, index)
            if not obj:  # a space or line break PDFium generated (not in the content)
                continue
            code = raw.FPDFText_GetUnicode(tp, index)
            if code == 2 and raw.FPDFText_IsHyphen(tp, index):
                return Fallback.HYPHEN
            if code in (0, 2, 0xFFFD, 0xFFFE) or raw.FPDFText_HasUnicodeMapError(tp, index) == 1:
                return Fallback.UNMAPPED
            if 0xD800 <= code < 0xDC00 and i < count:  # a surrogate pair: one character
                low = raw.FPDFText_GetUnicode(tp, i)
                if 0xDC00 <= low < 0xE000:
                    code, i = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), i + 1
            if not raw.FPDFText_GetMatrix(tp, index, matrix) or not raw.FPDFText_GetCharOrigin(tp, index, x, y):
                return Fallback.ROTATED
            a, c, d = matrix.a, matrix.c, matrix.d
            if matrix.b != 0 or a <= 0 or d <= 0:
                return Fallback.ROTATED
            objects.add(_address(obj))
            font = raw.FPDFTextObj_GetFont(obj)
            if not font or not raw.FPDFTextObj_GetFontSize(obj, size):
                return Fallback.FONT
            handle = _address(font)
            descent = descents.get(handle)
            if descent is None:
                descent = descents[handle] = self._descent(font, number)
            if isinstance(descent, Fallback):
                return descent
            advance = widths.get((handle, code))
            if advance is None:
                if code > 0xFFFF or not raw.FPDFFont_GetGlyphWidth(font, code, 1000.0, width):
                    return Fallback.WIDTH
                advance = widths[handle, code] = width.value
            # pdfminer's box: (0, descent) to (advance, descent + size) in text space, through the character's
            # matrix (a: horizontal scale incl. Tz, c: skew of synthetic italics, d: vertical scale, origin)
            font_size = size.value
            low = descent * font_size / 1000
            skew_low, skew_high = sorted((c * low, c * (low + font_size)))
            bottom = height - (y.value + d * low)
            top = bottom - d * font_size
            chars.append(
                {"text": chr(code), "x0": x.value + skew_low, "x1": x.value + a * font_size * advance / 1e3 + skew_high,
                 "top": top, "bottom": bottom, "doctop": top, "upright": True, "size": d * font_size}
            )  # fmt: skip
        return chars, objects

    def _space(self, obj: Any, number: int, height: float) -> dict[str, Any] | Fallback:
        """A whitespace character for a text object without extent.

        PDFium leaves such objects out (LibreOffice and Chrome draw a space as its own text object); pdfminer gives
        their space characters, which end words.
        """
        import pypdfium2.raw as raw

        matrix, size = raw.FS_MATRIX(), ctypes.c_float()
        font = raw.FPDFTextObj_GetFont(obj)
        if not raw.FPDFPageObj_GetMatrix(obj, matrix) or not font or not raw.FPDFTextObj_GetFontSize(obj, size):
            return Fallback.FONT
        if matrix.b != 0 or matrix.a <= 0 or matrix.d <= 0:
            return Fallback.ROTATED
        handle = _address(font)
        descent = self._descents.get(handle)
        if descent is None:
            descent = self._descents[handle] = self._descent(font, number)
        if isinstance(descent, Fallback):
            return descent
        c, d, font_size = matrix.c, matrix.d, size.value
        low = descent * font_size / 1000
        bottom = height - (matrix.f + d * low)
        top = bottom - d * font_size
        x0 = matrix.e + min(c * low, c * (low + font_size))
        return {"text": " ", "x0": x0, "x1": x0, "top": top, "bottom": bottom, "doctop": top, "upright": True,
                "size": d * font_size}  # fmt: skip

    def _descent(self, font: Any, number: int) -> float | Fallback:
        """The descent pdfminer uses (per 1000 of the font size) for a PDFium font on a page, or why not known."""
        import pypdfium2.raw as raw

        fonts = self._page_fonts(number)
        if fonts is None:
            return Fallback.FONTS
        buf = ctypes.create_string_buffer(256)
        length = raw.FPDFFont_GetBaseFontName(font, buf, len(buf))
        found = fonts.get(_name(buf.value.decode("latin-1"))) if 0 < length <= len(buf) else None
        if not found or len(found) != 1:
            return Fallback.FONT
        descent = next(iter(found))
        return Fallback.FONT if descent is None else descent


def _address(pointer: Any) -> int:
    """The address a ctypes pointer holds (a key for PDFium's handles; cheaper than ctypes.cast)."""
    return ctypes.c_void_p.from_buffer(pointer).value or 0


def _text_objects(parent: Any, depth: int) -> Iterator[tuple[Any, bool, bool]]:
    """Text objects on a page or in a form object (forms nested at most a few levels).

    Each with whether it is inside a form and whether it has an extent.
    """
    import pypdfium2.raw as raw

    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    form = depth > 0
    count = raw.FPDFFormObj_CountObjects(parent) if form else raw.FPDFPage_CountObjects(parent)
    for i in range(count):
        obj = raw.FPDFFormObj_GetObject(parent, i) if form else raw.FPDFPage_GetObject(parent, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            yield obj, form, right.value > left.value
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
            yield from _text_objects(obj, depth + 1)


def _lines(chars: list[dict[str, Any]], number: int, width: float, height: float) -> list[PageLine]:
    """The lines pdfplumber's ``extract_text_lines(layout=False, strip=True)`` makes of the characters.

    As pdf._page_lines makes them into PageLines.
    """
    from pdfplumber.utils.text import chars_to_textmap

    if not chars:
        return []
    textmap = chars_to_textmap(
        chars, layout=False, layout_bbox=(0, 0, width, height), layout_width=width, layout_height=height
    )
    lines: list[PageLine] = []
    for ln in textmap.extract_text_lines(strip=True, return_chars=True):
        text = CJK_SPACE.sub("", ln["text"]).strip()
        if not text:
            continue
        sizes = [c["size"] for c in ln["chars"] if not c["text"].isspace()]
        size = statistics.median(sizes) if sizes else 10.0
        lines.append(PageLine(text, ln["x0"], ln["x1"], ln["top"], ln["bottom"], float(size), number))
    return lines

"""PDF with a text layer: PDFium's characters (checker.readers.pdffast) or pdfplumber (pdfminer's layout engine).

Text lines in reading order, running headers/footers and page numbers dropped, lines
re-joined into paragraphs by geometry (a line that reaches the right margin continues on
the next unindented line); each line remembers its page. Pages are read by PDFium where it
gives pdfplumber's lines exactly, else by pdfplumber (a :class:`~checker.readers.pdffast.Fallback`
code says why). Fonts pdfminer cannot map to Unicode fall back to pypdf page by page.
"""

from __future__ import annotations

import contextlib
import io
import re
import statistics
from typing import TYPE_CHECKING, Any

from checker.readers import ocr
from checker.readers.common import HAN, Source, finish
from checker.readers.layout import CJK_SPACE, PageLine, body_paragraphs, ocr_note, page_list
from checker.readers.pdffast import Fallback, FastPdf
from checker.readers.sniff import SNIFF_LABELS
from checker.text.decode import DecodedText, InputError

if TYPE_CHECKING:
    from checker.readers.pdfbudget import PdfBudget

#: Every suffix this reader is chosen for.
SUFFIXES = frozenset({".pdf"})
#: PDFs with more pages are refused (an annual report has 5–40).
MAX_PDF_PAGES = 500
#: Read pages with PDFium where it gives pdfplumber's lines exactly (checker.readers.pdffast); False: pdfplumber only.
FAST_PATH = True

_CID = re.compile(r"\(cid:\d+\)")


def _open_pdf(data: bytes, display: str) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return pdfplumber.open(io.BytesIO(data))
    except InputError:
        raise
    except MemoryError:
        raise InputError(display, "PDF 内容过大，读取时内存不足") from None
    except Exception as exc:
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        if isinstance(inner, InputError):  # the PDF budget (checker.readers.pdfbudget)
            raise inner from None
        if isinstance(inner, PDFPasswordIncorrect):
            raise InputError(display, "PDF 设置了打开密码（已加密），请先取消密码或另存为无密码的 PDF") from None
        if isinstance(inner, PDFEncryptionError):
            raise InputError(display, f"PDF 使用了不支持的加密方式，无法读取（{inner}）") from None
        raise InputError(display, "PDF 文件已损坏或不完整，无法打开") from None


def _page_lines(page: Any, number: int) -> tuple[list[PageLine], int, bool]:
    """Text lines of one page (reading order), count of unmapped glyphs, whether it has images."""
    upright = page.filter(lambda obj: obj.get("object_type") != "char" or obj.get("upright", True))
    raw_lines = upright.extract_text_lines(layout=False, strip=True, return_chars=True)
    lines: list[PageLine] = []
    cids = 0
    for ln in raw_lines:
        text = ln["text"]
        cids += len(_CID.findall(text))
        text = CJK_SPACE.sub("", _CID.sub("", text)).strip()
        if not text:
            continue
        sizes = [c.get("size", 0.0) for c in ln.get("chars", ()) if not c.get("text", " ").isspace()]
        size = statistics.median(sizes) if sizes else 10.0
        lines.append(PageLine(text, ln["x0"], ln["x1"], ln["top"], ln["bottom"], float(size), number))
    has_images = bool(page.images)
    return lines, cids, has_images


def _pypdf_page_lines(data: bytes, number: int, height: float, cache: dict[str, Any]) -> list[PageLine] | None:
    """Text of one page by pypdf, for fonts pdfminer cannot map to Unicode.

    pdfminer reports ``(cid:N)`` glyphs, e.g. for non-embedded CID fonts in an encrypted file. pypdf keeps no positions,
    so these lines are not re-joined; header/footer zones are the first and last two lines.
    """
    import pypdf

    try:
        if "reader" not in cache:
            cache["reader"] = pypdf.PdfReader(io.BytesIO(data))
        text = cache["reader"].pages[number - 1].extract_text() or ""
    except Exception:  # the fallback failing leaves pdfplumber's result in place
        return None
    raw = [t for t in (CJK_SPACE.sub("", ln).strip() for ln in text.splitlines()) if t]
    if len(HAN.findall("".join(raw))) < 5:
        return None
    n = len(raw)
    out = []
    for i, t in enumerate(raw):
        top = 0.0 if i < 2 else height / 2
        bottom = height if i >= n - 2 else height / 2
        out.append(PageLine(t, 0.0, 0.0, top, bottom, 10.0, number, geometry=False))
    return out


def read(src: Source) -> DecodedText:
    """Read a PDF's text layer; a file that is not a PDF inside is refused with what it is."""
    if src.sniffed != "pdf":
        raise src.fail(f"扩展名是 .pdf，但文件内容不是 PDF（{SNIFF_LABELS.get(src.sniffed, '未知格式')}）")
    return _read_pdf(src.data, src.digest, src.display)


def _read_pdf(data: bytes, digest: str, display: str) -> DecodedText:
    from checker.readers.pdfbudget import pdf_budget

    with pdf_budget(display) as budget:
        return _read_pdf_within(data, digest, display, budget)


class _Plumber:
    """pdfplumber's reading of the pages PDFium leaves to it (the file is opened on first use)."""

    def __init__(self, data: bytes, display: str) -> None:
        self.data, self.display = data, display
        self.pdf: Any = None
        self.pypdf_cache: dict[str, Any] = {}

    def count(self) -> int:
        """Number of pages (refuses a damaged file)."""
        if self.pdf is None:
            self.pdf = _open_pdf(self.data, self.display)
        try:
            return len(self.pdf.pages)
        except InputError:
            raise
        except Exception:
            raise InputError(self.display, "PDF 文件已损坏，无法读取页面") from None

    def page(self, number: int) -> tuple[list[PageLine], float, int, bool]:
        """Lines of a 1-based page, its height, its unmapped glyphs and whether it has images."""
        self.count()
        page: Any = None
        display = self.display
        try:
            page = self.pdf.pages[number - 1]  # PDFium may have found pages pdfminer cannot (a repaired file)
            lines, cids, has_images = _page_lines(page, number)
            height = float(page.height)
        except InputError:
            raise
        except MemoryError:
            raise InputError(display, f"PDF 第 {number} 页内容过大，读取时内存不足") from None
        except Exception as exc:
            if exc.args and isinstance(exc.args[0], InputError):  # pdfplumber wraps pdfminer's errors
                raise exc.args[0] from None
            raise InputError(display, f"PDF 第 {number} 页已损坏，无法读取") from None
        finally:
            if page is not None:
                with contextlib.suppress(Exception):
                    page.close()
        if cids > 5 and cids > sum(len(ln.text) for ln in lines) // 4:
            fallback = _pypdf_page_lines(self.data, number, height, self.pypdf_cache)
            if fallback is not None:
                lines, cids = fallback, 0
        return lines, height, cids, has_images

    def close(self) -> None:
        """Close the file if it was opened."""
        if self.pdf is not None:
            with contextlib.suppress(Exception):
                self.pdf.close()


def _read_pdf_within(data: bytes, digest: str, display: str, budget: PdfBudget) -> DecodedText:
    fast: FastPdf | Fallback = FastPdf.open(data, display) if FAST_PATH else Fallback.DISABLED
    plumber = _Plumber(data, display)
    try:
        count = len(fast) if isinstance(fast, FastPdf) else plumber.count()
        if count == 0:
            raise InputError(display, "PDF 没有页面")
        if count > MAX_PDF_PAGES:
            raise InputError(display, f"PDF 页数过多（{count} 页，上限 {MAX_PDF_PAGES} 页）")
        pages: list[list[PageLine]] = []
        heights: list[float] = []
        image_only: list[int] = []
        cids = 0
        for number in range(1, count + 1):
            got = fast.page(number) if isinstance(fast, FastPdf) else fast
            if isinstance(got, Fallback):
                lines, height, page_cids, has_images = plumber.page(number)
            else:
                (lines, height), page_cids, has_images = got, 0, False  # 5+ Han characters: not a scan
            heights.append(height)
            cids += page_cids
            budget.check_time(number)
            if sum(len(HAN.findall(ln.text)) for ln in lines) < 5 and has_images:
                image_only.append(number)
            pages.append(lines)
    finally:
        plumber.close()
        if isinstance(fast, FastPdf):
            fast.close()
    han = sum(len(HAN.findall(ln.text)) for lines in pages for ln in lines)
    ocr_pages: list[int] = []
    if image_only and (han < 20 or ocr.available()):
        # Scanned pages: read by OCR (the extra checker[ocr]); without it, a scan is refused with the install command.
        recognised, ocr_heights = ocr.recognise(data, image_only, display)
        for number in image_only:
            pages[number - 1] = recognised[number]
            heights[number - 1] = ocr_heights[number]
        ocr_pages = [n for n in image_only if recognised[n]]
        image_only = [n for n in image_only if not recognised[n]]
        han = sum(len(HAN.findall(ln.text)) for lines in pages for ln in lines)
    if han < 20:
        if cids > 20:
            raise InputError(display, "PDF 的字体缺少文字编码（只能显示、无法提取文字），需要先做文字识别（OCR）")
        if image_only or ocr_pages:
            raise InputError(display, "PDF 没有文字层（可能是扫描件），文字识别（OCR）也没有读出中文文字")
        raise InputError(display, "PDF 中没有可提取的中文文字")
    paragraphs, dropped = body_paragraphs(pages, heights)
    notes = ocr_note(ocr_pages)
    if image_only:
        hint = "" if ocr.available() else f"；{ocr.missing_hint()}"
        notes.append(f"第 {page_list(image_only)} 页没有文字层（可能是扫描页），这些页的内容未能读取{hint}")
    if dropped:
        notes.append(f"已去除页码和页眉页脚 {dropped} 行")
    return finish(
        "\n".join(ln.text for ln in paragraphs), "pdf", digest, display,
        kind="pdf", locator="page", page_of_line=tuple(ln.page for ln in paragraphs), notes=tuple(notes),
        ocr_pages=tuple(ocr_pages),
    )  # fmt: skip


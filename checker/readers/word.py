"""Word documents: .docx read directly, .doc/.wps/.odt/.rtf converted by LibreOffice first.

Body paragraphs in order (headers, footers, page numbers, text boxes and deleted revisions
are left out); the 一、/（一）/1. markers of Word's automatic numbering are recovered and
written in front of the paragraph (:mod:`checker.readers.wordnum`); table rows are one line
each, cells separated by "；". Line *N* is body block *N* (paragraph or table row), so a
finding can be located as 第 N 段. Government sites often serve a web page, a PDF or a .docx
under ``.doc``: the content decides.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any

from checker.readers.common import Source, finish
from checker.readers.libreoffice import CONVERT_SUFFIXES, convert_to_docx
from checker.readers.mht import read as read_mht
from checker.readers.pdf import read as read_pdf
from checker.readers.sniff import SNIFF_LABELS
from checker.readers.web import read as read_html
from checker.readers.wordnum import Numbering, w
from checker.readers.ziplimits import zip_names
from checker.text.decode import DecodedText, InputError, decode

DOCX_SUFFIXES = frozenset({".docx", ".docm", ".dotx"})
#: Every suffix this reader is chosen for.
SUFFIXES = DOCX_SUFFIXES | CONVERT_SUFFIXES
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def read(src: Source) -> DecodedText:
    """Read a Word-family file (.docx/.doc/.wps/.odt/.rtf …), trusting its content over its suffix."""
    data, digest, display, suffix, sniffed = src.data, src.digest, src.display, src.suffix, src.sniffed
    if sniffed == "zip":
        names = zip_names(data, display)
        if "word/document.xml" in names or (
            "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)
        ):
            kind = "docx" if suffix in DOCX_SUFFIXES else suffix.lstrip(".")
            label = "Word 文档（.docx）" if kind == "docx" else f"Word 文档（.docx 格式，扩展名 {suffix}）"
            return read_docx(data, digest, display, kind=kind, label=label)
        if "mimetype" in names or "content.xml" in names:
            return _convert(data, digest, display, ".odt")
        raise InputError(display, "压缩包里没有 Word 正文（word/document.xml），不是有效的 .docx 文件")
    if sniffed == "ole":
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            raise InputError(display, "文档设置了打开密码（已加密），请先在 Word/WPS 中取消密码后重新保存")
        return _convert(data, digest, display, suffix if suffix in CONVERT_SUFFIXES else ".doc")
    if suffix in DOCX_SUFFIXES:
        if sniffed == "pdf":
            raise InputError(display, "扩展名是 .docx，但文件内容是 PDF，请把扩展名改为 .pdf")
        raise InputError(
            display, f"不是有效的 Word（.docx）文件：文件已损坏或不完整（{SNIFF_LABELS.get(sniffed, '未知格式')}）"
        )
    # .doc/.wps/.rtf that are really something else, as government sites serve them
    if sniffed == "mht":
        return read_mht(src)
    if sniffed == "html":
        return read_html(src)
    if sniffed == "pdf":
        return read_pdf(src)
    if sniffed == "text":
        return decode(data, display)
    return _convert(data, digest, display, suffix)


def _convert(data: bytes, digest: str, display: str, suffix: str) -> DecodedText:
    """Convert with LibreOffice, then read the .docx it made."""
    converted = convert_to_docx(data, display, suffix)
    kind = suffix.lstrip(".")
    decoded = read_docx(converted, digest, display, kind=kind, label=f"{kind}→docx（LibreOffice 转换）")
    return DecodedText(
        text=decoded.text, encoding=decoded.encoding, sha256=digest, kind=kind, locator="paragraph",
        notes=(f"已用 LibreOffice 将 {suffix} 转换为 .docx 后读取", *decoded.notes),
    )  # fmt: skip


def read_docx(data: bytes, digest: str, display: str, *, kind: str, label: str) -> DecodedText:
    """Read .docx bytes: one line per body paragraph or table row, numbering markers restored."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    zip_names(data, display)
    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError:
        raise InputError(display, "不是有效的 Word（.docx）文件，无法打开") from None
    except KeyError as exc:
        raise InputError(display, f"Word 文档不完整，缺少组成部分（{exc.args[0] if exc.args else exc}）") from None
    except Exception as exc:  # zlib/XML/zip errors of a damaged file: all mean "corrupt"
        raise InputError(display, f"Word 文档已损坏，无法读取（{type(exc).__name__}）") from None
    part = document.part
    numbering_el = None
    with contextlib.suppress(Exception):  # no numbering part: no automatic numbering
        numbering_el = part.numbering_part.element
    styles_el = None
    with contextlib.suppress(Exception):
        styles_el = part.styles.element
    numbering = Numbering(numbering_el, styles_el)
    body = document.element.body
    lines = list(_body_lines(body, numbering))
    while lines and not lines[-1].strip():
        lines.pop()
    notes: tuple[str, ...] = ()
    if numbering.used:
        notes = ("已按 Word 自动编号补回标题序号（如“一、”“（一）”）",)
    return finish("\n".join(lines), label, digest, display, kind=kind, locator="paragraph", notes=notes)


def _body_lines(container: Any, numbering: Numbering) -> Iterator[str]:
    """One line per paragraph or table row of a body (or content control)."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == w("p"):
            yield _paragraph_line(child, numbering)
        elif tag == w("tbl"):
            yield from _table_lines(child, numbering)
        elif tag in (w("sdt"), w("customXml")):
            content = child.find(w("sdtContent")) if tag == w("sdt") else child
            if content is not None:
                yield from _body_lines(content, numbering)


def _table_lines(tbl: Any, numbering: Numbering) -> Iterator[str]:
    for tr in tbl.iter(w("tr")):
        if _ancestor_table(tr) is not tbl:
            continue  # a row of a nested table: read as part of its cell
        cells: list[str] = []
        for tc in tr.iterchildren(w("tc"), w("sdt"), w("customXml")):
            cell_tcs = [tc] if tc.tag == w("tc") else list(tc.iter(w("tc")))
            for cell in cell_tcs:
                text = " ".join(t for t in (_cell_text(cell, numbering)) if t)
                if text and (not cells or cells[-1] != text):  # merged cells repeat
                    cells.append(text)
        if cells:
            line = cells[0]
            for cell in cells[1:]:
                line += cell if line[-1] in "。；！？：" else "；" + cell
            yield line


def _ancestor_table(el: Any) -> Any:
    parent = el.getparent()
    while parent is not None and parent.tag != w("tbl"):
        parent = parent.getparent()
    return parent


def _cell_text(tc: Any, numbering: Numbering) -> Iterator[str]:
    for child in tc.iterchildren():
        if child.tag == w("p"):
            yield _paragraph_line(child, numbering).strip()
        elif child.tag == w("tbl"):
            yield " ".join(_table_lines(child, numbering))
        elif child.tag in (w("sdt"), w("customXml")):
            content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if content is not None:
                yield from _cell_text(content, numbering)


_SKIP_CONTAINERS = frozenset({w("del"), w("moveFrom"), w("txbxContent")})
_MC_FALLBACK = f"{{{_MC}}}Fallback"


def _run_hidden(r: Any) -> bool:
    rpr = r.find(w("rPr"))
    if rpr is None:
        return False
    vanish = rpr.find(w("vanish"))
    return vanish is not None and vanish.get(w("val"), "true") not in {"0", "false", "off"}


def _paragraph_text(p: Any) -> str:
    out: list[str] = []

    def walk(el: Any) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_CONTAINERS or tag == _MC_FALLBACK:
                continue
            if tag == w("pPr") or tag == w("rPr"):
                continue
            if tag == w("r"):
                if _run_hidden(child):
                    continue
                walk(child)
            elif tag == w("t"):
                out.append(child.text or "")
            elif tag == w("tab"):
                out.append("\t")
            elif tag in (w("br"), w("cr")):
                if child.get(w("type")) not in {"page", "column"}:
                    out.append(" ")
            elif tag == w("noBreakHyphen"):
                out.append("-")
            elif tag in (w("drawing"), w("pict"), w("object"), w("footnoteReference"), w("endnoteReference")):
                continue
            else:
                walk(child)  # hyperlink, ins, smartTag, fldSimple, sdt, AlternateContent/Choice …

    walk(p)
    return "".join(out)


def _paragraph_line(p: Any, numbering: Numbering) -> str:
    text = _paragraph_text(p).replace("\n", " ").strip()
    marker = numbering.marker(p)
    if marker and text and not text.startswith(marker.strip()):
        return marker + text
    return text

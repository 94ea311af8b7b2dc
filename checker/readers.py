"""Read a report in the formats it really arrives in: .txt, Word, PDF, a saved web page.

:func:`read_report` is the one entry point. It reads the file once (size limit of
:mod:`checker.textio`), recognises the format from the bytes as well as the extension
(government sites often serve a Word HTML page or a .docx under ``.doc``), and returns a
:class:`~checker.textio.DecodedText` with one paragraph per line:

* **.docx** — body paragraphs in order (headers, footers, page numbers, text boxes and
  deleted revisions are left out); the 一、/（一）/1. markers that Word's automatic
  numbering keeps in ``numbering.xml`` are recovered and written in front of the
  paragraph; table rows are one line each, cells separated by "；". Line *N* is body
  block *N* (paragraph or table row), so a finding can be located as 第 N 段.
* **.pdf** — pdfplumber (see the measurement in ``docs`` / the commit message): text lines
  in reading order, running headers/footers and page numbers dropped, lines re-joined
  into paragraphs by geometry (a line that reaches the right margin continues on the next
  unindented line); each line remembers its page.
* **.html/.htm** — trafilatura extracts the article body; the page title and publication
  date come first so the title block is recognised.
* **.doc/.wps/.odt/.rtf** — converted to .docx by LibreOffice when it is installed.

Every failure is an :class:`~checker.textio.InputError` with a one-line Chinese cause.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.textio import TEXT_SUFFIXES, DecodedText, InputError, checked, decode, read_bytes

DOCX_SUFFIXES = frozenset({".docx", ".docm", ".dotx"})
PDF_SUFFIXES = frozenset({".pdf"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})
#: Formats LibreOffice converts to .docx for us.
CONVERT_SUFFIXES = frozenset({".doc", ".dot", ".wps", ".wpt", ".odt", ".rtf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES | HTML_SUFFIXES | CONVERT_SUFFIXES

#: Zip-bomb limits for .docx/.odt: total uncompressed size, entries, compression ratio.
MAX_UNZIPPED = 256 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_RATIO = 200
#: PDFs with more pages are refused (an annual report has 5–40).
MAX_PDF_PAGES = 500
#: Seconds LibreOffice may take to convert one file.
CONVERT_TIMEOUT = 120

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_report(path: Path) -> DecodedText:
    """Read one report file of any supported format. Raises InputError with a Chinese cause."""
    display = str(path)
    suffix = path.suffix.lower()
    if suffix and suffix not in SUPPORTED_SUFFIXES:
        raise InputError(display, f"不支持的文件类型“{path.suffix}”（支持：{'、'.join(sorted(SUPPORTED_SUFFIXES))}）")
    data = read_bytes(path)
    if not data.strip():
        raise InputError(display, "文件为空")
    digest = hashlib.sha256(data).hexdigest()
    sniffed = _sniff(data)
    try:
        if suffix in PDF_SUFFIXES:
            if sniffed != "pdf":
                raise InputError(
                    display, f"扩展名是 .pdf，但文件内容不是 PDF（{_SNIFF_LABELS.get(sniffed, '未知格式')}）"
                )
            return _read_pdf(data, digest, display)
        if suffix in HTML_SUFFIXES:
            if sniffed in {"zip", "ole", "pdf"}:
                raise InputError(display, f"扩展名是 {suffix}，但文件内容不是网页（{_SNIFF_LABELS[sniffed]}）")
            return _read_html(data, digest, display)
        if suffix in DOCX_SUFFIXES or suffix in CONVERT_SUFFIXES:
            return _read_word_family(data, digest, display, suffix, sniffed)
        # .txt/.md or no extension: a PDF or Word file saved under the wrong name is still read.
        if sniffed == "pdf":
            return _read_pdf(data, digest, display)
        if sniffed in {"zip", "ole"}:
            return _read_word_family(data, digest, display, ".docx" if sniffed == "zip" else ".doc", sniffed)
        return decode(data, display)
    except InputError:
        raise
    except MemoryError:
        raise InputError(display, "文件内容过大，读取时内存不足") from None
    except RecursionError:
        raise InputError(display, "文件结构嵌套过深，无法读取") from None


def _garbled(text: str) -> bool:
    """Mojibake check: in real Chinese prose nearly all characters are GB2312 level-1 (the
    3755 common ones); random bytes read as UTF-16 or a broken font map are not."""
    han = _HAN.findall(text[:50000])
    if len(han) < 50:
        return False
    common = 0
    for ch in han:
        with contextlib.suppress(UnicodeEncodeError):
            common += 0xB0 <= ch.encode("gb2312")[0] <= 0xD7
    return common < 0.6 * len(han)


def _finish(text: str, label: str, digest: str, display: str, **extra: Any) -> DecodedText:
    decoded = checked(text, label, digest, display, **extra)
    if _garbled(decoded.text):
        raise InputError(display, "提取出的文字是乱码（不像正常的中文），文件可能已损坏或使用了特殊的字体编码")
    return decoded


# ---------------------------------------------------------------------------------------
# Format sniffing

_SNIFF_LABELS = {
    "zip": "是 zip 压缩包（如 Word .docx）",
    "ole": "是旧版 Office 文件（如 Word .doc）",
    "pdf": "是 PDF 文件",
    "rtf": "是 RTF 文件",
    "html": "看起来是网页（HTML）",
    "text": "看起来是纯文本",
    "binary": "是无法识别的二进制文件",
}


def _sniff(data: bytes) -> str:
    head = data[:4096]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    low = head.lower()
    if low.startswith((b"\xff\xfe", b"\xfe\xff")):
        low = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore").lower()
    if stripped[:1] == b"<" and re.search(rb"<(?:!doctype html|html|head|body|meta|div|p|table)[\s>]", low):
        return "html"
    if b"\x00" in head and not low.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


# ---------------------------------------------------------------------------------------
# Word family: .docx read directly, .doc/.wps/.odt/.rtf through LibreOffice


def _read_word_family(data: bytes, digest: str, display: str, suffix: str, sniffed: str) -> DecodedText:
    if sniffed == "zip":
        names = _zip_names(data, display)
        if "word/document.xml" in names or (
            "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)
        ):
            kind = "docx" if suffix in DOCX_SUFFIXES else suffix.lstrip(".")
            label = "Word 文档（.docx）" if kind == "docx" else f"Word 文档（.docx 格式，扩展名 {suffix}）"
            return _read_docx(data, digest, display, kind=kind, label=label)
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
            display, f"不是有效的 Word（.docx）文件：文件已损坏或不完整（{_SNIFF_LABELS.get(sniffed, '未知格式')}）"
        )
    # .doc/.wps/.rtf that are really something else, as government sites serve them
    if sniffed == "html":
        return _read_html(data, digest, display)
    if sniffed == "pdf":
        return _read_pdf(data, digest, display)
    if sniffed == "text":
        return decode(data, display)
    return _convert(data, digest, display, suffix)


def _zip_names(data: bytes, display: str) -> set[str]:
    """Open the zip container and refuse zip bombs before anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise InputError(display, "文件已损坏或不完整（无法作为 .docx 压缩包打开）") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise InputError(display, f"压缩包内文件过多（{len(infos)} 个），疑似恶意文件，已拒绝读取")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    mb = 1024 * 1024
    if total > MAX_UNZIPPED:
        limit = f"{total // mb} MB，上限 {MAX_UNZIPPED // mb} MB"
        raise InputError(display, f"解压后体积过大（{limit}），疑似压缩炸弹，已拒绝读取")
    for info in infos:
        ratio = info.file_size // max(1, info.compress_size)
        if info.file_size > mb and ratio > MAX_ZIP_RATIO:
            raise InputError(display, f"压缩比异常（{info.filename} 压缩了 {ratio} 倍），疑似压缩炸弹，已拒绝读取")
    if total > 16 * 1024 * 1024 and total > MAX_ZIP_RATIO * max(1, packed):
        raise InputError(display, "压缩比异常，疑似压缩炸弹，已拒绝读取")
    return {i.filename for i in infos}


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _wval(el: Any, tag: str) -> str | None:
    """``w:val`` of the child ``w:tag`` of ``el``, or None."""
    if el is None:
        return None
    child = el.find(_w(tag))
    if child is None:
        return None
    value: str | None = child.get(_w("val"))
    return value


def _read_docx(data: bytes, digest: str, display: str, *, kind: str, label: str) -> DecodedText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _zip_names(data, display)
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
    numbering = _Numbering(numbering_el, styles_el)
    body = document.element.body
    lines = list(_body_lines(body, numbering))
    while lines and not lines[-1].strip():
        lines.pop()
    notes: tuple[str, ...] = ()
    if numbering.used:
        notes = ("已按 Word 自动编号补回标题序号（如“一、”“（一）”）",)
    return _finish("\n".join(lines), label, digest, display, kind=kind, locator="paragraph", notes=notes)


def _body_lines(container: Any, numbering: _Numbering) -> Iterator[str]:
    """One line per paragraph or table row of a body (or content control)."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == _w("p"):
            yield _paragraph_line(child, numbering)
        elif tag == _w("tbl"):
            yield from _table_lines(child, numbering)
        elif tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if tag == _w("sdt") else child
            if content is not None:
                yield from _body_lines(content, numbering)


def _table_lines(tbl: Any, numbering: _Numbering) -> Iterator[str]:
    for tr in tbl.iter(_w("tr")):
        if _ancestor_table(tr) is not tbl:
            continue  # a row of a nested table: read as part of its cell
        cells: list[str] = []
        for tc in tr.iterchildren(_w("tc"), _w("sdt"), _w("customXml")):
            cell_tcs = [tc] if tc.tag == _w("tc") else list(tc.iter(_w("tc")))
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
    while parent is not None and parent.tag != _w("tbl"):
        parent = parent.getparent()
    return parent


def _cell_text(tc: Any, numbering: _Numbering) -> Iterator[str]:
    for child in tc.iterchildren():
        if child.tag == _w("p"):
            yield _paragraph_line(child, numbering).strip()
        elif child.tag == _w("tbl"):
            yield " ".join(_table_lines(child, numbering))
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                yield from _cell_text(content, numbering)


_SKIP_CONTAINERS = frozenset({_w("del"), _w("moveFrom"), _w("txbxContent")})
_MC_FALLBACK = f"{{{_MC}}}Fallback"


def _run_hidden(r: Any) -> bool:
    rpr = r.find(_w("rPr"))
    if rpr is None:
        return False
    vanish = rpr.find(_w("vanish"))
    return vanish is not None and vanish.get(_w("val"), "true") not in {"0", "false", "off"}


def _paragraph_text(p: Any) -> str:
    out: list[str] = []

    def walk(el: Any) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_CONTAINERS or tag == _MC_FALLBACK:
                continue
            if tag == _w("pPr") or tag == _w("rPr"):
                continue
            if tag == _w("r"):
                if _run_hidden(child):
                    continue
                walk(child)
            elif tag == _w("t"):
                out.append(child.text or "")
            elif tag == _w("tab"):
                out.append("\t")
            elif tag in (_w("br"), _w("cr")):
                if child.get(_w("type")) not in {"page", "column"}:
                    out.append(" ")
            elif tag == _w("noBreakHyphen"):
                out.append("-")
            elif tag in (_w("drawing"), _w("pict"), _w("object"), _w("footnoteReference"), _w("endnoteReference")):
                continue
            else:
                walk(child)  # hyperlink, ins, smartTag, fldSimple, sdt, AlternateContent/Choice …

    walk(p)
    return "".join(out)


def _paragraph_line(p: Any, numbering: _Numbering) -> str:
    text = _paragraph_text(p).replace("\n", " ").strip()
    marker = numbering.marker(p)
    if marker and text and not text.startswith(marker.strip()):
        return marker + text
    return text


# -- automatic numbering -------------------------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    if n <= 0 or n >= 10000:
        return str(n)
    parts: list[str] = []
    values = ((1000, units[2]), (100, units[1]), (10, units[0]), (1, ""))
    zero = False
    for value, unit in values:
        d = n // value % 10
        if d == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append(digits[0])
            zero = False
        if not (d == 1 and value == 10 and not parts and digits is _CN_DIGITS):
            parts.append(digits[d])
        parts.append(unit)
    return "".join(parts)


def _roman(n: int) -> str:
    out = []
    for value, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt in {
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    }:
        return _chinese(n)
    if fmt == "ideographDigital" or fmt == "taiwaneseDigital" or fmt == "japaneseDigitalTenThousand":
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, "拾佰仟")
    if fmt == "ideographLegalTraditional":
        return _chinese(n, "零壹貳參肆伍陸柒捌玖", "拾佰仟")
    if fmt in {"ideographTraditional", "ideographEnclosedCircle"} and n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "ideographZodiac" and n <= 12:
        return _DIZHI[n - 1]
    if fmt in {"decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"} and n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and n <= 20:
        return chr(0x2488 + n - 1)
    if fmt in {"decimalFullWidth", "decimalFullWidth2"}:
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)


@dataclass(slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False
    suffix: str = "tab"


@dataclass(slots=True)
class _Num:
    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, _Level] = field(default_factory=dict)
    started: bool = False


def _parse_level(lvl: Any) -> _Level:
    level = _Level()
    start = _wval(lvl, "start")
    if start and start.lstrip("-").isdigit():
        level.start = int(start)
    level.fmt = _wval(lvl, "numFmt") or "decimal"
    level.text = _wval(lvl, "lvlText")
    restart = _wval(lvl, "lvlRestart")
    if restart and restart.isdigit():
        level.restart = int(restart)
    legal = lvl.find(_w("isLgl"))
    level.legal = legal is not None and legal.get(_w("val"), "true") not in {"0", "false", "off"}
    level.suffix = _wval(lvl, "suff") or "tab"
    return level


class _Numbering:
    """Word's list numbering (numbering.xml), replayed paragraph by paragraph."""

    def __init__(self, numbering: Any, styles: Any) -> None:
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNum numStyleLink -> style id
        self.level_styles: dict[str, int] = {}  # paragraph style bound to a list level
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.used = False
        if numbering is not None:
            for ab in numbering.iterchildren(_w("abstractNum")):
                aid = ab.get(_w("abstractNumId"))
                if aid is None:
                    continue
                levels: dict[int, _Level] = {}
                for lvl in ab.iterchildren(_w("lvl")):
                    ilvl = int(lvl.get(_w("ilvl"), "0") or 0)
                    levels[ilvl] = _parse_level(lvl)
                    pstyle = _wval(lvl, "pStyle")
                    if pstyle:
                        self.level_styles[pstyle] = ilvl
                self.abstracts[aid] = levels
                link = _wval(ab, "numStyleLink")
                if link:
                    self.style_links[aid] = link
            for num in numbering.iterchildren(_w("num")):
                nid = num.get(_w("numId"))
                aid = _wval(num, "abstractNumId")
                if nid is None or aid is None:
                    continue
                entry = _Num(aid)
                for ov in num.iterchildren(_w("lvlOverride")):
                    ilvl = int(ov.get(_w("ilvl"), "0") or 0)
                    so = _wval(ov, "startOverride")
                    if so and so.lstrip("-").isdigit():
                        entry.start_overrides[ilvl] = int(so)
                    lvl = ov.find(_w("lvl"))
                    if lvl is not None:
                        entry.level_overrides[ilvl] = _parse_level(lvl)
                self.nums[nid] = entry
        # paragraph styles: their own numPr, following basedOn
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.style_based: dict[str, str] = {}
        if styles is not None:
            for st in styles.iterchildren(_w("style")):
                sid = st.get(_w("styleId"))
                if not sid:
                    continue
                based = _wval(st, "basedOn")
                if based:
                    self.style_based[sid] = based
                ppr = st.find(_w("pPr"))
                numpr = ppr.find(_w("numPr")) if ppr is not None else None
                if numpr is not None:
                    slvl = _wval(numpr, "ilvl")
                    self.style_numpr[sid] = (_wval(numpr, "numId"), int(slvl) if slvl and slvl.isdigit() else None)

    def _style_num(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        num_id: str | None = None
        ilvl: int | None = None
        while style and style not in seen:
            seen.add(style)
            sid, slvl = self.style_numpr.get(style, (None, None))
            if num_id is None and sid is not None:
                num_id = sid
            if ilvl is None and slvl is not None:
                ilvl = slvl
            if ilvl is None and style in self.level_styles:
                ilvl = self.level_styles[style]
            style = self.style_based.get(style)
        return num_id, ilvl

    def _levels(self, aid: str) -> dict[int, _Level]:
        levels = self.abstracts.get(aid, {})
        link = self.style_links.get(aid)
        if not any(lv.text is not None for lv in levels.values()) and link:
            sid, _ = self._style_num(link)  # numStyleLink: the definition lives with the style's list
            if sid and sid in self.nums and self.nums[sid].abstract != aid:
                return self.abstracts.get(self.nums[sid].abstract, levels)
        return levels

    def marker(self, p: Any) -> str:
        ppr = p.find(_w("pPr"))
        num_id: str | None = None
        ilvl: int | None = None
        style = _wval(ppr, "pStyle") if ppr is not None else None
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        if numpr is not None:
            num_id = _wval(numpr, "numId")
            lv = _wval(numpr, "ilvl")
            ilvl = int(lv) if lv and lv.isdigit() else None
        if num_id is None or ilvl is None:
            snum, slvl = self._style_num(style)
            num_id = num_id if num_id is not None else snum
            ilvl = ilvl if ilvl is not None else slvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = min(max(ilvl or 0, 0), 8)
        num = self.nums[num_id]
        aid = num.abstract
        levels = dict(self._levels(aid))
        levels.update(num.level_overrides)
        level = levels.get(ilvl)
        if level is None or level.text is None:
            return ""
        counters = self.counters.setdefault(aid, {})
        if not num.started:
            num.started = True
            for olvl, start in num.start_overrides.items():
                counters.pop(olvl, None)
                counters[olvl] = start - 1
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in range(ilvl + 1, 9):
            dl = levels.get(deeper)
            restart = dl.restart if dl is not None else None
            if restart is None or (restart != 0 and restart <= ilvl + 1):
                counters.pop(deeper, None)
        if level.fmt in {"bullet", "none"}:
            return ""

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lk = levels.get(k, _Level())
            value = counters.get(k, lk.start)
            return _format_number(value, "decimal" if level.legal and k != ilvl else lk.fmt)

        marker = re.sub(r"%([1-9])", sub, level.text).strip()
        if not marker:
            return ""
        self.used = True
        return marker if marker[-1] in "、.．)）:：，," else marker + " "


# -- LibreOffice conversion ----------------------------------------------------------------


def _soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _convert(data: bytes, digest: str, display: str, suffix: str) -> DecodedText:
    exe = _soffice()
    if exe is None:
        raise InputError(display, f"需要安装 LibreOffice 才能读取 {suffix} 文件（或先在 Word/WPS 中另存为 .docx）")
    with tempfile.TemporaryDirectory(prefix="checker-lo-") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / f"input{suffix}"
        src.write_bytes(data)
        outdir = tmpdir / "out"
        outdir.mkdir()
        cmd = [
            exe,
            f"-env:UserInstallation={(tmpdir / 'profile').as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", "docx:MS Word 2007 XML",
            "--outdir", str(outdir), str(src),
        ]  # fmt: skip
        env = {**os.environ, "HOME": str(tmpdir)}
        try:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=env, start_new_session=True,
            )  # fmt: skip
        except OSError as exc:
            raise InputError(display, f"无法启动 LibreOffice（{exc.strerror or exc}）") from None
        try:
            _, err = proc.communicate(timeout=CONVERT_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise InputError(display, f"LibreOffice 转换 {suffix} 文件超时（{CONVERT_TIMEOUT} 秒）") from None
        out = outdir / "input.docx"
        if proc.returncode != 0 or not out.exists():
            detail = err.decode("utf-8", errors="replace").strip().splitlines()
            hint = next((d for d in detail if "Error" in d or "error" in d), "")
            raise InputError(
                display,
                f"LibreOffice 无法转换该 {suffix} 文件（文件可能已损坏或设置了密码）"
                + (f"：{hint[:80]}" if hint else ""),
            )
        converted = out.read_bytes()
    kind = suffix.lstrip(".")
    decoded = _read_docx(converted, digest, display, kind=kind, label=f"{kind}→docx（LibreOffice 转换）")
    return DecodedText(
        text=decoded.text, encoding=decoded.encoding, sha256=digest, kind=kind, locator="paragraph",
        notes=(f"已用 LibreOffice 将 {suffix} 转换为 .docx 后读取", *decoded.notes),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------
# PDF (pdfplumber)

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–_\s·]*\d{1,4}[-—–_\s·]*|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-—–]?\s*[〇一二三四五六七八九十]{1,4}\s*[-—–]?)$"
)
_HEADING_START = re.compile(
    r"^(?:第[一二三四五六七八九十]{1,3}(?:部分|章|节|篇)|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]"
    r"|\d{1,2}(?:、|[.．](?!\d))|[（(]\d{1,2}[)）]|[①-⑳])"
)
_CID = re.compile(r"\(cid:\d+\)")
_HAN = re.compile(r"[\u3400-\u9fff]")
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
    if len(_HAN.findall("".join(raw))) < 5:
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
            if sum(len(_HAN.findall(ln.text)) for ln in lines) < 5 and has_images:
                image_only.append(number)
            pages.append(lines)
    finally:
        with contextlib.suppress(Exception):
            pdf.close()
    han = sum(len(_HAN.findall(ln.text)) for lines in pages for ln in lines)
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
    return _finish(
        "\n".join(ln.text for ln in paragraphs), "pdf", digest, display,
        kind="pdf", locator="page", page_of_line=tuple(ln.page for ln in paragraphs), notes=tuple(notes),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------
# HTML (trafilatura)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GOV_TITLE_META = ("ArticleTitle", "articletitle", "title", "og:title", "dc.title", "DC.Title")
_GOV_SOURCE_META = ("ContentSource", "contentsource", "source")
_GOV_DATE_META = ("PubDate", "pubdate", "publishdate", "firstpublishedtime", "article:published_time", "dc.date")


def _decode_html(data: bytes, display: str) -> str:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    m = _META_CHARSET.search(data[:8192])
    declared = m.group(1).decode("ascii").lower() if m else None
    if declared in {"gb2312", "gbk", "gb_2312-80", "x-gbk"}:
        declared = "gb18030"  # a superset: pages labelled gb2312 routinely use GBK characters
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 50):
        raise InputError(display, "无法识别网页的文字编码")
    return text


def _meta(tree: Any, names: tuple[str, ...]) -> str | None:
    for name in names:
        for attr in ("name", "property"):
            found = tree.xpath(f"//meta[@{attr}=$n]/@content", n=name)
            for value in found:
                value = str(value).strip()
                if value:
                    return value
    return None


def _clean_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    # "XX县2023年法治政府建设年度报告_XX县人民政府" -> the article's own title
    for sep in ("_", " - ", "-", "|", "｜", "——"):
        if sep in title:
            head = title.split(sep)[0].strip()
            if len(_HAN.findall(head)) >= 6:
                return head
    return title


def _read_html(data: bytes, digest: str, display: str) -> DecodedText:
    import lxml.html
    import trafilatura

    html = _decode_html(data, display)
    if not html.strip():
        raise InputError(display, "网页为空")
    try:
        tree = lxml.html.document_fromstring(
            html.encode("utf-8", errors="replace"), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
    except Exception:
        raise InputError(display, "网页无法解析（HTML 已损坏）") from None
    try:
        result = trafilatura.bare_extraction(
            html, include_comments=False, include_tables=True, include_images=False,
            include_links=False, with_metadata=True, deduplicate=False, favor_recall=True,
        )  # fmt: skip
        if result is not None and not isinstance(result, dict):
            result = result.as_dict()
    except Exception:  # the extractor failing on a malformed page means: no article found
        result = None
    body = str(result.get("text") or "") if isinstance(result, dict) else ""
    if len(_HAN.findall(body)) < 10:
        raise InputError(display, "网页中没有找到正文内容（可能是目录页、需要脚本加载的页面或附件下载页）")
    lines = [re.sub(r"[ \t\u00a0\u3000]+", " ", ln).strip() for ln in body.splitlines()]
    lines = [ln for ln in lines if ln]
    title = _meta(tree, _GOV_TITLE_META[:1]) or (str(result.get("title") or "") if isinstance(result, dict) else "")
    if not title:
        t = tree.find(".//title")
        title = t.text_content() if t is not None else ""
    title = _clean_title(title)
    date = _meta(tree, _GOV_DATE_META) or (str(result.get("date") or "") if isinstance(result, dict) else "")
    head: list[str] = []
    if title:
        key = title.replace(" ", "")
        # the article repeats its title in its first lines: keep one, at the top
        for k in range(min(3, len(lines))):
            if lines[k].replace(" ", "") == key:
                del lines[k]
                break
        head.append(title)
    source = _meta(tree, _GOV_SOURCE_META)
    meta = [f"发布时间：{date.strip()[:16]}"] if date and date[:10] not in "".join(lines[:3]) else []
    if source and meta and source not in "".join(lines[:3]):
        meta.append(f"来源：{source.strip()[:30]}")
    if meta:
        head.append("　".join(meta))
    notes = ("已从网页中提取正文（去除导航、页脚等）",)
    return _finish("\n".join([*head, *lines]), "html", digest, display, kind="html", locator="line", notes=notes)

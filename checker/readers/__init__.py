"""Read a report in the formats it really arrives in: .txt, Word, PDF, a saved web page.

:func:`read_report` is the one entry point. It reads the file once (size limit of
:mod:`checker.text.decode`), sniffs the format from the bytes (:mod:`.sniff`), picks the reader
from the one suffix table :data:`FORMATS`, and returns a :class:`~checker.text.decode.DecodedText`
with one paragraph per line and the reader's notes. One module per format:

* :mod:`.plain` — .txt/.md (and text-named files that are really PDF or Word);
* :mod:`.word` — .docx directly (automatic numbering: :mod:`.wordnum`), .doc/.wps/.odt/.rtf
  converted by LibreOffice (:mod:`.libreoffice`);
* :mod:`.pdf` — PDF with a text layer;
* :mod:`.web` — saved web pages;
* :mod:`.mht` — web archives (.mht/.mhtml), also under a .doc name;
* :mod:`.ofd` — OFD (GB/T 33190) electronic documents;
* :mod:`.archive` — members of .zip archives, named ``archive.zip!/member.docx``.

Kinds we do not read (spreadsheets, RAR, images …) are named with the reason
(:data:`REFUSED`), never skipped silently.

Every failure is an :class:`~checker.text.decode.InputError` with a one-line Chinese cause.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checker.readers import archive, mht, ofd, pdf, plain, web, word
from checker.readers.common import Source
from checker.readers.sniff import sniff
from checker.text.decode import DecodedText, InputError, read_bytes


@dataclass(frozen=True, slots=True)
class Format:
    """One input format: its name, the suffixes it is chosen for, and its reader."""

    name: str
    suffixes: frozenset[str]
    read: Callable[[Source], DecodedText]


#: The one suffix table: every format we read and the suffixes that select it.
FORMATS: tuple[Format, ...] = (
    Format("text", frozenset(plain.SUFFIXES), plain.read),
    Format("word", word.SUFFIXES, word.read),
    Format("pdf", pdf.SUFFIXES, pdf.read),
    Format("html", web.SUFFIXES, web.read),
    Format("mht", mht.SUFFIXES, mht.read),
    Format("ofd", ofd.SUFFIXES, ofd.read),
)
_BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}
#: Every suffix a report may have (a file without a suffix is read as text).
SUPPORTED_SUFFIXES = frozenset(s for s in _BY_SUFFIX if s)


#: Kinds of files found beside reports that we do not read, and why (never skipped silently).
REFUSED: tuple[tuple[frozenset[str], str], ...] = (
    (
        frozenset({".xls", ".xlsx", ".xlsm", ".et", ".ett", ".ods", ".csv"}),
        "是电子表格，不是报告正文；请检查报告本身（Word、PDF、OFD、网页或文本）",
    ),
    (
        frozenset({".ppt", ".pptx", ".dps", ".odp"}),
        "是演示文稿，不是报告正文；请检查报告本身（Word、PDF、OFD、网页或文本）",
    ),
    (
        frozenset({".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".arj", ".cab"}),
        "是 RAR/7z 等压缩包，只能打开 .zip；请解压后再检查",
    ),
    (
        frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif", ".webp"}),
        "是图片，不能直接检查；请把扫描的页面合成为一个 PDF 后再检查",
    ),
)
_REFUSED = {suffix: reason for suffixes, reason in REFUSED for suffix in suffixes}
#: Files in a folder that are never reports and are passed over without a word: system files and Office locks.
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db"})
#: checker's own files kept beside reports (labels, waivers, settings, outputs), also passed over in folders.
SIDECAR_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".toml", ".ini", ".cfg", ".log", ".sarif", ".lock", ".tmp"})


def ignored(name: str) -> bool:
    """Whether a file found in a folder is not a candidate report.

    Hidden, system clutter (Thumbs.db, an Office ~$ lock file) or one of checker's own files (labels, waivers, settings,
    outputs).
    """
    lower = name.lower()
    return name.startswith((".", "~$")) or lower in IGNORED_NAMES or Path(lower).suffix in SIDECAR_SUFFIXES


def format_for(path: Path) -> Format | None:
    """The format a file's suffix selects, or None when we do not read that suffix."""
    return _BY_SUFFIX.get(path.suffix.lower())


def refused_reason(suffix: str) -> str:
    """Why a file with this suffix is not read, in Chinese."""
    known = _REFUSED.get(suffix.lower())
    if known:
        return known
    if suffix.lower() in archive.ARCHIVE_SUFFIXES:
        return "是压缩包中的压缩包，不再展开；请解压后再检查"
    return f"不支持的文件类型“{suffix}”（支持：{'、'.join(sorted(SUPPORTED_SUFFIXES))}）"


def read_report(path: Path) -> DecodedText:
    """Read one report file of any supported format, or a member ``archive.zip!/name`` of a zip.

    Raises InputError with a Chinese cause.
    """
    display = str(path)
    member = archive.split(path)
    suffix = Path(member[1]).suffix if member else path.suffix
    fmt = _BY_SUFFIX.get(suffix.lower())
    if fmt is None:
        raise InputError(display, refused_reason(suffix))
    data = archive.read_member(*member) if member else read_bytes(path)
    if not data.strip():
        raise InputError(display, "文件为空")
    src = Source(data, hashlib.sha256(data).hexdigest(), display, suffix.lower(), sniff(data))
    try:
        return fmt.read(src)
    except InputError:
        raise
    except MemoryError:
        raise InputError(display, "文件内容过大，读取时内存不足") from None
    except RecursionError:
        raise InputError(display, "文件结构嵌套过深，无法读取") from None

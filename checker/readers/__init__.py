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
* :mod:`.ofd` — OFD (GB/T 33190) electronic documents.

Every failure is an :class:`~checker.text.decode.InputError` with a one-line Chinese cause.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checker.readers import mht, ofd, pdf, plain, web, word
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


def format_for(path: Path) -> Format | None:
    """The format a file's suffix selects, or None when we do not read that suffix."""
    return _BY_SUFFIX.get(path.suffix.lower())


def read_report(path: Path) -> DecodedText:
    """Read one report file of any supported format. Raises InputError with a Chinese cause."""
    display = str(path)
    fmt = format_for(path)
    if fmt is None:
        raise InputError(display, f"不支持的文件类型“{path.suffix}”（支持：{'、'.join(sorted(SUPPORTED_SUFFIXES))}）")
    data = read_bytes(path)
    if not data.strip():
        raise InputError(display, "文件为空")
    src = Source(data, hashlib.sha256(data).hexdigest(), display, path.suffix.lower(), sniff(data))
    try:
        return fmt.read(src)
    except InputError:
        raise
    except MemoryError:
        raise InputError(display, "文件内容过大，读取时内存不足") from None
    except RecursionError:
        raise InputError(display, "文件结构嵌套过深，无法读取") from None

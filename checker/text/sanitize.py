r"""Text from other people's files made safe for where we write it (issue 13).

Report texts, titles and file names come from whoever sent the file. Before they reach:

* a terminal – escape sequences (``ESC[2J`` clears the screen, OSC sets the window title
  or writes hyperlinks) and other control characters are removed: :func:`for_terminal`;
* an XML document – characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone
  surrogates, U+FFFE/U+FFFF) are removed, else the file is not well-formed: :func:`for_xml`;
* a spreadsheet – see :mod:`checker.cells` (a leading ``'``, as OWASP recommends);
* a CSV, HTML or workbook cell naming a file – escape sequences, controls and bidi overrides are
  shown as visible escapes (``\x1b``), so the name stays recognisable: :func:`visible`.

Decoded documents are cleaned once, when they are decoded (:func:`clean_document`), so
every output – terminal, JSON, XML, HTML – sees the same text.
"""

from __future__ import annotations

import re
from functools import cache

# Whole escape sequences first (so "ESC[31m" leaves nothing behind), then lone controls.
_SEQUENCES = (
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI (colours, cursor, clear screen)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC strings
    r"|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # their 8-bit forms
    r"|\x1b[ -/]*[0-~]"  # other two-character escapes
)
#: Escape sequences, C0 controls but tab/LF/CR, DEL, C1 controls and the bidirectional overrides that make a line
#: display other than it reads: what every decoded report is cleaned of.
_DOCUMENT = re.compile(_SEQUENCES + r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# The other patterns serve one output each (terminal, CSV/HTML names, XML): compiled when first used.
@cache
def _terminal() -> re.Pattern[str]:
    """C0 controls except tab and line feed, DEL and the C1 controls (with the escape sequences)."""
    return re.compile(_SEQUENCES + r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@cache
def _unseen() -> re.Pattern[str]:
    """What :func:`visible` shows as an escape: controls but tab/LF/CR, DEL, C1, bidi overrides, noncharacters."""
    return re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


@cache
def _noncharacters() -> re.Pattern[str]:
    """Unicode noncharacters a spreadsheet or XML file cannot hold."""
    return re.compile("[\ufffe\uffff]")


@cache
def _xml_forbidden() -> re.Pattern[str]:
    """Characters XML 1.0 does not allow anywhere."""
    return re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def for_terminal(text: str) -> str:
    """``text`` without escape sequences or control characters (tab and newline kept)."""
    return _terminal().sub("", text)


def visible(text: str) -> str:
    r"""``text`` with control characters, bidi overrides and noncharacters shown as escapes.

    As ``\x1b``, ``\u202e``: for file names in CSV, HTML and workbooks, where a reader must still be able to tell two
    names apart and find the file, and where removing the characters could make two names look the same.
    """
    return _unseen().sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def clean_document(text: str) -> str:
    """A decoded report without escape sequences, control characters (tab, CR, LF kept) or bidi overrides."""
    return _DOCUMENT.sub("", text)


def printable(text: str) -> str:
    """One line safe for a terminal, XML and a spreadsheet (people's notes: reviews, waivers).

    Tabs and line breaks become spaces; escape sequences, other controls and bidi overrides go.
    """
    one_line = text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _noncharacters().sub("", _DOCUMENT.sub("", one_line))


def for_xml(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _xml_forbidden().sub("", text)


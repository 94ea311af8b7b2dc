"""Text for spreadsheet cells (CSV and Excel), safe against formula injection.

A report, checklist or reviewer note may start with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return; Excel, WPS and LibreOffice read such a cell as a formula (``=HYPERLINK(…)``,
``=cmd|…``). A leading apostrophe makes it plain text in every one of them.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def excel_safe(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet would otherwise read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def excel_unsafe(text: str) -> str:
    """Undo :func:`excel_safe` on text read back from a cell we wrote."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text

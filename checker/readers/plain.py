"""Plain text (.txt/.md or no suffix), with a PDF or Word file saved under a text name still read."""

from __future__ import annotations

from checker.readers.common import Source
from checker.readers.mht import read as read_mht
from checker.readers.pdf import read as read_pdf
from checker.readers.word import read as read_word
from checker.text.decode import TEXT_SUFFIXES, DecodedText, decode

#: Every suffix this reader is chosen for ("" is a file without a suffix).
SUFFIXES = TEXT_SUFFIXES | {""}


def read(src: Source) -> DecodedText:
    """Decode text in whatever encoding it uses, unless the content is a PDF or a Word file."""
    if src.sniffed == "mht":
        return read_mht(src)
    if src.sniffed == "pdf":
        return read_pdf(src)
    if src.sniffed in {"zip", "ole"}:
        return read_word(src.as_suffix(".docx" if src.sniffed == "zip" else ".doc"))
    return decode(src.data, src.display)

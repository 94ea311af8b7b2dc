"""A budget for reading one PDF (issue 13): decompressed bytes and time.

A PDF is a small file that can say "inflate this stream": a 1.5 MB file whose content
stream inflates to 1.5 GB of spaces took 28 s and 3.1 GB of memory in pdfminer, and under
a memory limit its MemoryError was reported as a damaged page. While a PDF is read:

* every Flate stream pdfminer inflates is counted against :data:`MAX_INFLATED` bytes for
  the whole file (pdfminer calls ``zlib`` through its module; for the duration of the read
  that name points at a counting wrapper that stops inflating at the limit);
* the pages are read within :data:`MAX_SECONDS`.

Either limit ends the read with a one-line Chinese :class:`~checker.text.decode.InputError`.
"""

from __future__ import annotations

import contextlib
import time
import zlib
from collections.abc import Iterator
from typing import Any

from checker.text.decode import InputError

#: Bytes all of one PDF's streams may inflate to (a 500-page report needs a few tens of MB).
MAX_INFLATED = 128 * 1024 * 1024
#: Seconds to read the pages of one PDF.
MAX_SECONDS = 60.0


class PdfBudget:
    """What one PDF may still inflate, and until when it may be read."""

    def __init__(self, display: str, inflated: int = MAX_INFLATED, seconds: float = MAX_SECONDS) -> None:
        """A budget for the PDF shown as ``display``: bytes it may inflate to, seconds it may take."""
        self.display = display
        self.limit = inflated
        self.left = inflated
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def spend(self, size: int) -> None:
        """Count ``size`` inflated bytes; past the limit, refuse the file."""
        self.left -= size
        if self.left < 0:
            mb = self.limit // (1024 * 1024)
            raise InputError(self.display, f"PDF 中的压缩内容解压后超过 {mb} MB（可能是“解压炸弹”），不读取")

    def check_time(self, page: int) -> None:
        """Refuse the file when reading it has taken longer than allowed."""
        if time.monotonic() > self.deadline:
            raise InputError(self.display, f"PDF 读取超时（{self.seconds:g} 秒内只读到第 {page} 页），不读取")


class _Inflater:
    """zlib.decompressobj() that counts what it produces."""

    def __init__(self, budget: PdfBudget, *args: Any, **kwargs: Any) -> None:
        self._d = zlib.decompressobj(*args, **kwargs)
        self._budget = budget

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        cap = self._budget.left + 1
        out = self._d.decompress(data, min(max_length, cap) if max_length else cap)
        self._budget.spend(len(out))
        return out

    def flush(self, *args: Any) -> bytes:
        out = self._d.flush(*args)
        self._budget.spend(len(out))
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._d, name)


class _CountingZlib:
    """The part of the zlib module pdfminer uses, counting inflated bytes against a budget."""

    error = zlib.error

    def __init__(self, budget: PdfBudget) -> None:
        self._budget = budget

    def decompress(self, data: bytes, *args: Any, **kwargs: Any) -> bytes:
        d = _Inflater(self._budget, *args[1:], **kwargs)  # wbits, bufsize are not used by pdfminer
        out = d.decompress(data)
        if d.unconsumed_tail:  # stopped at the limit
            self._budget.spend(self._budget.left + 1)
        if not d.eof:
            raise zlib.error("incomplete or truncated stream")  # as zlib.decompress would
        return out + d.flush()

    def decompressobj(self, *args: Any, **kwargs: Any) -> _Inflater:
        return _Inflater(self._budget, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


@contextlib.contextmanager
def pdf_budget(display: str) -> Iterator[PdfBudget]:
    """Read a PDF within a budget: pdfminer's inflating is counted while the block runs."""
    from pdfminer import pdftypes

    budget = PdfBudget(display)
    saved = pdftypes.zlib  # type: ignore[attr-defined]
    pdftypes.zlib = _CountingZlib(budget)  # type: ignore[attr-defined,assignment]
    try:
        yield budget
    finally:
        pdftypes.zlib = saved  # type: ignore[attr-defined]

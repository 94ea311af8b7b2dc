"""What every reader shares: the input it is given and the final checks on extracted text."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, replace
from typing import Any

from checker.text.decode import DecodedText, InputError, checked

#: Han characters (CJK unified ideographs and extension A).
HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class Source:
    """One input as a reader receives it.

    Its bytes, their hash, the name shown to the user, the lower-case suffix it arrived under and the kind its content
    was sniffed as.
    """

    data: bytes
    digest: str
    display: str
    suffix: str
    sniffed: str

    def fail(self, cause: str) -> InputError:
        """An InputError for this input with a one-line Chinese ``cause``."""
        return InputError(self.display, cause)

    def as_suffix(self, suffix: str) -> Source:
        """The same input, handled as if it had arrived under ``suffix``."""
        return replace(self, suffix=suffix)


def garbled(text: str) -> bool:
    """Whether ``text`` is mojibake.

    Real Chinese prose is nearly all GB2312 level-1 characters (the 3755 common ones); random bytes read as UTF-16 or a
    broken font map are not.
    """
    han = HAN.findall(text[:50000])
    if len(han) < 50:
        return False
    common = 0
    for ch in han:
        with contextlib.suppress(UnicodeEncodeError):
            common += 0xB0 <= ch.encode("gb2312")[0] <= 0xD7
    return common < 0.6 * len(han)


def finish(text: str, label: str, digest: str, display: str, **extra: Any) -> DecodedText:
    """Wrap extracted text (``extra``: kind, locator, …) after refusing empty, non-Chinese or garbled text."""
    decoded = checked(text, label, digest, display, **extra)
    if garbled(decoded.text):
        raise InputError(display, "提取出的文字是乱码（不像正常的中文），文件可能已损坏或使用了特殊的字体编码")
    return decoded

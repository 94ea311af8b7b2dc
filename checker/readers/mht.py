"""Web archives (.mht/.mhtml) as browsers still save them: a MIME message holding the page.

The standard library's :mod:`email` package unpacks the message; the first text/html part,
decoded with its declared charset, goes through the web-page reader. Offices often save a
web archive under a .doc name: the content is sniffed, not the suffix.
"""

from __future__ import annotations

import email
import email.policy
from email.message import Message

from checker.readers.common import Source
from checker.readers.sniff import SNIFF_LABELS
from checker.readers.web import read as read_web
from checker.readers.web import read_markup
from checker.text.decode import DecodedText

#: Every suffix this reader is chosen for.
SUFFIXES = frozenset({".mht", ".mhtml"})


def _html_part(message: Message) -> Message | None:
    for part in message.walk():
        if part.get_content_type() == "text/html" and not part.is_multipart():
            return part
    return None


def read(src: Source) -> DecodedText:
    """Read the page inside a web archive (a plain web page under a .mht name is read as one)."""
    if src.sniffed == "html":
        return read_web(src)
    if src.sniffed != "mht":
        raise src.fail(f"扩展名是 {src.suffix}，但文件内容不是网页存档（{SNIFF_LABELS.get(src.sniffed, '未知格式')}）")
    message = email.message_from_bytes(src.data, policy=email.policy.compat32)
    part = _html_part(message)
    if part is None:
        raise src.fail("网页存档（.mht）中没有网页（text/html）部分")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise src.fail("网页存档（.mht）中的网页是空的")
    charset = (part.get_content_charset() or "").lower()
    if charset in {"gb2312", "gbk", "x-gbk"}:
        charset = "gb18030"
    html: str | None = None
    for encoding in (charset, "utf-8", "gb18030"):
        if not encoding:
            continue
        try:
            html = payload.decode(encoding)
            break
        except (LookupError, UnicodeDecodeError):
            continue
    if html is None:
        html = payload.decode("utf-8", errors="replace")
    note = "已从网页存档（.mht）中取出网页"
    return read_markup(html, src.digest, src.display, kind="mht", label="mht", notes=(note,))

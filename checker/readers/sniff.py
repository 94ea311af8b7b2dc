"""Recognise a file's format from its first bytes, whatever its name says."""

from __future__ import annotations

import re

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A web archive (.mht/.mhtml, RFC 2557) is a MIME message: header lines, then a multipart/related body.
_MIME_HEADER = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:[ \t]")
_MULTIPART = re.compile(rb"(?im)^content-type:[ \t]*multipart/related")

#: What a sniffed kind is, for messages ("扩展名是 .pdf，但文件内容不是 PDF（…）").
SNIFF_LABELS = {
    "zip": "是 zip 压缩包（如 Word .docx）",
    "ole": "是旧版 Office 文件（如 Word .doc）",
    "pdf": "是 PDF 文件",
    "rtf": "是 RTF 文件",
    "html": "看起来是网页（HTML）",
    "mht": "是网页存档（.mht/.mhtml）",
    "text": "看起来是纯文本",
    "binary": "是无法识别的二进制文件",
}


def sniff(data: bytes) -> str:
    """The kind of content: "zip", "ole", "pdf", "rtf", "mht", "html", "binary" or "text"."""
    head = data[:4096]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    if _MIME_HEADER.match(stripped) and _MULTIPART.search(head):
        return "mht"
    low = head.lower()
    if low.startswith((b"\xff\xfe", b"\xfe\xff")):
        low = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore").lower()
    if stripped[:1] == b"<" and re.search(rb"<(?:!doctype html|html|head|body|meta|div|p|table)[\s>]", low):
        return "html"
    if b"\x00" in head and not low.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"

"""Read report files from disk and decode them to text.

Only this module touches the bytes of an input file. It knows the encodings Chinese
government reports really arrive in (UTF-8 with or without BOM, GB18030/GBK, UTF-16)
and turns every failure into an :class:`InputError` whose message is fit for a user.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import itertools
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.text.sanitize import clean_document

#: Extensions read as plain text.
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})

#: Files larger than this are refused rather than read into memory.
MAX_BYTES = 64 * 1024 * 1024

#: A report longer than this is not an annual report (they run to tens of thousands of
#: characters); refusing it keeps a stray data dump from occupying an audit for minutes.
MAX_CHARS = 1_000_000


def _too_long(display: str, chars: int) -> InputError:
    limit = MAX_CHARS // 10000
    cause = f"文本过长（约 {chars // 10000} 万字，上限 {limit} 万字），不像是一份年度报告；如确需检查，请拆分后再查"
    return InputError(display, cause)


class InputError(Exception):
    """An input file that cannot be turned into a document. The message is in Chinese."""

    def __init__(self, path: str, cause: str) -> None:
        """``path`` could not be read because of ``cause`` (Chinese, one line)."""
        super().__init__(f"{path}: {cause}")
        self.path = path
        self.cause = cause


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A report turned into text, one paragraph (or source line) per line.

    ``kind`` is the format the text came from ("txt", "docx", "pdf", "html", "doc", …).
    ``locator`` says what a line of ``text`` is in the original file: "line" (a text
    file's own line), "paragraph" (line *N* is paragraph or table row *N* of a Word
    document) or "page" (``page_of_line[N - 1]`` is the 1-based PDF page where line *N*
    starts). ``notes`` are things a reviewer should know about the extraction (pages
    without a text layer, converter used, …), in Chinese. ``ocr_pages`` are the 1-based
    pages whose text came from optical character recognition (scanned pages).
    """

    text: str
    encoding: str
    sha256: str
    kind: str = "txt"
    locator: str = "line"
    page_of_line: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    ocr_pages: tuple[int, ...] = ()

    def where(self, line: int) -> str:
        """Where the 1-based ``line`` of ``text`` is in the original file, in Chinese."""
        if self.locator == "page" and 0 < line <= len(self.page_of_line):
            page = self.page_of_line[line - 1]
            return f"第 {page} 页" + ("（文字识别）" if page in self.ocr_pages else "")
        if self.locator == "paragraph":
            return f"第 {line} 段"
        return f"第 {line} 行"


#: Our own small files (checklists, configs, waivers, labels) are refused above this.
MAX_OWN_BYTES = 16 * 1024 * 1024


def read_utf8(path: Path, label: str, error: type[Exception]) -> tuple[bytes, str]:
    """Bytes and text of a small UTF-8 file of ours (checklist, config, waivers, labels).

    Opened like a report (:func:`read_capped`). Failures raise ``error`` with a Chinese
    message naming the file, e.g. "x.yaml: 清单文件不存在".
    """
    try:
        raw = read_capped(path, MAX_OWN_BYTES)
    except InputError as exc:
        missing = not path.exists() and not path.is_symlink()
        raise error(f"{path}: {label}不存在" if missing else f"{path}: {label}{exc.cause}") from None
    try:
        return raw, raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{path}: {label}应为 UTF-8 编码") from None


def read_bytes(path: Path) -> bytes:
    """The bytes of an input file (see :func:`read_capped`), at most :data:`MAX_BYTES`."""
    return read_capped(path, MAX_BYTES)


_NOT_REGULAR = ((stat.S_ISFIFO, "管道（FIFO）"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
                (stat.S_ISSOCK, "套接字"))


def read_capped(path: Path, cap: int) -> bytes:
    """The one way an input file is opened (issue 13): regular files only, at most ``cap`` bytes.

    The file is opened without blocking (a FIFO would otherwise wait for a writer forever)
    and checked on the open descriptor, so what is read is what was checked: a FIFO,
    device or socket – also behind a symlink – is refused. The cap is enforced on the
    bytes actually read, not on ``stat`` (which says 0 for devices and some virtual files).
    Every failure is an :class:`InputError` with a Chinese cause.
    """
    display = str(path)
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(display, "符号链接指向的文件不存在" if path.is_symlink() else "文件不存在") from None
    except PermissionError:
        if path.is_dir():  # Windows cannot open a folder
            raise InputError(display, "这是一个文件夹，不是文件") from None
        raise InputError(display, "没有读取权限") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(display, "符号链接循环，无法读取") from None
        raise InputError(display, f"无法读取（{exc.strerror or exc}）") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(display, "这是一个文件夹，不是文件")
        if not stat.S_ISREG(st.st_mode):
            kind = next((name for test, name in _NOT_REGULAR if test(st.st_mode)), "特殊文件")
            raise InputError(display, f"不是普通文件，而是{kind}，不读取")
        if st.st_size > cap:
            raise _too_big(display, st.st_size, cap)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > cap:  # the file grew, or stat did not tell the truth
                raise _too_big(display, total, cap)
        return b"".join(chunks)
    except PermissionError:
        raise InputError(display, "没有读取权限") from None
    except OSError as exc:
        raise InputError(display, f"无法读取（{exc.strerror or exc}）") from None
    finally:
        os.close(fd)


def _too_big(display: str, size: int, cap: int) -> InputError:
    mb = 1024 * 1024
    return InputError(display, f"文件过大（{'超过 ' if size > cap else ''}{size // mb} MB，上限 {cap // mb} MB）")


_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])


def _has_chinese(text: str, enough: int = 10, within: int = 20000) -> bool:
    """At least ``enough`` CJK characters (U+3400–U+9FFF) among the first ``within`` characters of ``text``.

    A loop rather than a regular expression: compiling ``[\u3400-\u9fff]`` costs a cold start more than a real
    report's loop, which stops at its tenth Chinese character.
    """
    found = 0
    for ch in itertools.islice(text, within):
        if "\u3400" <= ch <= "\u9fff":
            found += 1
            if found >= enough:
                return True
    return False


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        # UTF-16 text has NULs too; it is recognised before this check by its BOM or layout.
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(8, len(sample) // 50)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: pick the byte order whose decoding reads as Chinese or ASCII text."""
    if len(data) < 4:
        return None
    data = data[: len(data) - len(data) % 2]
    best: tuple[float, str] | None = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        share = _readable(text)
        if share and (best is None or share > best[0]):
            best = (share, text)
    return best[1] if best else None


def _readable(text: str) -> float:
    """The share of readable characters when text reads as Chinese (0.0 when it does not).

    Random bytes decoded as UTF-16 give CJK a third of the time; real text is almost all
    readable (common CJK, ASCII, Chinese punctuation).
    """
    sample = text[:4000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    readable = cjk + sum(1 for ch in sample if " " <= ch <= "~" or ch in "\r\n\t，。、；：（）“”《》")
    share = readable / max(1, len(sample))
    return share if share > 0.95 and cjk else 0.0


def decode(data: bytes, display: str) -> DecodedText:
    """Decode report bytes, detecting the encoding. Raises InputError with a Chinese cause."""
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(display, "文件为空")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text: str | None = data.decode(enc)
            except UnicodeDecodeError:
                text = None
            if enc == "utf-16" and (text is None or not _readable(text)):
                # A UTF-16 mark in front of UTF-8 bytes (an editor's or a converter's slip): decoded
                # as UTF-16 it would be mojibake that still looks like CJK.
                try:
                    return _checked(data[len(bom):].decode("utf-8"), "utf-8(误带 UTF-16 标记)", digest, display)
                except UnicodeDecodeError:
                    pass
            if text is None:
                raise InputError(display, f"文件带有 {enc} 标记，但内容无法按该编码解码")
            return _checked(text, enc.replace("-sig", "-bom"), digest, display)
    utf16 = _utf16_without_bom(data) if b"\x00" in data[:4096] else None
    if utf16 is not None:
        return _checked(utf16, "utf-16", digest, display)
    if _looks_binary(data):
        raise InputError(display, "这是二进制文件，不是文本报告（如为 Word/PDF，请使用对应扩展名）")
    try:
        return _checked(data.decode("utf-8"), "utf-8", digest, display)
    except UnicodeDecodeError:
        pass
    try:
        return _checked(data.decode("gb18030"), "gb18030", digest, display)
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # only for the rare file that is neither UTF-8 nor GB18030

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        return _checked(str(best), best.encoding, digest, display)
    # Mostly valid UTF-8 with a few broken bytes: keep the text, mark the damage.
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(3, len(text) // 100):
        return _checked(text, "utf-8(有损)", digest, display)
    raise InputError(display, "无法识别文件编码（不是 UTF-8、GB18030/GBK 或 UTF-16）")


def checked(text: str, encoding: str, digest: str, display: str, **extra: Any) -> DecodedText:
    """Refuse text that is empty or not Chinese; otherwise wrap it (``extra``: kind, locator, …)."""
    return _checked(text, encoding, digest, display, **extra)


def _checked(text: str, encoding: str, digest: str, display: str, **extra: Any) -> DecodedText:
    if len(text) > MAX_CHARS:
        raise _too_long(display, len(text))
    text = clean_document(text)  # no NULs, escape sequences or control characters reach any output
    if not text.strip():
        raise InputError(display, "文件没有文字内容")
    if not _has_chinese(text):
        raise InputError(display, "文件中几乎没有中文文字，不像是一份报告")
    return DecodedText(text=text, encoding=encoding, sha256=digest, **extra)


def read_text(path: Path) -> DecodedText:
    """Read and decode one plain-text report file."""
    display = str(path)
    if path.suffix.lower() not in TEXT_SUFFIXES and path.suffix:
        raise InputError(display, f"不支持的文件类型“{path.suffix}”（支持：{'、'.join(sorted(TEXT_SUFFIXES))}）")
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_bytes reports a missing or unreadable file
    if size > 4 * MAX_CHARS:  # no encoding we read needs more than 4 bytes a character
        raise _too_long(display, size // 3)
    return decode(read_bytes(path), display)

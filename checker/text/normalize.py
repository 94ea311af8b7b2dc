r"""Normalise report text for matching, keeping a map back to the original characters.

Two stages:

* :func:`prepare` is length-preserving: full-width letters and digits become ASCII, ASCII
  punctuation becomes its Chinese form, quote/bracket/dash variants are unified and
  traditional characters become simplified (OpenCC ``t2s``). Index *i* of the result is
  index *i* of the original text, so structure can be read from it line by line.
* :class:`TextBuilder` assembles the matching text from spans of the prepared text,
  dropping quotes, zero-width characters and whitespace inside Chinese text (so that
  "认真\n贯彻" matches 认真贯彻), and records where every run came from.
  :class:`OffsetMap` answers "which original character is this?" by bisection.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

import regex

from checker.text import regexcode

_ASCII_TO_CJK_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}


@cache
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):
        ch = chr(code - 0xFEE0)
        table[code] = _ASCII_TO_CJK_PUNCT.get(ch, ch)
    for ascii_ch, cjk in _ASCII_TO_CJK_PUNCT.items():
        table[ord(ascii_ch)] = cjk
    for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63":
        table[ord(ch)] = "-"
    table[0xFF0D] = "-"
    for ch in "<〈\uff1c":
        table[ord(ch)] = "《"
    for ch in ">〉\uff1e":
        table[ord(ch)] = "》"
    table[0x3000] = " "
    table[0xFF61] = "。"
    table[0xFF64] = "、"
    table[ord("\r")] = " "
    table[ord("\t")] = " "
    table[0xA0] = " "
    return table


@cache
def _converter() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified with OpenCC, guaranteed to keep the length of ``text``."""
    conv = _converter()
    out: str = conv.convert(text)  # type: ignore[attr-defined]
    if len(out) == len(text):
        return out
    # A phrase conversion changed the length somewhere (rare): redo line by line and,
    # for a line that still changes length, character by character.
    lines = []
    for line in text.split("\n"):
        converted: str = conv.convert(line)  # type: ignore[attr-defined]
        if len(converted) != len(line):
            chars = []
            for ch in line:
                single: str = conv.convert(ch)  # type: ignore[attr-defined]
                chars.append(single if len(single) == 1 else ch)
            converted = "".join(chars)
        lines.append(converted)
    return "\n".join(lines)


@cache
def _replacements() -> tuple[dict[str, str], re.Pattern[str]] | None:
    """The table as character replacements, and a pattern finding the characters it changes.

    None when a replacement could be replaced again (then only ``str.translate`` is exact).
    """
    table = _table()
    changes = {chr(k): v for k, v in table.items() if chr(k) != v}
    if any(len(v) != 1 or (ord(v) in table and table[ord(v)] != v) for v in changes.values()):
        return None
    # The stdlib re: for one character class it is several times faster than regex here.
    return changes, re.compile("[" + "".join(re.escape(k) for k in sorted(changes)) + "]")


def _translate(raw: str) -> str:
    """``raw.translate(_table())``, faster: only the characters present are replaced, each in one pass.

    ``str.translate`` with a dict looks up every character of a Chinese text in Python; most
    reports contain a handful of the table's characters (ASCII commas, brackets, CR).
    """
    prepared = _replacements()
    if prepared is None:
        return raw.translate(_table())
    changes, present = prepared
    for ch in set(present.findall(raw)):
        raw = raw.replace(ch, changes[ch])
    return raw


# Pinyin a page added after a character (建设（shè）, 报（bào）告): blanked out, so that the words read whole.
_PINYIN = regexcode.compile(r"(?<=\p{Han})[（(][a-zü\u00e0-\u01dc]{1,7}[）)]")


def _blank(m: regex.Match[str]) -> str:
    return " " * len(m.group())


def prepare(raw: str) -> str:
    """Length-preserving normalisation of a whole document (see module docstring)."""
    out = to_simplified(_translate(raw))
    if "（" in out:
        out = _PINYIN.sub(_blank, out)
    assert len(out) == len(raw)
    return out


def normalize_phrase(text: str) -> str:
    """Normalise a checklist term or a snippet exactly as document text is normalised."""
    builder = TextBuilder()
    builder.add(prepare(text), 0, len(text))
    return builder.text()


# Characters dropped from the matching text, and whitespace runs (handled by context).
_DROP = regexcode.compile(r"[“”‘’\"'「」『』﹁﹂﹃﹄\u200b\u200c\u200d\u2060\ufeff]|\s+")


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "%.+-_/")


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Piecewise map from matching-text index to original-text index."""

    norm_starts: tuple[int, ...]
    raw_starts: tuple[int, ...]

    def to_raw(self, index: int) -> int:
        """The original-text index of normalised index ``index``."""
        i = bisect.bisect_right(self.norm_starts, index) - 1
        if i < 0:
            return 0
        return self.raw_starts[i] + (index - self.norm_starts[i])

    def raw_spans(self, start: int, end: int) -> list[tuple[int, int]]:
        """The original-text ranges that the matching-text span [start, end) comes from."""
        spans: list[tuple[int, int]] = []
        i = max(0, bisect.bisect_right(self.norm_starts, start) - 1)
        pos = start
        while pos < end and i < len(self.norm_starts):
            stop = min(self.norm_starts[i + 1], end) if i + 1 < len(self.norm_starts) else end
            if stop > pos:
                raw = self.raw_starts[i] + (pos - self.norm_starts[i])
                spans.append((raw, raw + stop - pos))
                pos = stop
            i += 1
        return spans


class TextBuilder:
    """Accumulates the matching text from spans of the prepared text."""

    def __init__(self) -> None:
        """An empty text."""
        self._parts: list[str] = []
        self._norm_starts: list[int] = []
        self._raw_starts: list[int] = []
        self._length = 0

    @property
    def length(self) -> int:
        """The length of the text built so far."""
        return self._length

    def last_char(self) -> str:
        """The last character built so far ("" when empty)."""
        return self._parts[-1][-1] if self._parts else ""

    def _run(self, piece: str, raw_start: int) -> None:
        if not piece:
            return
        if self._norm_starts and self._raw_starts[-1] + (self._length - self._norm_starts[-1]) == raw_start:
            pass  # contiguous with the previous run: no new breakpoint needed
        else:
            self._norm_starts.append(self._length)
            self._raw_starts.append(raw_start)
        self._parts.append(piece)
        self._length += len(piece)

    def insert(self, piece: str, raw_at: int) -> None:
        """Insert characters that stand for the original character at ``raw_at`` (e.g. a break)."""
        self._norm_starts.append(self._length)
        self._raw_starts.append(raw_at)
        self._parts.append(piece)
        self._length += len(piece)
        # Force the next run to start a new breakpoint.
        self._norm_starts.append(self._length)
        self._raw_starts.append(raw_at + 1)

    def add(self, prepared: str, start: int, end: int) -> None:
        """Add prepared[start:end], dropping quotes and whitespace inside Chinese text."""
        pos = start
        for m in _DROP.finditer(prepared, start, end):
            self._run(prepared[pos : m.start()], pos)
            pos = m.end()
            if m.group().isspace():
                before = prepared[m.start() - 1] if m.start() > start else self.last_char()
                after = prepared[m.end()] if m.end() < end else ""
                if before and after and _is_ascii_word(before) and _is_ascii_word(after):
                    self._run(" ", m.start())
        self._run(prepared[pos:end], pos)

    def join_space_if_ascii(self, prepared: str, next_start: int, raw_at: int) -> None:
        r"""Between two joined lines: a space only where both sides are ASCII words.

        Not between two digits: a number broken across lines (12\n345, as PDF text wraps by
        width) is one number.
        """
        before = self.last_char()
        after = prepared[next_start] if next_start < len(prepared) else ""
        if before.isdigit() and after.isdigit():
            return
        if before and after and _is_ascii_word(before) and _is_ascii_word(after):
            self.insert(" ", raw_at)

    def text(self) -> str:
        """The text built so far."""
        return "".join(self._parts)

    def mark(self) -> int:
        """A position to ask :meth:`text_since` about (cheap: the number of runs so far)."""
        return len(self._parts)

    def text_since(self, mark: int) -> str:
        """The text added after :meth:`mark` returned ``mark`` (without joining all the text)."""
        return "".join(self._parts[mark:])

    def offset_map(self) -> OffsetMap:
        """The map from the built text's indices to the original text's."""
        return OffsetMap(tuple(self._norm_starts), tuple(self._raw_starts))

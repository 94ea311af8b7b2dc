"""Module-level regular expressions compiled when first used, not when their module is imported.

The ``regex`` module compiles slowly (its parser is Python): a cold ``check`` spent a large part of its
time compiling the patterns of document/profile.py and document/model.py, many of which a given report
never reaches (web-page chrome, news, notices, speeches …). A :class:`LazyPattern` stands where a
compiled pattern stood and compiles it on its first search (once per process, from the code cache of
:mod:`checker.text.regexcode` when it has the pattern); patterns searched in
tight loops stay plain compiled patterns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import regex

from checker.text import regexcode


class LazyPattern:
    """A ``regex`` pattern compiled on first use (the methods of a compiled pattern that checker uses)."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        """A pattern compiled on first use with ``flags``."""
        self.pattern = pattern
        self.flags = flags
        self._compiled: regex.Pattern[str] | None = None

    def compiled(self) -> regex.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        found = self._compiled
        if found is None:
            found = self._compiled = regexcode.compile(self.pattern, self.flags)
        return found

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        """As ``regex.Pattern.search``."""
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        """As ``regex.Pattern.match``."""
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        """As ``regex.Pattern.fullmatch``."""
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match[str]]:
        """As ``regex.Pattern.finditer``."""
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        """As ``regex.Pattern.findall``."""
        return self.compiled().findall(string, pos, endpos)

    def split(self, string: str, maxsplit: int = 0) -> list[Any]:
        """As ``regex.Pattern.split``."""
        return self.compiled().split(string, maxsplit)

    def sub(self, repl: str | Callable[[regex.Match[str]], str], string: str, count: int = 0) -> str:
        """As ``regex.Pattern.sub``."""
        return self.compiled().sub(repl, string, count)


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    """A pattern compiled when first used."""
    return LazyPattern(pattern, flags)

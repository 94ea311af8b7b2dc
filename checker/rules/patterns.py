r"""Regular expressions written by other people (issue 13).

Refused when they can backtrack catastrophically, and run under a time budget otherwise.

Two guards, because neither is enough alone:

* at load, :func:`catastrophic` reads a pattern and names the forms that backtrack
  exponentially – a repeat inside a repeat (``(\d+)+``, ``(?:a\p{Han}*)*``) and a
  repeated alternation whose branches can start alike (``(\w|\w\w)+``). The ``regex``
  module checks its timeout only between start positions, so one exponential attempt
  can run for minutes past it: such patterns must not run at all. Possessive repeats
  (``\d++``) and atomic groups (``(?>…)``) do not backtrack and are allowed. Every
  pattern – ours and the user's – passes this check when a checklist is loaded;
* at run time, every search with a pattern from a user's checklist (``regex``,
  ``title``, ``hedges``/``extra_hedges``) runs under one :class:`Budget` per item and
  document. When it is spent the search raises :class:`PatternTimeout` and the item's
  result says "条目 X 的规则运行超时" – never a crash, never a hung run. The bundled
  checklists are ours and checked by the first guard; they run without a budget.
"""

from __future__ import annotations

import time
from typing import Any

from checker.text import regexcode

#: Seconds that the user patterns of one item may run over one document.
USER_PATTERN_BUDGET = 1.0

_BRACES = regexcode.compile(r"\\[pP]\{[^}\\]*\}")


class PatternTimeout(Exception):
    """A user pattern ran out of its time budget."""


class Budget:
    """One time budget shared by every user-pattern search of an item over a document."""

    __slots__ = ("_deadline", "seconds")

    def __init__(self, seconds: float = USER_PATTERN_BUDGET) -> None:
        """A budget of ``seconds`` per document for the user's patterns."""
        self.seconds = seconds
        self._deadline = time.monotonic() + seconds

    def restart(self) -> None:
        """Start a new budget (for the next item)."""
        self._deadline = time.monotonic() + self.seconds

    def remaining(self) -> float:
        """Seconds left; raises PatternTimeout when none are."""
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise PatternTimeout
        return left


def catastrophic(pattern: str) -> str | None:
    r"""What in ``pattern`` can backtrack catastrophically (in Chinese), or None.

    A repeated part (``+``, ``*``, ``{n,}``) is ambiguous – so that a failing search tries
    exponentially many ways to split the text between its repetitions – when its body
    ends in a repeat or alternation of variable length whose characters could also begin
    the body (``(\d+)+``, ``(?:a\p{Han}*)*``, ``(\w|\w\w)+``, ``(?:\s*\|\s*)*``),
    or when it is an alternation two of whose branches can start alike. Possessive
    repeats and atomic groups do not backtrack and pass. ``regex``-only syntax the
    standard library's parser cannot read is not judged (the time budget still applies).
    """
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as p  # type: ignore[attr-defined]

        parsed = p.parse(_BRACES.sub(".", pattern))
    except Exception:  # syntax only the regex module knows: no static verdict
        return None
    state = parsed.state

    def variable(item: tuple[Any, Any]) -> bool:
        lo, hi = p.SubPattern(state, [item]).getwidth()
        return bool(lo != hi)

    def scan(seq: list[tuple[Any, Any]]) -> str | None:
        for op, av in seq:
            found: str | None = None
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                _lo, hi, sub = av
                body = list(sub)
                if hi is c.MAXREPEAT or hi > 10:
                    if _overlapping_branches(body, c):
                        return "重复的各个分支可以从同样的字符开始（如 (a|ab)+）"
                    last = _last(body, c)
                    if (last is not None and last[0] in (c.MAX_REPEAT, c.MIN_REPEAT, c.BRANCH)
                            and variable(last) and _may_begin(last, body, state, c)):
                        return "重复的部分以可长可短的内容结尾，而这些内容又能开始下一次重复（如 (a+)+、(a|aa)+）"
                found = scan(body)
            elif op is c.SUBPATTERN:
                found = scan(list(av[3]))
            elif op is c.BRANCH:
                found = next((f for alt in av[1] if (f := scan(list(alt))) is not None), None)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                found = scan(list(av[1]))
            # literals, classes, anchors; possessive repeats and atomic groups never backtrack
            if found is not None:
                return found
        return None

    return scan(list(parsed))


def _last(seq: list[tuple[Any, Any]], c: Any) -> tuple[Any, Any] | None:
    """The last element of a body, looking into groups."""
    while seq:
        op, av = seq[-1]
        if op is c.SUBPATTERN:
            seq = list(av[3])
            continue
        return op, av
    return None


def _may_begin(last: tuple[Any, Any], body: list[tuple[Any, Any]], state: Any, c: Any) -> bool:
    """Whether what ``last`` matches could also begin ``body`` (unknown counts as yes)."""
    begin = _first(body, c)
    if begin is None:
        return True
    op, av = last
    if op is c.BRANCH or len(av[2]) != 1:
        return True
    try:  # the repeated character class, compiled alone, tried on each possible first character
        from re import _compiler, _parser  # type: ignore[attr-defined]

        one = _compiler.compile(_parser.SubPattern(state, [next(iter(av[2]))]), 0)
    except Exception:
        return True
    return any(one.fullmatch(chr(ch)) for ch in begin)


def _overlapping_branches(seq: list[tuple[Any, Any]], c: Any) -> bool:
    """A (possibly grouped) alternation two of whose branches can start with the same character."""
    while len(seq) == 1 and seq[0][0] is c.SUBPATTERN:
        seq = list(seq[0][1][3])
    if len(seq) != 1 or seq[0][0] is not c.BRANCH:
        return False
    firsts = [_first(list(alt), c) for alt in seq[0][1][1]]
    for i, a in enumerate(firsts):
        for b in firsts[i + 1 :]:
            if a is None or b is None or a & b:
                return True
    return False


def _first(seq: list[tuple[Any, Any]], c: Any) -> frozenset[int] | None:
    """The characters a body can start with (None: any, or cannot tell)."""
    if not seq:
        return None
    op, av = seq[0]
    if op is c.SUBPATTERN:
        return _first(list(av[3]), c)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        sub = list(av[2])
        # optional: the body may start with what follows
        return _first(sub, c) if av[0] > 0 and len(sub) == 1 else None
    if op is c.LITERAL:
        return frozenset({av})
    if op is c.IN and all(o is c.LITERAL for o, _ in av):
        return frozenset(v for _, v in av)
    return None

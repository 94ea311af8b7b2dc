"""One pass over a document for every literal term of a checklist (issue 7: speed).

A checklist has about 1,500 literal terms (keywords detectors' terms, ``unless`` and
``require`` terms) and a dozen regexes. Finding each term with its own ``str.find`` scan
costs a pass over the text per term; here one Aho-Corasick automaton per checklist
(pyahocorasick, built once when the checklist is compiled) finds every occurrence of
every term in a single pass. :class:`checker.rules.detectors.DocIndex` is then filled with the
positions, so the detectors' own logic – and so every verdict – is unchanged.

Regex detectors get a prefilter: :func:`required` reads a pattern and returns, for each of its
top-level alternatives, literal sets every match must contain one of each (``None`` when it cannot
tell), and only the sentences that hold one literal of every set of some alternative are searched.
A sentence without them cannot hold a match, so the result is the same as searching every sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from checker.text import regexcode

_BRACES = regexcode.compile(r"\\[pP]\{[^}\\]*\}")
_QUANTIFIER = regexcode.compile(r"\{\d*(?:,\d*)?\}")


def required_literals(pattern: str) -> tuple[str, ...] | None:
    r"""Literals one of which every match of ``pattern`` (``regex`` syntax) contains, or None.

    The pattern is parsed with the standard library's parser (after replacing ``\p{…}``
    classes by ``.``); anything that parser does not read exactly as the ``regex`` module
    would – case-insensitive parts, fuzzy matching, POSIX classes, version-1 sets,
    escaped backslashes – gives None, and the caller searches without a prefilter.
    """
    read = _parse(pattern)
    if read is None:
        return None
    parsed, c = read
    found = _required(parsed, c)
    if not found or any(not s for s in found):
        return None
    return tuple(sorted(found))


def _parse(pattern: str) -> tuple[list[tuple[Any, Any]], Any] | None:
    r"""The pattern as the standard library's parser reads it (with its opcode constants), or None.

    None for anything that parser does not read exactly as the ``regex`` module would (see
    :func:`required_literals`).
    """
    if "\\\\" in pattern or "[[" in pattern or "[:" in pattern or "(?V" in pattern:
        return None
    simple = _BRACES.sub(".", pattern)
    if "{" in _QUANTIFIER.sub("", simple.replace("\\{", "")):
        return None  # fuzzy constraints such as {e<=1} read as literal text by the stdlib parser
    try:
        import re
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as p  # type: ignore[attr-defined]

        parsed = p.parse(simple)
    except Exception:  # any syntax the stdlib does not know: no prefilter
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    return list(parsed), c


#: A regex detector's prefilter: any of these alternatives; each is clauses that every match of the alternative
#: satisfies all of, and a clause is literals one of which the match contains.
Requirement = tuple[tuple[tuple[str, ...], ...], ...]


def required(pattern: str) -> Requirement | None:
    r"""What every match of ``pattern`` contains, per top-level alternative (None: no prefilter).

    Stronger than :func:`required_literals`: ``向\p{Han}{0,6}?(?:党委|人大)\p{Han}{0,4}?报告`` needs 向, one of
    党委 and 人大, and 报告 – a sentence lacking any of them is not searched – where one literal set alone (the
    most selective) lets through every sentence with 党委 or 人大. A sentence may hold a match only if it holds,
    for some alternative, a literal of each of its clauses.
    """
    read = _parse(pattern)
    if read is None:
        return None
    parsed, c = read
    seq = parsed
    while len(seq) == 1 and seq[0][0] is c.SUBPATTERN and not seq[0][1][1] & c.SRE_FLAG_IGNORECASE:
        seq = list(seq[0][1][3])  # (?:A|B) as a whole: its alternatives
    branches = [list(b) for b in seq[0][1][1]] if len(seq) == 1 and seq[0][0] is c.BRANCH else [seq]
    alternatives = [_clauses(b, c) for b in branches]
    if any(not clauses or any(not lit for clause in clauses for lit in clause) for clauses in alternatives):
        return None  # an alternative that can match without a literal: every sentence may hold a match
    return tuple(tuple(sorted({tuple(sorted(clause)) for clause in clauses})) for clauses in alternatives)


def _clauses(seq: list[tuple[Any, Any]], c: Any) -> list[frozenset[str]]:
    """Literal sets every match of the sequence contains one of each ([]: none known)."""
    clauses: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in seq:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            clauses.append(frozenset({"".join(run)}))
            run = []
        if op is c.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if not add_flags & c.SRE_FLAG_IGNORECASE:
                clauses.extend(_clauses(list(sub), c))
        elif op is c.BRANCH:
            alts = [_required(list(alt), c) for alt in av[1]]
            if alts and all(a is not None for a in alts):
                clauses.append(frozenset().union(*alts))  # type: ignore[arg-type]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)):
            lo, _hi, sub = av
            if lo >= 1:
                clauses.extend(_clauses(list(sub), c))
        elif op is getattr(c, "ATOMIC_GROUP", None):
            clauses.extend(_clauses(list(av), c))
        # Anything else (sets, classes, anchors, lookarounds, backreferences, conditionals) requires no literal.
    if run:
        clauses.append(frozenset({"".join(run)}))
    return clauses


def _best(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two requirement sets (longer shortest literal, then fewer)."""
    if a is None:
        return b
    if b is None:
        return a
    ka = (min(map(len, a)), -len(a))
    kb = (min(map(len, b)), -len(b))
    return b if kb > ka else a


def _required(seq: list[tuple[Any, Any]], c: Any) -> frozenset[str] | None:
    """The most selective of the literal sets every match of the sequence contains one of (None: none known)."""
    best: frozenset[str] | None = None
    for clause in _clauses(seq, c):
        best = _best(best, clause)
    return best


#: The 250 characters most frequent in the matching text of real reports (the 128 of the dev set), most frequent
#: first. The automaton looks a character up among the children of its root one by one, in the order they were
#: added, and a character that starts no term is compared with all of them: placed first, the frequent ones are
#: found after a few comparisons (a report's scan takes a third less time; which terms are found does not change).
_FREQUENT = (
    "法，治政2、建设府。0的\n习作全实工年行一会要学和进中推1市平党部委导责思近人主想（）领依重度"
    "务开制为国》面任落贯大化理彻区省组《入5二持坚关深发展强规项执动3县公报新定体成各提：情局议以力"
    "社在4职决题范时-次告办效是十精民管将况指事神高等下方施点三加合策第现干有专保机确于及员通署件镇"
    "代履了对同示级道我能宣负案系织性街心共文律上个划业传义改用分信督格立研水统论位服色意审内把门创与"
    "核6长特不程单查升常严央求考出安明地举监好自问讲记完总认真环场书清期日经教目措四究训标质培基州识"
    "抓式如召78续权障过纳"
)
#: Follows a frequent character in a placeholder word that only gives it a place among the root's children: a
#: Unicode noncharacter, and a text holding one anyway gets no result for the placeholder (see scan).
_NEVER = "\uffff"
_PLACEHOLDER = (0, "")


class TermScanner:
    """All occurrences of a fixed set of literal terms, found in one pass."""

    def __init__(self, terms: Iterable[str]) -> None:
        """Build the automaton of the non-empty ``terms``."""
        self.terms = frozenset(t for t in terms if t)
        self._automaton: Any = None
        if self.terms:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            rank = {ch: i for i, ch in enumerate(_FREQUENT)}
            if len({t[0] for t in self.terms}) > len(_FREQUENT):
                # Many first characters (a whole checklist): the frequent characters first, also those that
                # start no term. With fewer, a character outside them costs less than a placeholder would.
                for ch in _FREQUENT:
                    automaton.add_word(ch + _NEVER, _PLACEHOLDER)
            # The terms by the rank of their first character: the root's other children in that order.
            for term in sorted(self.terms, key=lambda t: (rank.get(t[0], len(rank)), t)):
                automaton.add_word(term, (len(term) - 1, term))
            automaton.make_automaton()
            self._automaton = automaton

    def scan(self, text: str) -> dict[str, list[int]]:
        """Start offsets of every occurrence (overlapping ones too) of every term that occurs, sorted."""
        found: dict[str, list[int]] = {}
        if self._automaton is None:
            return found
        for end, (back, term) in self._automaton.iter(text):
            hits = found.get(term)
            if hits is None:
                found[term] = [end - back]
            else:
                hits.append(end - back)
        found.pop("", None)  # a placeholder word (_NEVER) in the text
        # The automaton reports occurrences by end offset; terms of one length end in start order.
        return found

    def __getstate__(self) -> dict[str, Any]:
        """Only the terms are pickled (for worker processes); the automaton is rebuilt."""
        return {"terms": self.terms}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Rebuild the automaton from the pickled terms."""
        self.__init__(state["terms"])  # type: ignore[misc]


class ChecklistScanner:
    """The terms of one checklist, and the literals that prefilter its regexes."""

    def __init__(self, terms: Iterable[str], regex_literals: dict[str, Requirement]) -> None:
        """A scanner of ``terms``; ``regex_literals``: per pattern, what each match contains (:func:`required`)."""
        self.regex_literals = dict(regex_literals)
        literals = {lit for req in self.regex_literals.values() for alt in req for clause in alt for lit in clause}
        self.scanner = TermScanner([*terms, *literals])

    @property
    def terms(self) -> frozenset[str]:
        """The literal terms scanned for."""
        return self.scanner.terms

    def scan(self, text: str) -> dict[str, list[int]]:
        """Every term's occurrences in ``text``: term -> start offsets."""
        return self.scanner.scan(text)


def checklist_scanner(items: Iterable[Any]) -> ChecklistScanner:
    """A scanner for every literal term of the items' detectors (any object with ``.detectors``)."""
    terms: set[str] = set()
    literals: dict[str, Requirement] = {}
    for item in items:
        for det in item.detectors:
            terms.update(det.literal_terms())
            prefilter = det.regex_literals()
            if prefilter is not None:
                literals[prefilter[0]] = prefilter[1]
    return ChecklistScanner(terms, literals)

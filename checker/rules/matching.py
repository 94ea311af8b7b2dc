"""What detectors find in a document: the runtime form of the detector kinds and their matching.

A checklist is validated by its pydantic schema (:mod:`checker.rules.detectors`) when it is loaded;
checking runs on the plain classes here (no pydantic), built from the validated data or straight
from the checklist cache (:mod:`checker.rules.runtime`). Detectors report *what they found and
where* as :class:`Match` tuples: the span, the sentence and its role, whether the clause hedges or
negates it (尚未/有待/将进一步…), whether a number or a named document stands near it, and whether
the detector itself grades it as weak. They never decide an item's status: that is the engine's job.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import regex

from checker.rules.reasons import Note, Reason, message
from checker.text import regexcode
from checker.text.lazyre import lazy  # slogans and web-page 落款: compiled when a report reaches them
from checker.vocabulary import COVERING_ROLES, Role

if TYPE_CHECKING:
    from checker.document.model import Document
    from checker.document.profile import Profile
    from checker.rules.patterns import Budget
    from checker.rules.scanner import ChecklistScanner, Requirement

_CLAUSE = regexcode.compile(r"[，；。：！？\n]")
#: Numbers that name a thing rather than count (行政执法三项制度, 四个意识, 两个维护, 两个确立).
_NAMED_COUNT = "制度|意识|自信|维护|确立"
_QUANTIFIED = regexcode.compile(
    r"\d+(?:\.\d+)?\s*(?:%|件|次|人|个|项|场|份|余|万|亿|条|家|起|宗|批|部|期|名|户|篇|所|处|多|轮|场次|人次|小时|学时|天|日内|个工作日)"
    rf"|[一二三四五六七八九十百千万两]+(?:件|次|人|个|项|场|份|条|家|起|宗|批|部|期|名|轮|场次)(?!{_NAMED_COUNT})"
    r"|百分之|全覆盖|《[^》]{2,40}》"
)
_YEAR = regexcode.compile(r"(?<![\d-])(20\d\d)\s*年(?!\s*[-—至到~]\s*20\d\d)(?![-—]\d)")


class Match(NamedTuple):
    """One thing a detector found. Offsets are into the document's matching text.

    Immutable; a NamedTuple rather than a frozen dataclass because detectors build hundreds per
    report and a tuple is built (and hashed, for de-duplication) at C speed.
    """

    start: int
    end: int
    sentence: int
    role: Role | None  # None: a structural fact, not content
    hedged: bool = False
    weak: bool = False
    quantified: bool = False
    notes: tuple[Note, ...] = ()  #: why the detector graded it weak (reason codes)

    @property
    def detail(self) -> str:
        """The Chinese message of the notes (empty when there are none)."""
        return message(self.notes)

    @property
    def full(self) -> bool:
        """Counts as coverage: not hedged, not weak, and (for content) in a covering role."""
        return not self.hedged and not self.weak and (self.role is None or self.role in COVERING_ROLES)


def compiled(pattern: str) -> regex.Pattern[str]:
    """A checklist pattern compiled once per process, when first needed (from the code cache when it has it).

    The ``regex`` module compiles slowly: most of a cold check's time was compiling patterns that a given report never
    reaches.
    """
    return regexcode.compile(pattern)


_BODY_ROLES = frozenset(Role) - {Role.TITLE, Role.SIGNOFF}


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


@dataclass(frozen=True, slots=True)
class Rule:
    """A detector at run time: the validated fields matching needs, its matching, and how it is built.

    The schema of each kind (its fields, defaults and load-time checks) is the pydantic model of the same
    ``kind`` in :mod:`checker.rules.detectors`; :data:`RULES` maps each kind to its class here, and
    :meth:`from_data` builds one from that model's validated data (or the checklist cache's copy of it).
    """

    note: str

    @classmethod
    def from_data(cls, d: Mapping[str, Any]) -> Rule:
        """The rule of one detector's validated data (the fields every kind has: ``note``)."""
        return cls(note=str(d.get("note", "")))

    def find(self, index: DocIndex) -> Iterator[Match]:
        """Everything this detector finds in the indexed document."""
        raise NotImplementedError

    def literal_terms(self) -> tuple[str, ...]:
        """Literal terms of this detector that the checklist's one-pass scanner finds for it."""
        return ()

    def regex_literals(self) -> tuple[str, Requirement] | None:
        """(pattern, what every match contains: checker.rules.scanner.required) for the regex prefilter, or None."""
        return None


@dataclass(frozen=True, slots=True)
class ContentRule(Rule):
    """What the detectors of the report's content share: roles, ``unless`` terms, a cap."""

    unless: tuple[str, ...]
    unless_within: str
    cap: str | None
    body_roles: frozenset[Role]  #: the roles it matches in (``roles`` without title and 落款)

    @staticmethod
    def content_fields(d: Mapping[str, Any]) -> dict[str, Any]:
        """The fields the content detectors share, from validated data."""
        roles = d.get("roles")
        return {
            "note": str(d.get("note", "")),
            "unless": _strs(d.get("unless", ())),
            "unless_within": str(d.get("unless_within", "sentence")),
            "cap": d.get("cap"),
            "body_roles": _BODY_ROLES if roles is None else frozenset(Role(r) for r in roles) & _BODY_ROLES,
        }


@dataclass(frozen=True, slots=True)
class KeywordsRule(ContentRule):
    """Literal terms: one term of every group (``any`` is one group), within a sentence, clause or window."""

    groups: tuple[tuple[str, ...], ...]  #: normalised terms, as the schema's ``groups``
    within: str | int

    @classmethod
    def from_data(cls, d: Mapping[str, Any]) -> Rule:
        """The rule of a keywords detector's validated data (its normalised ``groups``)."""
        within = d.get("within", "sentence")
        return cls(**cls.content_fields(d), groups=tuple(_strs(g) for g in d["groups"]),
                   within=within if isinstance(within, int) else str(within))

    def find(self, index: DocIndex) -> Iterator[Match]:
        """Sentences (clauses, windows) holding a term of every group, not vetoed by ``unless``."""
        return _keywords(self, index)

    def literal_terms(self) -> tuple[str, ...]:
        """Every term of every group, and the ``unless`` terms."""
        return (*(t for group in self.groups for t in group), *self.unless)


@dataclass(frozen=True, slots=True)
class RegexRule(ContentRule):
    """A regular expression matched inside one sentence."""

    pattern: str

    @classmethod
    def from_data(cls, d: Mapping[str, Any]) -> Rule:
        """The rule of a regex detector's validated data."""
        return cls(**cls.content_fields(d), pattern=str(d["pattern"]))

    @property
    def compiled(self) -> regex.Pattern[str]:
        """The compiled pattern (compiled on first use: a pattern whose literals a report lacks never is)."""
        return compiled(self.pattern)

    def find(self, index: DocIndex) -> Iterator[Match]:
        """The first match of the pattern in each sentence, not vetoed by ``unless``."""
        return _regex(self, index)

    def literal_terms(self) -> tuple[str, ...]:
        """The ``unless`` terms (the pattern's own literals come from :meth:`regex_literals`)."""
        return self.unless

    def regex_literals(self) -> tuple[str, Requirement] | None:
        """The pattern and what every match contains (checker.rules.scanner.required; None: no prefilter)."""
        from checker.rules.scanner import required

        requirement = required(self.pattern)
        return None if requirement is None else (self.pattern, requirement)


@dataclass(frozen=True, slots=True)
class PartRule(Rule):
    """A part of the report with a role; weak if it is not a distinct part or lacks ``require``."""

    role: Role
    cap: str | None
    require: tuple[str, ...]
    require_label: str

    @classmethod
    def from_data(cls, d: Mapping[str, Any]) -> Rule:
        """The rule of a part detector's validated data."""
        return cls(note=str(d.get("note", "")), role=Role(d["role"]), cap=d.get("cap"),
                   require=_strs(d.get("require", ())), require_label=str(d.get("require_label", "")))

    def find(self, index: DocIndex) -> Iterator[Match]:
        """Each part with the role; weak when it is not a part of its own or lacks ``require``."""
        return _part(self, index)

    def literal_terms(self) -> tuple[str, ...]:
        """The ``require`` terms."""
        return self.require


@dataclass(frozen=True, slots=True)
class TitleRule(Rule):
    """The title line; weak if it does not match ``pattern``."""

    pattern: str
    missing_label: str

    @classmethod
    def from_data(cls, d: Mapping[str, Any]) -> Rule:
        """The rule of a title detector's validated data."""
        return cls(note=str(d.get("note", "")), pattern=str(d["pattern"]),
                   missing_label=str(d.get("missing_label", "标题不完整")))

    @property
    def compiled(self) -> regex.Pattern[str]:
        """The compiled pattern (compiled on first use)."""
        return compiled(self.pattern)

    def find(self, index: DocIndex) -> Iterator[Match]:
        """The title line, weak when it does not match the pattern."""
        return _title(self, index)


@dataclass(frozen=True, slots=True)
class SignoffRule(Rule):
    """落款: issuing body and date at the end (or a dated header with its source)."""


    def find(self, index: DocIndex) -> Iterator[Match]:
        """The 落款, weak when its body or date is missing."""
        return _signoff(self, index)


@dataclass(frozen=True, slots=True)
class YearRule(Rule):
    """Report year consistent across title, achievements and plans (plans = next year)."""


    def find(self, index: DocIndex) -> Iterator[Match]:
        """Where the report names its year, weak when title, achievements or plans disagree."""
        return _year_consistency(self, index)


#: The runtime class of each detector kind: the same keys as the schema's ``KINDS``
#: (checker.rules.detectors; tests/test_scanner.py pins that they agree).
RULES: dict[str, type[Rule]] = {
    "keywords": KeywordsRule,
    "regex": RegexRule,
    "part": PartRule,
    "title": TitleRule,
    "signoff": SignoffRule,
    "year_consistency": YearRule,
}


def clause_breaks_of(text: str) -> list[int]:
    """Offsets of the characters that end a clause (，；。：！？ and line breaks)."""
    return [m.start() for m in _CLAUSE.finditer(text)]


class DocIndex:
    """Per-document caches shared by all detectors of one checklist run."""

    def __init__(
        self, doc: Document, hedges: regex.Pattern[str], profile: Profile | None,
        scanner: ChecklistScanner | None, budget: Budget | None = None, clause_breaks: list[int] | None = None,
    ) -> None:
        """Index ``doc`` for one checklist: its hedges and its one-pass scanner.

        ``scanner`` is None only to test without it; ``clause_breaks``: :func:`clause_breaks` of the text, when the
        caller indexes it for several checklists.
        """
        self.doc = doc
        #: The time budget of user-checklist patterns (None: bundled patterns, no timeout).
        self.budget = budget
        self.text = doc.text
        self.hedges = hedges
        self.profile = profile
        self._positions: dict[str, list[int]] = {}
        self._clause_breaks = clause_breaks if clause_breaks is not None else clause_breaks_of(self.text)
        # All the checklist's literal terms found in one pass (checker.rules.scanner); other terms by str.find.
        self._scanned: frozenset[str] = frozenset()
        self._regex_literals: dict[str, Requirement] = {}
        self._quantified: dict[int, bool] = {}
        self._hedges: dict[tuple[int, int], list[tuple[int, int]]] = {}  #: clause -> its hedges' spans
        self._citations: list[tuple[int, int]] | None = None
        self._first_para: int | None = None
        self._outline: frozenset[int] | None = None
        if scanner is not None:
            self._positions = scanner.scan(self.text)
            self._scanned = scanner.terms
            self._regex_literals = scanner.regex_literals

    def limit(self) -> float | None:
        """Timeout for the next search with one of the checklist's patterns (None: no limit)."""
        return None if self.budget is None else self.budget.remaining()

    def positions(self, term: str) -> list[int]:
        """Where ``term`` occurs in the normalised text (from the scan, or searched when it was not scanned)."""
        found = self._positions.get(term)
        if found is None:
            found = []
            if term not in self._scanned:
                find = self.text.find
                pos = find(term)
                while pos != -1:
                    found.append(pos)
                    pos = find(term, pos + 1)
            self._positions[term] = found
        return found

    def regex_candidates(self, pattern: str) -> list[int] | None:
        """Sentences that may hold a match of ``pattern`` (None: every sentence may), in order.

        Those holding, for some alternative of the pattern, a literal of each of its clauses (scanner.required).
        """
        requirement = self._regex_literals.get(pattern)
        if requirement is None:
            return None
        sentences_of = self.doc.sentences_of
        positions = self.positions
        found: set[int] = set()
        for clauses in requirement:
            common: set[int] | None = None
            for clause in clauses:
                holding = sentences_of([p for lit in clause for p in positions(lit)])
                common = set(holding) if common is None else common.intersection(holding)
                if not common:
                    break
            if common:
                found |= common
        return sorted(found)

    def any_between(self, terms: tuple[str, ...], lo: int, hi: int) -> tuple[int, int] | None:
        """First occurrence of any term lying wholly inside [lo, hi)."""
        return first_between(self.occurring(terms), lo, hi)

    def occurring(self, terms: tuple[str, ...]) -> list[tuple[int, list[int]]]:
        """(length, positions) of the terms that occur in the document, in the order of ``terms``.

        A detector looks its groups up once and then tests each sentence against the few terms that occur
        (:func:`first_between`) instead of against every term of the group.
        """
        positions = self.positions
        return [(len(term), found) for term in terms if (found := positions(term))]

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause (between clause punctuation) around ``start``–``end``."""
        i = bisect.bisect_left(self._clause_breaks, start)
        lo = self._clause_breaks[i - 1] + 1 if i > 0 else 0
        j = bisect.bisect_left(self._clause_breaks, end)
        hi = self._clause_breaks[j] if j < len(self._clause_breaks) else len(self.text)
        return lo, hi

    def hedged(self, start: int, end: int, terms: tuple[tuple[int, int], ...] = ()) -> bool:
        """A hedge or negation in the clauses of [start, end) that is not part of a matched term."""
        lo, hi = self.clause(start, end)
        spans = terms or ((start, end),)
        if self.budget is not None:  # a user checklist's hedges: searched under its time budget, as far as needed
            found = self.hedges.finditer(self.text, lo, hi, timeout=self.limit())
            return any(all(m.end() <= a or m.start() >= b for a, b in spans) for m in found)
        # Bundled hedges: each clause searched once per document (many matches of many detectors share a clause).
        key = (lo, hi)
        hedges = self._hedges.get(key)
        if hedges is None:
            hedges = self._hedges[key] = [(m.start(), m.end()) for m in self.hedges.finditer(self.text, lo, hi)]
        return any(all(h_end <= a or h_start >= b for a, b in spans) for h_start, h_end in hedges)

    def slogan(self, sentence: int, start: int, end: int) -> bool:
        """[start, end) is one slogan in an opening that lists work areas.

        For example …，规范行政执法行为，强化行政执法监督，增强政府公信力…: a short verb phrase among many,
        no figures — a topic, not work.
        """
        s = self.doc.sentences[sentence]
        if s.role != Role.OPENING and s.paragraph != self._first_paragraph():
            return False
        text = self.text[s.start : s.end]
        if _COUNTED.search(text) or len(_SEGMENT.findall(text)) < 6:
            return False
        for m in _SEGMENT.finditer(self.text, s.start, s.end):
            if m.start() <= start and end <= m.end():
                return _SLOGAN.fullmatch(m.group()) is not None
        return False

    def _first_paragraph(self) -> int:
        if self._first_para is None:
            body = (t.paragraph for t in self.doc.sentences if t.role not in (Role.TITLE, Role.SIGNOFF))
            self._first_para = next(body, -1)
        return self._first_para

    def cited(self, start: int, end: int) -> bool:
        """[start, end) lies inside the title of a cited law or document (《…》)."""
        if self._citations is None:
            self._citations = []
            issued, last_end = False, -1
            for m in _CITATION.finditer(self.text):
                # 出台《A》《B》、《C》（…号）: a list of titles shares the verb before the first.
                in_list = last_end >= 0 and _TITLE_GAP.fullmatch(self.text, last_end, m.start()) is not None
                verb = _ISSUED.search(self.text, max(0, m.start() - 16), m.start()) is not None
                issued = (issued and in_list) or verb
                last_end = m.end()
                if not issued:
                    self._citations.append((m.start(), m.end()))
        i = bisect.bisect_right(self._citations, (start, len(self.text))) - 1
        return i >= 0 and self._citations[i][0] < start and end < self._citations[i][1]

    def outline(self) -> frozenset[int]:
        """The sentences that only list the report's own parts (本报告包括主要举措和成效、…四个部分).

        They name every part and duty of a report without reporting any: no detector takes evidence there.
        """
        if self._outline is None:
            doc = self.doc
            self._outline = frozenset(doc.sentence_at(m.start()) for m in _OUTLINE.finditer(self.text))
        return self._outline

    def quantified(self, sentence: int) -> bool:
        """Whether sentence ``sentence`` states a figure (a number with a unit or a count)."""
        found = self._quantified.get(sentence)
        if found is None:
            s = self.doc.sentences[sentence]
            found = self._quantified[sentence] = _QUANTIFIED.search(self.text, s.start, s.end) is not None
        return found


_SEGMENT = lazy(r"[^，、；。！？]+")
_SLOGAN = lazy(
    r"(?:持续|不断|全面|进一步|着力|大力|切实|深入|努力|积极|坚持)?"
    r"(?:规范|强化|优化|加大|深化|提高|提升|增强|推进|推动|完善|加强|创新|转变|营造|打造|健全|落实|严格)\p{Han}{1,10}"
)
_COUNTED = lazy(
    r"\d+(?:\.\d+)?\s*(?:项|件|次|个|场|期|人|%|余|万|家|条|份|起|部|篇|批|名|套)"
    rf"|[一二三四五六七八九十百千两]+(?:项|件|次|个|场|期|人次|家|条|份|起|部|批|名)(?!{_NAMED_COUNT})"
)
#: A sentence that lists the report's own parts: 本报告包括主要举措和成效、…、2023年重点工作措施四个部分.
_OUTLINE = lazy(
    r"(?:本|此|该)报告(?:主要)?(?:包括|包含|分为|共分为?|由)[^。；\n]{4,160}?[一二三四五六七八九十\d]个?(?:部分|方面)"
)
_CITATION = regexcode.compile(r"《[^《》\n]{1,80}》")
_TITLE_GAP = regexcode.compile(r"[、，和及与]?(?:（[^（）《》]{0,24}）)?[、，和及与等]{0,2}")
# A title the body wrote itself (制定《…事项目录》, 印发《…工作要点》) is its own work, not a citation.
_ISSUED = regexcode.compile(
    r"(?<!新)(?:制定|制发|印发|出台|公布|发布|编制|编印|审议通过|通过|修订|修改|起草|出版|拍摄|推出|形成|建立|完善|实行|推行|组建)了?"
    r"(?:并(?:印发|公布|发布|实施))?(?!的)[^，。；《》]{0,8}$"
)


def first_between(occurring: list[tuple[int, list[int]]], lo: int, hi: int) -> tuple[int, int] | None:
    """First occurrence lying wholly inside [lo, hi) of the terms given as (length, positions) (DocIndex.occurring).

    Of two starting at the same offset, the earlier term wins.
    """
    best: tuple[int, int] | None = None
    for length, pos in occurring:
        i = bisect.bisect_left(pos, lo)
        if i < len(pos) and pos[i] + length <= hi and (best is None or pos[i] < best[0]):
            best = (pos[i], pos[i] + length)
    return best


def _vetoed(det: ContentRule, index: DocIndex, unless: list[tuple[int, list[int]]], start: int, end: int,
            sentence: int) -> bool:
    """An ``unless`` term (``unless``: those occurring in the document, DocIndex.occurring) near the match."""
    if not unless:
        return False
    if det.unless_within == "clause":
        lo, hi = index.clause(start, end)
    else:
        s = index.doc.sentences[sentence]
        lo, hi = s.start, s.end
    return first_between(unless, lo, hi) is not None


def _content_match(
    det: ContentRule,
    index: DocIndex,
    start: int,
    end: int,
    sentence: int,
    terms: tuple[tuple[int, int], ...] = (),
) -> Match:
    return Match(  # positional: the fields in order (start, end, sentence, role, hedged, weak, quantified, notes)
        start,
        end,
        sentence,
        index.doc.sentences[sentence].role,
        index.hedged(start, end, terms),
        det.cap is not None,
        index.quantified(sentence),
        (Note(Reason.CAPPED, (det.note,)),) if det.cap is not None and det.note else (),
    )


def _uncited(index: DocIndex, group: tuple[str, ...], lo: int, hi: int) -> bool:
    """Some term of the group occurs in [lo, hi) outside any cited title."""
    return any(
        lo <= p and p + len(t) <= hi and not index.cited(p, p + len(t)) for t in group for p in index.positions(t)
    )


def _keywords(det: KeywordsRule, index: DocIndex) -> Iterator[Match]:
    doc = index.doc
    roles = det.body_roles
    first, *groups = det.groups
    rest = [index.occurring(group) for group in groups]
    # A group none of whose terms occurs anywhere in the document: no match at all.
    if not all(rest):
        return
    unless = index.occurring(det.unless)
    anchors = sorted((p, p + len(t)) for t in first for p in index.positions(t))
    done: set[int] = set()
    failed: set[int] = set()  # within a sentence, a group missing for one anchor is missing for all
    for a_start, a_end in anchors:
        sentence = doc.sentence_at(a_start)
        if sentence in done or sentence in failed:
            continue
        if not rest and det.cap is None and index.cited(a_start, a_end):
            continue  # 学习《行政复议法》: a word inside the title of a cited law or document
        s = doc.sentences[sentence]
        if s.role not in roles or a_end > s.end:
            continue
        within = det.within
        if within == "sentence":
            lo, hi = s.start, s.end
        elif isinstance(within, str):  # "clause"
            lo, hi = index.clause(a_start, a_end)
        else:
            lo, hi = max(s.start, a_start - within), min(s.end, a_end + within)
        start, end = a_start, a_end
        spans = [(a_start, a_end)]
        for group in rest:
            hit = first_between(group, lo, hi)
            if hit is None:
                if det.within == "sentence":
                    failed.add(sentence)
                break
            spans.append(hit)
            start, end = min(start, hit[0]), max(end, hit[1])
        else:
            slogan = det.cap is None and index.slogan(sentence, start, end)
            if slogan or _vetoed(det, index, unless, start, end, sentence) or (
                # the distinctive word (the first group) only inside cited titles: no evidence
                det.cap is None and index.cited(a_start, a_end) and not _uncited(index, first, lo, hi)
            ):
                continue
            done.add(sentence)
            yield _content_match(det, index, start, end, sentence, tuple(spans))


def _regex(det: RegexRule, index: DocIndex) -> Iterator[Match]:
    doc = index.doc
    roles = det.body_roles
    done: set[int] = set()
    candidates = index.regex_candidates(det.pattern)
    if not candidates and candidates is not None:
        return  # no sentence holds one of the literals every match contains
    sentences = doc.sentences
    pattern = det.compiled
    unless = index.occurring(det.unless)
    for s_index in range(len(sentences)) if candidates is None else candidates:
        s = sentences[s_index]
        if s.role not in roles:
            continue
        if s_index in done:
            continue
        m = pattern.search(index.text, s.start, s.end, timeout=index.limit())
        if m is not None and det.cap is None and index.cited(m.start(), m.end()):
            # Inside a cited title (《…》): look on in the sentence, past that title.
            m = next((n for n in pattern.finditer(index.text, m.end(), s.end, timeout=index.limit())
                      if not index.cited(n.start(), n.end())), None)
        if m is None or m.end() == m.start():
            continue
        slogan = det.cap is None and index.slogan(s_index, m.start(), m.end())
        if slogan or _vetoed(det, index, unless, m.start(), m.end(), s_index):
            continue
        done.add(s_index)
        yield _content_match(det, index, m.start(), m.end(), s_index)


def _part(det: PartRule, index: DocIndex) -> Iterator[Match]:
    doc = index.doc
    for part in doc.parts:
        if part.role != det.role:
            continue
        notes: list[Note] = []
        weak = not part.distinct or det.cap is not None
        if weak:
            notes.append(Note(Reason.PART_NOT_DISTINCT))
        if det.require and index.any_between(det.require, part.start, part.end) is None:
            weak = True
            notes.append(Note(Reason.PART_LACKS, (det.require_label or "、".join(det.require),)))
        s = doc.sentences[part.first_sentence]
        yield Match(s.start, s.end, part.first_sentence, None, weak=weak, notes=tuple(notes))


#: The document an issuing notice sends out, named at its start (现将《…》印发给你们 / 《…》已经…同意，现印发给你们).
_ISSUED_TITLE = lazy(r"《(?P<title>[^《》\n]{4,80})》[^。\n]{0,40}?(?:印发给你们|现予印发|现印发|印发给各)")
_ISSUED_WITHIN = 1500  #: characters from the start in which an issuing notice names what it sends out


#: A title run into the body on the first line, in a copy that lost the line break
#: (某县2025年度法治政府建设情况报告2025年，全县… / …工作方案【5篇】第一篇：…).
_GLUED_TITLE = lazy(
    r"\A\s*(?P<title>[^，。；：！？\n]{4,40}?(?:报告|总结|汇报|方案|要点|安排|计划))(?=[ \t]*(?:20\d\d|【|[一二]〇))"
)


def _title(det: TitleRule, index: DocIndex) -> Iterator[Match]:
    title = index.doc.title
    if title is None:
        glued = _GLUED_TITLE.search(index.text)
        if glued is not None:
            start, end = glued.span("title")
            ok = det.compiled.search(glued["title"], timeout=index.limit()) is not None
            notes = () if ok or not det.missing_label else (Note(Reason.TITLE_INCOMPLETE, (det.missing_label,)),)
            yield Match(start, end, index.doc.sentence_at(start), None, weak=not ok, notes=notes)
            return
        # An issuing notice with no title line of its own: the name of what it sends out is its only title.
        issued = _ISSUED_TITLE.search(index.text, 0, _ISSUED_WITHIN)
        if issued is not None:
            start, end = issued.span("title")
            yield Match(start, end, index.doc.sentence_at(start), None, weak=True,
                        notes=(Note(Reason.TITLE_OF_ISSUED),))
        return
    text = "".join(index.text[b.start : b.end] for b in index.doc.head if b.kind == "title")
    ok = det.compiled.search(text, timeout=index.limit()) is not None
    notes = () if ok or not det.missing_label else (Note(Reason.TITLE_INCOMPLETE, (det.missing_label,)),)
    yield Match(title.start, title.end, index.doc.sentence_at(title.start), None, weak=not ok, notes=notes)


_HAN_GAP = lazy(r"(?<=\p{Han})\s+(?=\p{Han})")
_HEADER_DATE = lazy(r"20\d\d\s*[-年./]\s*\d{1,2}")
#: The label of a 信息公开 page's date row (its value on the next line): when a page has one, its date is that value.
_DATE_FIELD = lazy(r"^(?:发文日期|成文日期|发布日期)\s*[：:]?$")
_ORGAN = r"\p{Han}{0,24}?(?:政府|人民政府|部|厅|局|委员会|委|办公室|办|处|科|院|署|中心|镇|乡|街道)"
_HEADER_SOURCE = lazy(
    rf"(?:来源|发布机构|发布单位|发布机关|发文机关|发文单位|信息来源)[\s\]】：:|｜•·\[【]*(?!本网|本站)(?P<organ>{_ORGAN})"
    r"(?!门户|网站|网)"  # 来源：杭州市人民政府门户网站 names the portal, not who issued the report
    rf"|\d{{1,2}}[：:]\d{{2}}(?:[：:]\d{{2}})?\s*[|｜]?\s*(?P<organ>{_ORGAN})(?:网站|网)?"
)
#: A header line that is only an organ's name (区政府办公室 just above the page's date).
_ORGAN_ONLY = lazy(rf"(?!.*(?:新闻|信息|服务|下载|帮助|数据))(?P<organ>{_ORGAN})")
#: A file listing's row on a document-sharing page (2024-12-19 39.29KB 4 页): its date is the upload's.
_LISTING = lazy(r"\d\s*(?:KB|MB|kb|mb|K|M)\b|\d+\s*页")


#: A 落款 inside the text: an organ's name alone on a line, the date alone on the next (the covering letter or
#: issuing notice above a report or a plan: …现印发给你们。/ 省住房和城乡建设厅 / 2016年10月14日).
_INNER_SIGNOFF = lazy(
    rf"(?m)^(?P<organ>{_ORGAN}|\p{{Han}}{{0,24}}?(?:委员会|党委|党组|工委|办事处))[ \t]*\n"
    r"[ \t]*[（(]?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[）)]?[ \t]*$"
    # A speech or a personal report signs under its title: the speaker's post and name, then the date
    # (农业农村部党组副书记、副部长 韩俊 / （2019年6月25日）; …管委会主任 叶春华 / 2025年2月).
    r"|^[^\n。！？；：，]{2,40}?(?:书记|省长|市长|州长|县长|区长|旗长|镇长|乡长|局长|厅长|部长|主任|主席)"
    r"[ \t]*\p{Han}{2,4}[ \t]*\n[ \t]*[（(]?\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?[）)]?[ \t]*$"
)
#: What every match of _INNER_SIGNOFF contains (a line starting with a date): without it, the slow search is skipped.
_DATE_LINE = lazy(r"\n[ \t]*[（(]?\d{4}\s*年\s*\d{1,2}\s*月")


def _signoff(_det: SignoffRule, index: DocIndex) -> Iterator[Match]:
    doc = index.doc
    tail = doc.tail
    date = next((b for b in tail if b.kind == "date"), None)
    org = next((b for b in tail if b.kind == "org"), None)
    if date is None and org is None:
        inner = _INNER_SIGNOFF.search(doc.text) if _DATE_LINE.search(doc.text) is not None else None
        if inner is not None:
            # The signed covering letter or issuing notice stands for the 落款 of an excerpt whose end is
            # not there; a header's date with its source would say no more.
            yield Match(inner.start(), inner.end(), doc.sentence_at(inner.start()), None)
            return
        # A page saved from a website: the header's date and the organ it names as source
        # (来源：市司法局, 发布机构 … ) stand for the 落款; a date alone or a source such as
        # 本网 or a newspaper is only partial.
        meta = [b for b in doc.head if b.kind in ("meta", "web")]
        fields = [k for k, b in enumerate(meta) if _DATE_FIELD.match(_HAN_GAP.sub("", b.text))]
        # A 信息公开 page's 成文日期/发文日期 row is the date; left blank, the site's own date does not stand in.
        dated = next((b for b in meta if _HEADER_DATE.search(b.text) and not _LISTING.search(b.text)), None) \
            if not fields else next(
            (meta[k + 1] for k in fields if k + 1 < len(meta) and _HEADER_DATE.search(meta[k + 1].text)), None)
        joined = _HAN_GAP.sub("", " ".join(b.text for b in meta))  # 紫 阳县司法局: spaces inside a name
        organ = _HEADER_SOURCE.search(joined)
        if organ is None and dated is not None:  # an organ alone next to the date (区政府办公室 / 2023-12-20)
            k = meta.index(dated)
            organ = next((m for b in meta[max(0, k - 1) : k + 2] if b is not dated
                          and (m := _ORGAN_ONLY.fullmatch(_HAN_GAP.sub("", b.text).strip())) is not None), None)
        if dated is not None:
            yield Match(dated.start, dated.end, doc.sentence_at(dated.start), None, weak=organ is None,
                        notes=() if organ is not None else (Note(Reason.HEADER_DATE_NO_SOURCE),))
        elif organ is not None:
            block = next(b for b in meta if organ.group("organ") in b.text or b is meta[-1])
            yield Match(block.start, block.end, doc.sentence_at(block.start), None, weak=True,
                        notes=(Note(Reason.HEADER_SOURCE_NO_DATE),))
        return
    anchor = date or org
    assert anchor is not None
    notes = () if date and org else (Note(Reason.SIGNOFF_NO_DATE if date is None else Reason.SIGNOFF_NO_BODY),)
    yield Match(anchor.start, anchor.end, doc.sentence_at(anchor.start), None, weak=not (date and org), notes=notes)


def _years_in(text: str) -> list[int]:
    return [int(m.group(1)) for m in _YEAR.finditer(text)]


def _year_consistency(_det: YearRule, index: DocIndex) -> Iterator[Match]:
    doc = index.doc
    year = index.profile.year if index.profile is not None else None
    if year is None:
        return
    problems: list[Note] = []
    anchor: tuple[int, int] | None = None
    title = doc.title
    if title is not None:
        ty = _years_in(index.text[title.start : title.end])
        if ty:
            anchor = (title.start, title.end)
            if ty[0] != year:
                problems.append(Note(Reason.YEAR_TITLE, (ty[0], year)))
    for part in doc.parts:
        head = doc.sentences[part.first_sentence]
        years = _years_in(index.text[head.start : head.end])
        if not years or part.role not in (Role.ACHIEVEMENTS, Role.PLANS, Role.OPENING):
            continue
        if part.role == Role.PLANS:
            if anchor is None:
                anchor = (head.start, head.end)
            if years[0] != year + 1:
                problems.append(Note(Reason.YEAR_PLANS, (years[0], year + 1)))
        elif years[0] != year and part.role == Role.ACHIEVEMENTS and head.heading:
            problems.append(Note(Reason.YEAR_ACHIEVEMENTS, (years[0], year)))
            anchor = (head.start, head.end)
        elif anchor is None and years[0] == year:
            anchor = (head.start, head.end)
    if anchor is None:
        first = next((s for s in doc.sentences if str(year) in index.text[s.start : s.end]), None)
        if first is None:
            return
        anchor = (first.start, first.end)
    yield Match(anchor[0], anchor[1], doc.sentence_at(anchor[0]), None, weak=bool(problems), notes=tuple(problems))


def find(det: Rule, index: DocIndex) -> list[Match]:
    """All matches of one detector in the indexed document, in document order (none in the report's outline)."""
    outline = index.outline()
    found = det.find(index) if not outline else (m for m in det.find(index) if m.sentence not in outline)
    return sorted(found, key=lambda m: (m.start, m.end))

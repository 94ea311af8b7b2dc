"""Run checklists over a document and decide each item's status.

Detectors say what they found; here the matches become an immutable verdict per item:

* ``covered`` – a full match: in the account of the year's work (opening, achievements,
  first-responsible part), not hedged or negated, not graded weak;
* ``partial`` – matches exist but only in the problems or plans parts, only hedged or
  negated (尚未建立, 有待加强, 将…), or only weak (a title without the year);
* ``missing`` – nothing found;
* ``not_applicable`` – the item's levels exclude the report's level (``found`` still says
  what the text contains, for reviewers and for evaluation against labels).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from checker.document.model import Document
from checker.document.profile import Profile
from checker.rules.checklist import LoadedChecklist
from checker.rules.matching import DocIndex, Match, PartRule, YearRule, clause_breaks_of, find
from checker.rules.patterns import USER_PATTERN_BUDGET, Budget, PatternTimeout
from checker.rules.periods import ChecklistChoice, in_force, named
from checker.rules.reasons import Note, Reason, message
from checker.rules.runtime import RuntimeItem as Item
from checker.scoring import score
from checker.vocabulary import Role, Status

QUOTE_CONTEXT = 40
MAX_EVIDENCE = 3


class Evidence(NamedTuple):
    """A quote for an item (immutable; a NamedTuple, built at C speed: up to three per item)."""

    quote: str
    highlight: tuple[int, int]
    line: int
    column: int
    section: tuple[str, ...]
    role: Role
    quantified: bool
    hedged: bool
    detail: str
    structural: bool
    page: int | None = None
    ocr: bool = False  # the page was read by OCR


@dataclass(frozen=True, slots=True)
class ItemResult:
    """The verdict on one item: status, what the detectors found, the evidence and the reasons."""

    item: Item
    checklist: str
    status: Status
    found: Status
    evidence: tuple[Evidence, ...]
    strength: Literal["quantified", "statement"] | None
    review: Review | None = None  #: a reviewer's verdict; ``status`` is then the reviewer's
    reasons: tuple[Note, ...] = ()  #: why the item is partial or not applicable (codes with parameters)

    @property
    def reason(self) -> str:
        """The Chinese message of the reasons (empty for covered and missing items)."""
        return message(self.reasons)


@dataclass(frozen=True, slots=True)
class Review:
    """A reviewer's verdict on one item of one report (``--reviews``)."""

    status: Status
    machine: Status  #: what the checker decided before the review
    reason: str
    reviewer: str
    date: str  #: ISO date of the verdict


@dataclass(frozen=True)
class Report:
    """One report checked: its document, profile, checklists and the result of every item."""

    document: Document
    profile: Profile
    checklists: tuple[LoadedChecklist, ...]
    items: tuple[ItemResult, ...]
    choice: ChecklistChoice  #: which checklists were chosen for this report, and why
    #: The report-structure checklist's results when it ran only for lint's structure diagnostics
    #: (``check_file(..., structure=True)`` with checklists that do not give them): not items, not scored.
    structure: tuple[ItemResult, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        """Items per status."""
        counts = Counter(r.status.value for r in self.items)
        return {s.value: counts.get(s.value, 0) for s in Status}

    @property
    def score(self) -> float:
        """Weighted coverage in percent (see checker.scoring); 0 when no item applies."""
        value = score((r.item.severity, r.status) for r in self.items)
        return 0.0 if value is None else value


def _evidence(doc: Document, m: Match) -> Evidence:
    s = doc.sentences[m.sentence]
    lo = max(s.start, m.start - QUOTE_CONTEXT)
    hi = min(s.end, m.end + QUOTE_CONTEXT)

    def raw(a: int, b: int) -> str:
        return doc.quote(a, b).replace("\r", "").replace("\n", "")

    def gap(a: int, b: int) -> str:  # a == b: the characters just before index b
        """Original characters dropped from the matching text between two of its characters.

        Quotes and spaces, kept in the quote unless they include a line break.
        """
        if a <= 0 or b >= len(doc.text):
            return ""
        text = doc.raw[doc.raw_index(a - 1) + 1 : doc.raw_index(b)]
        return "" if "\n" in text else text

    before = raw(lo, m.start) + gap(m.start, m.start)
    hit = raw(m.start, m.end)
    after = gap(m.end, m.end) + raw(m.end, hi)
    prefix = "…" if lo > s.start else ""
    suffix = "…" if hi < s.end else ""
    line, column = doc.line_col(doc.raw_index(m.start))
    page = doc.page(line)
    start = len(prefix) + len(before)
    return Evidence(
        quote=f"{prefix}{before}{hit}{after}{suffix}",
        highlight=(start, start + len(hit)),
        line=line,
        column=column,
        section=doc.section_path(s.section),
        role=s.role,
        quantified=m.quantified,
        hedged=m.hedged,
        detail=m.detail,
        structural=m.role is None,
        page=page,
        ocr=page is not None and page in doc.ocr_pages,
    )


def _reasons(matches: Sequence[Match]) -> tuple[Note, ...]:
    """Why matches that are not full coverage fall short: the first detector notes, else where they are."""
    roles = {m.role for m in matches if m.role is not None}
    noted = next((m.notes for m in matches if m.notes), None)
    if noted is not None:
        return noted
    if roles and roles <= {Role.PROBLEMS}:
        return (Note(Reason.ONLY_PROBLEMS),)
    if roles and roles <= {Role.PLANS}:
        return (Note(Reason.ONLY_PLANS),)
    if roles and roles <= {Role.PROBLEMS, Role.PLANS}:
        return (Note(Reason.ONLY_PROBLEMS_AND_PLANS),)
    if all(m.hedged for m in matches):
        return (Note(Reason.ONLY_HEDGED),)
    return (Note(Reason.ONLY_WEAK),)


def _topic_heading(index: DocIndex, m: Match) -> bool:
    """The match is in a heading that only names a topic (（四）政务公开).

    Not in a run-in item that states an act (一是…会前学法九次，…) and is read as a heading.
    """
    s = index.doc.sentences[m.sentence]
    if not s.heading:
        return False
    text = index.text[s.start : s.end]
    return len(text) <= 32 and "，" not in text and not any(ch.isdigit() for ch in text)


def _heading_verdict(index: DocIndex, m: Match) -> Reason | None:
    """A match in a heading is a topic, not evidence: what the text under the heading says decides.

    Returns None when that text affirms it, else the reason it does not count.
    """
    doc = index.doc
    s = doc.sentences[m.sentence]
    if s.section is None:
        return None
    end = doc.sections[s.section].end
    body = [b for b in doc.sentences[m.sentence + 1 :] if b.start < end and not b.heading]
    if not body:
        return Reason.HEADING_EMPTY
    first = body[0]
    if index.hedges.search(index.text, first.start, first.end, timeout=index.limit()) is not None:
        return Reason.HEADING_DENIED
    return None


def judge_item(
    item: Item, checklist_id: str, index: DocIndex, applicable: bool, *, annual: bool = True,
    not_applicable: Reason = Reason.NOT_APPLICABLE_LEVEL,
) -> ItemResult:
    """Decide one item from its detectors' matches.

    ``annual`` False: the document is not an annual report, so its verdicts claim no coverage of content items;
    ``found`` still says what the text contains, and the structure checks apply as usual. ``not_applicable``: why, when
    the item does not apply.

    The patterns of a user checklist run under one time budget per item (checker.rules.patterns):
    when it runs out, the result says so instead of a verdict.
    """
    if index.budget is not None:
        index.budget.restart()
    try:
        return _evaluate(item, checklist_id, index, applicable, annual, not_applicable)
    except (TimeoutError, PatternTimeout):
        status = Status.MISSING if applicable else Status.NOT_APPLICABLE
        return ItemResult(item=item, checklist=checklist_id, status=status, found=Status.MISSING, evidence=(),
                          strength=None, reasons=(Note(Reason.PATTERN_TIMEOUT, (item.id, f"{USER_PATTERN_BUDGET:g}")),))


def _evaluate(item: Item, checklist_id: str, index: DocIndex, applicable: bool, annual: bool,
              not_applicable: Reason) -> ItemResult:
    doc = index.doc
    detectors = item.detectors
    no_parts = index.profile is not None and not index.profile.report_parts
    if no_parts:
        # A plan, a speech or a notice issuing a plan has none of an annual report's parts and no report
        # year: its 一、总体要求 / 二、主要任务 are not 主要举措和成效 or 下一年度安排.
        detectors = tuple(d for d in detectors if not isinstance(d, PartRule | YearRule))
        no_parts = len(detectors) < len(item.detectors)
    matches = sorted({m for det in detectors for m in find(det, index)}, key=lambda m: (m.start, m.end))
    if not annual and any(isinstance(det, PartRule) for det in item.detectors):
        # A part of an annual report named only by words elsewhere ("…written inside another part")
        # says nothing about a plan, a news item or a notice: only the parts themselves count there.
        matches = [m for m in matches if m.role is None]
    full = [m for m in matches if m.full]
    override: Reason | None = None
    headed = [m for m in full if m.role is not None and _topic_heading(index, m)]
    if headed and len(headed) == len(full):
        verdicts = [_heading_verdict(index, m) for m in headed]
        if all(verdicts):
            full, override = [], verdicts[0]
    reasons: tuple[Note, ...] = ()
    if full:
        found, chosen = Status.COVERED, full
    elif matches:
        found, chosen = Status.PARTIAL, matches
        reasons = (Note(override),) if override is not None else _reasons(matches)
    else:
        found, chosen = Status.MISSING, []
        if no_parts:
            reasons = (Note(Reason.NO_REPORT_PARTS),)
    picked: list[Match] = []
    seen: set[int] = set()
    for m in chosen:
        if m.sentence not in seen:
            seen.add(m.sentence)
            picked.append(m)
        if len(picked) == MAX_EVIDENCE:
            break
    strength: Literal["quantified", "statement"] | None = None
    if found == Status.COVERED and any(m.role is not None for m in full):
        strength = "quantified" if any(m.quantified for m in full) else "statement"
    status = found if applicable else Status.NOT_APPLICABLE
    if not applicable:
        reasons = (Note(not_applicable),)
    elif not annual and found == Status.COVERED and any(m.role is not None for m in full):
        # What the text says stays in ``found``; the verdict claims no coverage.
        status, reasons = Status.PARTIAL, (Note(Reason.NOT_ANNUAL),)
    return ItemResult(
        item=item,
        checklist=checklist_id,
        status=status,
        found=found,
        evidence=tuple(_evidence(doc, m) for m in picked),
        strength=strength,
        reasons=reasons,
    )


def run(checklists: Sequence[LoadedChecklist], doc: Document, profile: Profile,
        choice: ChecklistChoice | None = None) -> Report:
    """Run every item of the checklists over a document: the report's verdicts.

    ``choice``: why these checklists (default: named by the user).
    """
    if choice is None:
        choice = named(tuple(lc.checklist.id for lc in checklists), profile.year)
    results: list[ItemResult] = []
    breaks = clause_breaks_of(doc.text)  # one list for every checklist's index
    for lc in checklists:
        compiled = lc.compiled
        budget = None if lc.bundled else Budget()  # user patterns run under a time budget
        index = DocIndex(doc, compiled.hedges, profile, compiled.scanner, budget, breaks)
        # The report-structure rules (督察规定, 2019) do not apply to reports on earlier years.
        year_ok = in_force(lc.checklist.id, profile.year)
        for item in lc.checklist.items:
            level_ok = profile.level is None or profile.level in item.level_set
            why = Reason.NOT_APPLICABLE_LEVEL if year_ok else Reason.NOT_APPLICABLE_YEAR
            results.append(judge_item(item, lc.checklist.id, index, level_ok and year_ok,
                                      annual=not profile.other_kind, not_applicable=why))
    return Report(doc, profile, tuple(checklists), tuple(results), choice)

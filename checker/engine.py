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
from enum import StrEnum
from typing import Any, Literal

import regex

from checker.document.model import Document, Role
from checker.document.profile import Profile
from checker.rules.checklist import Checklist, Item, LoadedChecklist, Severity
from checker.rules.detectors import DocIndex, Match, PartDetector, find
from checker.rules.patterns import USER_PATTERN_BUDGET, Budget, PatternTimeout
from checker.rules.scanner import ChecklistScanner

QUOTE_CONTEXT = 40
MAX_EVIDENCE = 3
WEIGHTS = {Severity.REQUIRED: 2.0, Severity.RECOMMENDED: 1.0}


class Status(StrEnum):
    COVERED = "covered"
    PARTIAL = "partial"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"


STATUS_LABELS = {
    Status.COVERED: "已覆盖",
    Status.PARTIAL: "部分覆盖",
    Status.MISSING: "缺失",
    Status.NOT_APPLICABLE: "不适用",
}
STATUS_VALUE = {Status.COVERED: 1.0, Status.PARTIAL: 0.5, Status.MISSING: 0.0}


@dataclass(frozen=True, slots=True)
class CompiledChecklist:
    checklist: Checklist
    hedges: regex.Pattern[str]
    scanner: ChecklistScanner | None = None  #: every literal term in one pass (None: one str.find per term)

    def to_data(self) -> dict[str, object]:
        """The compiled form as plain JSON data (for the checklist cache)."""
        scanner = self.scanner
        return {
            "hedges": self.hedges.pattern,
            "terms": sorted(scanner.terms) if scanner is not None else None,
            "regex_literals": {k: list(v) for k, v in sorted(scanner.regex_literals.items())} if scanner else {},
        }

    @classmethod
    def from_data(cls, checklist: Checklist, data: dict[str, Any]) -> CompiledChecklist:
        """The compiled form of ``checklist`` from :meth:`to_data`'s output."""
        terms = data["terms"]
        literals = {str(k): tuple(map(str, v)) for k, v in data["regex_literals"].items()}
        scanner = None if terms is None else ChecklistScanner(map(str, terms), literals)
        return cls(checklist, regex.compile(str(data["hedges"])), scanner)


def compile_checklist(checklist: Checklist) -> CompiledChecklist:
    from checker.rules.scanner import checklist_scanner

    hedges = (*checklist.hedges, *checklist.extra_hedges)
    return CompiledChecklist(checklist, regex.compile("|".join(f"(?:{h})" for h in hedges)),
                             checklist_scanner(checklist.items))


@dataclass(frozen=True, slots=True)
class Evidence:
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
    item: Item
    checklist: str
    status: Status
    found: Status
    reason: str
    evidence: tuple[Evidence, ...]
    strength: Literal["quantified", "statement"] | None
    review: Review | None = None  #: a reviewer's verdict; ``status`` is then the reviewer's


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
    document: Document
    profile: Profile
    checklists: tuple[LoadedChecklist, ...]
    items: tuple[ItemResult, ...]

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(r.status.value for r in self.items)
        return {s.value: counts.get(s.value, 0) for s in Status}

    @property
    def score(self) -> float:
        """Weighted coverage in percent (required items weigh twice); not_applicable excluded."""
        total = got = 0.0
        for r in self.items:
            if r.status == Status.NOT_APPLICABLE:
                continue
            weight = WEIGHTS[r.item.severity]
            total += weight
            got += weight * STATUS_VALUE[r.status]
        return round(100.0 * got / total, 1) if total else 0.0


def _evidence(doc: Document, m: Match) -> Evidence:
    s = doc.sentences[m.sentence]
    lo = max(s.start, m.start - QUOTE_CONTEXT)
    hi = min(s.end, m.end + QUOTE_CONTEXT)

    def raw(a: int, b: int) -> str:
        return doc.quote(a, b).replace("\r", "").replace("\n", "")

    def gap(a: int, b: int) -> str:  # a == b: the characters just before index b
        """Original characters dropped from the matching text between two of its characters
        (quotes, spaces), kept in the quote unless they include a line break."""
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


def _reason(matches: Sequence[Match]) -> str:
    roles = {m.role for m in matches if m.role is not None}
    details = [m.detail for m in matches if m.detail]
    if details:
        return details[0]
    if roles and roles <= {Role.PROBLEMS}:
        return "只在“存在的不足”中提到"
    if roles and roles <= {Role.PLANS}:
        return "只在“下一步安排”中提到"
    if roles and roles <= {Role.PROBLEMS, Role.PLANS}:
        return "只在“存在的不足”和“下一步安排”中提到"
    if all(m.hedged for m in matches):
        return "只以否定或“尚未、有待、将…”等表述出现"
    return "只有不充分的表述"


NOT_ANNUAL_REASON = "这不是法治政府建设年度报告，文中提到的工作不算本年度已做的工作"
HEADING_EMPTY_REASON = "只有小标题，标题下没有写具体内容"
HEADING_DENIED_REASON = "只在小标题中提到，标题下的内容是否定、“尚未、有待”或计划"


def _topic_heading(index: DocIndex, m: Match) -> bool:
    """The match is in a heading that only names a topic (（四）政务公开), not in a run-in item
    that states an act (一是…会前学法九次，…) and is read as a heading."""
    s = index.doc.sentences[m.sentence]
    if not s.heading:
        return False
    text = index.text[s.start : s.end]
    return len(text) <= 32 and "，" not in text and not any(ch.isdigit() for ch in text)


def _heading_verdict(index: DocIndex, m: Match) -> str:
    """A match in a heading is a topic, not evidence: what the text under the heading says
    decides. Returns "" when that text affirms it, else the reason it does not count."""
    doc = index.doc
    s = doc.sentences[m.sentence]
    if s.section is None:
        return ""
    end = doc.sections[s.section].end
    body = [b for b in doc.sentences[m.sentence + 1 :] if b.start < end and not b.heading]
    if not body:
        return HEADING_EMPTY_REASON
    first = body[0]
    if index.hedges.search(index.text, first.start, first.end, timeout=index.limit()) is not None:
        return HEADING_DENIED_REASON
    return ""


def evaluate_item(
    item: Item, checklist_id: str, index: DocIndex, applicable: bool, *, annual: bool = True
) -> ItemResult:
    """Decide one item from its detectors' matches (``annual`` False: the document is not an
    annual report, so its verdicts claim no coverage of content items; ``found`` still says
    what the text contains, and the structure checks apply as usual).

    The patterns of a user checklist run under one time budget per item (checker.rules.patterns):
    when it runs out, the result says so instead of a verdict.
    """
    if index.budget is not None:
        index.budget.restart()
    try:
        return _evaluate(item, checklist_id, index, applicable, annual)
    except (TimeoutError, PatternTimeout):
        status = Status.MISSING if applicable else Status.NOT_APPLICABLE
        reason = (f"条目 {item.id} 的规则运行超时（清单中的正则表达式在 {USER_PATTERN_BUDGET:g} 秒内没有完成），"
                  "结果未知；请简化该条目的正则表达式")
        return ItemResult(item=item, checklist=checklist_id, status=status, found=Status.MISSING, reason=reason,
                          evidence=(), strength=None)


def _evaluate(item: Item, checklist_id: str, index: DocIndex, applicable: bool, annual: bool) -> ItemResult:
    doc = index.doc
    matches = sorted({m for det in item.detectors for m in find(det, index)}, key=lambda m: (m.start, m.end))
    if not annual and any(isinstance(det, PartDetector) for det in item.detectors):
        # A part of an annual report named only by words elsewhere ("…written inside another part")
        # says nothing about a plan, a news item or a notice: only the parts themselves count there.
        matches = [m for m in matches if m.role is None]
    full = [m for m in matches if m.full]
    override = ""
    headed = [m for m in full if m.role is not None and _topic_heading(index, m)]
    if headed and len(headed) == len(full):
        verdicts = [_heading_verdict(index, m) for m in headed]
        if all(verdicts):
            full, override = [], verdicts[0]
    if full:
        found, chosen, reason = Status.COVERED, full, ""
    elif matches:
        found, chosen, reason = Status.PARTIAL, matches, override or _reason(matches)
    else:
        found, chosen, reason = Status.MISSING, [], ""
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
        reason = "按报告单位层级不适用"
    elif not annual and found == Status.COVERED and any(m.role is not None for m in full):
        # What the text says stays in ``found``; the verdict claims no coverage.
        status, reason = Status.PARTIAL, NOT_ANNUAL_REASON
    return ItemResult(
        item=item,
        checklist=checklist_id,
        status=status,
        found=found,
        reason=reason,
        evidence=tuple(_evidence(doc, m) for m in picked),
        strength=strength,
    )


def run(checklists: Sequence[LoadedChecklist], doc: Document, profile: Profile) -> Report:
    results: list[ItemResult] = []
    for lc in checklists:
        compiled: CompiledChecklist = lc.compiled
        budget = None if lc.bundled else Budget()  # user patterns run under a time budget
        index = DocIndex(doc, compiled.hedges, profile, compiled.scanner, budget)
        for item in lc.checklist.items:
            applicable = profile.level is None or profile.level in item.level_set
            results.append(evaluate_item(item, lc.checklist.id, index, applicable, annual=not profile.other_kind))
    return Report(doc, profile, tuple(checklists), tuple(results))

"""The JSON scorecard (``checker.scorecard/1``): a versioned, documented output format.

The models here are the single source of the format: the JSON Schema in
docs/scorecard.schema.json is generated from them (``checker schema``) and a test keeps
it current. Output is deterministic: the same input gives byte-identical JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from checker import scoring
from checker.cards import SCHEMA_ID, card_data, dumps
from checker.engine import Report
from checker.rules.periods import STRUCTURE, ChoiceReason


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EvidenceOut(_Out):
    """One quote that supports an item's status, and where it is in the original file."""

    quote: str = Field(description="The evidence as written in the original file (line breaks removed).")
    highlight: tuple[int, int] = Field(description="Start and end (characters) of the matched words within quote.")
    line: int = Field(
        description="1-based line of the match: a line of a text file, a paragraph of a Word file "
        "(see document.locator), a line of the text extracted from a PDF or web page."
    )
    page: int | None = Field(default=None, description="For PDF/OFD inputs: the 1-based page of the match.")
    ocr: bool = Field(default=False, description="The page was read by optical character recognition (a scan).")
    column: int = Field(description="1-based column (characters) of the match in that line.")
    section: str = Field(description="Section path, headings joined with ' > '.")
    role: str = Field(description="Role of the part: opening, achievements, first_responsible, problems, plans, …")
    quantified: bool = Field(description="A number, percentage or named document stands in the same sentence.")
    hedged: bool = Field(description="The clause negates or hedges it (尚未, 有待, 将…).")
    detail: str = Field(description="Why a structural match is weak, if it is.")


class WaiverOut(_Out):
    """An approved exception for this item (``checker lint --waivers``)."""

    reason: str
    approver: str
    date: str = Field(description="Date of approval (ISO 8601 date).")
    expires: str = Field(description="Expiry (ISO 8601 date-time with a time zone offset).")
    expired: bool = Field(description="True when the waiver had expired at the time of the run (it waives nothing).")
    source: str = Field(description="Waiver file and line of the entry (path:line).")


StatusName = Literal["covered", "partial", "missing", "not_applicable"]


class ReviewOut(_Out):
    """A reviewer's verdict on this item (``--reviews``): it replaces the machine's status."""

    status: StatusName = Field(description="The reviewer's status (the item's status follows it).")
    reason: str = Field(description="The reviewer's note (复核说明).")
    reviewer: str = Field(description="Who reviewed (复核人).")
    date: str = Field(description="Date of the verdict (ISO 8601 date).")


class ItemOut(_Out):
    """One checklist item of the report: its status, why, and the evidence."""

    id: str
    checklist: str
    title: str
    part: str
    ref: str
    severity: Literal["required", "recommended"]
    status: StatusName = Field(description="The item's status: the reviewer's when reviewed, else the machine's.")
    found: Literal["covered", "partial", "missing"] = Field(
        description="What the text says, ignoring the item's levels (status is not_applicable when levels exclude it)."
    )
    reason: str = Field(description="Why the item is partial or not applicable; empty otherwise.")
    strength: Literal["quantified", "statement"] | None = Field(
        description="For covered items: evidence with a count/percentage/named document, or a bare statement."
    )
    hint: str = Field(description="What a report should say to cover the item.")
    evidence: list[EvidenceOut]
    waiver: WaiverOut | None = Field(default=None, description="The waiver that names this item, if any.")
    machine_status: StatusName | None = Field(
        default=None, description="When reviewed: the status the checker decided (status is the reviewer's)."
    )
    review: ReviewOut | None = Field(default=None, description="The reviewer's verdict, if any (--reviews).")


class DocumentOut(_Out):
    """The report checked: file, content hash, format, and the body, level and year recognised."""

    path: str
    sha256: str
    encoding: str
    kind: str = Field(description="Input format: txt, docx, pdf, html, doc, …")
    locator: Literal["line", "paragraph", "page"] = Field(
        description="What evidence line numbers count: lines of a text file, paragraphs of a Word document, "
        "or lines of text extracted from a PDF (with page) or web page."
    )
    title: str | None
    body: str | None = Field(description="Reporting body as named in the title, 落款 or opening.")
    level: Literal["province", "city", "county", "township", "department"] | None
    level_reason: str
    year: int | None
    year_reason: str
    chars: int
    is_annual_report: bool
    annual_reason: str
    notes: list[str] = Field(
        default_factory=list,
        description="What the reader said about the extraction (converter used, pages without a text layer, "
        "OCR), in Chinese.",
    )
    ocr_pages: list[int] = Field(default_factory=list, description="1-based pages read by OCR (empty: no OCR).")
    reviews_stale: bool = Field(
        default=False,
        description="Reviews name this file but were made on other content (sha256 differs): they were not applied.",
    )


class SettingsOut(_Out):
    """The settings that changed the verdicts (what ``audit --resume`` must match)."""

    level: Literal["province", "city", "county", "township", "department"] | None = Field(
        description="The level given with --level (null: detected from the text)."
    )
    year: int | None = Field(description="The report year given with --year (null: detected from the text).")


class ChecklistOut(_Out):
    """A checklist the report was checked against: id, title, version and content hash."""

    id: str
    title: str
    version: str
    sha256: str


class PeriodOut(_Out):
    """The 纲要 period a bundled content checklist was written for."""

    checklist: str = Field(description="The bundled checklist of the period.")
    years: str = Field(description="The report years it was written for, in Chinese (2016—2020年度).")
    basis: str = Field(description="The document the checklist is written from.")


class ChoiceOut(_Out):
    """Which checklists the report was checked against, and why (``checker.rules.periods``)."""

    reason: ChoiceReason = Field(
        description="option: named with --checklist or in the configuration; year_in_period: the report year falls "
        "in the period of a bundled checklist; year_before_periods / year_after_periods: the year is earlier / later "
        "than every bundled period (the oldest / newest checklist is used; after: a warning); year_unknown: no "
        "report year found (the current period's checklist is used)."
    )
    message: str = Field(description="The choice and its reason, in Chinese.")
    warning: bool = Field(description="True when no checklist for the report's period is bundled (pass one with -c).")
    period: PeriodOut | None = Field(description="The period chosen by year; null when the checklists were named.")
    structure_applies: bool = Field(
        description="False for reports on years before the 督察规定 (2019): "
        "the report-structure items are not applicable."
    )


class Counts(_Out):
    """Items per status."""

    covered: int
    partial: int
    missing: int
    not_applicable: int


class SummaryOut(_Out):
    """The report's score and its items per status."""

    score: float = Field(
        description="Weighted coverage 0-100: covered 1, partial 0.5; required items weigh 2, recommended 1."
    )
    counts: Counts
    missing_required: list[str] = Field(description="Ids of required items that are missing.")


class Scorecard(_Out):
    """One checked report (checker.scorecard/1): document, checklists, settings, summary and items."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["checker.scorecard/1"] = Field(alias="schema")
    document: DocumentOut
    checklists: list[ChecklistOut]
    settings: SettingsOut | None = Field(
        default=None,
        description="The settings that changed the verdicts: what `audit --resume` must match to reuse a scorecard "
        "(absent in scorecards written before it was recorded).",
    )
    checklist_choice: ChoiceOut | None = Field(
        default=None, description="Which checklists were chosen and why (absent in scorecards of earlier versions)."
    )
    summary: SummaryOut
    items: list[ItemOut]


def scorecard(report: Report, waivers: Mapping[str, WaiverOut] | None = None, *,
              reviews_stale: bool = False) -> Scorecard:
    """The JSON scorecard of a checked report as the model (with the waivers that name its items, if any).

    Built from :func:`checker.cards.card_data` – ``check`` and ``audit`` write that plain data
    directly – and validated against the models, which are the format's schema.
    """
    return Scorecard.model_validate(card_data(report, waivers, reviews_stale=reviews_stale))


def content_checklist(card: Scorecard) -> str | None:
    """The content checklist of a scorecard: its period's, else the first one not of report structure."""
    choice = card.checklist_choice
    if choice is not None and choice.period is not None:
        return choice.period.checklist
    return next((c.id for c in card.checklists if c.id != STRUCTURE.checklist), None)


def part_scores(card: Scorecard) -> dict[str, float | None]:
    """Weighted coverage 0-100 per 纲要 part (None when no item of the part applies)."""
    return scoring.part_scores((item.part, item.severity, item.status) for item in card.items)


def summary_of(items: Sequence[ItemOut]) -> SummaryOut:
    """Score, counts and missing required items of a scorecard's items (after reviews changed them)."""
    score = scoring.score((item.severity, item.status) for item in items)
    counts = Counts(**{s: sum(1 for i in items if i.status == s) for s in Counts.model_fields})
    return SummaryOut(score=0.0 if score is None else score, counts=counts,
                      missing_required=[i.id for i in items if i.status == "missing" and i.severity == "required"])


def to_json(cards: list[Scorecard], *, single: bool) -> str:
    """Scorecards as JSON: one object for a single input, else an array."""
    from checker.cards import to_json as plain_to_json

    return plain_to_json([c.model_dump(mode="json", by_alias=True) for c in cards], single=single)


def json_schema() -> str:
    """The JSON Schema of checker.scorecard/1."""
    schema = Scorecard.model_json_schema(by_alias=True)
    schema["$id"] = "https://checker.invalid/schema/checker.scorecard-1.json"
    schema["title"] = "checker.scorecard/1"
    return dumps(schema)


__all__ = ["SCHEMA_ID", "Scorecard", "dumps", "json_schema", "scorecard", "to_json"]

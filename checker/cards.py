"""Scorecards as plain data: the ``checker.scorecard/1`` JSON built from a report without pydantic.

:mod:`checker.scorecard` holds the format's pydantic models – the schema, from which
docs/scorecard.schema.json is generated. ``check`` and ``audit`` build the same JSON here as
dicts and lists written by orjson (issue 17: the pydantic models cost about 0.7 ms a report and
pydantic's import a cold start); ``tests/test_cards.py`` proves the two give byte-identical
JSON on the seeds and on the devset. A field added to the models must be added here too (that
test fails until it is).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from checker import scoring

if TYPE_CHECKING:
    from checker.engine import ItemResult, Report


class WaiverOut(Protocol):
    """A waiver as the scorecard shows it (``checker.scorecard.WaiverOut``, built only with ``--waivers``)."""

    def model_dump(self, *, mode: str) -> dict[str, Any]:
        """The waiver as JSON data."""
        ...

SCHEMA_ID = "checker.scorecard/1"
Card = dict[str, Any]  #: one scorecard as JSON data (``Scorecard.model_dump(mode="json", by_alias=True)``)


def _item(r: ItemResult, waiver: WaiverOut | None) -> dict[str, Any]:
    item, review = r.item, r.review
    return {
        "id": item.id,
        "checklist": r.checklist,
        "title": item.title,
        "part": item.part,
        "ref": item.ref,
        "severity": item.severity.value,
        "status": r.status.value,
        "found": r.found.value,
        "reason": r.reason,
        "strength": r.strength,
        "hint": item.hint,
        "evidence": [
            {
                "quote": e.quote,
                "highlight": list(e.highlight),
                "line": e.line,
                "page": e.page,
                "ocr": e.ocr,
                "column": e.column,
                "section": " > ".join(e.section),
                "role": e.role.value,
                "quantified": e.quantified,
                "hedged": e.hedged,
                "detail": e.detail,
            }
            for e in r.evidence
        ],
        "waiver": None if waiver is None else waiver.model_dump(mode="json"),
        "machine_status": review.machine.value if review else None,
        "review": {"status": review.status.value, "reason": review.reason, "reviewer": review.reviewer,
                   "date": review.date} if review else None,
    }


def card_data(report: Report, waivers: Mapping[str, WaiverOut] | None = None, *,
              reviews_stale: bool = False) -> Card:
    """The JSON scorecard of a checked report as plain data (with the waivers that name its items, if any)."""
    doc, prof = report.document, report.profile
    title = doc.title
    waivers = waivers or {}
    results = report.items
    choice = report.choice
    period = choice.period
    value = scoring.score((r.item.severity, r.status) for r in results)
    counts = dict.fromkeys(("covered", "partial", "missing", "not_applicable"), 0)
    for r in results:
        counts[r.status.value] += 1
    return {
        "schema": SCHEMA_ID,
        "document": {
            "path": doc.path,
            "sha256": doc.sha256,
            "encoding": doc.encoding,
            "kind": doc.kind,
            "locator": doc.locator,
            "title": title.text if title else None,
            "body": prof.body,
            "level": prof.level.value if prof.level else None,
            "level_reason": prof.level_reason,
            "year": prof.year,
            "year_reason": prof.year_reason,
            "chars": doc.chars,
            "is_annual_report": prof.is_annual_report,
            "annual_reason": prof.annual_reason,
            "notes": list(doc.notes),
            "ocr_pages": list(doc.ocr_pages),
            "reviews_stale": reviews_stale,
        },
        "checklists": [
            {"id": lc.checklist.id, "title": lc.checklist.title, "version": lc.checklist.version, "sha256": lc.sha256}
            for lc in report.checklists
        ],
        "settings": {"level": prof.given_level.value if prof.given_level else None, "year": prof.given_year},
        "checklist_choice": {
            "reason": choice.code.value,
            "message": choice.message(),
            "warning": choice.warning,
            "period": {"checklist": period.checklist, "years": period.years, "basis": period.basis} if period else None,
            "structure_applies": choice.structure_applies,
        },
        "summary": {
            "score": 0.0 if value is None else float(value),
            "counts": counts,
            "missing_required": [
                r.item.id for r in results if r.status.value == "missing" and r.item.severity.value == "required"
            ],
        },
        "items": [_item(r, waivers.get(r.item.id)) for r in results],
    }


def with_path(card: Card, path: str) -> Card:
    """The scorecard with another document path (an audit records paths relative to the audited folder)."""
    return {**card, "document": {**card["document"], "path": path}}


def part_scores(card: Card) -> dict[str, float | None]:
    """Weighted coverage 0-100 per 纲要 part (None when no item of the part applies)."""
    return scoring.part_scores((item["part"], item["severity"], item["status"]) for item in card["items"])


def content_checklist(card: Card) -> str | None:
    """The content checklist of a scorecard: its period's, else the first one not of report structure."""
    from checker.rules.periods import STRUCTURE

    choice = card.get("checklist_choice")
    if choice is not None and choice.get("period") is not None:
        return str(choice["period"]["checklist"])
    return next((str(c["id"]) for c in card["checklists"] if c["id"] != STRUCTURE.checklist), None)


def dumps(data: object) -> str:
    """Deterministic JSON: sorted keys, two-space indent, UTF-8 (no ASCII escaping), trailing newline.

    The same bytes as ``json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)``,
    from orjson's C encoder: the standard library's indented encoder is pure Python and was
    a quarter of an audit's time.
    """
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode("utf-8") + "\n"


def to_json(cards: Sequence[Card], *, single: bool) -> str:
    """Scorecards as JSON: one object for a single input, else an array."""
    return dumps(cards[0] if single and len(cards) == 1 else list(cards))

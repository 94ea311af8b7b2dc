"""Lint results as JSON (``checker.lint/1``).

Diagnostics, a summary, and one ``checker.scorecard/1`` per report with the waiver of each item.
"""

from __future__ import annotations

from typing import Any

from checker.lint.diagnostics import Diagnostic, LintResult, item_waivers, tool_version, waiver_out
from checker.render.registry import Output
from checker.scorecard import dumps, scorecard

SCHEMA_ID = "checker.lint/1"


def _diagnostic(d: Diagnostic, result: LintResult) -> dict[str, Any]:
    return {
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "level": d.level.value,
        "id": d.id,
        "item": d.item,
        "checklist": d.checklist,
        "message": d.message,
        "waived": d.waived,
        "waiver": waiver_out(d.waiver, result.now).model_dump(mode="json") if d.waiver is not None else None,
    }


def payload(result: LintResult) -> dict[str, Any]:
    """The checker.lint/1 document: summary, diagnostics and the scorecards with waivers."""
    cards = []
    for report in result.reports:
        waivers = item_waivers(result.policy.waivers, report.document.path, (r.item.id for r in report.items),
                               result.now)
        cards.append(scorecard(report, waivers).model_dump(mode="json", by_alias=True))
    counts = result.counts()
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "checker", "version": tool_version()},
        "summary": {
            "files": len(result.paths),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
            "waived": counts["waived"],
            "fail_on": result.policy.fail_on.value,
            "min_level": result.policy.min_level.value,
            "exit_code": int(result.exit_code),
        },
        "diagnostics": [_diagnostic(d, result) for d in result.shown],
        "scorecards": cards,
    }


def render(result: LintResult) -> str:
    """The lint result as deterministic JSON."""
    return dumps(payload(result))


def format(result: LintResult, out: Output) -> None:
    """Write the rendered result."""
    out.write(render(result))

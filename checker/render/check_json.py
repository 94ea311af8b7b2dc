"""``check --format json``: one ``checker.scorecard/1`` document per report (an array for several)."""

from __future__ import annotations

from checker.cards import to_json
from checker.render.registry import CheckResult, Output


def format(result: CheckResult, out: Output) -> None:
    """A scorecard object for one input given alone, else a JSON array (possibly empty)."""
    out.write(to_json(list(result.cards), single=result.single))

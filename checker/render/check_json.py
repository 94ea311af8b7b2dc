"""JSON renderer: one ``checker.scorecard/1`` document per report."""

from __future__ import annotations

from collections.abc import Sequence

from checker.engine import Report
from checker.scorecard import scorecard, to_json


def render(reports: Sequence[Report], *, single: bool) -> str:
    """A scorecard object for one input given alone, else a JSON array (possibly empty)."""
    return to_json([scorecard(r) for r in reports], single=single)

"""``diff --format json``: the ``checker.diff/1`` document."""

from __future__ import annotations

from checker.diff import Diff
from checker.render.registry import Output
from checker.scorecard import dumps


def to_json(result: Diff) -> str:
    """The diff as deterministic JSON (checker.diff/1)."""
    return dumps(result.model_dump(mode="json", by_alias=True))


def format(result: Diff, out: Output) -> None:
    """Write the diff as JSON."""
    out.write(to_json(result))

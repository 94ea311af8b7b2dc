"""Shared scaffolding for accuracy tests on labelled sets (checker eval through the CLI)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from tests.conftest import FIXTURES, SEEDS, cli

#: Every labelled set and its bars (F1, three-way agreement, structure agreement). The unseen
#: sets were written to test generalisation and labelled before any rule was changed for them
#: (see each tests/test_unseen*.py); their bars sit a little under what the rules now reach,
#: so a change that breaks generalisation fails even when the seeds still pass.
LABELLED_SETS: dict[str, tuple[Path, int, float, float, float]] = {
    "seeds": (SEEDS, 5, 0.95, 0.90, 0.90),
    "unseen": (FIXTURES / "unseen", 8, 0.97, 0.95, 0.95),
    "unseen2": (FIXTURES / "unseen2", 8, 0.98, 0.97, 0.97),
    "unseen3": (FIXTURES / "unseen3", 8, 0.99, 0.98, 0.98),
}


@cache
def evaluate_set(folder: Path, documents: int) -> dict[str, Any]:
    """``checker eval --gold FOLDER/gold.yaml FOLDER`` as JSON, with every labelled file evaluated.

    Cached: every test module of a set reads the same (unmodified) result.
    """
    result = cli("eval", "--gold", folder / "gold.yaml", folder, "--format", "json")
    assert result.code == 0, result.stderr
    out = result.json()
    assert isinstance(out, dict)
    assert out["documents_evaluated"] == documents
    assert not out["warnings"], out["warnings"]
    assert not out["unlabelled"], out["unlabelled"]
    return out


def listing(out: dict[str, Any]) -> str:
    return "\n".join(
        f"{d['document']} {d['item']}: expected {d['expected']}, got {d['got']} | {d['quote'][:50]}"
        for d in out["disagreements"]
    )


def assert_bar(out: dict[str, Any], measure: str, minimum: float) -> None:
    assert out[measure] >= minimum, f"{measure} {out[measure]} < {minimum}\n{listing(out)}"


def misrecognised(out: dict[str, Any]) -> list[tuple[str, Any, Any, Any, Any]]:
    """Documents whose detected level or year differs from the label."""
    return [
        (d["document"], d["level"], d["gold_level"], d["year"], d["gold_year"])
        for d in out["documents"]
        if d["level"] != d["gold_level"] or d["year"] != d["gold_year"]
    ]


def statuses_found(path: Path) -> dict[str, str]:
    """What the text says for each item (``found``), from ``checker check --format json``."""
    out = cli("check", path, "--format", "json").json()
    report = out[0] if isinstance(out, list) else out
    assert isinstance(report, dict)
    return {i["id"]: i["found"] for i in report["items"]}

"""Shared scaffolding for accuracy tests on labelled sets (checker eval through the CLI)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import cli


def evaluate_set(folder: Path, documents: int) -> dict[str, Any]:
    """``checker eval --gold FOLDER/gold.yaml FOLDER`` as JSON, with every labelled file evaluated."""
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

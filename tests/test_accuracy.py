"""The project's accuracy bar on the five labelled seeds (seeds/gold.yaml), through the CLI.

F1 of "covered" at least 0.95, three-way agreement (covered/partial/missing, on items either
side marks present) at least 0.90, and agreement on the structure items RS01–RS07 at least
0.90. On failure the message lists the disagreements, so the checklist can be tuned.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SEEDS, cli
from tests.labelled_sets import LABELLED_SETS

MIN_F1, MIN_AGREEMENT, MIN_STRUCTURE = LABELLED_SETS["seeds"][2:]


@pytest.fixture(scope="module")
def evaluation() -> dict[str, Any]:
    result = cli("eval", "--gold", SEEDS / "gold.yaml", SEEDS, "--format", "json")
    assert result.code == 0, result.stderr
    out = result.json()
    assert isinstance(out, dict)
    assert out["documents_evaluated"] == 5
    assert not out["warnings"], out["warnings"]
    return out


def _listing(out: dict[str, Any], structure: bool = False) -> str:
    rows = [
        f"{d['document'][:3]} {d['item']}: expected {d['expected']}, got {d['got']} | {d['quote'][:50]} "
        f"| gold: {d['gold_evidence'][:40]}"
        for d in out["disagreements"]
        if not structure or d["item"].startswith("RS")
    ]
    return "\n".join(rows)


def test_covered_f1(evaluation: dict[str, Any]) -> None:
    assert evaluation["f1"] >= MIN_F1, f"F1 {evaluation['f1']}\n{_listing(evaluation)}"


def test_three_way_agreement(evaluation: dict[str, Any]) -> None:
    assert evaluation["agreement"] >= MIN_AGREEMENT, f"agreement {evaluation['agreement']}\n{_listing(evaluation)}"


def test_structure_agreement(evaluation: dict[str, Any]) -> None:
    rs = {i["id"] for i in evaluation["items"] if i["id"].startswith("RS")}
    assert {f"RS0{n}" for n in range(1, 8)} <= rs
    assert evaluation["structure_agreement"] >= MIN_STRUCTURE, (
        f"structure agreement {evaluation['structure_agreement']}\n{_listing(evaluation, structure=True)}"
    )


def test_the_cli_gate_agrees() -> None:
    result = cli("eval", "--gold", SEEDS / "gold.yaml", SEEDS, "--min-f1", str(MIN_F1),
                 "--min-agreement", str(MIN_AGREEMENT))
    assert result.code == 0, result.stderr

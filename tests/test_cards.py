"""The plain-data scorecards (checker.cards) that check and audit write are the pydantic schema's, byte for byte.

``check --format json`` and ``audit`` build scorecards as dicts (no pydantic on their path); the
models of checker.scorecard stay the format's schema. Every scorecard the CLI prints for the seeds
and the 128 devset texts, validated by the models and dumped again, must give the same bytes: a field
the models gain or lose, a wrong type or a float written as an integer fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cards import dumps
from checker.scorecard import Scorecard
from tests.conftest import ROOT, SEEDS, cli

DEVSET_DOCS = ROOT.parent / "shared" / "devset" / "docs"


def _same_as_model(stdout: str) -> list[dict]:  # type: ignore[type-arg]
    cards = json.loads(stdout)
    cards = cards if isinstance(cards, list) else [cards]
    assert cards
    for card in cards:
        model = Scorecard.model_validate(card)  # extra fields forbidden, types checked
        assert dumps(model.model_dump(mode="json", by_alias=True)) == dumps(card), card["document"]["path"]
    return cards


def test_plain_scorecards_of_the_seeds_equal_the_models() -> None:
    result = cli("check", SEEDS, "-f", "json")
    assert result.code == 0, result.stderr
    cards = _same_as_model(result.stdout)
    assert result.stdout == dumps(cards)
    assert {Path(c["document"]["path"]).name for c in cards} == {p.name for p in SEEDS.glob("*.txt")}
    assert any(item["evidence"] for c in cards for item in c["items"])


@pytest.mark.skipif(not DEVSET_DOCS.is_dir(), reason=f"{DEVSET_DOCS} not present (the dev set lives outside the project)")
def test_plain_scorecards_of_the_devset_equal_the_models() -> None:
    result = cli("check", DEVSET_DOCS, "-f", "json")
    assert result.code == 0, result.stderr
    cards = _same_as_model(result.stdout)
    assert len(cards) == 128


def test_a_plain_scorecard_with_a_waiver_equals_the_model(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - id: RS03\n    reason: 另行报送\n    approver: 张三\n    date: 2025-02-10\n"
                       "    expires: 2099-12-31T23:59:59+08:00\n", encoding="utf-8")
    seed = sorted(SEEDS.glob("*.txt"))[0]
    result = cli("check", seed, "-f", "json", "--waivers", waivers)
    assert result.code == 0, result.stderr
    (card,) = _same_as_model(result.stdout)
    waived = {i["id"]: i["waiver"] for i in card["items"] if i["waiver"] is not None}
    assert list(waived) == ["RS03"] and waived["RS03"]["approver"] == "张三"

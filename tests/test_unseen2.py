"""Accuracy on the second unseen set (tests/fixtures/unseen2/), through the CLI.

A second, independent generalisation check in styles the first set lacks: a 街道办事处, a 区教育局,
a 县卫生健康委员会, a 省司法厅 (for 2022), a long city report (about 11,000 characters) whose part
headings are phrased unusually (坚持高位推动…取得新成效 / 正视差距不足，深刻剖析问题根源 / 切实履行第一
责任人职责 / 明年工作思路), a county written as one run-in paragraph per part, a district whose items are
mostly hedged or stated as problems, and a news article (来源/发布时间 header, 记者 and 编辑 lines, no
落款). Phrasing was varied on purpose (复议案件收案/结案, 行政首长出庭, 法治宣传, 权力和责任清单, 随机抽查,
政务服务便民热线 …). The set was written and labelled against the catalogue BEFORE checker was run on it
and before the checklist rules were read; the labels were committed first. The first run scored F1
0.969, agreement 0.929 and structure agreement 0.982. The rules were then fixed the general way (new
synonyms, hedges and a news-style plan cue, each with new examples) to F1 0.998, agreement 0.997 and
structure agreement 1.0; the one disagreement left is a hedge in the clause after the match
(权责清单的动态调整工作已经启动，目前尚未完成), which the clause-scoped hedge check does not see.
The bars below sit a little under that.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.labelled_sets import evaluate_set, statuses_found

UNSEEN2 = FIXTURES / "unseen2"
HEDGED = "v07_hedged.txt"
NEWS = "v08_news.txt"


@pytest.fixture(scope="module")
def evaluation() -> dict[str, Any]:
    return evaluate_set(UNSEEN2, 8)


def test_every_document_is_an_annual_report(evaluation: dict[str, Any]) -> None:
    assert all(d["annual_report"] for d in evaluation["documents"])


def _found(name: str) -> dict[str, str]:
    return statuses_found(UNSEEN2 / name)


def test_hedged_items_stay_partial() -> None:
    """尚未编制, 有待细化, 正在研究制定中, 程度不高, 针对性不强 in the 工作情况 part are not coverage."""
    found = _found(HEDGED)
    for item in ("DC01", "DC02", "EN04", "EN06", "LD05", "RG05", "SO01", "SV07"):
        assert found[item] == "partial", (item, found[item])


def test_a_news_article_has_its_plan_paragraph_and_dated_header() -> None:
    found = _found(NEWS)
    assert found["RS05"] == "covered"  # 据悉，2024年，青桐市将…
    assert found["RS06"] == "covered"  # 来源 … 发布时间：2024-03-22
    assert found["RS03"] == "missing"
    assert found["DC02"] == "partial"  # 目录管理 only in the closing plan paragraph

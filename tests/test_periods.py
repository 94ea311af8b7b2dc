"""The checklist follows the report's year (checker/rules/periods.py), seen as a user sees it: through the CLI."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from checker.rules.periods import CONTENT_PERIODS, ChoiceReason, choose, default_use, in_force
from tests.conftest import SEEDS, cli

SEED_001 = SEEDS / "001_335ed3547a572491.txt"  # 紫阳县 2023
SEED_003 = SEEDS / "003_9b77debbcb7cfcd8.txt"  # 高州市 2020

REPORT = """某县{y}年法治政府建设情况报告
一、{y}年主要工作
县政府常务会议会前学法10次。县委书记主持召开依法治县领导小组会议，研究部署法治政府建设。
二、存在的问题
基层执法力量不足，原因是编制有限。
三、{n}年工作打算
加强执法队伍建设。
某县人民政府
{n}年2月10日
"""


def _report(tmp_path: Path, year: int) -> Path:
    path = tmp_path / f"report-{year}.txt"
    path.write_text(REPORT.format(y=year, n=year + 1), encoding="utf-8")
    return path


def _card(*args: str | Path) -> dict[str, Any]:
    result = cli("check", *args, "--format", "json")
    assert result.code == 0, result.stderr
    out = result.json()
    assert isinstance(out, dict)
    return out


@pytest.mark.parametrize(("year", "checklist", "reason"), [
    (2012, "gangyao-2015", ChoiceReason.YEAR_BEFORE_PERIODS),
    (2016, "gangyao-2015", ChoiceReason.YEAR_IN_PERIOD),
    (2020, "gangyao-2015", ChoiceReason.YEAR_IN_PERIOD),
    (2021, "gangyao-2021", ChoiceReason.YEAR_IN_PERIOD),
    (2025, "gangyao-2021", ChoiceReason.YEAR_IN_PERIOD),
    (2026, "gangyao-2021", ChoiceReason.YEAR_AFTER_PERIODS),
    (None, "gangyao-2021", ChoiceReason.YEAR_UNKNOWN),
])
def test_years_map_to_checklists(year: int | None, checklist: str, reason: ChoiceReason) -> None:
    choice = choose(year)
    assert choice.specs == (checklist, "report-structure")
    assert choice.code is reason
    assert choice.warning == (reason is ChoiceReason.YEAR_AFTER_PERIODS)
    assert choice.structure_applies == (year is None or year >= 2019)


def test_periods_are_contiguous_and_the_structure_rules_start_in_2019() -> None:
    for older, newer in pairwise(CONTENT_PERIODS):
        assert older.last_year is not None and newer.first_year == older.last_year + 1
    assert not in_force("report-structure", 2018) and in_force("report-structure", 2019)
    assert in_force("gangyao-2021", 2018)  # a content checklist named with -c applies to any year
    assert "2020年度及以前" in default_use("gangyao-2015") and default_use("my-own") == ""


def test_seed_003_uses_the_2015_checklist_and_is_not_faulted_for_xi_thought() -> None:
    card = _card(SEED_003)
    choice = card["checklist_choice"]
    assert choice["reason"] == "year_in_period" and not choice["warning"] and choice["structure_applies"]
    assert choice["period"] == {"checklist": "gangyao-2015", "years": "2016—2020年度",
                                "basis": "《法治政府建设实施纲要（2015—2020年）》"}
    assert [c["id"] for c in card["checklists"]] == ["gangyao-2015", "report-structure"]
    ids = {i["id"] for i in card["items"]}
    assert "LD01" not in ids and "GF01" in ids and "RS04" in ids
    assert "LD01" not in card["summary"]["missing_required"]
    rich = cli("check", SEED_003)
    assert rich.code == 0
    assert "清单 gangyao-2015 v1、report-structure v1" in rich.stdout
    assert "依据：报告年度为2020年，适用《法治政府建设实施纲要（2015—2020年）》" in rich.stdout
    assert "习近平法治思想" not in rich.stdout
    lint = cli("lint", SEED_003, "-f", "text")
    assert "info CHECKLIST-PERIOD 报告年度为2020年，适用《法治政府建设实施纲要（2015—2020年）》" in lint.stdout
    assert " LD01 " not in lint.stdout


def test_seed_001_uses_the_2021_checklist() -> None:
    card = _card(SEED_001)
    assert card["checklist_choice"]["period"]["checklist"] == "gangyao-2021"
    assert [c["id"] for c in card["checklists"]] == ["gangyao-2021", "report-structure"]
    assert "LD01" in {i["id"] for i in card["items"]}


def test_a_2026_report_gets_the_warning_everywhere(tmp_path: Path) -> None:
    path = _report(tmp_path, 2026)
    card = _card(path)
    choice = card["checklist_choice"]
    assert (choice["reason"], choice["warning"], choice["period"]["checklist"]) == (
        "year_after_periods", True, "gangyao-2021")
    assert "尚未内置新一期纲要的清单" in choice["message"] and "-c" in choice["message"]
    rich = cli("check", path)
    assert "⚠报告年度2026年已超出《法治政府建设实施纲要（2021—2025年）》的期限" in rich.stdout
    lint = cli("lint", path, "-f", "text", "--fail-on", "warning", "--select", "CHECKLIST-PERIOD")
    assert lint.code == 1
    assert "warning CHECKLIST-PERIOD 报告年度2026年已超出" in lint.stdout
    assert "用 -c 指定" in lint.stdout
    own = cli("check", path, "-c", "gangyao-2021", "-f", "json").json()
    assert isinstance(own, dict) and own["checklist_choice"]["reason"] == "option"
    assert not own["checklist_choice"]["warning"]


def test_a_report_without_a_year_gets_the_current_checklist_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "no-year.txt"
    path.write_text("某县法治政府建设情况报告\n一、主要工作\n县政府常务会议会前学法10次。\n", encoding="utf-8")
    choice = _card(path)["checklist_choice"]
    assert (choice["reason"], choice["warning"]) == ("year_unknown", False)
    assert "未能识别报告年度" in choice["message"] and "--year" in choice["message"]


def test_report_structure_does_not_apply_before_2019(tmp_path: Path) -> None:
    path = _report(tmp_path, 2017)
    card = _card(path)
    assert card["checklist_choice"]["period"]["checklist"] == "gangyao-2015"
    assert not card["checklist_choice"]["structure_applies"]
    rs = [i for i in card["items"] if i["id"].startswith("RS")]
    assert len(rs) == 7
    assert {(i["status"], i["reason"]) for i in rs} == {("not_applicable", "督察规定2019年4月起施行，此前年度的报告不适用")}
    assert {i["found"] for i in rs if i["id"] == "RS01"} == {"covered"}  # what the text says, still recorded
    rich = cli("check", path)
    assert "结构：报告年度2017年早于督察规定施行（2019年4月15日），报告结构条目不适用" in rich.stdout
    lint = cli("lint", path, "-f", "text")
    assert "STRUCT-" not in lint.stdout.replace("STRUCT-DEADLINE", "")
    same_2019 = cli("lint", _report(tmp_path, 2019), "-f", "text")
    assert "STRUCT-FIRST-RESPONSIBLE" in same_2019.stdout


def test_a_late_2017_report_is_held_to_the_first_quarter(tmp_path: Path) -> None:
    path = tmp_path / "late.txt"
    path.write_text(REPORT.format(y=2017, n=2018).replace("2018年2月10日", "2018年4月20日"), encoding="utf-8")
    lint = cli("lint", path, "-f", "text", "--select", "STRUCT-DEADLINE")
    assert "按《法治政府建设实施纲要（2015—2020年）》，各级政府和政府部门应在2018年4月1日前报送2017年度报告" in lint.stdout


def test_checklist_and_year_options_override_the_choice() -> None:
    named = _card(SEED_003, "-c", "gangyao-2021", "-c", "report-structure")
    assert named["checklist_choice"]["reason"] == "option" and named["checklist_choice"]["period"] is None
    assert "LD01" in {i["id"] for i in named["items"]}
    by_year = _card(SEED_003, "--year", "2023")
    assert by_year["checklist_choice"]["period"]["checklist"] == "gangyao-2021"


def test_checklists_lists_each_with_its_period() -> None:
    out = cli("checklists").stdout
    assert "默认用于：2020年度及以前的报告（依据《法治政府建设实施纲要（2015—2020年）》）" in out
    assert "默认用于：2021—2025年度的报告" in out and "晚于2025年度（有提示）" in out
    assert "默认用于：2019年度起的报告" in out


def test_eval_keeps_the_checklists_of_its_labels() -> None:
    """Labels against the 2021 catalogue score as before: eval does not choose by year."""
    out = cli("eval", "--gold", SEEDS / "gold.yaml", SEED_003, "--format", "json").json()
    assert isinstance(out, dict)
    assert out["checklists"] == ["gangyao-2021", "report-structure"]
    assert out["f1"] == 1.0

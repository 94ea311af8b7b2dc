"""`checker diff`: two scorecards, two audit folders, year over year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, SEED_FILES, cli
from tests.test_audit import CL

ZIYANG = next(p for p in SEED_FILES if p.name.startswith("001"))  # 紫阳县2023年…, plans part at line 25


def without_plans(text: str) -> str:
    """The report with its part “三、下一步工作打算” removed."""
    lines = text.splitlines(keepends=True)
    start = next(k for k, line in enumerate(lines) if line.startswith("三、下一步"))
    return "".join(lines[:start])


def _card(tmp_path: Path, name: str, text: str) -> Path:
    src = tmp_path / f"{name}.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / f"{name}.json"
    assert cli("check", src, "--format", "json", "--output", out, *CL).code == 0
    return out


def _changes(pair: dict[str, Any], kind: str) -> dict[str, tuple[str, str]]:
    return {c["id"]: (c["old"], c["new"]) for c in pair[kind]}


def test_removing_the_plans_part_shows_up_as_newly_missing(tmp_path: Path) -> None:
    text = ZIYANG.read_text(encoding="utf-8")
    old = _card(tmp_path, "old", text)
    new = _card(tmp_path, "new", without_plans(text))
    result = cli("diff", old, new, "--format", "json")
    assert result.code == 0, result.stderr
    data = result.json()
    assert isinstance(data, dict) and data["schema"] == "checker.diff/1"
    [pair] = data["pairs"]
    assert pair["matched_by"] == "single"
    changed = {**_changes(pair, "newly_missing"), **_changes(pair, "other_changes")}
    assert changed["RS05"] == ("covered", "missing") or changed["RS05"] == ("covered", "partial")
    assert not pair["newly_covered"]
    old_score = json.loads(old.read_text(encoding="utf-8"))["summary"]["score"]
    new_score = json.loads(new.read_text(encoding="utf-8"))["summary"]["score"]
    assert pair["score_change"] == round(new_score - old_score, 1) < 0
    # The other way round, the same item is newly covered.
    back = cli("diff", new, old, "--format", "json").json()
    assert isinstance(back, dict)
    assert "RS05" in _changes(back["pairs"][0], "newly_covered")
    # Rich output for a reviewer.
    rich = cli("diff", old, new)
    assert rich.code == 0
    assert "紫阳县 2023 → 紫阳县 2023" in rich.stdout and "RS05" in rich.stdout
    assert "已覆盖 →" in rich.stdout and f"{new_score - old_score:+.1f}" in rich.stdout


def test_audit_folders_pair_by_path_and_year_over_year_by_body(tmp_path: Path) -> None:
    text = ZIYANG.read_text(encoding="utf-8")
    old_in, new_in = tmp_path / "in2023", tmp_path / "in2024"
    old_in.mkdir()
    new_in.mkdir()
    (old_in / "ziyang.txt").write_text(text, encoding="utf-8")
    (new_in / "ziyang-2024.txt").write_text(without_plans(text.replace("2023", "2024")), encoding="utf-8")
    other = next(p for p in SEED_FILES if p.name.startswith("002"))
    (old_in / "other.txt").write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
    (new_in / "other.txt").write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
    third = next(p for p in SEED_FILES if p.name.startswith("004"))
    (new_in / "new-only.txt").write_text(third.read_text(encoding="utf-8"), encoding="utf-8")
    for src, out in ((old_in, tmp_path / "a2023"), (new_in, tmp_path / "a2024")):
        assert cli("audit", src, "--out", out, "--jobs", "1", *CL).code == 0
    result = cli("diff", tmp_path / "a2023", tmp_path / "a2024", "--format", "json")
    assert result.code == 0, result.stderr
    data = result.json()
    assert isinstance(data, dict)
    pairs = {(p["old"]["path"], p["new"]["path"]): p for p in data["pairs"]}
    assert set(pairs) == {("other.txt", "other.txt"), ("ziyang.txt", "ziyang-2024.txt")}
    same = pairs[("other.txt", "other.txt")]
    assert same["matched_by"] == "path" and same["score_change"] == 0
    assert not same["newly_covered"] and not same["newly_missing"] and not same["other_changes"]
    yoy = pairs[("ziyang.txt", "ziyang-2024.txt")]
    assert yoy["matched_by"] == "body"
    assert (yoy["old"]["year"], yoy["new"]["year"]) == (2023, 2024) and yoy["new"]["body"] == "紫阳县"
    assert "RS05" in {**_changes(yoy, "newly_missing"), **_changes(yoy, "other_changes")}
    assert [r["path"] for r in data["only_new"]] == ["new-only.txt"] and data["only_old"] == []
    rich = cli("diff", tmp_path / "a2023", tmp_path / "a2024")
    assert "按单位配对（跨年度）" in rich.stdout and "只在新版中（1）" in rich.stdout


def test_unreadable_inputs_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a scorecard"}', encoding="utf-8")
    result = cli("diff", bad, tmp_path / "missing.json")
    assert result.code == 3 and "评分卡" in result.stderr
    assert cli("diff", tmp_path / "nope", bad).code == 3
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "没有评分卡" in cli("diff", empty, bad).stderr


def test_reports_of_two_periods_compare_the_shared_ids(tmp_path: Path) -> None:
    """高州市 2020 (gangyao-2015) against the same text as a 2023 report (gangyao-2021): the 40 shared
    ids are compared, the ids of one period only are listed apart and are not changes."""
    seed = ROOT / "seeds" / "003_9b77debbcb7cfcd8.txt"
    later = tmp_path / "高州市2023.txt"
    later.write_text(seed.read_text(encoding="utf-8").replace("2020", "2023").replace("2021年工作设想", "2024年工作设想"),
                     encoding="utf-8")
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    assert cli("check", seed, "-f", "json", "-o", old).code == 0
    assert cli("check", later, "-f", "json", "-o", new).code == 0
    out = cli("diff", old, new, "-f", "json")
    assert out.code == 0, out.stderr
    data = out.json()
    assert isinstance(data, dict)
    (pair,) = data["pairs"]
    assert (pair["old_checklist"], pair["new_checklist"]) == ("gangyao-2015", "gangyao-2021")
    assert [c["id"] for c in pair["only_in_old"]] == ["GF01", "GF02", "GF03", "GR01", "GE01", "GS01", "GL01"]
    assert [c["id"] for c in pair["only_in_new"]] == ["LD01", "FN06", "DC02", "EM01", "SV03", "SV06", "DG01", "DG02",
                                                      "DG03"]
    assert pair["only_in_new"][0]["old"] is None and pair["only_in_new"][0]["new"] == "missing"
    # The same text: every shared id keeps its status (the crosswalk's claim for seed 003).
    assert pair["newly_covered"] == pair["newly_missing"] == pair["other_changes"] == []
    rich = cli("diff", old, new)
    assert "清单 gangyao-2015 → gangyao-2021" in rich.stdout
    assert "两份报告分属不同的纲要时期：只比较两期共有的条目，得分只作参考" in rich.stdout
    assert "两期共有条目的状态没有变化" in rich.stdout
    assert "只在 gangyao-2021 中的条目（9，不作比较）" in rich.stdout and "· LD01 学习贯彻习近平法治思想  缺失" in rich.stdout

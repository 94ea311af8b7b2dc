"""``checker lint`` as a report writer and a CI job use it: compiler-style lines on real
files, exit codes, the structural rules of the 督察规定, selection and output formats."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from checker.lint.diagnostics import STRUCT_RULES
from tests.conftest import ROOT, SEED_FILES, cli
from tests.lint_helpers import COMPLETE, WARNINGS_ONLY, Diag, clean_env, copy, parse, variant

__all__ = ["clean_env"]  # the fixture, imported for pytest

RS = ("-c", "report-structure")


def _ids(diags: list[Diag]) -> list[str]:
    return [d.id for d in diags]


# ---------------------------------------------------------------------------------------
# The seeds


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_each_seed_gives_one_actionable_line_per_item(seed: Path, clean_env: Path) -> None:
    result = cli("lint", seed)
    assert result.code in (0, 1), result.stderr
    diags = parse(result.stdout)
    assert diags, "every seed has something to improve"
    assert all(d.path == str(seed) for d in diags)
    ids = _ids(diags)
    assert len(ids) == len(set(ids)), "at most one diagnostic per item or rule"
    for d in diags:
        assert d.line >= 1 and d.col >= 1
        if d.level != "info":
            assert "请" in d.message or "建议" in d.message, f"not actionable: {d.message}"
    has_error = any(d.level == "error" for d in diags)
    assert result.code == (1 if has_error else 0)
    assert ("未通过" in result.stdout) == has_error


def _seed(prefix: str) -> Path:
    return next(p for p in SEED_FILES if p.name.startswith(prefix))


def test_seed_structure_findings_point_at_the_right_lines(clean_env: Path) -> None:
    # 高州市: no 第一责任人 part; it belongs before the plans part (line 51); dated 2020-12-24.
    gz = {d.id: d for d in parse(cli("lint", *RS, _seed("003")).stdout)}
    fr = gz["STRUCT-FIRST-RESPONSIBLE"]
    assert (fr.level, fr.line, fr.col) == ("error", 51, 1)
    assert "请在此处加一部分" in fr.message
    assert gz["STRUCT-DEADLINE"].level == "info" and gz["STRUCT-DEADLINE"].line == 58
    assert gz["STRUCT-CAUSES"].level == "warning"
    # 紫阳县: published 2024-03-04 under the title, after the 3月1日 deadline of a county.
    zy = {d.id: d for d in parse(cli("lint", *RS, _seed("001")).stdout)}
    late = zy["STRUCT-DEADLINE"]
    assert (late.level, late.line) == ("warning", 3)
    assert "2024年3月4日" in late.message and "3月1日前" in late.message
    # 南康区: no title line, no 落款 (it belongs at the end of the file).
    nk = parse(cli("lint", *RS, _seed("000")).stdout)
    by_id = {d.id: d for d in nk}
    assert (by_id["STRUCT-TITLE"].level, by_id["STRUCT-TITLE"].line) == ("error", 1)
    assert "南康区2023年法治政府建设年度报告" in by_id["STRUCT-TITLE"].message
    last_line = len(_seed("000").read_text(encoding="utf-8").rstrip().splitlines())
    assert (by_id["STRUCT-SIGNOFF"].level, by_id["STRUCT-SIGNOFF"].line) == ("warning", last_line)
    # 景德镇市: four parts and a 2025-02-18 date for 2024, before the deadline.
    jdz = _ids(parse(cli("lint", *RS, _seed("004")).stdout))
    assert not {"STRUCT-DEADLINE", "STRUCT-PLANS", "STRUCT-FIRST-RESPONSIBLE", "STRUCT-ACHIEVEMENTS"} & set(jdz)


# ---------------------------------------------------------------------------------------
# Exit codes


def test_a_complete_report_is_clean(clean_env: Path) -> None:
    report = copy(COMPLETE, clean_env, "report.txt")
    result = cli("lint", *RS, report)
    assert result.code == 0, result.stdout
    assert parse(result.stdout) == []
    assert "0 个错误，0 个警告，0 个提示。通过" in result.stdout
    # With the default checklists its structure passes too (content items are another matter).
    structural = cli("lint", report, "--select", "STRUCT")
    assert structural.code == 0, structural.stdout
    assert parse(structural.stdout) == []


def test_warnings_fail_only_with_fail_on_warning(clean_env: Path) -> None:
    report = copy(WARNINGS_ONLY, clean_env, "draft.txt")
    relaxed = cli("lint", *RS, report)
    assert relaxed.code == 0
    diags = parse(relaxed.stdout)
    assert [(d.level, d.id, d.line, d.col) for d in diags] == [("warning", "STRUCT-CAUSES", 10, 1)]
    assert "究其原因" in diags[0].message
    strict = cli("lint", *RS, report, "--fail-on", "warning")
    assert strict.code == 1
    assert "未通过（--fail-on warning）" in strict.stdout
    # --min-level hides the warning, but failure is decided on everything.
    hidden = cli("lint", *RS, report, "--fail-on", "warning", "--min-level", "error")
    assert hidden.code == 1
    assert parse(hidden.stdout) == []
    assert "另有 1 条低于 --min-level error 未显示" in hidden.stdout
    assert cli("lint", *RS, report, "--fail-on", "never", "--min-level", "info").code == 0


def test_a_broken_checklist_is_a_usage_error(clean_env: Path) -> None:
    report = copy(COMPLETE, clean_env)
    broken = clean_env / "broken.yaml"
    broken.write_text("id: mine\ntitle: 我的清单\nversion: 1\nsource: 自定\nitems:\n  - id: X1\n    titel: 错字\n",
                      encoding="utf-8")
    result = cli("lint", "-c", broken, report)
    assert result.code == 2
    assert "清单错误" in result.stderr and "broken.yaml:7" in result.stderr
    assert result.stdout == ""


def test_bad_options_are_usage_errors(clean_env: Path) -> None:
    report = copy(COMPLETE, clean_env)
    assert "--fail-on 的取值“often”无效" in cli("lint", report, "--fail-on", "often").stderr
    assert cli("lint", report, "--fail-on", "often").code == 2
    assert cli("lint", report, "--min-level", "loud").code == 2
    unknown = cli("lint", report, "--format", "xml")
    assert unknown.code == 2 and "未知的输出格式“xml”" in unknown.stderr
    two = cli("lint", report, "--format", "text", "--format", "json")
    assert two.code == 2 and "只能有一种格式输出到屏幕" in two.stderr


def test_an_unreadable_input_exits_3_and_the_others_are_still_linted(clean_env: Path) -> None:
    good = copy(WARNINGS_ONLY, clean_env, "good.txt")
    odd = clean_env / "table.xls"
    odd.write_bytes(b"\xd0\xcf\x11\xe0 not a report")
    result = cli("lint", *RS, good, odd, clean_env / "missing.txt")
    assert result.code == 3
    diags = parse(result.stdout)
    unreadable = {d.path: d for d in diags if d.id == "INPUT-UNREADABLE"}
    assert set(unreadable) == {str(odd), str(clean_env / "missing.txt")}
    assert "文件不存在" in unreadable[str(clean_env / "missing.txt")].message
    assert any(d.path == str(good) and d.id == "STRUCT-CAUSES" for d in diags)
    assert "有文件无法读取" in result.stdout


# ---------------------------------------------------------------------------------------
# Structural rules


def test_a_missing_part_is_placed_where_it_belongs(clean_env: Path) -> None:
    text = COMPLETE.read_text(encoding="utf-8")
    start = text.index("三、党政主要负责人")
    end = text.index("四、2025年工作安排")
    report = clean_env / "no-first.txt"
    report.write_text(text[:start] + text[end:], encoding="utf-8")
    diags = parse(cli("lint", *RS, report).stdout)
    plans_line = report.read_text(encoding="utf-8").splitlines().index("四、2025年工作安排") + 1
    assert [(d.id, d.level, d.line, d.col) for d in diags] == [("STRUCT-FIRST-RESPONSIBLE", "error", plans_line, 1)]
    assert "三、党政主要负责人履行推进法治建设第一责任人职责情况" in diags[0].message


def test_a_missing_signoff_is_reported_at_the_end(clean_env: Path) -> None:
    report = variant(clean_env, "unsigned.txt", "\n清河县人民政府\n2025年2月18日\n", "\n")
    diags = parse(cli("lint", *RS, report).stdout)
    lines = report.read_text(encoding="utf-8").rstrip().splitlines()
    assert [(d.id, d.level, d.line, d.col) for d in diags] == [
        ("STRUCT-SIGNOFF", "warning", len(lines), len(lines[-1]) + 1)]
    assert "清河县人民政府" in diags[0].message and "2025年2月" in diags[0].message


def test_a_date_without_issuing_body(clean_env: Path) -> None:
    report = variant(clean_env, "dated.txt", "清河县人民政府\n2025年2月18日", "2025年2月18日")
    (d,) = parse(cli("lint", *RS, report).stdout)
    assert (d.id, d.level) == ("STRUCT-SIGNOFF", "warning")
    assert "请在日期上方写明报告单位" in d.message


def test_late_report_date_against_the_deadline_of_its_level(clean_env: Path) -> None:
    report = variant(clean_env, "late.txt", "2025年2月18日", "二〇二五年三月五日")
    (d,) = parse(cli("lint", *RS, report).stdout)
    assert (d.id, d.level, d.line) == ("STRUCT-DEADLINE", "warning", 21)
    assert "2025年3月5日" in d.message and "2025年3月1日前" in d.message
    # A province reports by 4月1日: the same date is in time.
    assert parse(cli("lint", *RS, report, "--level", "province").stdout) == []
    on_the_day = variant(clean_env, "day.txt", "2025年2月18日", "2025年3月1日")
    assert _ids(parse(cli("lint", *RS, on_the_day).stdout)) == ["STRUCT-DEADLINE"]


def test_plans_for_the_wrong_year(clean_env: Path) -> None:
    report = variant(clean_env, "years.txt", "四、2025年工作安排", "四、2024年工作安排")
    (d,) = parse(cli("lint", *RS, report).stdout)
    assert (d.id, d.level) == ("STRUCT-YEAR", "warning")
    assert "2024" in d.message and "2025" in d.message


def test_title_without_year(clean_env: Path) -> None:
    report = variant(clean_env, "title.txt", "清河县2024年法治政府建设年度报告", "清河县法治政府建设年度报告")
    diags = {d.id: d for d in parse(cli("lint", *RS, report).stdout)}
    assert diags["STRUCT-TITLE"].level == "warning" and diags["STRUCT-TITLE"].line == 1
    assert "清河县2024年法治政府建设年度报告" in diags["STRUCT-TITLE"].message


def test_a_document_that_is_not_an_annual_report(clean_env: Path) -> None:
    report = variant(clean_env, "plan.txt", "清河县2024年法治政府建设年度报告", "清河县2025年法治政府建设工作要点")
    diags = {d.id: d for d in parse(cli("lint", *RS, report).stdout)}
    assert diags["STRUCT-ANNUAL"].level == "error" and diags["STRUCT-ANNUAL"].line == 1
    assert "工作要点" in diags["STRUCT-ANNUAL"].message


# ---------------------------------------------------------------------------------------
# Checklist items, own checklists, selection


def _own_checklist(folder: Path, extends: str = "report-structure") -> Path:
    path = folder / "region.yaml"
    path.write_text(
        f"""extends: {extends}
id: region-2024
title: 清河县补充要求
items:
  - id: QH01
    title: 河长制执法协作
    part: 地方要求
    ref: 县委依法治县办〔2024〕1号
    severity: required
    hint: 写明本年度河长制执法协作的做法和案件数。
    detectors:
      - kind: keywords
        any: [河长制]
    examples:
      covered: ["全面落实河长制，联合执法12次。"]
      missing: ["开展执法检查。"]
  - id: QH02
    title: 行政复议
    part: 地方要求
    ref: 县委依法治县办〔2024〕1号
    severity: required
    hint: 写明本年度行政复议案件数和纠错率。
    detectors:
      - kind: keywords
        any: [行政复议]
    examples:
      covered: ["办理行政复议案件48件。"]
      missing: ["开展执法检查。"]
""",
        encoding="utf-8",
    )
    return path


def test_a_missing_item_belongs_after_the_achievements(clean_env: Path) -> None:
    report = copy(COMPLETE, clean_env, "report.txt")
    own = _own_checklist(clean_env)
    result = cli("lint", "-c", own, report)
    assert result.code == 1
    (d,) = parse(result.stdout)
    line8 = report.read_text(encoding="utf-8").splitlines()[7]
    assert line8.startswith("（三）强化行政权力监督")
    assert (d.id, d.level, d.line, d.col) == ("QH01", "error", 8, len(line8) + 1)
    assert d.message.startswith("缺少“河长制执法协作”")
    assert "请在报告中写明本年度河长制执法协作的做法和案件数" in d.message


def test_extends_loads_the_base_and_rejects_clashes(clean_env: Path) -> None:
    report = copy(COMPLETE, clean_env, "report.txt")
    own = _own_checklist(clean_env)
    card = cli("lint", "-c", own, report, "--format", "json").json()
    assert isinstance(card, dict)
    (sc,) = card["scorecards"]
    assert [c["id"] for c in sc["checklists"]] == ["report-structure", "region-2024"]
    ids = {i["id"] for i in sc["items"]}
    assert {"RS01", "QH01", "QH02"} <= ids
    clash = clean_env / "clash.yaml"
    clash.write_text(own.read_text(encoding="utf-8").replace("QH02", "RS03"), encoding="utf-8")
    bad = cli("lint", "-c", clash, report)
    assert bad.code == 2 and "RS03" in bad.stderr and "重复" in bad.stderr
    nowhere = clean_env / "nowhere.yaml"
    nowhere.write_text(own.read_text(encoding="utf-8").replace("extends: report-structure", "extends: no-such"),
                       encoding="utf-8")
    missing = cli("lint", "-c", nowhere, report)
    assert missing.code == 2 and "nowhere.yaml:1" in missing.stderr and "no-such" in missing.stderr


def test_extending_the_national_checklist(clean_env: Path) -> None:
    report = copy(COMPLETE, clean_env, "report.txt")
    own = _own_checklist(clean_env, extends="gangyao-2021")
    card = cli("lint", "-c", own, report, "--format", "json").json()
    assert isinstance(card, dict)
    (sc,) = card["scorecards"]
    assert [c["id"] for c in sc["checklists"]] == ["gangyao-2021", "region-2024"]
    assert {"LD01", "QH01"} <= {i["id"] for i in sc["items"]}


def test_select_and_ignore_by_id_prefix_and_rs_alias(clean_env: Path) -> None:
    report = copy(WARNINGS_ONLY, clean_env, "draft.txt")
    assert parse(cli("lint", *RS, report, "--ignore", "STRUCT-CAUSES").stdout) == []
    assert parse(cli("lint", *RS, report, "--ignore", "RS03").stdout) == []
    assert parse(cli("lint", *RS, report, "--ignore", "STRUCT").stdout) == []
    assert parse(cli("lint", *RS, report, "--select", "STRUCT-TITLE,STRUCT-YEAR").stdout) == []
    assert _ids(parse(cli("lint", *RS, report, "--select", "RS").stdout)) == ["STRUCT-CAUSES"]


# ---------------------------------------------------------------------------------------
# Output formats


def test_several_formats_in_one_run(clean_env: Path) -> None:
    report = copy(WARNINGS_ONLY, clean_env, "draft.txt")
    result = cli("lint", *RS, report, "-f", "text", "-f", "json:out/lint.json", "-f", "sarif:out/lint.sarif",
                 "-f", "junit:out/junit.xml", "-f", "github:out/annotations.txt")
    assert result.code == 0
    assert _ids(parse(result.stdout)) == ["STRUCT-CAUSES"]
    out = clean_env / "out"
    assert sorted(p.name for p in out.iterdir()) == ["annotations.txt", "junit.xml", "lint.json", "lint.sarif"]
    data = json.loads((out / "lint.json").read_text(encoding="utf-8"))
    assert data["schema"] == "checker.lint/1"
    assert data["summary"] == {"files": 1, "errors": 0, "warnings": 1, "infos": 0, "waived": 0,
                               "fail_on": "error", "min_level": "info", "exit_code": 0}
    (diag,) = data["diagnostics"]
    assert (diag["id"], diag["item"], diag["line"], diag["column"]) == ("STRUCT-CAUSES", "RS03", 10, 1)
    schema = json.loads((ROOT / "docs" / "scorecard.schema.json").read_text(encoding="utf-8"))
    for card in data["scorecards"]:
        jsonschema.validate(card, schema)
    annotations = (out / "annotations.txt").read_text(encoding="utf-8").splitlines()
    assert annotations[0].startswith("::warning file=draft.txt,line=10,col=1,title=STRUCT-CAUSES 不足的原因分析::")
    json.loads((out / "lint.sarif").read_text(encoding="utf-8"))


def test_auto_is_github_annotations_under_github_actions(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = copy(COMPLETE, clean_env, "report.txt")
    unsigned = variant(clean_env, "unsigned.txt", "\n清河县人民政府\n2025年2月18日\n", "\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = cli("lint", *RS, report, unsigned)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::warning file=unsigned.txt,line=")
    assert ",title=STRUCT-SIGNOFF 落款与成文日期::缺少落款和成文日期" in lines[0]
    assert len(lines) == 2 and "2 个文件" in lines[1]
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert parse(cli("lint", *RS, unsigned).stdout)[0].id == "STRUCT-SIGNOFF"


def test_junit_has_one_case_per_item_and_failures_for_findings(clean_env: Path) -> None:
    report = copy(COMPLETE, clean_env, "report.txt")
    own = _own_checklist(clean_env)
    result = cli("lint", "-c", own, report, "-f", "junit")
    assert result.code == 1
    root = ET.fromstring(result.stdout)
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "report.txt"
    cases = {c.get("name", "").split()[0]: c for c in suite.findall("testcase")}
    assert set(cases) == {r.id for r in STRUCT_RULES} | {"QH01", "QH02"}
    assert cases["QH01"].find("failure") is not None
    assert cases["QH02"].find("failure") is None
    assert suite.get("failures") == "1" and suite.get("tests") == str(len(STRUCT_RULES) + 2)


def test_text_is_coloured_only_on_a_terminal(clean_env: Path) -> None:
    report = copy(WARNINGS_ONLY, clean_env, "draft.txt")
    assert "\x1b[" not in cli("lint", *RS, report).stdout
    cli("lint", *RS, report, "-f", "text:report.lint.txt")
    written = (clean_env / "report.lint.txt").read_text(encoding="utf-8")
    assert "\x1b[" not in written and "STRUCT-CAUSES" in written

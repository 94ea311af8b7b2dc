"""Waivers: a waived finding is still evaluated and shown, marked with its reason, and does
not fail the run; an expired waiver is an error of its own."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SEEDS, cli
from tests.lint_helpers import COMPLETE, WARNINGS_ONLY, clean_env, copy, parse

__all__ = ["clean_env"]

RS = ("-c", "report-structure")
FUTURE = "2099-12-31T23:59:59+08:00"
PAST = "2001-06-30T23:59:59+08:00"


def _waivers(folder: Path, *entries: tuple[str, str], files: str | None = None) -> Path:
    lines = ["# 豁免清单", "waivers:"]
    for item_id, expires in entries:
        lines += [f"  - id: {item_id}", "    reason: 本年度原因分析另行专题报送", "    approver: 张三（县司法局）",
                  "    date: 2025-02-10", f"    expires: {expires}"]
        if files:
            lines.append(f"    files: [{files!r}]")
    path = folder / "waivers.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Path(path.name)


def test_a_waiver_hides_nothing_but_does_not_fail(clean_env: Path) -> None:
    copy(WARNINGS_ONLY, clean_env, "draft.txt")
    waivers = _waivers(clean_env, ("STRUCT-CAUSES", FUTURE))
    result = cli("lint", *RS, "draft.txt", "--fail-on", "warning", "--waivers", waivers)
    assert result.code == 0, result.stdout
    (d,) = parse(result.stdout)
    assert (d.id, d.level, d.line) == ("STRUCT-CAUSES", "warning", 10)
    assert d.message.startswith("[已豁免] “存在的不足”只罗列了问题")
    assert "本年度原因分析另行专题报送" in d.message and "张三（县司法局）" in d.message and FUTURE in d.message
    assert "1 个已豁免" in result.stdout and "通过" in result.stdout


def test_waivers_in_json_scorecard_and_sarif(clean_env: Path) -> None:
    copy(WARNINGS_ONLY, clean_env, "draft.txt")
    waivers = _waivers(clean_env, ("RS03", FUTURE))  # the RS item id works too
    data = cli("lint", *RS, "draft.txt", "--waivers", waivers, "-f", "json", "-f", "sarif:out.sarif").json()
    assert isinstance(data, dict)
    (diag,) = data["diagnostics"]
    assert diag["waived"] is True and diag["waiver"]["approver"] == "张三（县司法局）"
    items = {i["id"]: i for i in data["scorecards"][0]["items"]}
    assert items["RS03"]["waiver"] == {
        "reason": "本年度原因分析另行专题报送", "approver": "张三（县司法局）", "date": "2025-02-10",
        "expires": FUTURE, "expired": False, "source": "waivers.yaml:3"}
    assert items["RS01"]["waiver"] is None
    assert data["summary"]["waived"] == 1 and data["summary"]["warnings"] == 0
    import json

    sarif = json.loads((clean_env / "out.sarif").read_text(encoding="utf-8"))
    (res,) = sarif["runs"][0]["results"]
    assert res["suppressions"][0]["status"] == "accepted"
    assert "本年度原因分析另行专题报送" in res["suppressions"][0]["justification"]


def test_an_expired_waiver_fails_and_says_so(clean_env: Path) -> None:
    copy(WARNINGS_ONLY, clean_env, "draft.txt")
    waivers = _waivers(clean_env, ("STRUCT-CAUSES", PAST))
    result = cli("lint", *RS, "draft.txt", "--waivers", waivers)
    assert result.code == 1
    diags = {d.id: d for d in parse(result.stdout)}
    expired = diags["WAIVER-EXPIRED"]
    assert (expired.path, expired.line, expired.level) == ("waivers.yaml", 3, "error")
    assert "已于 2001-06-30T23:59:59+08:00 过期" in expired.message and "STRUCT-CAUSES" in expired.message
    assert not diags["STRUCT-CAUSES"].message.startswith("[已豁免]")
    data = cli("lint", *RS, "draft.txt", "--waivers", waivers, "-f", "json").json()
    assert isinstance(data, dict)
    rs03 = next(i for i in data["scorecards"][0]["items"] if i["id"] == "RS03")
    assert rs03["waiver"]["expired"] is True


def test_naive_and_date_only_expiry_are_rejected(clean_env: Path) -> None:
    copy(COMPLETE, clean_env, "report.txt")
    naive = _waivers(clean_env, ("STRUCT-CAUSES", "2099-06-30T23:59:59"))
    result = cli("lint", *RS, "report.txt", "--waivers", naive)
    assert result.code == 2
    assert "waivers.yaml:3" in result.stderr and "没有注明时区" in result.stderr and "+08:00" in result.stderr
    date_only = _waivers(clean_env, ("STRUCT-CAUSES", "2099-06-30"))
    result = cli("lint", *RS, "report.txt", "--waivers", date_only)
    assert result.code == 2 and "只有日期" in result.stderr
    (clean_env / "waivers.yaml").write_text("waivers:\n  - id: LD01\n    reason: x\n", encoding="utf-8")
    missing = cli("lint", *RS, "report.txt", "--waivers", "waivers.yaml")
    assert missing.code == 2 and "缺少必填字段“approver”" in missing.stderr


def test_unused_unknown_and_out_of_scope_waivers(clean_env: Path) -> None:
    copy(WARNINGS_ONLY, clean_env, "draft.txt")
    waivers = _waivers(clean_env, ("STRUCT-TITLE", FUTURE), ("NOPE99", FUTURE))
    result = cli("lint", *RS, "draft.txt", "--waivers", waivers)
    assert result.code == 0
    diags = {d.id: d for d in parse(result.stdout)}
    assert diags["WAIVER-UNUSED"].level == "info" and "STRUCT-TITLE" in diags["WAIVER-UNUSED"].message
    assert diags["WAIVER-UNKNOWN"].level == "warning" and "NOPE99" in diags["WAIVER-UNKNOWN"].message
    scoped = _waivers(clean_env, ("STRUCT-CAUSES", FUTURE), files="final-*.txt")
    result = cli("lint", *RS, "draft.txt", "--waivers", scoped, "--fail-on", "warning")
    assert result.code == 1
    assert not next(d for d in parse(result.stdout) if d.id == "STRUCT-CAUSES").message.startswith("[已豁免]")


def test_waivers_from_the_config_file(clean_env: Path) -> None:
    copy(WARNINGS_ONLY, clean_env, "draft.txt")
    (clean_env / "policy").mkdir()
    _waivers(clean_env / "policy", ("STRUCT-CAUSES", FUTURE))
    (clean_env / "checker.toml").write_text(
        'checklists = ["report-structure"]\nfail-on = "warning"\nwaivers = "policy/waivers.yaml"\n', encoding="utf-8")
    result = cli("lint", "draft.txt")
    assert result.code == 0, result.stdout + result.stderr
    assert parse(result.stdout)[0].message.startswith("[已豁免]")


# ---------------------------------------------------------------------------------------
# Waivers everywhere (issue 15 point 5): check, audit, dashboard, workbook and letters show them


WAIVERS_EVERYWHERE = """\
waivers:
  - id: LD05
    reason: 本县法治督察由市委统一组织
    approver: 李四（县司法局）
    date: "2026-11-20"
    expires: "2099-06-30T23:59:59+08:00"
    files: ["001_*.txt"]
  - id: FN01
    reason: 旧豁免
    approver: 王五
    date: "2025-01-01"
    expires: "2025-06-30T23:59:59+08:00"
"""


def test_check_audit_dashboard_workbook_and_letter_show_waivers(tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVERS_EVERYWHERE, encoding="utf-8")
    ziyang = SEEDS / "001_335ed3547a572491.txt"
    out = cli("check", ziyang, "--waivers", waivers).stdout
    assert "⚑ 已豁免：本县法治督察由市委统一组织" in out and "⚑ 豁免已过期（不再有效）：旧豁免" in out
    missing_part = out[out.index("缺失的必备条目"):]
    assert "LD05" not in missing_part and "FN01" in missing_part  # an expired waiver waives nothing
    card = cli("check", ziyang, "--waivers", waivers, "-f", "json").json()
    by_id = {i["id"]: i for i in card["items"]}
    assert by_id["LD05"]["waiver"]["approver"] == "李四（县司法局）" and not by_id["LD05"]["waiver"]["expired"]
    assert by_id["FN01"]["waiver"]["expired"] is True and by_id["LD01"]["waiver"] is None

    result = cli("audit", SEEDS, "--out", tmp_path / "out", "--waivers", waivers, "--xlsx", tmp_path / "b.xlsx",
                 "--html", tmp_path / "d.html", "--letters", tmp_path / "letters", "--jobs", "1")
    assert result.code == 0, result.stderr
    other = json.loads((tmp_path / "out" / "scorecards" / "000_53e87cc2c0a26054.txt.json").read_text("utf-8"))
    assert next(i for i in other["items"] if i["id"] == "LD05")["waiver"] is None  # files: 001_* only
    book = load_workbook(tmp_path / "b.xlsx")
    row = next(r for r in book["明细"].iter_rows(min_row=2, values_only=True)
               if r[0] == "001_335ed3547a572491.txt" and r[3].startswith("LD05 "))
    assert row[13].startswith("理由：本县法治督察由市委统一组织；批准：李四（县司法局）")
    summary = next(r for r in book["汇总"].iter_rows(min_row=2, values_only=True) if r[0].startswith("001_"))
    assert summary[-1] == 1  # 已豁免条目 (the expired one does not count)
    page = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert "本县法治督察由市委统一组织" in page and "已豁免" in page
    letter = "\n".join(p.text for p in Document(
        str(tmp_path / "letters" / "001_335ed3547a572491.txt-审查意见书.docx")).paragraphs)
    assert "已批准豁免的条目" in letter and "法治督察与法治建设考核：缺失，已经批准豁免" in letter
    assert "法治督察与法治建设考核。" not in letter  # not asked for in the missing items


def test_a_bad_waiver_file_stops_check_and_audit_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "w.yaml"
    bad.write_text("waivers:\n  - id: LD05\n    reason: x\n", encoding="utf-8")
    for args in (("check", SEEDS), ("audit", SEEDS, "--out", tmp_path / "o")):
        result = cli(*args, "--waivers", bad)
        assert result.code == 2 and "豁免文件错误" in result.stderr and "w.yaml:2" in result.stderr

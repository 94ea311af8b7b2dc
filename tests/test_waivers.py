"""Waivers: a waived finding is still evaluated and shown, marked with its reason, and does
not fail the run; an expired waiver is an error of its own."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import cli
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

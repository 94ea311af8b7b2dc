"""pipeline (path -> Report) and the checklist loader (rules/loader), as units."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.document.profile import DocKind
from checker.pipeline import check_file, collect
from checker.rules.checklist import ChecklistError
from checker.rules.loader import load_many
from checker.vocabulary import Level, Status
from tests.conftest import SEED_FILES

PLAN = """某县2024年法治政府建设工作要点

一、深入学习贯彻习近平法治思想，组织开展领导干部学法12次。
二、推进严格规范公正文明执法，全面落实行政执法三项制度。
"""


def test_collect_walks_folders_skipping_notes_and_reports_what_it_cannot(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "r1.txt").write_text("报告", encoding="utf-8")
    (tmp_path / "a" / "README.md").write_text("说明", encoding="utf-8")
    (tmp_path / "a" / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    (tmp_path / "a" / "data.json").write_text("{}", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    named = tmp_path / "a" / "README.md"
    files, errors = collect([tmp_path / "a", named, tmp_path / "empty", tmp_path / "gone.txt"])
    assert files == [tmp_path / "a" / "r1.txt", named]  # a file named directly is always checked
    assert [(Path(e.path).name, e.cause[:4]) for e in errors] == [("empty", "文件夹中"), ("gone.txt", "文件不存")]


def test_check_file_gives_a_report_with_the_given_settings() -> None:
    checklists = load_many([])
    report = check_file(SEED_FILES[1], checklists, level=Level.CITY, year=2022)
    assert (report.profile.level, report.profile.year) == (Level.CITY, 2022)
    assert (report.profile.given_level, report.profile.given_year) == (Level.CITY, 2022)
    assert report.profile.kind == DocKind.ANNUAL_REPORT
    assert len(report.items) == sum(len(lc.checklist.items) for lc in checklists)
    detected = check_file(SEED_FILES[1], checklists)
    assert detected.profile.given_level is None and detected.profile.level is not None


def test_a_plan_covers_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    report = check_file(path, load_many(["gangyao-2021"]))
    assert report.profile.kind == DocKind.PLAN
    assert not report.profile.is_annual_report
    assert all(r.status != Status.COVERED for r in report.items)


def test_the_loader_follows_extends_and_refuses_a_clash(tmp_path: Path) -> None:
    own = tmp_path / "own.yaml"
    own.write_text("""\
extends: report-structure
id: own
title: 本地补充
items:
  - id: OW01
    title: 本地要求
    part: 本地
    ref: 本地文件
    severity: recommended
    hint: 写明本地要求
    detectors:
      - kind: keywords
        any: [本地特色]
    examples: {covered: [开展本地特色工作。], missing: [其他工作。]}
""", encoding="utf-8")
    loaded = load_many([str(own)])
    assert [lc.checklist.id for lc in loaded] == ["report-structure", "own"]
    assert loaded[1].checklist.item("OW01") is not None and loaded[1].compiled.scanner is not None
    clash = tmp_path / "clash.yaml"
    clash.write_text(own.read_text(encoding="utf-8").replace("OW01", "RS01"), encoding="utf-8")
    with pytest.raises(ChecklistError, match="RS01"):
        load_many([str(clash)])


def test_score_file_applies_waivers_on_the_path_it_is_given() -> None:
    import datetime as dt

    from checker.lint.waivers import Waiver
    from checker.scored import score_file

    seed = SEED_FILES[0]
    loaded = load_many([])
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    plain = score_file(seed, loaded)
    assert plain.waivers == {} and not plain.reviews_stale and plain.report.items == plain.machine.items
    item = plain.report.items[0].item.id
    waiver = Waiver(item, "理由", "审批人", dt.date(2024, 12, 1), dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
                    ("audited/*.txt",), "waivers.yaml", 3)
    # The waiver names files by the audit's relative path: it applies when matched on that path only.
    assert score_file(seed, loaded, waivers=[waiver], now=now).waivers == {}
    scored = score_file(seed, loaded, waivers=[waiver], now=now, waiver_path=f"audited/{seed.name}")
    assert list(scored.waivers) == [item] and not scored.waivers[item].expired
    assert scored.card.items[0].waiver is not None and scored.card.items[0].waiver.approver == "审批人"
    with pytest.raises(ValueError, match="now"):
        score_file(seed, loaded, waivers=[waiver])


def test_structure_results_are_explicit_data_lint_only_reads() -> None:
    from checker.lint.diagnostics import lint_report

    content_only = load_many(["gangyao-2021"])
    plain = check_file(SEED_FILES[0], content_only)
    assert plain.structure == ()
    with pytest.raises(ValueError, match="structure=True"):
        lint_report(plain)  # lint never runs a checklist itself
    wanted = check_file(SEED_FILES[0], content_only, structure=True)
    assert sorted(r.item.id for r in wanted.structure) == [f"RS0{k}" for k in range(1, 8)]
    assert wanted.items == plain.items and wanted.score == plain.score  # kept apart: not items, not scored
    assert any(d.id.startswith("STRUCT-") for d in lint_report(wanted))
    # With report-structure among the checklists, its own items are the results: nothing is run apart.
    assert check_file(SEED_FILES[0], load_many([]), structure=True).structure == ()


def test_check_and_audit_share_one_walker(tmp_path: Path) -> None:
    from checker.readers.walk import walk
    from tests.conftest import cli

    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "b.txt").write_text(SEED_FILES[0].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "in" / "a.txt").write_text(SEED_FILES[1].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "in" / "folder.txt").mkdir()  # a folder named like a report: named, not skipped
    (tmp_path / "in" / "NOTICE.txt").write_text("说明", encoding="utf-8")
    found, problems = walk([tmp_path / "in", tmp_path / "in" / "a.txt", tmp_path / "gone", tmp_path / "gone.txt"])
    assert [f.rel for f in found] == ["in/a.txt", "in/folder.txt", "in/sub/b.txt", "a.txt"]
    assert [(p.rel, p.cause) for p in problems] == [(str(tmp_path / "gone"), "文件或文件夹不存在"),
                                                    (str(tmp_path / "gone.txt"), "文件不存在")]
    again, _ = walk([tmp_path / "in" / "a.txt", tmp_path / "in" / "a.txt"])
    assert [f.rel for f in again] == ["a.txt", "2/a.txt"]  # unique keys
    # check and audit both name the folder named like a report and check the rest
    done = cli("check", tmp_path / "in", "-f", "json")
    assert done.code == 3 and "folder.txt" in done.stderr
    assert [Path(c["document"]["path"]).name for c in done.json()] == ["a.txt", "b.txt"]
    out = tmp_path / "out"
    assert cli("audit", tmp_path / "in", "--out", out, "--jobs", "1").code == 3
    import json

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [e["path"] for e in summary["errors"]] == ["folder.txt"]
    assert sorted(r["path"] for r in summary["reports"] if r["status"] == "checked") == ["a.txt", "sub/b.txt"]

"""`checker audit` on a realistic folder: nested copies of the seeds in mixed encodings plus
bad files; resume after a kill gives the same bytes as an uninterrupted run."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from checker.rules.checklist import bundled
from checker.scorecard import json_schema
from tests.conftest import ROOT, SEED_FILES, SEEDS, CliResult, cli

GANGYAO = bundled()["gangyao-2021"]
#: The default checklists once the content checklist exists; until then the structure one.
CL: list[str] = [] if GANGYAO.exists() else ["-c", "report-structure"]
SCHEMA = json.loads(json_schema())

NOTICE = ("关于开展2024年春季义务植树活动的通知\n\n各乡镇、县直各单位：\n为进一步改善生态环境，经研究，决定于3月12日"
          "开展春季义务植树活动。请各单位组织干部职工按时参加，做好安全保障工作。\n\n县绿化委员会办公室\n2024年3月1日\n")
GOOD = 40
BAD = {  # relative path -> expected cause (a fragment of it)
    "bad/binary.txt": "二进制",
    "bad/empty.txt": "文件为空",
    "bad/gone.txt": "不存在",
    "bad/folder.txt": "文件夹",
    "misc/english.txt": "几乎没有中文",
}


def _encoding(i: int) -> str:
    return {1: "gbk", 2: "utf-16", 3: "utf-8-sig"}.get(i % 4, "utf-8")


def make_corpus(root: Path, copies: int = GOOD) -> dict[str, str]:
    """``copies`` seed copies in nested folders and mixed encodings; returns rel path -> encoding."""
    made = {}
    for i in range(copies):
        seed = SEED_FILES[i % len(SEED_FILES)]
        rel = f"region{i % 3}/county{i % 4}/{i:02d}_{seed.stem[:3]}.txt"
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(seed.read_text(encoding="utf-8").encode(_encoding(i)))
        made[rel] = _encoding(i)
    return made


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("audit") / "reports"
    make_corpus(root)
    bad = root / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "empty.txt").write_bytes(b"")
    (bad / "gone.txt").symlink_to(root / "nowhere" / "missing.txt")  # dangling: unreadable even as root
    (bad / "folder.txt").mkdir()
    (root / "misc").mkdir()
    (root / "misc" / "english.txt").write_text("This is just an English readme file.\n", encoding="utf-8")
    (root / "misc" / "tongzhi.txt").write_text(NOTICE, encoding="utf-8")
    (root / "misc" / ".hidden.txt").write_text(NOTICE, encoding="utf-8")
    (root / "misc" / "data.json").write_text("{}", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def audited(corpus: Path) -> tuple[Path, CliResult]:
    out = corpus.parent / "out"
    result = cli("audit", corpus, "--out", out, "--jobs", "2", "--html", out / "dashboard.html", *CL)
    return out, result


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_every_good_report_gets_a_scorecard_and_bad_files_are_error_rows(corpus: Path, audited: tuple[Path, CliResult]) -> None:
    out, result = audited
    assert result.code == 3, result.stderr  # ExitCode.INPUT: some inputs failed, summary still written
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["schema"] == "checker.audit-summary/1"
    rows = {r["path"]: r for r in summary["reports"]}
    assert [r["path"] for r in summary["reports"]] == sorted(rows)
    good = [p for p in rows if p.startswith("region")]
    assert len(good) == GOOD
    assert len(rows) == GOOD + len(BAD) + 1  # + the notice
    assert ".hidden.txt" not in "".join(rows) and "data.json" not in "".join(rows)
    for rel in good:
        row = rows[rel]
        assert row["status"] == "checked" and row["error"] is None
        card_path = out / "scorecards" / f"{rel}.json"
        assert row["scorecard"] == f"scorecards/{rel}.json"
        card = json.loads(card_path.read_text(encoding="utf-8"))
        jsonschema.validate(card, SCHEMA)
        assert card["document"]["path"] == rel
        assert card["summary"]["score"] == row["score"]
        assert card["summary"]["missing_required"] == row["missing_required"]
        assert row["body"] and row["year"] and row["is_annual_report"] is True
    encodings = {json.loads((out / "scorecards" / f"{r}.json").read_text(encoding="utf-8"))["document"]["encoding"]
                 for r in good}
    assert {"utf-8", "gb18030", "utf-16", "utf-8-bom"} <= encodings
    # Copies of one seed score the same whatever their encoding.
    by_seed: dict[str, set[float]] = {}
    for rel in good:
        by_seed.setdefault(rel[-7:], set()).add(rows[rel]["score"])
    assert all(len(scores) == 1 for scores in by_seed.values())
    for rel, cause in BAD.items():
        assert rows[rel]["status"] == "error" and cause in rows[rel]["error"], rows[rel]
        assert rows[rel]["scorecard"] is None
    assert {e["path"] for e in summary["errors"]} == set(BAD)
    notice = rows["misc/tongzhi.txt"]
    assert notice["status"] == "checked" and notice["is_annual_report"] is False
    totals = summary["totals"]
    assert (totals["files"], totals["checked"], totals["errors"], totals["not_annual_report"]) == (
        GOOD + len(BAD) + 1, GOOD + 1, len(BAD), 1)
    assert sorted(p.relative_to(out / "scorecards").as_posix()
                  for p in (out / "scorecards").rglob("*.json")) == sorted(f"{r}.json" for r in [*good, "misc/tongzhi.txt"])


def test_summary_ranks_reports_and_counts_the_most_missed_items(audited: tuple[Path, CliResult]) -> None:
    out, result = audited
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    checked = [r for r in summary["reports"] if r["status"] == "checked"]
    best = max(r["score"] for r in checked)
    assert {r["rank"] for r in checked if r["score"] == best} == {1}
    for a in checked:
        for b in checked:
            if a["score"] > b["score"]:
                assert a["rank"] < b["rank"]
    missed = summary["most_missed"]
    assert [(-m["missing"], -m["partial"], m["id"]) for m in missed] == sorted(
        (-m["missing"], -m["partial"], m["id"]) for m in missed)
    per_checklist = Counter(r["checklist"] for r in checked)  # each report counts for its own period's items
    for m in missed:
        n = len(checked) if m["checklist"] == "report-structure" else per_checklist[m["checklist"]]
        assert m["covered"] + m["partial"] + m["missing"] + m["not_applicable"] == n
    rs01 = next(m for m in missed if m["id"] == "RS01")
    assert rs01["missing"] == sum("RS01" in r["missing_required"] for r in checked)
    assert summary["totals"]["counts"]["covered"] == sum(r["counts"]["covered"] for r in checked)
    # The end-of-run summary on screen: top missed required items, lowest scores, errors.
    assert "缺失最多的必备条目" in result.stdout and "得分最低的报告" in result.stdout
    assert "bad/binary.txt" in result.stdout
    lowest = min(checked, key=lambda r: (r["score"], r["path"]))
    assert lowest["path"] in result.stdout


def test_summary_csv_opens_in_excel(audited: tuple[Path, CliResult]) -> None:
    out, _ = audited
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [r["文件"] for r in rows] == [r["path"] for r in summary["reports"]]
    first = next(r for r in rows if r["状态"] == "已检查")
    row = next(r for r in summary["reports"] if r["path"] == first["文件"])
    assert float(first["得分"]) == row["score"] and first["单位"] == row["body"]
    assert first["缺失的必备条目"] == " ".join(row["missing_required"])
    assert any(h.startswith("部分得分：") for h in rows[0])
    errors = {r["文件"]: r["错误原因"] for r in rows if r["状态"] == "错误"}
    assert set(errors) == set(BAD) and "文件为空" in errors["bad/empty.txt"]


def test_resume_on_a_finished_audit_reuses_everything_and_changes_nothing(corpus: Path, audited: tuple[Path, CliResult]) -> None:
    out, _ = audited
    before = _files(out)
    result = cli("audit", corpus, "--out", out, "--jobs", "1", "--resume", "--html", out / "dashboard.html", *CL)
    assert result.code == 3
    assert result.stderr.count("沿用") == GOOD + 1 and "已检查 " not in result.stderr
    assert _files(out) == before


def test_kill_then_resume_gives_byte_identical_outputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    make_corpus(src, 60)
    reference = tmp_path / "ref"
    assert cli("audit", src, "--out", reference, "--jobs", "2", "--html", reference / "d.html", *CL).code == 0

    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "checker", "audit", str(src), "--out", str(out), "--jobs", "1",
         "--html", str(out / "d.html"), *CL],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list((out / "scorecards").rglob("*.json"))) >= 5:
                break
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    partial = list((out / "scorecards").rglob("*.json"))
    assert 5 <= len(partial) < 60, "the audit was not interrupted halfway"
    assert not (out / "summary.json").exists()
    for card in partial:  # only complete files
        json.loads(card.read_text(encoding="utf-8"))
    # What a kill during a write would leave behind: a temporary file beside the target.
    (partial[0].parent / f".{partial[0].name}.x1y2.tmp").write_text("{", encoding="utf-8")

    resumed = cli("audit", src, "--out", out, "--jobs", "2", "--resume", "--html", out / "d.html", *CL)
    assert resumed.code == 0, resumed.stderr
    assert resumed.stderr.count("沿用") >= 5
    assert _files(out) == _files(reference)


def test_resume_rechecks_changed_reports_and_prunes_removed_ones(tmp_path: Path) -> None:
    src = tmp_path / "in"
    made = make_corpus(src, 4)
    out = tmp_path / "out"
    assert cli("audit", src, "--out", out, "--jobs", "1", *CL).code == 0
    first, second = sorted(made)[:2]
    changed = src / first
    changed.write_bytes(changed.read_bytes() + "\n补充说明。\n".encode(made[first]))
    (src / second).unlink()
    result = cli("audit", src, "--out", out, "--jobs", "1", "--resume", *CL)
    assert result.code == 0
    assert f"已检查 {first}" in result.stderr and result.stderr.count("沿用") == 2
    assert not (out / "scorecards" / f"{second}.json").exists()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert second not in {r["path"] for r in summary["reports"]}
    # Another --year: nothing is reused, every scorecard records the override.
    result = cli("audit", src, "--out", out, "--jobs", "1", "--resume", "--year", "2022", *CL)
    assert "沿用" not in result.stderr
    assert {r["year"] for r in json.loads((out / "summary.json").read_text(encoding="utf-8"))["reports"]} == {2022}


def test_resume_matches_the_settings_recorded_as_data_not_the_reason_text(tmp_path: Path) -> None:
    src = tmp_path / "in"
    make_corpus(src, 3)
    out = tmp_path / "out"
    assert cli("audit", src, "--out", out, "--jobs", "1", "--level", "county", *CL).code == 0
    cards = sorted((out / "scorecards").rglob("*.json"))
    assert len(cards) == 3
    for card in cards:
        data = json.loads(card.read_text(encoding="utf-8"))
        assert data["settings"] == {"level": "county", "year": None}
        # Rewording the reasons a reader sees must not change what --resume decides.
        data["document"]["level_reason"] = data["document"]["year_reason"] = "改写过的说明"
        card.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    same = cli("audit", src, "--out", out, "--jobs", "1", "--resume", "--level", "county", *CL)
    assert same.code == 0 and same.stderr.count("沿用") == 3, same.stderr
    other = cli("audit", src, "--out", out, "--jobs", "1", "--resume", *CL)
    assert other.code == 0 and "沿用" not in other.stderr, other.stderr
    for card in sorted((out / "scorecards").rglob("*.json")):
        assert json.loads(card.read_text(encoding="utf-8"))["settings"] == {"level": None, "year": None}


def test_include_exclude_and_several_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    make_corpus(a, 6)
    make_corpus(b, 3)
    out = tmp_path / "out"
    result = cli("audit", a, b, "--out", out, "--include", "region0/*", "--exclude", "*county3*", *CL)
    assert result.code == 0, result.stderr
    paths = [r["path"] for r in json.loads((out / "summary.json").read_text(encoding="utf-8"))["reports"]]
    assert paths == ["a/region0/county0/00_000.txt", "b/region0/county0/00_000.txt"]
    assert (out / "scorecards" / "b" / "region0" / "county0" / "00_000.txt.json").is_file()


def test_missing_or_empty_folders_are_errors_but_the_summary_is_written(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    result = cli("audit", empty, tmp_path / "nope", "--out", out, *CL)
    assert result.code == 3
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    causes = {e["path"]: e["cause"] for e in summary["errors"]}
    assert "没有可检查的报告" in causes[str(empty)] and "不存在" in causes[str(tmp_path / "nope")]
    assert summary["totals"]["checked"] == 0


def test_a_bad_checklist_is_a_usage_error(tmp_path: Path) -> None:
    result = cli("audit", tmp_path, "--out", tmp_path / "out", "-c", "no-such-checklist")
    assert result.code == 2 and "清单" in result.stderr


def test_no_output_is_written_outside_the_output_folder(tmp_path: Path) -> None:
    """Symlinked folders, odd names and several input roots still write only under OUTDIR."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SEED_FILES[0].read_text(encoding="utf-8"), encoding="utf-8")
    reports = tmp_path / "reports"
    (reports / "a").mkdir(parents=True)
    (reports / "a" / "..报告 (1).txt").write_text(SEED_FILES[1].read_text(encoding="utf-8"), encoding="utf-8")
    (reports / "a" / "x..y.txt").write_text(SEED_FILES[2].read_text(encoding="utf-8"), encoding="utf-8")
    (reports / "link").symlink_to(outside)
    (reports / "a" / "up.txt").symlink_to("../../outside/secret.txt")
    before = set(tmp_path.rglob("*"))
    out = tmp_path / "out"
    result = cli("audit", reports, SEED_FILES[3], "--out", out, "--jobs", "1")
    assert result.code in (0, 3), result.stderr
    created = set(tmp_path.rglob("*")) - before
    assert created, "the audit wrote nothing"
    assert all(p == out or out in p.parents for p in created), sorted(map(str, created - {out}))
    assert (outside / "secret.txt").read_text(encoding="utf-8") == SEED_FILES[0].read_text(encoding="utf-8")


def test_streamed_summary_is_exactly_the_documented_format(audited: tuple[Path, CliResult]) -> None:
    """summary.json is written row by row from disk; it must equal the Summary model's own JSON."""
    from checker.audit.summary import Summary
    from checker.scorecard import dumps

    out = audited[0]
    text = (out / "summary.json").read_text(encoding="utf-8")
    model = Summary.model_validate_json(text)
    assert len(model.reports) == model.totals.files
    assert dumps(model.model_dump(mode="json", by_alias=True)) == text
    assert not list(out.glob(".*.tmp")), "the spooled rows are removed"


def test_scorecards_are_synced_once_before_the_summary_not_one_by_one(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: no fsync per scorecard; one sync, after every scorecard and before the summary."""
    src, out = tmp_path / "in", tmp_path / "out"
    make_corpus(src, 8)
    fsynced: list[int] = []
    synced: list[tuple[int, bool]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        fsynced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "sync", lambda: synced.append(
        (len(list((out / "scorecards").rglob("*.json"))), (out / "summary.json").exists())))
    result = cli("audit", src, "--out", out, "--jobs", "1", "--html", out / "d.html", *CL)
    assert result.code == 0, result.stderr
    assert synced == [(8, False)]  # once: all 8 scorecards in place, no summary yet
    assert len(fsynced) == 3  # summary.json, summary.csv and the dashboard only


def test_resume_rechecks_a_scorecard_a_system_crash_left_empty(tmp_path: Path) -> None:
    """What docs/audit.md says a crash before the final sync can leave: an empty scorecard, checked again."""
    src, reference, out = tmp_path / "in", tmp_path / "ref", tmp_path / "out"
    make_corpus(src, 6)
    assert cli("audit", src, "--out", reference, "--jobs", "1", *CL).code == 0
    assert cli("audit", src, "--out", out, "--jobs", "1", *CL).code == 0
    emptied = sorted((out / "scorecards").rglob("*.json"))[2]
    emptied.write_bytes(b"")
    (out / "summary.json").unlink()
    resumed = cli("audit", src, "--out", out, "--jobs", "1", "--resume", *CL)
    assert resumed.code == 0, resumed.stderr
    assert resumed.stderr.count("沿用") == 5, resumed.stderr
    assert _files(out) == _files(reference)


def test_an_audit_spanning_two_periods_groups_reports_by_checklist(tmp_path: Path) -> None:
    """Seed 003 is on 2020 (gangyao-2015), the others on 2023–2024 (gangyao-2021): the summary, the
    dashboard and the workbook keep them apart, each group with its own parts."""
    import openpyxl

    out, board, book = tmp_path / "out", tmp_path / "看板.html", tmp_path / "汇总.xlsx"
    result = cli("audit", SEEDS, "--out", out, "--html", board, "--xlsx", book, "-j", "1")
    assert result.code == 0, result.stderr
    assert "报告分属 2 个纲要时期：gangyao-2015 1 份，gangyao-2021 4 份" in result.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    groups = [(g["checklist"], g["reports"], g["years"]) for g in summary["groups"]]
    assert groups == [("gangyao-2015", 1, "2016—2020年度"), ("gangyao-2021", 4, "2021—2025年度")]
    assert "一、组织保障和落实机制" in summary["groups"][0]["parts"]
    assert "一、党的领导与推进机制" not in summary["groups"][0]["parts"]
    assert {r["path"]: r["checklist"] for r in summary["reports"]}["003_9b77debbcb7cfcd8.txt"] == "gangyao-2015"
    stats = {(s["checklist"], s["id"]): s for s in summary["most_missed"]}
    assert stats[("gangyao-2015", "LD02")]["covered"] == 1  # shared ids are counted per checklist
    assert stats[("gangyao-2021", "LD02")]["covered"] + stats[("gangyao-2021", "LD02")]["missing"] == 4
    assert ("gangyao-2021", "GF01") not in stats and stats[("gangyao-2015", "GF01")]["missing"] == 1
    page = board.read_text(encoding="utf-8")
    assert page.count('<table class="heat"') == 2 and 'id="heatmap-2"' in page
    first, second = page.split('id="heatmap-2"')
    assert "003_9b77debbcb7cfcd8.txt" in first and "001_335ed3547a572491.txt" not in first
    assert "001_335ed3547a572491.txt" in second.split('<section id="detail"')[0]
    sheet = openpyxl.load_workbook(book)["汇总"]
    rows = list(sheet.iter_rows(values_only=True))
    col = rows[0].index("清单")
    assert rows[0][col + 1:] == ("已复核条目", "已豁免条目")
    assert [(r[0], r[col]) for r in rows[1:3]] == [("003_9b77debbcb7cfcd8.txt", "gangyao-2015"),
                                                   ("000_53e87cc2c0a26054.txt", "gangyao-2021")]
    again = cli("audit", SEEDS, "--out", out, "--resume", "-j", "1")
    assert again.code == 0
    assert again.stderr.count("沿用") == 5, again.stderr  # each card matches the checklists of its own year


@pytest.mark.skipif("forkserver" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="the workers start from a fork server only where there is one")
def test_workers_run_this_checker_not_a_checker_package_in_the_working_folder(tmp_path: Path) -> None:
    # Run from a folder holding another `checker` package (a source tree, a copy, someone's folder), the fork
    # server imported that one: the workers of an installed (compiled) checker ran the folder's code instead.
    src = tmp_path / "reports"
    make_corpus(src, 4)
    here = tmp_path / "work"
    marker = tmp_path / "foreign-code-ran"
    (here / "checker").mkdir(parents=True)
    (here / "checker" / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    launcher = tmp_path / "bin" / "run_checker.py"  # like the installed console script: not run with -m
    launcher.parent.mkdir()
    launcher.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom checker.cli import main\n"
                        "if __name__ == '__main__':\n    sys.exit(main())\n", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(launcher), "audit", str(src), "--out", str(out), "--jobs", "2", *CL],
                          cwd=here, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["checked"] == 4 and summary["totals"]["errors"] == 0

"""The reviewer's loop as a user runs it: audit with --xlsx, type a verdict into 明细, import it,
re-run with --reviews, and measure the checker against the verdicts with eval --gold."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from tests.conftest import SEED_FILES, SEEDS, cli

ZIYANG = "001_335ed3547a572491.txt"


def _type_verdict(book: Path, target: Path, item: str, verdict: str, note: str, reviewer: str,
                  file: str = ZIYANG) -> None:
    """What a reviewer does in Excel: fill 复核结论, 复核说明, 复核人 on one row of 明细."""
    wb = load_workbook(book)
    sheet = wb["明细"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in header}
    for row in sheet.iter_rows(min_row=2):
        if Path(row[col["文件"]].value).name == file and row[col["条目"]].value.startswith(item + " "):
            row[col["复核结论"]].value = verdict
            row[col["复核说明"]].value = note
            row[col["复核人"]].value = reviewer
            break
    else:
        raise AssertionError(f"no row for {file} {item}")
    wb.save(target)


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An audit of the seeds with --xlsx, one verdict typed in and imported: the reviews file."""
    base = tmp_path_factory.mktemp("review")
    result = cli("audit", SEEDS, "--out", base / "out", "--xlsx", base / "汇总表.xlsx", "--jobs", "1")
    assert result.code == 0, result.stderr
    _type_verdict(base / "汇总表.xlsx", base / "back.xlsx", "LD05", "已覆盖", "第9段写明县委开展法治督察", "张三")
    result = cli("reviews", "import", base / "back.xlsx", "-o", base / "reviews.yaml", "--date", "2026-12-01")
    assert result.code == 0, result.stderr
    assert "已导入 1 条复核结论（1 份报告）" in result.stdout
    return base / "reviews.yaml"


def test_import_writes_the_gold_format_with_reviewer_date_and_sha256(reviewed: Path) -> None:
    data = yaml.safe_load(reviewed.read_text(encoding="utf-8"))
    assert data["format"] == "checker.reviews/1"
    doc = data["documents"][ZIYANG]
    assert doc["sha256"] == "91b43a82e7e91e1afbf67fe1053b0b7abe2752dc302cd477d119c48c38af6a75"
    assert doc["items"] == {"LD05": {"status": "covered", "note": "第9段写明县委开展法治督察", "reviewer": "张三",
                                     "date": "2026-12-01"}}


def test_check_with_reviews_takes_the_reviewers_status_and_keeps_the_machines(reviewed: Path) -> None:
    plain = cli("check", SEEDS / ZIYANG, "-f", "json").json()
    result = cli("check", SEEDS / ZIYANG, "-f", "json", "--reviews", reviewed)
    assert result.code == 0, result.stderr
    card = result.json()
    ld05 = next(i for i in card["items"] if i["id"] == "LD05")
    assert ld05["status"] == "covered" and ld05["machine_status"] == "missing" and ld05["found"] == "missing"
    assert ld05["review"] == {"status": "covered", "reason": "第9段写明县委开展法治督察", "reviewer": "张三",
                              "date": "2026-12-01"}
    assert card["summary"]["counts"]["covered"] == plain["summary"]["counts"]["covered"] + 1
    assert "LD05" not in card["summary"]["missing_required"]
    assert card["summary"]["score"] > plain["summary"]["score"]
    others = [i for i in card["items"] if i["id"] != "LD05"]
    assert all(i["review"] is None and i["machine_status"] is None for i in others)


def test_terminal_marks_the_reviewed_item(reviewed: Path) -> None:
    out = cli("check", SEEDS / ZIYANG, "--reviews", reviewed).stdout
    line = next(line for line in out.splitlines() if "LD05" in line and "法治督察" in line)
    assert line.startswith("✔") and "复核" in out and "张三" in out


def test_eval_measures_the_machine_against_the_verdicts(reviewed: Path) -> None:
    result = cli("eval", "--gold", reviewed, SEEDS, "-f", "json")
    assert result.code == 0, result.stderr
    ev = result.json()
    assert ev["documents_evaluated"] == 1
    assert ev["counts"] == {"tp": 0, "fp": 0, "fn": 1, "tn": 0, "agree": 0, "present": 1}
    assert [(d["document"], d["item"], d["expected"], d["got"]) for d in ev["disagreements"]] == [
        (ZIYANG, "LD05", "covered", "missing")]


def test_a_renamed_copy_still_matches_and_a_changed_report_marks_reviews_stale(reviewed: Path,
                                                                              tmp_path: Path) -> None:
    renamed = tmp_path / "紫阳县报告.txt"
    shutil.copy(SEEDS / ZIYANG, renamed)
    card = cli("check", renamed, "-f", "json", "--reviews", reviewed).json()
    assert next(i for i in card["items"] if i["id"] == "LD05")["status"] == "covered"
    changed = tmp_path / ZIYANG
    changed.write_text((SEEDS / ZIYANG).read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    result = cli("check", changed, "-f", "json", "--reviews", reviewed)
    card = result.json()
    assert card["document"]["reviews_stale"] is True
    assert next(i for i in card["items"] if i["id"] == "LD05")["status"] == "missing"
    assert "另一版本" in result.stderr and "重新复核" in result.stderr
    ev = cli("eval", "--gold", reviewed, changed, "-f", "json").json()
    assert ev["documents_evaluated"] == 0 and any("另一版本" in w for w in ev["warnings"])


def test_audit_with_reviews_marks_scorecards_workbook_and_dashboard(reviewed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("audit", SEEDS, "--out", out, "--reviews", reviewed, "--xlsx", tmp_path / "b.xlsx",
                 "--html", tmp_path / "d.html", "--jobs", "1")
    assert result.code == 0, result.stderr
    assert "已采用复核结论 1 条" in result.stdout
    card = json.loads((out / "scorecards" / f"{ZIYANG}.json").read_text(encoding="utf-8"))
    assert next(i for i in card["items"] if i["id"] == "LD05")["review"]["reviewer"] == "张三"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [r["reviewed"] for r in summary["reports"]] == [0, 1, 0, 0, 0]
    detail = list(load_workbook(tmp_path / "b.xlsx")["明细"].iter_rows(min_row=2, values_only=True))
    row = next(r for r in detail if r[0] == ZIYANG and r[3].startswith("LD05 "))
    assert row[6:12] == ("已覆盖（已复核）", row[7], row[8], "已覆盖", "第9段写明县委开展法治督察", "张三")
    assert row[12] == "缺失"  # 机器判定
    summary_row = next(r for r in load_workbook(tmp_path / "b.xlsx")["汇总"].iter_rows(min_row=2, values_only=True)
                       if r[0] == ZIYANG)
    assert summary_row[-2] == 1  # 已复核条目
    page = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert '"reviewer":"张三"' in page.replace(" ", "") and "已复核" in page
    row = next(line for line in page.splitlines() if f'data-path="{ZIYANG}"' in line)
    assert '<span class="badge" title="1 个条目以复核结论为准">已复核 1</span>' in row
    assert "已复核" not in next(line for line in page.splitlines() if f'data-path="{SEED_FILES[0].name}"' in line)
    # the reviews file changes: --resume re-applies it to the reused scorecards
    empty = tmp_path / "none.yaml"
    empty.write_text("format: checker.reviews/1\ndocuments:\n  other.txt: {}\n", encoding="utf-8")
    assert cli("audit", SEEDS, "--out", out, "--reviews", empty, "--resume", "--jobs", "1").code == 0
    card = json.loads((out / "scorecards" / f"{ZIYANG}.json").read_text(encoding="utf-8"))
    ld05 = next(i for i in card["items"] if i["id"] == "LD05")
    assert ld05["status"] == "missing" and ld05["review"] is None


def test_reimport_replaces_a_verdict_and_rows_without_reviewer_are_refused(reviewed: Path, tmp_path: Path) -> None:
    target = tmp_path / "reviews.yaml"
    shutil.copy(reviewed, target)
    book = tmp_path / "b.xlsx"
    assert cli("check", SEEDS, "--xlsx", book, "--reviews", target, "-f", "json").code == 0
    _type_verdict(book, book, "LD05", "部分覆盖", "只写了计划", "李四")
    _type_verdict(book, book, "LD06", "缺失", "", "", file=SEED_FILES[0].name)
    _type_verdict(book, book, "LD07", "差不多", "", "王五", file=SEED_FILES[0].name)
    result = cli("reviews", "import", book, "-o", target, "--date", "2026-12-02")
    assert result.code == 0
    assert "没有填写复核人" in result.stderr and "“差不多”应为 已覆盖 / 部分覆盖 / 缺失 / 不适用 之一" in result.stderr
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert list(data["documents"]) == [ZIYANG]
    assert data["documents"][ZIYANG]["items"]["LD05"] == {"status": "partial", "note": "只写了计划",
                                                          "reviewer": "李四", "date": "2026-12-02"}


def test_bad_workbook_and_bad_reviews_file_are_one_line_errors(tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    result = cli("reviews", "import", junk, "-o", tmp_path / "r.yaml")
    assert result.code == 2 and "不是有效的 Excel 工作簿" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "r.yaml").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: checker.reviews/1\ndocuments:\n  a.txt:\n    items:\n      LD05: {status: 好}\n",
                   encoding="utf-8")
    result = cli("check", SEEDS / ZIYANG, "--reviews", bad)
    assert result.code == 2 and "复核文件错误" in result.stderr and "bad.yaml:5" in result.stderr


def test_lint_follows_the_verdict_and_warns_when_it_is_stale(reviewed: Path, tmp_path: Path) -> None:
    plain = cli("lint", SEEDS / ZIYANG, "-f", "json", "--no-config").json()
    assert any(d["id"] == "LD05" for d in plain["diagnostics"])
    result = cli("lint", SEEDS / ZIYANG, "-f", "json", "--no-config", "--reviews", reviewed)
    assert not any(d["id"] == "LD05" for d in result.json()["diagnostics"])
    changed = tmp_path / ZIYANG
    changed.write_text((SEEDS / ZIYANG).read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    result = cli("lint", changed, "-f", "text", "--no-config", "--reviews", reviewed)
    assert f"{changed}:1:1: warning REVIEW-STALE" in result.stdout
    assert "LD05" in result.stdout


def test_diff_follows_the_verdicts(reviewed: Path, tmp_path: Path) -> None:
    assert cli("audit", SEEDS, "--out", tmp_path / "old", "--jobs", "1").code == 0
    assert cli("audit", SEEDS, "--out", tmp_path / "new", "--jobs", "1", "--reviews", reviewed).code == 0
    result = cli("diff", tmp_path / "old", tmp_path / "new", "-f", "json")
    pair = next(p for p in result.json()["pairs"] if p["new"]["path"] == ZIYANG)
    assert [(c["id"], c["old"], c["new"], c["reviewed"]) for c in pair["newly_covered"]] == [
        ("LD05", "missing", "covered", True)]
    assert "（含复核结论）" in cli("diff", tmp_path / "old", tmp_path / "new").stdout
    both = cli("diff", tmp_path / "old", tmp_path / "new", "-f", "json", "--reviews", reviewed).json()
    assert all(not p["newly_covered"] and not p["newly_missing"] for p in both["pairs"])


def test_letter_follows_the_verdict(reviewed: Path, tmp_path: Path) -> None:
    from docx import Document

    plain, after = tmp_path / "plain.docx", tmp_path / "reviewed.docx"
    assert cli("letter", SEEDS / ZIYANG, "-o", plain).code == 0
    assert cli("letter", SEEDS / ZIYANG, "-o", after, "--reviews", reviewed).code == 0
    text = ["\n".join(p.text for p in Document(str(f)).paragraphs) for f in (plain, after)]
    assert "法治督察与法治建设考核。" in text[0] and "法治督察与法治建设考核。" not in text[1]
    assert "其中 1 个条目的结论经人工复核确定" in text[1]


def test_control_characters_in_notes_never_reach_the_terminal(tmp_path: Path) -> None:
    reviews = tmp_path / "r.yaml"
    reviews.write_text('format: checker.reviews/1\ndocuments:\n  002_43717beec33bc72e.txt:\n    items:\n'
                       '      LD04: {status: partial, note: "述法\\x01只在\\u202e计划中\\x1b[31m红", '
                       'reviewer: "王\\x1b]0;x\\x07五"}\n', encoding="utf-8")
    waivers = tmp_path / "w.yaml"
    waivers.write_text('waivers:\n  - {id: LD05, reason: "理由\\x1b[2J", approver: "李\\x9b四", date: "2026-01-01", '
                       'expires: "2099-01-01T00:00:00+08:00"}\n', encoding="utf-8")
    result = cli("check", SEEDS / "002_43717beec33bc72e.txt", "--reviews", reviews, "--waivers", waivers)
    assert result.code == 0, result.stderr
    flat = re.sub(r"\n *", "", result.stdout)
    # whole escape sequences go, not only their ESC (checker.text.sanitize)
    assert "说明：述法只在计划中红" in flat and "王五" in flat
    assert "理由" in flat and "[2J" not in flat and "李四" in flat
    assert not any(c in result.stdout for c in "\x1b\x07\x01\x9b\u202e")


def test_two_reports_of_one_file_name_in_one_workbook_keep_their_own_verdicts(tmp_path: Path) -> None:
    for folder, seed in (("甲", SEEDS / ZIYANG), ("乙", SEED_FILES[0])):
        (tmp_path / "reports" / folder).mkdir(parents=True)
        shutil.copy(seed, tmp_path / "reports" / folder / "报告.txt")
    book = tmp_path / "b.xlsx"
    assert cli("audit", tmp_path / "reports", "--out", tmp_path / "out", "--xlsx", book, "--jobs", "1").code == 0
    wb = load_workbook(book)
    sheet = wb["明细"]
    for path, item, verdict, note, who in (("甲/报告.txt", "LD05", "已覆盖", "甲的说明", "张三"),
                                           ("乙/报告.txt", "LD07", "部分覆盖", "乙的说明", "李四")):
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == path and r[3].value.startswith(item + " "))
        row[9].value, row[10].value, row[11].value = verdict, note, who
    wb.save(book)
    result = cli("reviews", "import", book, "-o", tmp_path / "r.yaml")
    assert "已导入 2 条复核结论（2 份报告）" in result.stdout and "已作废" not in result.stderr
    cards = {p: cli("check", tmp_path / "reports" / p, "-f", "json", "--reviews", tmp_path / "r.yaml").json()
             for p in ("甲/报告.txt", "乙/报告.txt")}
    reviewed = {p: [(i["id"], i["review"]["reason"]) for i in c["items"] if i["review"]] for p, c in cards.items()}
    assert reviewed == {"甲/报告.txt": [("LD05", "甲的说明")], "乙/报告.txt": [("LD07", "乙的说明")]}


def test_audit_of_a_changed_report_says_its_reviews_are_stale(reviewed: Path, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / ZIYANG).write_text((SEEDS / ZIYANG).read_text(encoding="utf-8") + "\n补充。\n",
                                          encoding="utf-8")
    result = cli("audit", tmp_path / "in", "--out", tmp_path / "out", "--reviews", reviewed, "--html",
                 tmp_path / "d.html", "--jobs", "1")
    assert result.code == 0, result.stderr
    assert f"注意：{ZIYANG} 已修改，原复核结论未采用，请重新复核" in result.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["reports"][0]["reviews_stale"] is True and summary["reports"][0]["reviewed"] == 0
    assert "复核已过时" in (tmp_path / "d.html").read_text(encoding="utf-8")

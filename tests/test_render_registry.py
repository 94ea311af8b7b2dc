"""The formatter registry: every command's formats behind one signature, and the CLI's choices from it."""

from __future__ import annotations

import importlib
import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from openpyxl import load_workbook

from checker.accuracy import evaluate_paths
from checker.audit.command import run_audit
from checker.audit.options import AuditOptions
from checker.cards import card_data
from checker.diff import diff
from checker.lint.command import FORMATS
from checker.lint.diagnostics import Policy, lint
from checker.pipeline import ChecklistSet, check_file
from checker.render.registry import (
    FORMATTERS,
    AuditResult,
    ChecklistsResult,
    CheckResult,
    ExamplesResult,
    ItemsResult,
    LetterResult,
    Output,
    Target,
    get,
    help_of,
    names,
)
from checker.rules.examples import run_examples
from checker.rules.loader import load_many
from checker.scorecard import dumps, scorecard
from tests.conftest import ROOT, SEED_FILES, cli


def _text(command: str, name: str, result: object, color: bool = False) -> str:
    buffer = io.StringIO()
    get(command, name).format(result, Output(buffer, width=100, color=color))
    return buffer.getvalue()


def test_every_registered_formatter_resolves_to_a_function() -> None:
    seen = set()
    for f in FORMATTERS:
        assert (f.command, f.name) not in seen
        seen.add((f.command, f.name))
        assert callable(getattr(importlib.import_module(f.module), f.function)), f
        assert f.help
    assert names("check") == ("rich", "json")
    assert names("check", Target.FILE) == ("xlsx",)
    assert names("audit", Target.FILE) == ("html", "xlsx")
    assert ("auto", *names("lint")) == FORMATS
    with pytest.raises(ValueError, match="未知的输出格式"):
        get("check", "xml")


def test_check_formatters_on_a_seed() -> None:
    report = check_file(SEED_FILES[0], load_many([]))
    result = CheckResult([report], [card_data(report)], single=True)
    card = json.loads(_text("check", "json", result))
    assert card["schema"] == "checker.scorecard/1" and card["document"]["path"] == str(SEED_FILES[0])
    rich = _text("check", "rich", result)
    assert "得分" in rich and "\x1b[" not in rich
    assert "\x1b[" in _text("check", "rich", result, color=True)


def test_lint_formatters_on_the_seeds() -> None:
    result = lint(SEED_FILES[:2], load_many([]), Policy())
    text = _text("lint", "text", result)
    assert text.startswith(str(SEED_FILES[0])) and "\x1b[" not in text
    assert json.loads(_text("lint", "json", result))["schema"] == "checker.lint/1"
    assert json.loads(_text("lint", "sarif", result))["version"] == "2.1.0"
    assert ET.fromstring(_text("lint", "junit", result)).tag == "testsuites"
    assert _text("lint", "github", result).startswith("::")


def test_eval_and_diff_formatters(tmp_path: Path) -> None:
    ev = evaluate_paths(ROOT / "seeds" / "gold.yaml", [ROOT / "seeds"], load_many([]))
    assert "f1" in json.dumps(json.loads(_text("eval", "json", ev)))
    assert "F1" in _text("eval", "rich", ev)
    cards = []
    for k, seed in enumerate(SEED_FILES[:2]):
        path = tmp_path / f"{k}.json"
        path.write_text(dumps(scorecard(check_file(seed, load_many([]))).model_dump(mode="json", by_alias=True)),
                        encoding="utf-8")
        cards.append(path)
    result = diff(cards[0], cards[1])
    assert json.loads(_text("diff", "json", result))["schema"] == "checker.diff/1"
    assert "得分" in _text("diff", "rich", result)


def test_the_cli_offers_the_registry_formats_and_refuses_others() -> None:
    bad = cli("check", SEED_FILES[0], "--format", "xml")
    assert bad.code == 2
    for name in names("check"):
        assert name in bad.stderr


def test_a_formatter_is_called_only_with_its_own_signature(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="not a file"):
        get("check", "json").write(None, tmp_path / "x.json")
    with pytest.raises(TypeError, match="not a stream"):
        get("audit", "html").format(None, Output(io.StringIO()))
    assert not (tmp_path / "x.json").exists()


def test_audit_and_letter_file_formatters_on_the_seeds(tmp_path: Path) -> None:
    opts = AuditOptions([ROOT / "seeds"], tmp_path / "out", jobs=1)
    summary = run_audit(opts, ChecklistSet().candidates())
    try:
        result = AuditResult(summary, opts)
        text = _text("audit", "rich", result)
        assert f"共 {len(SEED_FILES)} 个文件" in text and "\x1b[" not in text
        get("audit", "html").write(result, tmp_path / "board.html")
        page = (tmp_path / "board.html").read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and SEED_FILES[0].name in page
        get("audit", "xlsx").write(result, tmp_path / "audit.xlsx")
        book = load_workbook(tmp_path / "audit.xlsx", read_only=True)
        assert [s.title for s in book.worksheets] == ["汇总", "明细", "说明"]
        assert book["汇总"].max_row == len(SEED_FILES) + 1
        book.close()
    finally:
        summary.reports.close()
    report = check_file(SEED_FILES[0], load_many([]))
    card = scorecard(report)
    get("check", "xlsx").write(CheckResult([report], [card_data(report)], single=True), tmp_path / "check.xlsx")
    book = load_workbook(tmp_path / "check.xlsx", read_only=True)
    assert [row[0] for row in book["汇总"].iter_rows(min_row=2, values_only=True)] == [str(SEED_FILES[0])]
    book.close()
    get("letter", "docx").write(LetterResult(report, card), tmp_path / "letter.docx")
    with zipfile.ZipFile(tmp_path / "letter.docx") as docx:
        assert "审查意见" in docx.read("word/document.xml").decode("utf-8")


def test_checklists_formatters() -> None:
    loaded = load_many(["report-structure"])
    listed = _text("checklists", "rich", ChecklistsResult(loaded))
    assert listed.startswith("report-structure") and loaded[0].checklist.items[0].id in listed
    item = loaded[0].model.items[0]  # the schema model: "checklists show" lists the detectors' fields
    shown = _text("checklists show", "rich", ItemsResult([(loaded[0], item)]))
    assert shown.startswith(f"{item.id}  {item.title}") and "检测规则" in shown
    runs = ExamplesResult([(loaded[0], run_examples(loaded[0]))])
    assert runs.failed == 0
    assert _text("checklists test", "rich", runs).startswith("✔ report-structure")


def test_the_file_options_help_comes_from_the_registry() -> None:
    for command, name in (("audit", "html"), ("audit", "xlsx"), ("check", "xlsx")):
        shown = " ".join(cli(command, "--help").stdout.split())
        assert help_of(command, name) in shown, (command, name)

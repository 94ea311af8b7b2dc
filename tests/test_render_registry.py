"""The formatter registry: every command's formats behind one signature, and the CLI's choices from it."""

from __future__ import annotations

import importlib
import io
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from checker.accuracy import evaluate_paths
from checker.diff import diff
from checker.lint.command import FORMATS
from checker.lint.diagnostics import Policy, lint
from checker.pipeline import check_file
from checker.render.registry import FORMATTERS, CheckResult, Output, get, names
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
    assert ("auto", *names("lint")) == FORMATS
    with pytest.raises(ValueError, match="未知的输出格式"):
        get("check", "xml")


def test_check_formatters_on_a_seed() -> None:
    report = check_file(SEED_FILES[0], load_many([]))
    result = CheckResult([report], [scorecard(report)], single=True)
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

"""Issue 17: a cold ``check`` imports only what the command uses.

With a warm checklist cache, ``checker check -f json REPORT.txt`` needs neither pydantic nor yaml
(the checklists come from the cache as data, the scorecard is plain data written by orjson), nor
rich (no terminal output), nor lint, accuracy, reviews or the readers of other formats. The rich
``check`` needs rich, and still none of the others. Measured with ``python -X importtime`` in a
fresh interpreter, as a user runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_FILES

ROOT = Path(__file__).resolve().parent.parent
SEED = SEED_FILES[0]
#: Imported by neither form of a cold check of a text file (top-level packages and checker modules).
NEVER = ("pydantic", "pydantic_core", "yaml", "checker.lint", "checker.accuracy", "checker.reviews",
         "checker.readers", "checker.scorecard", "checker.settings_schema", "checker.rules.schema",
         "checker.rules.detectors", "openpyxl", "docx", "pdfplumber",
         # no checker.toml or pyproject.toml up from the test's folder: no TOML to parse
         "tomllib")


def _imported(tmp_path: Path, *args: str) -> set[str]:
    """Modules a fresh ``python -X importtime -m checker check …`` imports (the cache warmed by a first run)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for key in ("CHECKER_NO_CACHE", "CHECKER_CONFIG"):
        env.pop(key, None)
    command = [sys.executable, "-X", "importtime", "-m", "checker", "check", str(SEED), *args,
               "-o", str(tmp_path / "out")]
    warm = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False)
    assert warm.returncode == 0, warm.stderr
    assert any((tmp_path / "cache" / "checker").glob("checklist-*.json")), "the first run fills the cache"
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    names = _names(done.stderr)
    assert "checker.engine" in names and "orjson" in names  # the check itself ran in this process
    return names


def _names(importtime: str) -> set[str]:
    return {line.split("|")[-1].strip() for line in importtime.splitlines() if line.startswith("import time:")}


def _offending(names: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == b or n.startswith(b + ".") for b in banned))


def test_a_cold_json_check_imports_no_pydantic_yaml_rich_lint_or_other_readers(tmp_path: Path) -> None:
    names = _imported(tmp_path, "-f", "json")
    assert not _offending(names, (*NEVER, "rich")), _offending(names, (*NEVER, "rich"))


def test_a_cold_rich_check_imports_rich_and_none_of_the_rest(tmp_path: Path) -> None:
    names = _imported(tmp_path)
    assert "rich.console" in names
    assert not _offending(names, NEVER), _offending(names, NEVER)


@pytest.mark.parametrize("needed", ["pydantic", "yaml"])
def test_a_cold_check_without_the_cache_validates_with_pydantic_and_yaml(tmp_path: Path, needed: str) -> None:
    """The control: the same measurement does see pydantic and yaml when the checklists are read from YAML."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CHECKER_NO_CACHE": "1"}
    env.pop("CHECKER_CONFIG", None)
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "checker", "check", str(SEED), "-f", "json",
                           "-o", str(tmp_path / "out")], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert needed in _names(done.stderr)


_BUILT = r"""
import sys
import typer.main

built = []
for name in ("get_command_from_info", "get_group_from_info"):
    def spy(*args, _real=getattr(typer.main, name), **kwargs):
        command = _real(*args, **kwargs)
        built.append(command.name)
        return command
    setattr(typer.main, name, spy)
from checker.cli import main
sys.argv = ["checker", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(",".join(built), file=sys.stderr)
"""


def _built(tmp_path: Path, *args: str) -> list[str]:
    """The click commands typer builds (the root group and each subcommand) to run ``checker ARGS``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CHECKER_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", _BUILT, *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=300, check=False)
    return done.stderr.strip().splitlines()[-1].split(",")


def test_a_check_builds_only_the_check_command(tmp_path: Path) -> None:
    """typer builds a command's parameters from its signature: ``check`` needs its own, not those of the other eleven."""
    assert sorted(_built(tmp_path, "check", str(SEED), "-f", "json", "-o", str(tmp_path / "out"))) == ["check", "checker"]


def test_the_help_page_still_builds_every_command(tmp_path: Path) -> None:
    """The control: ``--help`` lists every command with its summary, so it builds them all (the spy sees them)."""
    built = _built(tmp_path, "--help")
    assert {"check", "eval", "audit", "diff", "lint", "letter", "schema", "checklists", "reviews"} <= set(built)


_COLLECTOR = r"""
import gc, json, sys
import checker.scored, checker.lint.command

seen = []
def spy(real):
    def wrapped(*args, **kwargs):
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        return real(*args, **kwargs)
    return wrapped
checker.scored.score_file = spy(checker.scored.score_file)
checker.lint.command.execute = spy(checker.lint.command.execute)
from checker.cli import main
sys.argv = ["checker", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(seen), file=sys.stderr)
"""


@pytest.mark.parametrize("command", ["check", "lint"])
def test_the_start_up_is_frozen_out_of_the_garbage_collector_and_collection_resumes(tmp_path: Path,
                                                                                   command: str) -> None:
    """What start-up built is in gc's permanent generation when the work starts, and the collector is on again."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CHECKER_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", _COLLECTOR, command, str(SEED), "-o" if command == "check" else "-f",
                           str(tmp_path / "out") if command == "check" else "json"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False)
    seen = json.loads(done.stderr.strip().splitlines()[-1])
    assert seen, done.stderr
    for enabled, frozen in seen:
        assert enabled
        assert frozen > 10_000

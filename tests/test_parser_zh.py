"""The command-line parser speaks Chinese; Windows code pages cannot break output; --level in Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.vocabulary import Level, parse_level
from tests.conftest import ROOT, SEED_FILES, cli


def _checker(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], capture_output=True, timeout=120,
                          check=False, cwd=ROOT, env={**os.environ, **(env or {})})


def test_mistyped_option_is_explained_in_chinese() -> None:
    done = _checker("check", "--levl", "县", SEED_FILES[0])
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert "没有选项" in err and "--levl" in err and "--level" in err and "用法" in err
    assert "No such option" not in err and "Usage" not in err and "Possible" not in err and "Traceback" not in err


def test_missing_argument_and_bad_value_are_chinese() -> None:
    missing = _checker("check").stderr.decode("utf-8")
    assert "缺少参数" in missing and "Missing" not in missing
    bad = _checker("check", "--year", "abc", SEED_FILES[0]).stderr.decode("utf-8")
    assert "值无效" in bad and "Invalid value" not in bad


def test_help_is_chinese_and_lists_every_format_uncut() -> None:
    done = _checker("lint", "--help", env={"COLUMNS": "80"})
    text = done.stdout.decode("utf-8")
    assert done.returncode == 0
    assert "显示本帮助并退出。" in text and "Show this message" not in text
    assert "选项" in text and "Options" not in text
    flat = "".join(text.split())
    for name in ("auto", "text", "json", "sarif", "junit", "github"):
        assert name in flat
    assert "…" not in text


def test_version_option() -> None:
    done = _checker("--version")
    assert done.returncode == 0
    assert done.stdout.decode().startswith("checker ")


@pytest.mark.parametrize(("text", "level"), [
    ("省级", Level.PROVINCE), ("省", Level.PROVINCE), ("市级", Level.CITY), ("市", Level.CITY),
    ("区", Level.COUNTY), ("县", Level.COUNTY), ("县级", Level.COUNTY), ("乡", Level.TOWNSHIP),
    ("镇", Level.TOWNSHIP), ("街道", Level.TOWNSHIP), ("乡镇", Level.TOWNSHIP), ("部门", Level.DEPARTMENT),
    ("county", Level.COUNTY), (" Township ", Level.TOWNSHIP),
])
def test_level_names(text: str, level: Level) -> None:
    assert parse_level(text) is level


def test_level_in_chinese_on_the_command_line() -> None:
    by_name = cli("check", SEED_FILES[1], "--level", "镇", "--format", "json").json()
    by_code = cli("check", SEED_FILES[1], "--level", "township", "--format", "json").json()
    assert by_name == by_code
    assert isinstance(by_name, dict) and by_name["document"]["level"] == "township"
    wrong = _checker("check", SEED_FILES[1], "--level", "村")
    assert wrong.returncode == 2
    assert "层级“村”无效" in wrong.stderr.decode("utf-8")


def test_redirected_output_under_cp936_is_utf8(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with out.open("wb") as fh:
        done = subprocess.run([sys.executable, "-m", "checker", "check", str(SEED_FILES[1])], stdout=fh,
                              stderr=subprocess.PIPE, timeout=120, check=False, cwd=ROOT,
                              env={**os.environ, "PYTHONIOENCODING": "cp936"})
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    text = out.read_bytes().decode("utf-8")
    assert "✔" in text and "LD01" in text


def test_errors_under_cp936_are_utf8(tmp_path: Path) -> None:
    done = _checker("check", tmp_path / "没有这个文件.txt", env={"PYTHONIOENCODING": "cp936"})
    assert done.returncode == 3
    assert "没有这个文件.txt" in done.stderr.decode("utf-8")

"""Helpers shared by the lint tests: fixture reports copied into tmp_path, output parsing."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

LINT_FIXTURES = FIXTURES / "lint"
COMPLETE = LINT_FIXTURES / "complete.txt"
WARNINGS_ONLY = LINT_FIXTURES / "warnings-only.txt"
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning|info) (?P<id>[A-Za-z][A-Za-z0-9_-]*) "
                  r"(?P<message>.+)$")


@dataclass(frozen=True)
class Diag:
    path: str
    line: int
    col: int
    level: str
    id: str
    message: str


def parse(stdout: str) -> list[Diag]:
    """The diagnostic lines of text output (the summary line is checked separately)."""
    lines = stdout.rstrip("\n").splitlines()
    assert lines, "text output ends with a summary line"
    assert "个文件：" in lines[-1], lines[-1]
    out = []
    for text in lines[:-1]:
        m = LINE.match(text)
        assert m, f"not a compiler-style line: {text!r}"
        out.append(Diag(m["path"], int(m["line"]), int(m["col"]), m["level"], m["id"], m["message"]))
    return out


def copy(src: Path, dest_dir: Path, name: str | None = None) -> Path:
    dest = dest_dir / (name or src.name)
    shutil.copyfile(src, dest)
    return _relative(dest)


def variant(dest_dir: Path, name: str, old: str, new: str, src: Path = COMPLETE) -> Path:
    text = src.read_text(encoding="utf-8")
    assert old in text, old
    dest = dest_dir / name
    dest.write_text(text.replace(old, new), encoding="utf-8")
    return _relative(dest)


def _relative(path: Path) -> Path:
    """Paths as a user types them: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No CI or config variables from the outside; work in tmp_path."""
    for var in ("GITHUB_ACTIONS", "CHECKER_CONFIG", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path

"""Shared test helpers: run the CLI as a user would, and assert exact verdicts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.document.model import Document, build
from checker.document.profile import profile
from checker.engine import Report, run
from checker.rules.checklist import LoadedChecklist
from checker.rules.loader import load_many

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:  # JSON: whatever the command printed (dicts, lists, strings, numbers)
        return json.loads(self.stdout)


def cli(*args: str | Path) -> CliResult:
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="session")
def checklists() -> list[LoadedChecklist]:
    return load_many([])


def check_text(text: str, checklists: list[LoadedChecklist], **kwargs: object) -> Report:
    doc = build(text, path="<test>")
    return run(checklists, doc, profile(doc))


def verdicts(report: Report) -> dict[str, str]:
    return {r.item.id: r.status.value for r in report.items}


def assert_verdicts(report: Report, expected: Iterable[tuple[str, str, int | None]]) -> None:
    """Exact (item, status, line of first evidence) triples; line None: no evidence expected."""
    by_id = {r.item.id: r for r in report.items}
    for item_id, status, line in expected:
        result = by_id[item_id]
        got_line = result.evidence[0].line if result.evidence else None
        assert (item_id, result.status.value, got_line) == (item_id, status, line), (
            f"{item_id}: got {result.status.value} at line {got_line}, reason {result.reason!r}, "
            f"evidence {[e.quote for e in result.evidence]}"
        )


def seed_doc(name: str) -> Document:
    path = next(p for p in SEED_FILES if p.name.startswith(name))
    return build(path.read_text(encoding="utf-8"), path=str(path))

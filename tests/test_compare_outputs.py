"""scripts/compare-outputs.py, the byte-for-byte check of a refactoring: its path scrubbing and Office files."""

from __future__ import annotations

import zipfile
from pathlib import Path
from types import ModuleType

from tests.conftest import ROOT
from tests.scripts import load_script


def _script() -> ModuleType:
    return load_script(ROOT / "scripts" / "compare-outputs.py", "compare_outputs")


def _office(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_scrub_replaces_absolute_folders_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text(f"score 82.6 in {tmp_path / 'work'}/x.txt\n", encoding="utf-8")
    _script()._scrub(out, {tmp_path / "work": b"<WORK>", Path(): b"<TREE>"})
    assert (out / "a.txt").read_text(encoding="utf-8") == "score 82.6 in <WORK>/x.txt\n"


def test_office_files_compare_by_member_without_their_creation_time(tmp_path: Path) -> None:
    script = _script()
    a = _office(tmp_path / "a.xlsx", {"docProps/core.xml": b"2026-01-01", "xl/sheet1.xml": b"<row>1</row>"})
    b = _office(tmp_path / "b.xlsx", {"docProps/core.xml": b"2026-12-02", "xl/sheet1.xml": b"<row>1</row>"})
    c = _office(tmp_path / "c.xlsx", {"docProps/core.xml": b"2026-01-01", "xl/sheet1.xml": b"<row>2</row>"})
    assert script._same(a, b, frozenset())
    assert not script._same(a, c, frozenset())

"""From paths on disk to reports: find inputs, read them, build documents, run checklists.

Shared by ``check``, ``lint`` and ``audit``; a bad input raises :class:`InputError` for its
own file only, so callers can report it and go on with the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from checker.checklist import Level, LoadedChecklist
from checker.document import build
from checker.engine import Report, run
from checker.profile import profile
from checker.textio import TEXT_SUFFIXES, InputError, read_text


def supported_suffixes() -> frozenset[str]:
    return TEXT_SUFFIXES


def collect(paths: Iterable[Path]) -> tuple[list[Path], list[InputError]]:
    """Files named directly, plus every supported file below named folders (sorted)."""
    files: list[Path] = []
    errors: list[InputError] = []
    suffixes = supported_suffixes()
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith(".")
            )
            if not found:
                errors.append(InputError(str(path), f"文件夹中没有可检查的报告（支持：{'、'.join(sorted(suffixes))}）"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            errors.append(InputError(str(path), "文件不存在"))
    return files, errors


def check_file(
    path: Path, checklists: Sequence[LoadedChecklist], *, level: Level | None = None, year: int | None = None
) -> Report:
    decoded = read_text(path)
    doc = build(decoded.text, path=str(path), encoding=decoded.encoding, sha256=decoded.sha256)
    prof = profile(doc).with_overrides(level, year)
    return run(checklists, doc, prof)

"""The one file walker: the candidate reports below the paths a user names (check, lint, eval and audit).

A file named directly is always a candidate. In a folder, every entry is a candidate except hidden
files and folders, system clutter and checker's own files (:func:`checker.readers.ignored`),
README/LICENSE-style notes (:data:`NOT_REPORTS`) and the ``skip`` paths (an audit's own outputs).
Entries that are not regular files – FIFOs, devices, dangling links, symlink loops, folders named
like a report (``x.txt``) – are kept, so that reading them names the reason instead of skipping
them; linked folders are not followed. Kinds we do not read (:data:`checker.readers.REFUSED`) are
kept too and refused with their reason when read. A .zip archive stands for its members
(``archive.zip!/member``).

Each candidate has a unique relative key (``rel``): its path below the folder named (prefixed by
the folder's name when several were named; ``2/…`` for a repeat), the file's name for a file
named directly. Problems found while walking (a missing path, an empty or unlistable folder, a bad
archive) are returned, never raised, with both the path as named and the relative key.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from checker.readers import SUPPORTED_SUFFIXES, archive, ignored
from checker.text.decode import InputError

#: Files in a folder that are never reports: project notes next to the reports.
NOT_REPORTS = frozenset({"README", "LICENSE", "CHANGELOG", "CONTRIBUTING", "NOTICE"})
#: Why a folder gave nothing to check.
EMPTY_FOLDER = "文件夹中没有可检查的报告（没有文件，或只有隐藏文件和说明文件）"


@dataclass(frozen=True, slots=True)
class Found:
    """A candidate report: where it is on disk (or ``archive.zip!/member``) and its unique relative key."""

    path: Path
    rel: str


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the walk could not list: the path as named (``path``), its relative key and the cause."""

    path: str
    rel: str
    cause: str

    def error(self) -> InputError:
        """The problem as the InputError ``check`` and ``lint`` report."""
        return InputError(self.path, self.cause)


def _matches(rel: str, globs: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(name, g) for g in globs)


def _real(path: Path) -> Path | None:
    """The real path, or None for a symlink loop or an unresolvable path (reported when read)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def _missing(path: Path) -> str:
    """Why a named path is not there: a name with a suffix was meant as a file."""
    return "文件不存在" if path.suffix else "文件或文件夹不存在"


def walk(
    roots: Sequence[Path], *, include: Sequence[str] = (), exclude: Sequence[str] = (), skip: Sequence[Path] = ()
) -> tuple[list[Found], list[Problem]]:
    """The candidate reports below ``roots`` and the problems met.

    Root by root, each folder's entries in path order; problems in the order found. ``include``/``exclude``: globs on
    the relative path or the file name.
    """
    skip_real = {r for r in map(_real, skip) if r is not None}
    keys: set[str] = set()
    found: list[Found] = []
    problems: list[Problem] = []
    used_prefixes: set[str] = set()

    def add_one(path: Path, rel: str) -> None:
        key, n = rel, 1
        while key in keys:
            n += 1
            key = f"{n}/{rel}"
        keys.add(key)
        found.append(Found(path, key))

    def add(path: Path, rel: str) -> None:
        """A file, or each member of a .zip archive as ``rel!/member``; a bad archive is a problem."""
        if path.suffix.lower() not in archive.ARCHIVE_SUFFIXES:
            add_one(path, rel)
            return
        try:
            names = archive.members(path)
        except InputError as exc:
            problems.append(Problem(exc.path, rel, exc.cause))
            return
        for name in names:
            add_one(archive.member_path(path, name), f"{rel}{archive.SEPARATOR}{name}")

    def keep(rel: str) -> bool:
        return (not include or _matches(rel, include)) and not _matches(rel, exclude)

    for root in roots:
        if root.is_dir():
            prefix = ""
            if len(roots) > 1:
                base = (_real(root) or root).name or "root"
                prefix, n = base, 1
                while prefix in used_prefixes:
                    n += 1
                    prefix = f"{base}-{n}"
                used_prefixes.add(prefix)
            before, problems_before = len(found), len(problems)
            for path in _folder(root, skip_real, problems, prefix):
                rel = path.relative_to(root).as_posix()
                if keep(rel):
                    add(path, f"{prefix}/{rel}" if prefix else rel)
            if len(found) == before and len(problems) == problems_before:
                problems.append(Problem(str(root), str(root), EMPTY_FOLDER))
        elif root.exists() or root.is_symlink():
            add(root, root.name)
        else:
            problems.append(Problem(str(root), str(root), _missing(root)))
    return found, problems


def _folder(root: Path, skip_real: set[Path], problems: list[Problem], prefix: str) -> list[Path]:
    """The candidate entries below one folder, in path order; folders that cannot be listed are problems."""

    def walk_error(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        try:
            rel = where.relative_to(root).as_posix()
            shown = f"{prefix}/{rel}" if prefix else rel
        except ValueError:
            shown = str(where)
        problems.append(Problem(str(where), shown, f"无法读取文件夹（{exc.strerror or exc}）"))

    entries: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=walk_error):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and _real(here / d) not in skip_real)
        # Every file but clutter is listed, so that one we cannot read is named with the reason;
        # folders named like a report (x.txt) are listed too.
        listed = [*filenames, *(d for d in dirnames if Path(d).suffix.lower() in SUPPORTED_SUFFIXES)]
        for name in listed:
            if ignored(name) or Path(name).stem.upper() in NOT_REPORTS or _real(here / name) in skip_real:
                continue
            entries.append(here / name)
    return sorted(entries)

"""Finding an audit's inputs: every supported file below the given folders, with unique relative paths."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass
from checker.audit.summary import ErrorOut


@dataclass(frozen=True, slots=True)
class Source:
    path: Path  #: where the file is on disk
    rel: str  #: unique key: path relative to the audited folder, posix


def _matches(rel: str, globs: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(name, g) for g in globs)


def discover(
    roots: Sequence[Path], *, include: Sequence[str] = (), exclude: Sequence[str] = (), skip: Sequence[Path] = ()
) -> tuple[list[Source], list[ErrorOut]]:
    """Every supported report below ``roots``, with a unique relative key; sorted by key.

    A single folder's files are keyed relative to it; with several roots each folder's
    files are prefixed by its name. Hidden files and folders are skipped, and so is
    ``skip`` (the audit's own output folder and dashboard). Entries named like a report that are not
    readable files (dangling links, folders named x.txt) are kept: they become error rows.
    """
    from checker import pipeline
    from checker.readers import archive, ignored
    from checker.text.decode import InputError

    suffixes = pipeline.supported_suffixes()
    # README/LICENSE-style notes beside the reports, if the pipeline defines them, as `checker check` does.
    not_reports: frozenset[str] = getattr(pipeline, "NOT_REPORTS", frozenset())
    skip_real = {r for r in map(_real, skip) if r is not None}
    sources: dict[str, Source] = {}
    errors: list[ErrorOut] = []
    used_prefixes: set[str] = set()

    def keep(rel: str) -> bool:
        return (not include or _matches(rel, include)) and not _matches(rel, exclude)

    def add_one(path: Path, rel: str) -> None:
        key, n = rel, 1
        while key in sources:
            n += 1
            key = f"{n}/{rel}"
        sources[key] = Source(path, key)

    def add(path: Path, rel: str) -> None:
        """A file, or each member of a .zip archive as ``rel!/member``; a bad archive is an error row."""
        if path.suffix.lower() not in archive.ARCHIVE_SUFFIXES or not path.is_file():
            add_one(path, rel)
            return
        try:
            names = archive.members(path)
        except InputError as exc:
            errors.append(ErrorOut(path=rel, cause=exc.cause))
            return
        for name in names:
            add_one(archive.member_path(path, name), f"{rel}{archive.SEPARATOR}{name}")

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
            before, errors_before = len(sources), len(errors)

            def walk_error(exc: OSError, root: Path = root, prefix: str = prefix) -> None:
                where = Path(exc.filename) if exc.filename else root
                errors.append(ErrorOut(path=_rel_display(where, root, prefix),
                                       cause=f"无法读取文件夹（{exc.strerror or exc}）"))

            for dirpath, dirnames, filenames in os.walk(root, onerror=walk_error):
                here = Path(dirpath)
                dirnames[:] = sorted(
                    d for d in dirnames if not d.startswith(".") and _real(here / d) not in skip_real
                )
                # Every file but system clutter is listed, so that one we cannot read becomes an error row
                # naming the reason; folders named like a report (x.txt) are listed too.
                listed = [*filenames, *(d for d in dirnames if Path(d).suffix.lower() in suffixes)]
                for name in sorted(listed):
                    if ignored(name):
                        continue
                    if Path(name).stem.upper() in not_reports or _real(here / name) in skip_real:
                        continue
                    rel = (here / name).relative_to(root).as_posix()
                    if keep(rel):
                        add(here / name, f"{prefix}/{rel}" if prefix else rel)
            if len(sources) == before and len(errors) == errors_before:
                cause = "文件夹中没有可检查的报告（没有文件，或只有隐藏文件和说明文件）"
                errors.append(ErrorOut(path=str(root), cause=cause))
        elif root.exists() or root.is_symlink():
            add(root, root.name)
        else:
            errors.append(ErrorOut(path=str(root), cause="文件或文件夹不存在"))
    return [sources[k] for k in sorted(sources)], errors


def _real(path: Path) -> Path | None:
    """The real path, or None for a symlink loop or an unresolvable path (reported when read)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def _rel_display(path: Path, root: Path, prefix: str) -> str:
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
    return f"{prefix}/{rel}" if prefix else rel


# ---------------------------------------------------------------------------------------
# Checking one report (runs in a worker process)

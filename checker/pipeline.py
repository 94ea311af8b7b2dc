"""From paths on disk to reports: find inputs, read them, build documents, run checklists.

Shared by ``check``, ``lint`` and ``audit``; a bad input raises :class:`InputError` for its
own file only, so callers can report it and go on with the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

from checker.document.model import as_plan, build
from checker.document.profile import DocKind, profile
from checker.engine import Report, run
from checker.rules.checklist import STRUCTURE_CHECKLIST, LoadedChecklist, is_structure_checklist
from checker.rules.loader import load_many
from checker.rules.periods import PERIODS, ChecklistChoice, choose, named, structure_in_force
from checker.text.decode import TEXT_SUFFIXES, DecodedText, InputError, read_text
from checker.vocabulary import Level, LevelSource


def collect(paths: Iterable[Path]) -> tuple[list[Path], list[InputError]]:
    """The candidate reports named or found below named folders, and what could not be listed.

    In order; :func:`checker.readers.walk.walk` is the one walker, shared with ``audit``.
    """
    roots = list(paths)
    if all(p.suffix.lower() in TEXT_SUFFIXES and p.is_file() for p in roots):
        return roots, []  # text files named directly, as the walker gives them: no readers imported (cold start)
    from checker.readers.walk import walk

    found, problems = walk(roots)
    return [f.path for f in found], [p.error() for p in problems]


def read(path: Path) -> DecodedText:
    """Decode one input: plain text directly (the fast path), other formats through checker.readers."""
    if path.suffix.lower() in TEXT_SUFFIXES and "!/" not in str(path):
        return read_text(path)
    from checker.readers import read_report  # python-docx, pdfplumber, trafilatura: only when needed

    return read_report(path)


class ChecklistSet:
    """What a run checks reports against: the checklists named, or those chosen by each report's year.

    Named: with ``--checklist`` or the configuration; chosen: by :func:`checker.rules.periods.choose`. Named checklists
    are loaded at once (a :class:`ChecklistError` before any report is read); chosen ones when first needed, once per
    run.
    """

    def __init__(self, specs: Sequence[str] = ()) -> None:
        """Load the named checklists now (ChecklistError before any report is read); the chosen ones lazily."""
        self.specs = tuple(specs)
        self.named: tuple[LoadedChecklist, ...] | None = tuple(load_many(self.specs)) if self.specs else None
        self._chosen: dict[tuple[str, ...], tuple[LoadedChecklist, ...]] = {}

    @property
    def automatic(self) -> bool:
        """True when the checklists follow each report's year."""
        return self.named is None

    def for_year(self, year: int | None) -> tuple[ChecklistChoice, tuple[LoadedChecklist, ...]]:
        """The checklists for a report on ``year`` and the reason they were chosen."""
        if self.named is not None:
            return named(tuple(lc.checklist.id for lc in self.named), year), self.named
        choice = choose(year)
        if choice.specs not in self._chosen:
            self._chosen[choice.specs] = tuple(load_many(list(choice.specs)))
        return choice, self._chosen[choice.specs]

    def candidates(self) -> list[LoadedChecklist]:
        """Every checklist a report of this run may be checked against (named, or all bundled periods)."""
        if self.named is not None:
            return list(self.named)
        seen: dict[str, LoadedChecklist] = {}
        for period in PERIODS:
            for lc in self.for_year(period.first_year)[1]:
                seen.setdefault(lc.checklist.id, lc)
        return list(seen.values())


def check_file(
    path: Path, checklists: Sequence[LoadedChecklist] | ChecklistSet, *, level: Level | None = None,
    year: int | None = None, level_source: LevelSource = LevelSource.OPTION, structure: bool = False,
) -> Report:
    """Read, build, profile and check one report against its checklists (named, or chosen by its year).

    InputError for a file that cannot be read. ``level_source``: where a given ``level`` came from.

    ``structure``: the report-structure results are wanted (lint's structure diagnostics, the review
    letter) even when the checklists in force do not give them all: they are then computed with the
    bundled report-structure checklist and kept apart in ``Report.structure`` (not items, not scored).
    """
    decoded = read(path)
    doc = build(
        decoded.text,
        path=str(path),
        encoding=decoded.encoding,
        sha256=decoded.sha256,
        lines_are_paragraphs=decoded.kind not in ("txt", "md"),
        locator=decoded.locator,
        page_of_line=decoded.page_of_line,
        kind=decoded.kind,
        notes=decoded.notes,
        ocr_pages=decoded.ocr_pages,
    )
    prof = profile(doc).with_overrides(level, year, level_source)
    if prof.kind == DocKind.PLAN:
        # A plan (工作要点, 实施方案) only names work to be done: nothing in it covers an item.
        doc = as_plan(doc)
    if isinstance(checklists, ChecklistSet):
        choice, chosen = checklists.for_year(prof.year)
        report = run(chosen, doc, prof, choice)
    else:
        report = run(checklists, doc, prof)
    return with_structure(report) if structure else report


@cache
def _bundled_structure() -> tuple[LoadedChecklist, ...]:
    return tuple(load_many([STRUCTURE_CHECKLIST]))


def with_structure(report: Report) -> Report:
    """The report with the bundled report-structure results in ``structure`` when its own items lack some.

    A report on a year before the 督察规定 needs none.
    """
    if not structure_in_force(report.profile.year):
        return report
    bundled = _bundled_structure()
    own = {r.item.id for r in report.items if is_structure_checklist(r.checklist)}
    if all(item.id in own for lc in bundled for item in lc.checklist.items):
        return report
    return replace(report, structure=run(bundled, report.document, report.profile).items)

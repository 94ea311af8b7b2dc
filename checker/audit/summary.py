"""The audit's output: summary.json's schema, the spooled rows, running totals, and the JSON and CSV writers."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import statistics
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.cells import excel_safe
from checker.files.atomic import open_atomic
from checker.rules.checklist import LoadedChecklist
from checker.rules.periods import STRUCTURE, period_of
from checker.scorecard import Counts, Scorecard, dumps
from checker.text.sanitize import visible
from checker.vocabulary import LEVEL_LABELS, SEVERITY_LABELS, STATUS_LABELS, Level, Severity, Status

if TYPE_CHECKING:
    pass
from checker.audit.options import AuditOptions

SUMMARY_SCHEMA = "checker.audit-summary/1"
SCORECARD_DIR = "scorecards"
SUMMARY_JSON = "summary.json"
SUMMARY_CSV = "summary.csv"
STATUSES = tuple(s.value for s in Status)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Row(_Out):
    """One input file: a checked report or an error."""

    path: str = Field(description="Path of the input, relative to the audited folder (posix).")
    status: Literal["checked", "error"]
    error: str | None = Field(description="Why the file could not be checked (Chinese); null when checked.")
    scorecard: str | None = Field(description="Path of the scorecard relative to the audit folder.")
    sha256: str | None
    title: str | None
    body: str | None
    level: Literal["province", "city", "county", "township", "department"] | None
    year: int | None
    is_annual_report: bool | None
    score: float | None
    rank: int | None = Field(description="1 = highest score among checked reports (ties share a rank).")
    counts: Counts | None
    missing_required: list[str]
    part_scores: dict[str, float | None] = Field(
        description="Weighted coverage 0-100 per 纲要 part (item.part); null when no item of the part applies."
    )
    reviewed: int = Field(default=0, description="Items whose status is a reviewer's verdict (--reviews).")
    reviews_stale: bool = Field(
        default=False, description="Reviews name this file but were made on other content: not applied."
    )
    checklist: str | None = Field(
        default=None, description="The content checklist the report was checked against (its period's, when chosen "
        "by the report year); null for errors.")


class ItemStat(_Out):
    """How often one item was missing, partial or covered across the audited reports."""

    id: str
    checklist: str
    title: str
    part: str
    severity: Literal["required", "recommended"]
    covered: int
    partial: int
    missing: int
    not_applicable: int


class ErrorOut(_Out):
    """A file that could not be checked, and why (in Chinese)."""

    path: str
    cause: str


class ChecklistRef(_Out):
    """A checklist the audit used: id, title, version and content hash."""

    id: str
    title: str
    version: str
    sha256: str


class Group(_Out):
    """The reports checked against one content checklist (an audit of reports of several 纲要 periods)."""

    checklist: str
    title: str
    years: str | None = Field(description="The report years of the checklist's period (null: not a bundled period).")
    reports: int = Field(description="Checked reports in the group.")
    parts: list[str] = Field(description="The parts of the checklist and of report-structure (heat map columns).")


class Totals(_Out):
    """The audit's counts and score statistics."""

    files: int
    checked: int
    errors: int
    not_annual_report: int
    mean_score: float | None
    median_score: float | None
    counts: Counts


class Settings(_Out):
    """The settings the audit ran with (level, year, include and exclude globs)."""

    level: str | None
    year: int | None
    include: list[str]
    exclude: list[str]


class Summary(_Out):
    """summary.json (checker.audit-summary/1): totals, rows, most-missed items, errors, settings."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["checker.audit-summary/1"] = Field(alias="schema")
    roots: list[str]
    settings: Settings
    checklists: list[ChecklistRef]
    parts: list[str] = Field(description="纲要 parts in checklist order (the heat map's columns).")
    groups: list[Group] = Field(
        default=[], description="Reports by content checklist, in period order; more than one when the audit spans "
        "纲要 periods (the dashboard and workbook then show each group with its own parts).")
    totals: Totals
    reports: list[Row] = Field(description="One row per input file, sorted by path.")
    most_missed: list[ItemStat] = Field(description="Every item, most often missing first (then partial, then id).")
    errors: list[ErrorOut]


def _parts(checklists: Sequence[LoadedChecklist]) -> list[str]:
    parts: list[str] = []
    for lc in checklists:
        for item in lc.checklist.items:
            if item.part not in parts:
                parts.append(item.part)
    return parts


class RowStore:
    """The audit's rows, spooled to a temporary file in OUTDIR as they arrive.

    Only each row's path, file offset and score stay in memory, so a 20,000-report audit
    needs no more memory than a 2,000-report one. Rows come back sorted by path, with
    their rank (1 = highest score; ties share a rank).
    """

    def __init__(self, directory: Path) -> None:
        """Open the spool file (a hidden temporary file in ``directory``, removed by :meth:`close`)."""
        fd, name = tempfile.mkstemp(prefix=".rows.", suffix=".tmp", dir=directory)
        self._path = Path(name)
        self._fh = os.fdopen(fd, "w+b")
        self._index: dict[str, tuple[int, int]] = {}
        self._scores: dict[str, float] = {}
        self._ranks: dict[str, int] | None = None

    def add(self, row: Row) -> None:
        """Store one row (a later row for the same path replaces it)."""
        data = row.model_dump_json(by_alias=True).encode("utf-8")
        self._fh.seek(0, os.SEEK_END)
        self._index[row.path] = (self._fh.tell(), len(data))
        self._fh.write(data + b"\n")
        if row.score is not None:
            self._scores[row.path] = row.score
        self._ranks = None

    def __len__(self) -> int:
        """The number of rows stored."""
        return len(self._index)

    def _rank(self, path: str) -> int | None:
        if self._ranks is None:
            ranks: dict[str, int] = {}
            previous: float | None = None
            rank = 0
            for k, (p, score) in enumerate(sorted(self._scores.items(), key=lambda ps: (-ps[1], ps[0])), 1):
                if score != previous:
                    rank, previous = k, score
                ranks[p] = rank
            self._ranks = ranks
        return self._ranks.get(path)

    def get(self, path: str) -> Row:
        """The row of ``path``, with its rank."""
        offset, size = self._index[path]
        self._fh.seek(offset)
        row = Row.model_validate_json(self._fh.read(size))
        return row.model_copy(update={"rank": self._rank(path)})

    def __iter__(self) -> Iterator[Row]:
        """The rows in path order, each with its rank."""
        for path in sorted(self._index):
            yield self.get(path)

    def lowest(self, n: int) -> list[Row]:
        """The ``n`` lowest-scoring reports, lowest first."""
        worst = sorted(self._scores.items(), key=lambda ps: (ps[1], ps[0]))[:n]
        return [self.get(p) for p, _ in worst]

    def scores(self) -> list[float]:
        """Every checked report's score."""
        return list(self._scores.values())

    def close(self) -> None:
        """Close and remove the spool file."""
        self._fh.close()
        with contextlib.suppress(OSError):
            self._path.unlink()


@dataclass
class AuditSummary:
    """summary.json's content, with the rows in a :class:`RowStore` rather than in memory.

    The fields are those of :class:`Summary` (the documented format); ``reports`` is
    iterated, never held as a list.
    """

    head: Summary  #: everything but the rows (its ``reports`` is empty)
    reports: RowStore

    @property
    def totals(self) -> Totals:
        """The audit's counts and score statistics."""
        return self.head.totals

    @property
    def checklists(self) -> list[ChecklistRef]:
        """The checklists the audit used."""
        return self.head.checklists

    @property
    def parts(self) -> list[str]:
        """The parts of the heat map, in order."""
        return self.head.parts

    @property
    def groups(self) -> list[Group]:
        """The reports by content checklist (several 纲要 periods)."""
        return self.head.groups

    @property
    def most_missed(self) -> list[ItemStat]:
        """Items by how often they were missing or partial."""
        return self.head.most_missed

    @property
    def errors(self) -> list[ErrorOut]:
        """The files that could not be checked."""
        return self.head.errors

    def lowest(self, n: int) -> list[Row]:
        """The ``n`` lowest-scoring reports, lowest first."""
        return self.reports.lowest(n)

    def scorecards(self, out: Path) -> Iterator[tuple[str, Scorecard]]:
        """The checked reports' scorecards, read back one at a time from the audit folder ``out``, in path order."""
        for row in self.reports:
            if row.status != "checked" or not row.scorecard:
                continue
            try:
                card = Scorecard.model_validate_json((out / row.scorecard).read_bytes())
            except (OSError, ValueError):
                continue
            yield row.path, card


class Tally:
    """Running totals of an audit, so that the rows need not be kept."""

    def __init__(self) -> None:
        """Empty totals."""
        self.items: dict[tuple[str, str], Counter[str]] = {}  #: (checklist, item id) -> statuses
        self.counts: Counter[str] = Counter()
        self.by_checklist: Counter[str] = Counter()
        self.files = self.checked = self.not_annual = 0
        self.errors: list[ErrorOut] = []

    def add(self, row: Row, statuses: dict[tuple[str, str], str]) -> None:
        """Count one row and its items' statuses."""
        self.files += 1
        for key, status in statuses.items():
            self.items.setdefault(key, Counter())[status] += 1
        if row.status == "error":
            self.errors.append(ErrorOut(path=row.path, cause=row.error or ""))
            return
        self.checked += 1
        self.by_checklist[row.checklist or ""] += 1
        self.not_annual += row.is_annual_report is False
        if row.counts is not None:
            self.counts.update(row.counts.model_dump())


def _groups(checklists: Sequence[LoadedChecklist], tally: Tally) -> list[Group]:
    structure = [lc for lc in checklists if lc.checklist.id == STRUCTURE.checklist]
    out = []
    for lc in checklists:
        if lc in structure or not tally.by_checklist.get(lc.checklist.id):
            continue
        period = period_of(lc.checklist.id)
        out.append(Group(checklist=lc.checklist.id, title=lc.checklist.title, years=period.years if period else None,
                         reports=tally.by_checklist[lc.checklist.id], parts=_parts([lc, *structure])))
    return out


def build_summary(
    opts: AuditOptions, checklists: Sequence[LoadedChecklist], rows: RowStore, tally: Tally
) -> AuditSummary:
    """summary.json's content from the options, the checklists, the spooled rows and the tally."""
    scores = rows.scores()
    stats = []
    # The checklists the reports were checked against (all candidates when none was checked).
    used = {checklist for checklist, _ in tally.items}
    checklists = [lc for lc in checklists if lc.checklist.id in used] or list(checklists)
    for lc in checklists:
        for item in lc.checklist.items:
            c = tally.items.get((lc.checklist.id, item.id), Counter())
            stats.append(ItemStat(id=item.id, checklist=lc.checklist.id, title=item.title, part=item.part,
                                  severity=item.severity.value, covered=c["covered"], partial=c["partial"],
                                  missing=c["missing"], not_applicable=c["not_applicable"]))
    stats.sort(key=lambda s: (-s.missing, -s.partial, s.id))
    head = Summary(
        schema_=SUMMARY_SCHEMA,
        roots=[str(p) for p in opts.roots],
        settings=Settings(level=opts.level.value if opts.level else None, year=opts.year,
                          include=list(opts.include), exclude=list(opts.exclude)),
        checklists=[ChecklistRef(id=lc.checklist.id, title=lc.checklist.title, version=lc.checklist.version,
                                 sha256=lc.sha256) for lc in checklists],
        parts=_parts(checklists),
        groups=_groups(checklists, tally),
        totals=Totals(
            files=tally.files,
            checked=tally.checked,
            errors=tally.files - tally.checked,
            not_annual_report=tally.not_annual,
            mean_score=round(statistics.fmean(scores), 1) if scores else None,
            median_score=round(statistics.median(scores), 1) if scores else None,
            counts=Counts(**{s: tally.counts.get(s, 0) for s in STATUSES}),
        ),
        reports=[],
        most_missed=stats,
        errors=sorted(tally.errors, key=lambda e: e.path),
    )
    return AuditSummary(head, rows)


_ROWS_MARK = "\u0000rows\u0000"


def write_summary_json(path: Path, summary: AuditSummary) -> None:
    """summary.json exactly as ``dumps(Summary)`` would write it, with the rows streamed in."""
    head = summary.head.model_dump(mode="json", by_alias=True)
    head["reports"] = _ROWS_MARK
    before, after = dumps(head).split(json.dumps(_ROWS_MARK), 1)
    with open_atomic(path) as fh:
        fh.write(before)
        fh.write("[")
        for k, row in enumerate(summary.reports):
            text = dumps(row.model_dump(mode="json", by_alias=True)).rstrip("\n")
            fh.write(("," if k else "") + "\n    " + text.replace("\n", "\n    "))
        fh.write("\n  ]" if len(summary.reports) else "]")
        fh.write(after)


CSV_HEADER = ["文件", "状态", "错误原因", "单位", "层级", "年度", "是否年度报告", "得分", "排名",
              *(STATUS_LABELS[s] for s in Status), f"缺失的{SEVERITY_LABELS[Severity.REQUIRED]}条目", "标题", "评分卡"]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    # File names, titles and units come from other people's documents: never a formula, and no escape
    # sequence or bidi override for whoever opens the file in a terminal or editor (shown as \x1b instead).
    return excel_safe(visible(str(value)))


def write_summary_csv(path: Path, summary: AuditSummary) -> None:
    """The rows as CSV for Excel: UTF-8 with BOM, CRLF, one column per 纲要 part at the end."""
    with open_atomic(path) as fh:
        fh.write("\ufeff")
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(CSV_HEADER + [f"部分得分：{p}" for p in summary.parts])
        for r in summary.reports:
            counts = r.counts.model_dump() if r.counts else {}
            writer.writerow([
                _cell(r.path), "已检查" if r.status == "checked" else "错误", _cell(r.error), _cell(r.body),
                LEVEL_LABELS[Level(r.level)] if r.level else "",
                _cell(r.year), _cell(r.is_annual_report), _cell(r.score), _cell(r.rank),
                *(_cell(counts.get(s)) for s in STATUSES), _cell(" ".join(r.missing_required)), _cell(r.title),
                _cell(r.scorecard),
            ] + [_cell(r.part_scores.get(p)) for p in summary.parts])

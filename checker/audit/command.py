"""Scheduled audits: check every report below some folders and write an audit folder.

Layout of ``OUTDIR`` (see docs/audit.md)::

    OUTDIR/scorecards/<relative path>.json   one checker.scorecard/1 per report
    OUTDIR/summary.json                      checker.audit-summary/1: rows, totals, most-missed items, errors
    OUTDIR/summary.csv                       the rows for Excel (UTF-8 with BOM)

Design:

* Reports are checked in worker processes (checklists loaded once per worker by the pool
  initializer). A worker writes its scorecard itself and sends back only a small row, so
  memory does not grow with the number of reports.
* Every file is written atomically (temporary file + rename): an interrupted run leaves
  complete files only. ``--resume`` keeps a scorecard whose source hash, checklist hashes
  and ``--level``/``--year`` settings are unchanged – all three are recorded in the
  scorecard itself – so an interrupted run, resumed, ends with byte-identical outputs.
* A bad input becomes an error row with its cause; the run goes on. Rows are sorted by
  path, whatever order the workers finish in.
"""

from __future__ import annotations

import contextlib
import csv
import fnmatch
import hashlib
import json
import os
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.cells import excel_safe
from checker.files.atomic import open_atomic, write_text
from checker.files.outdir import OutputFolderError, check_tree, ensure_inside, is_own_file
from checker.rules.checklist import LEVEL_LABELS, Level, LoadedChecklist
from checker.scorecard import Counts, Scorecard, dumps, part_scores
from checker.text.sanitize import for_terminal

if TYPE_CHECKING:
    from checker.lint.waivers import Waiver
    from checker.reviews import Reviews
    from checker.scorecard import WaiverOut

SUMMARY_SCHEMA = "checker.audit-summary/1"
SCORECARD_DIR = "scorecards"
SUMMARY_JSON = "summary.json"
SUMMARY_CSV = "summary.csv"
STATUSES = ("covered", "partial", "missing", "not_applicable")


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


class ItemStat(_Out):
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
    path: str
    cause: str


class ChecklistRef(_Out):
    id: str
    title: str
    version: str
    sha256: str


class Totals(_Out):
    files: int
    checked: int
    errors: int
    not_annual_report: int
    mean_score: float | None
    median_score: float | None
    counts: Counts


class Settings(_Out):
    level: str | None
    year: int | None
    include: list[str]
    exclude: list[str]


class Summary(_Out):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["checker.audit-summary/1"] = Field(alias="schema")
    roots: list[str]
    settings: Settings
    checklists: list[ChecklistRef]
    parts: list[str] = Field(description="纲要 parts in checklist order (the heat map's columns).")
    totals: Totals
    reports: list[Row] = Field(description="One row per input file, sorted by path.")
    most_missed: list[ItemStat] = Field(description="Every item, most often missing first (then partial, then id).")
    errors: list[ErrorOut]


# ---------------------------------------------------------------------------------------
# Finding inputs


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


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    specs: tuple[str, ...]
    level: Level | None
    year: int | None
    out: Path
    resume: bool
    reviews: Path | None = None
    letters: Path | None = None
    waivers: Path | None = None
    now: str = ""  #: ISO time of the run: whether a waiver has expired is decided once for all reports
    parent: int = 0  #: pid of the audit's main process: workers end when it is gone


@dataclass(slots=True)
class _State:
    config: WorkerConfig
    checklists: list[LoadedChecklist]
    refs: list[tuple[str, str, str]]
    markers: tuple[str, str]
    reviews: Reviews | None = None
    waivers: tuple[Waiver, ...] = ()


_STATE: _State | None = None


def _override_markers() -> tuple[str, str]:
    """The level/year reasons a profile gets from --level/--year (so a scorecard records them)."""
    from checker.document.profile import Profile

    p = Profile(None, None, "", None, "", True, "").with_overrides(Level.COUNTY, 2000)
    return p.level_reason, p.year_reason


def init_worker(config: WorkerConfig, ignore_sigint: bool = False) -> None:
    """Pool initializer: load the checklists once per worker (workers leave Ctrl-C to the parent)."""
    global _STATE

    from checker.rules.checklist import load_many
    from checker.signals import leave_to_parent, watch_parent

    if ignore_sigint:
        leave_to_parent()
        watch_parent(config.parent)
    checklists = load_many(list(config.specs))
    refs = [(lc.checklist.id, lc.checklist.version, lc.sha256) for lc in checklists]
    reviews = None
    if config.reviews is not None:
        from checker.reviews import load_reviews

        reviews = load_reviews(config.reviews)  # the parent loaded it once already: errors were reported there
    waivers: tuple[Waiver, ...] = ()
    if config.waivers is not None:
        from checker.lint.waivers import load_waivers

        waivers = load_waivers(config.waivers)  # likewise checked by the parent
    _STATE = _State(config, checklists, refs, _override_markers(), reviews, waivers)


def scorecard_rel(rel: str) -> str:
    return f"{SCORECARD_DIR}/{rel}.json"


@dataclass(frozen=True, slots=True)
class Result:
    row: Row
    statuses: dict[str, str]  #: item id -> status (aggregated by the parent, then dropped)
    reused: bool


def _error(rel: str, cause: str) -> Result:
    return Result(_error_row(rel, cause), {}, False)


def _error_row(rel: str, cause: str) -> Row:
    return Row(path=rel, status="error", error=cause, scorecard=None, sha256=None, title=None, body=None,
               level=None, year=None, is_annual_report=None, score=None, rank=None, counts=None,
               missing_required=[], part_scores={})


def row_from_card(card: Scorecard, rel: str) -> Row:
    doc, summary = card.document, card.summary
    return Row(
        path=rel,
        status="checked",
        error=None,
        scorecard=scorecard_rel(rel),
        sha256=doc.sha256,
        title=doc.title,
        body=doc.body,
        level=doc.level,
        year=doc.year,
        is_annual_report=doc.is_annual_report,
        score=summary.score,
        rank=None,
        counts=summary.counts,
        missing_required=list(summary.missing_required),
        part_scores=part_scores(card),
        reviewed=sum(1 for i in card.items if i.review is not None),
        reviews_stale=doc.reviews_stale,
    )


def _reusable(card_path: Path, source: Path, state: _State) -> Scorecard | None:
    """The existing scorecard, if its source, checklists and settings are unchanged."""
    from checker.text.decode import InputError, read_bytes

    try:
        card = Scorecard.model_validate_json(card_path.read_bytes())
        digest = hashlib.sha256(read_bytes(source)).hexdigest()
    except (OSError, ValueError, InputError):
        return None
    cfg, (level_marker, year_marker) = state.config, state.markers
    doc = card.document
    same_level = (doc.level_reason == level_marker and doc.level == cfg.level.value) if cfg.level \
        else doc.level_reason != level_marker
    same_year = (doc.year_reason == year_marker and doc.year == cfg.year) if cfg.year \
        else doc.year_reason != year_marker
    refs = [(c.id, c.version, c.sha256) for c in card.checklists]
    if doc.sha256 == digest and refs == state.refs and same_level and same_year:
        return _reviewed(card, source, state)
    return None


def _waivers(state: _State, rel: str, item_ids: Iterable[str]) -> dict[str, WaiverOut]:
    import datetime as dt

    from checker.lint.diagnostics import item_waivers

    if not state.waivers:
        return {}
    return item_waivers(state.waivers, rel, item_ids, dt.datetime.fromisoformat(state.config.now))


def _reviewed(card: Scorecard, source: Path, state: _State) -> Scorecard | None:
    """A reused scorecard with the current reviews and waivers (those it was written with may have changed).

    None when the report must be checked again: its letter is wanted and missing or out of date.
    """
    from checker.reviews import NO_REVIEWS, apply_to_card

    reviews = state.reviews
    lookup = reviews.lookup(source.name, card.document.sha256) if reviews else NO_REVIEWS
    reviewed = apply_to_card(card, lookup)
    waivers = _waivers(state, card.document.path, (i.id for i in card.items))
    reviewed = reviewed.model_copy(update={"items": [i.model_copy(update={"waiver": waivers.get(i.id)})
                                                     for i in reviewed.items]})
    if state.config.letters is not None and (reviewed != card or not letter_path(state.config.letters,
                                                                                  card.document.path).is_file()):
        return None
    if reviewed != card:
        write_text(state.config.out / scorecard_rel(card.document.path), dumps(reviewed.model_dump(
            mode="json", by_alias=True)))
    return reviewed


def letter_path(letters: Path, rel: str) -> Path:
    """Where an audit writes the letter of the report ``rel``: the same sub-folders under ``letters``."""
    from checker.render.letter import letter_file_name

    return letters / Path(rel).parent / letter_file_name(rel)


def check_one(path: str, rel: str) -> Result:
    """Check one report and write its scorecard; never raises for a bad input."""
    from checker.pipeline import check_file
    from checker.reviews import NO_REVIEWS, apply_to_report
    from checker.scorecard import scorecard
    from checker.text.decode import InputError

    state = _STATE
    assert state is not None, "init_worker() was not called"
    cfg = state.config
    source = Path(path)
    target = cfg.out / scorecard_rel(rel)
    if cfg.resume and target.is_file():
        card = _reusable(target, source, state)
        if card is not None:
            return Result(row_from_card(card, rel), {i.id: i.status for i in card.items}, True)
    try:
        report = check_file(source, state.checklists, level=cfg.level, year=cfg.year)
        lookup = state.reviews.lookup(source.name, report.document.sha256) if state.reviews else NO_REVIEWS
        card = scorecard(apply_to_report(report, lookup), _waivers(state, rel, (r.item.id for r in report.items)),
                         reviews_stale=lookup.stale)
    except InputError as exc:
        return _error(rel, exc.cause)
    except RecursionError:
        return _error(rel, "内部错误：文档结构过深，无法检查")
    except Exception as exc:  # one bad report must not stop an audit
        return _error(rel, f"内部错误：{type(exc).__name__}: {exc}")
    card = card.model_copy(update={"document": card.document.model_copy(update={"path": rel})})
    try:
        ensure_inside(cfg.out, target)
        write_text(target, dumps(card.model_dump(mode="json", by_alias=True)))
    except OutputFolderError as exc:
        return _error(rel, str(exc))
    except OSError as exc:
        return _error(rel, f"无法写入评分卡 {target}（{exc.strerror or exc}）")
    if cfg.letters is not None:
        from checker.render.letter import structure_problems, write_letter

        letter = letter_path(cfg.letters, rel)
        try:
            ensure_inside(cfg.letters, letter)
            write_letter(letter, card, structure_problems(report))
        except OutputFolderError as exc:
            return _error(rel, str(exc))
        except OSError as exc:
            return _error(rel, f"无法写入审查意见书 {letter}（{exc.strerror or exc}）")
    return Result(row_from_card(card, rel), {i.id: i.status for i in card.items}, False)


# ---------------------------------------------------------------------------------------
# Running an audit


@dataclass
class AuditOptions:
    roots: list[Path]
    out: Path
    specs: list[str] = field(default_factory=list)
    level: Level | None = None
    year: int | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    jobs: int = 0
    resume: bool = False
    html: Path | None = None
    xlsx: Path | None = None
    reviews: Path | None = None
    letters: Path | None = None
    waivers: Path | None = None


#: Called after each report: (done, total, row, reused).
Progress = Callable[[int, int, Row, bool], None]


def _results(sources: Sequence[Source], config: WorkerConfig, jobs: int) -> Generator[Result, None, None]:
    """Results as reports complete; at most a few tasks in flight per worker (bounded memory)."""
    if jobs <= 1 or len(sources) <= 1:
        init_worker(config)
        for src in sources:
            yield check_one(str(src.path), src.rel)
        return
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        # The fork server imports checker once; each worker then starts without importing it again.
        ctx.set_forkserver_preload(["checker.audit.command", "checker.pipeline", "checker.scorecard"])
    pending = iter(sources)
    window = jobs * 4

    def pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=init_worker, initargs=(config, True))

    executor = pool()
    inflight: dict[Future[Result], Source] = {}
    try:
        while True:
            while len(inflight) < window:
                nxt = next(pending, None)
                if nxt is None:
                    break
                try:
                    inflight[executor.submit(check_one, str(nxt.path), nxt.rel)] = nxt
                except BrokenProcessPool:
                    yield _error(nxt.rel, "检查进程意外退出")
                    executor.shutdown(wait=False, cancel_futures=True)
                    executor = pool()
            if not inflight:
                return
            done, _ = wait(inflight, return_when=FIRST_COMPLETED)
            broken = False
            for fut in sorted(done, key=lambda f: inflight[f].rel):
                src = inflight.pop(fut)
                try:
                    yield fut.result()
                except BrokenProcessPool:
                    broken = True
                    yield _error(src.rel, "检查进程意外退出（可能是内存不足）")
                except Exception as exc:
                    yield _error(src.rel, f"内部错误：{type(exc).__name__}: {exc}")
            if broken:
                executor.shutdown(wait=False, cancel_futures=True)
                executor = pool()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


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
        fd, name = tempfile.mkstemp(prefix=".rows.", suffix=".tmp", dir=directory)
        self._path = Path(name)
        self._fh = os.fdopen(fd, "w+b")
        self._index: dict[str, tuple[int, int]] = {}
        self._scores: dict[str, float] = {}
        self._ranks: dict[str, int] | None = None

    def add(self, row: Row) -> None:
        data = row.model_dump_json(by_alias=True).encode("utf-8")
        self._fh.seek(0, os.SEEK_END)
        self._index[row.path] = (self._fh.tell(), len(data))
        self._fh.write(data + b"\n")
        if row.score is not None:
            self._scores[row.path] = row.score
        self._ranks = None

    def __len__(self) -> int:
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
        offset, size = self._index[path]
        self._fh.seek(offset)
        row = Row.model_validate_json(self._fh.read(size))
        return row.model_copy(update={"rank": self._rank(path)})

    def __iter__(self) -> Iterator[Row]:
        for path in sorted(self._index):
            yield self.get(path)

    def lowest(self, n: int) -> list[Row]:
        """The ``n`` lowest-scoring reports, lowest first."""
        worst = sorted(self._scores.items(), key=lambda ps: (ps[1], ps[0]))[:n]
        return [self.get(p) for p, _ in worst]

    def scores(self) -> list[float]:
        return list(self._scores.values())

    def close(self) -> None:
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
        return self.head.totals

    @property
    def checklists(self) -> list[ChecklistRef]:
        return self.head.checklists

    @property
    def parts(self) -> list[str]:
        return self.head.parts

    @property
    def most_missed(self) -> list[ItemStat]:
        return self.head.most_missed

    @property
    def errors(self) -> list[ErrorOut]:
        return self.head.errors

    def lowest(self, n: int) -> list[Row]:
        return self.reports.lowest(n)


class _Tally:
    """Running totals of an audit, so that the rows need not be kept."""

    def __init__(self) -> None:
        self.items: dict[str, Counter[str]] = {}
        self.counts: Counter[str] = Counter()
        self.files = self.checked = self.not_annual = 0
        self.errors: list[ErrorOut] = []

    def add(self, row: Row, statuses: dict[str, str]) -> None:
        self.files += 1
        for item_id, status in statuses.items():
            self.items.setdefault(item_id, Counter())[status] += 1
        if row.status == "error":
            self.errors.append(ErrorOut(path=row.path, cause=row.error or ""))
            return
        self.checked += 1
        self.not_annual += row.is_annual_report is False
        if row.counts is not None:
            self.counts.update(row.counts.model_dump())


def build_summary(
    opts: AuditOptions, checklists: Sequence[LoadedChecklist], rows: RowStore, tally: _Tally
) -> AuditSummary:
    scores = rows.scores()
    stats = []
    for lc in checklists:
        for item in lc.checklist.items:
            c = tally.items.get(item.id, Counter())
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
              "已覆盖", "部分覆盖", "缺失", "不适用", "缺失的必备条目", "标题", "评分卡"]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    # File names, titles and units come from other people's documents: never a formula.
    return excel_safe(str(value))


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


def prune(out: Path, keep: set[str]) -> None:
    """Remove scorecards of reports no longer audited and temp files left by a killed run.

    Only regular files below a real (not linked) ``OUT/scorecards`` are removed; links are
    neither followed nor removed (checker.files.outdir).
    """
    base = out / SCORECARD_DIR
    if base.is_symlink() or not base.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(base, topdown=False):
        here = Path(dirpath)
        for name in filenames:
            path = here / name
            rel = path.relative_to(out).as_posix()
            stale_tmp = name.startswith(".") and name.endswith(".tmp")
            if (stale_tmp or (name.endswith(".json") and rel not in keep)) and is_own_file(path):
                with contextlib.suppress(OSError):
                    path.unlink()
        for name in dirnames:
            with contextlib.suppress(OSError):
                (here / name).rmdir()  # only succeeds when empty


def clean_temp(out: Path) -> None:
    """Temp files left in OUTDIR itself by a killed run."""
    if out.is_dir():
        for path in out.glob(".*.tmp"):
            if not is_own_file(path):
                continue
            with contextlib.suppress(OSError):
                path.unlink()


def run_audit(opts: AuditOptions, checklists: Sequence[LoadedChecklist], progress: Progress | None = None,
              on_start: Callable[[int], None] | None = None) -> AuditSummary:
    """Audit ``opts.roots`` into ``opts.out``; returns the summary (also written to disk).

    The caller closes ``summary.reports`` (the spooled rows) when done with it.
    """
    opts.out.mkdir(parents=True, exist_ok=True)
    check_tree(opts.out, SCORECARD_DIR)
    clean_temp(opts.out)
    own = [opts.out, *(p for p in (opts.html, opts.xlsx, opts.letters) if p is not None)]
    sources, find_errors = discover(opts.roots, include=opts.include, exclude=opts.exclude, skip=own)
    if on_start is not None:
        on_start(len(sources))
    jobs = opts.jobs if opts.jobs > 0 else (os.cpu_count() or 1)
    jobs = max(1, min(jobs, len(sources) or 1))
    import datetime as dt

    config = WorkerConfig(tuple(opts.specs), opts.level, opts.year, opts.out, opts.resume, opts.reviews, opts.letters,
                          opts.waivers, dt.datetime.now(dt.UTC).isoformat(), os.getpid())
    rows = RowStore(opts.out)
    tally = _Tally()
    try:
        for e in find_errors:
            row = _error_row(e.path, e.cause)
            rows.add(row)
            tally.add(row, {})
        results = _results(sources, config, jobs)
        try:
            for done, result in enumerate(results, 1):
                rows.add(result.row)
                tally.add(result.row, result.statuses)
                if progress is not None:
                    progress(done, len(sources), result.row, result.reused)
        finally:
            results.close()  # an interrupted run shuts the worker pool down here, not at garbage collection
        summary = build_summary(opts, checklists, rows, tally)
        failed = {scorecard_rel(e.path) for e in tally.errors}
        prune(opts.out, {card for card in (scorecard_rel(s.rel) for s in sources) if card not in failed})
        write_summary_json(opts.out / SUMMARY_JSON, summary)
        write_summary_csv(opts.out / SUMMARY_CSV, summary)
        if opts.html is not None:
            from checker.render.audit_html import write_dashboard

            write_dashboard(opts.html, summary, opts.out)
        if opts.xlsx is not None:
            from checker.render.workbook import write_workbook

            write_workbook(opts.xlsx, lambda: scorecards(summary, opts.out), summary.parts)
    except BaseException:
        rows.close()  # the spooled rows' temporary file
        raise
    return summary


def scorecards(summary: AuditSummary, out: Path) -> Iterator[tuple[str, Scorecard]]:
    """The checked reports' scorecards, read back one at a time from the audit folder, in path order."""
    for row in summary.reports:
        if row.status != "checked" or not row.scorecard:
            continue
        try:
            card = Scorecard.model_validate_json((out / row.scorecard).read_bytes())
        except (OSError, ValueError):
            continue
        yield row.path, card


# ---------------------------------------------------------------------------------------
# The command (called by cli.audit)


def command(opts: AuditOptions) -> int:
    """Run an audit with a progress display and an end-of-run summary; returns the exit code."""
    from rich.console import Console

    from checker.exitcodes import ExitCode
    from checker.render.console import SafeConsole
    from checker.rules.checklist import ChecklistError, load_many
    from checker.signals import Terminated, exit_code

    err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
    try:
        checklists = load_many(opts.specs)
    except ChecklistError as exc:
        err.print(f"清单错误：\n{exc}", markup=False, style="red")
        return int(ExitCode.USAGE)
    if opts.reviews is not None:
        from checker.reviews import ReviewsError, load_reviews

        try:
            load_reviews(opts.reviews)
        except ReviewsError as exc:
            err.print(f"复核文件错误：\n{exc}", markup=False, style="red")
            return int(ExitCode.USAGE)
    if opts.waivers is not None:
        from checker.lint.waivers import WaiverError, load_waivers

        try:
            load_waivers(opts.waivers)
        except WaiverError as exc:
            err.print(f"豁免文件错误：\n{exc}", markup=False, style="red")
            return int(ExitCode.USAGE)
    if opts.out.exists() and not opts.out.is_dir():
        err.print(f"错误：输出位置 {opts.out} 不是文件夹", markup=False, style="red")
        return int(ExitCode.USAGE)
    try:
        if err.is_terminal:
            summary = _run_with_bar(opts, checklists, err)
        else:
            summary = run_audit(opts, checklists, progress=_plain_progress)
    except OutputFolderError as exc:
        err.print(f"错误：{exc}", markup=False, style="red")
        return int(ExitCode.USAGE)
    except OSError as exc:
        err.print(f"错误：无法写入输出（{exc.strerror or exc}：{exc.filename or opts.out}）", markup=False, style="red")
        return int(ExitCode.USAGE)
    except (KeyboardInterrupt, Terminated) as exc:  # Ctrl-C, or SIGTERM/SIGHUP (checker.signals)
        err.print("已中断。已写出的评分卡都是完整的；用同样的参数加 --resume 续跑。", markup=False, style="yellow")
        return exit_code(exc)
    from checker.render.audit_rich import render_summary

    try:
        out = SafeConsole(highlight=False, width=min(100, Console().width))
        render_summary(summary, opts, out)
        return int(ExitCode.INPUT) if summary.totals.errors else int(ExitCode.OK)
    finally:
        summary.reports.close()


def _plain_progress(done: int, total: int, row: Row, reused: bool) -> None:
    if row.status == "error":
        line = f"[{done}/{total}] 错误 {row.path}：{row.error}"
    else:
        line = f"[{done}/{total}] {'沿用' if reused else '已检查'} {row.path}  得分 {row.score}"
    sys.stderr.write(for_terminal(line) + "\n")
    sys.stderr.flush()


def _run_with_bar(opts: AuditOptions, checklists: Sequence[LoadedChecklist], console: Any) -> AuditSummary:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("审计"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  TextColumn("{task.fields[last]}", style="dim"), console=console, transient=False) as bar:
        task = bar.add_task("audit", total=None, last="")

        def started(total: int) -> None:
            bar.update(task, total=total)

        def advance(done: int, total: int, row: Row, reused: bool) -> None:
            bar.update(task, completed=done, last=row.path[-40:])
            if row.status == "error":
                bar.console.print(f"错误 {row.path}：{row.error}", markup=False, style="red")

        return run_audit(opts, checklists, progress=advance, on_start=started)

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
  complete files only. Scorecards are not fsynced one by one: one sync before the summary
  makes them durable (a system crash before it can leave a scorecard empty, which ``--resume``
  treats like a missing one). ``--resume`` keeps a scorecard whose source hash, checklist hashes
  and ``--level``/``--year`` settings are unchanged – all three are recorded in the
  scorecard itself – so an interrupted run, resumed, ends with byte-identical outputs.
* A bad input becomes an error row with its cause; the run goes on. Rows are sorted by
  path, whatever order the workers finish in.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.files.atomic import sync_all
from checker.files.outdir import OutputFolderError, check_tree, is_own_file
from checker.readers.walk import walk
from checker.rules.checklist import LoadedChecklist
from checker.text.sanitize import for_terminal

if TYPE_CHECKING:
    pass
from checker.audit.options import AuditOptions
from checker.audit.summary import (
    SCORECARD_DIR,
    SUMMARY_CSV,
    SUMMARY_JSON,
    AuditSummary,
    Row,
    RowStore,
    Tally,
    build_summary,
    write_summary_csv,
    write_summary_json,
)
from checker.audit.worker import (
    WorkerConfig,
    error_row,
    run_pool,
    scorecard_rel,
)

#: Called after each report: (done, total, row, reused).
Progress = Callable[[int, int, Row, bool], None]


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
    found, find_errors = walk(opts.roots, include=opts.include, exclude=opts.exclude, skip=own)
    sources = sorted(found, key=lambda f: f.rel)  # rows and scorecards in the order of their unique keys
    if on_start is not None:
        on_start(len(sources))
    jobs = opts.jobs if opts.jobs > 0 else (os.cpu_count() or 1)
    jobs = max(1, min(jobs, len(sources) or 1))
    import datetime as dt

    config = WorkerConfig(tuple(opts.specs), opts.level, opts.year, opts.out, opts.resume, opts.reviews, opts.letters,
                          opts.waivers, dt.datetime.now(dt.UTC).isoformat(), os.getpid(), opts.level_source)
    rows = RowStore(opts.out)
    tally = Tally()
    try:
        for e in find_errors:
            row = error_row(e.rel, e.cause)
            rows.add(row)
            tally.add(row, {})
        results = run_pool(sources, config, jobs)
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
        sync_all()  # the scorecards were renamed into place without an fsync each: one sync before the summary
        write_summary_json(opts.out / SUMMARY_JSON, summary)
        write_summary_csv(opts.out / SUMMARY_CSV, summary)
        files = [(name, path) for name, path in (("html", opts.html), ("xlsx", opts.xlsx)) if path is not None]
        if files:
            from checker.render.registry import AuditResult, get

            for name, path in files:
                get("audit", name).write(AuditResult(summary, opts), path)
    except BaseException:
        rows.close()  # the spooled rows' temporary file
        raise
    return summary


# ---------------------------------------------------------------------------------------
# The command (called by cli.audit)


def command(opts: AuditOptions) -> int:
    """Run an audit with a progress display and an end-of-run summary; returns the exit code."""
    from rich.console import Console

    from checker.exitcodes import ExitCode
    from checker.pipeline import ChecklistSet
    from checker.render.console import SafeConsole
    from checker.rules.checklist import ChecklistError
    from checker.signals import Terminated, exit_code

    err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
    try:
        checklists = ChecklistSet(opts.specs).candidates()
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
    from checker.render.registry import AuditResult, Output, get

    try:
        get("audit", "rich").format(AuditResult(summary, opts), Output(sys.stdout, width=min(100, Console().width)))
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

        def advance(done: int, _total: int, row: Row, _reused: bool) -> None:
            bar.update(task, completed=done, last=row.path[-40:])
            if row.status == "error":
                bar.console.print(f"错误 {row.path}：{row.error}", markup=False, style="red")

        return run_audit(opts, checklists, progress=advance, on_start=started)

"""Checking one report in a worker process (with --resume's reuse test) and the process pool that runs them."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Generator, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from checker import cards
from checker.cards import Card, dumps
from checker.files.atomic import write_text
from checker.files.outdir import OutputFolderError, ensure_inside
from checker.vocabulary import Level, LevelSource

if TYPE_CHECKING:
    from checker.lint.waivers import Waiver
    from checker.pipeline import ChecklistSet
    from checker.reviews import Reviews
    from checker.scorecard import Scorecard, WaiverOut
from checker.audit.summary import SCORECARD_DIR, Row
from checker.readers.walk import Found


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """What every worker needs to check a report (picklable: sent once to each worker)."""

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
    level_source: LevelSource = LevelSource.OPTION  #: where ``level`` came from (--level or the configuration)


@dataclass(slots=True)
class _State:
    config: WorkerConfig
    checklists: ChecklistSet
    reviews: Reviews | None = None
    waivers: tuple[Waiver, ...] = ()
    #: The garbage collector needs no (more) setting up: done after a pool worker's first report (_settle); an
    #: audit checking in its own process (--jobs 1, tests) leaves the process's collector alone.
    settled: bool = True


_STATE: _State | None = None


def init_worker(config: WorkerConfig, pool_worker: bool = False) -> None:
    """Pool initializer: load the checklists once per worker (a pool's workers leave Ctrl-C to the parent)."""
    global _STATE
    from checker.pipeline import ChecklistSet
    from checker.signals import leave_to_parent, watch_parent

    if pool_worker:
        leave_to_parent()
        watch_parent(config.parent)
    checklists = ChecklistSet(config.specs)  # named, or chosen per report by its year
    reviews = None
    if config.reviews is not None:
        from checker.reviews import load_reviews

        reviews = load_reviews(config.reviews)  # the parent loaded it once already: errors were reported there
    waivers: tuple[Waiver, ...] = ()
    if config.waivers is not None:
        from checker.lint.waivers import load_waivers

        waivers = load_waivers(config.waivers)  # likewise checked by the parent
    _STATE = _State(config, checklists, reviews, waivers, settled=not pool_worker)


def scorecard_rel(rel: str) -> str:
    """Where the scorecard of the report ``rel`` goes, relative to the audit folder."""
    return f"{SCORECARD_DIR}/{rel}.json"


@dataclass(frozen=True, slots=True)
class Result:
    """What a worker sends back for one report: its row, its items' statuses, whether it was reused."""

    row: Row
    statuses: dict[tuple[str, str], str]  #: (checklist, item id) -> status (aggregated by the parent, then dropped)
    reused: bool


def _error(rel: str, cause: str) -> Result:
    return Result(error_row(rel, cause), {}, False)


def error_row(rel: str, cause: str) -> Row:
    """The summary row of a file that could not be checked."""
    return Row(path=rel, status="error", error=cause, scorecard=None, sha256=None, title=None, body=None,
               level=None, year=None, is_annual_report=None, score=None, rank=None, counts=None,
               missing_required=[], part_scores={})


def row_from_data(card: Card, rel: str) -> Row:
    """The summary row of a checked report, from its scorecard as plain data (checker.cards)."""
    doc, summary = card["document"], card["summary"]
    return Row(
        path=rel,
        status="checked",
        error=None,
        scorecard=scorecard_rel(rel),
        sha256=doc["sha256"],
        title=doc["title"],
        body=doc["body"],
        level=doc["level"],
        year=doc["year"],
        is_annual_report=doc["is_annual_report"],
        score=summary["score"],
        rank=None,
        counts=summary["counts"],
        missing_required=list(summary["missing_required"]),
        part_scores=cards.part_scores(card),
        reviewed=sum(1 for i in card["items"] if i["review"] is not None),
        reviews_stale=doc["reviews_stale"],
        checklist=cards.content_checklist(card),
    )


def _reusable(card_path: Path, source: Path, state: _State) -> Scorecard | None:
    """The existing scorecard, if its source, checklists and settings are unchanged."""
    from checker.scorecard import Scorecard
    from checker.text.decode import InputError, read_bytes

    try:
        card = Scorecard.model_validate_json(card_path.read_bytes())
        digest = hashlib.sha256(read_bytes(source)).hexdigest()
    except (OSError, ValueError, InputError):
        return None
    cfg = state.config
    settings = card.settings
    same_settings = settings is not None and (settings.level, settings.year) == (
        cfg.level.value if cfg.level else None, cfg.year)
    refs = [(c.id, c.version, c.sha256) for c in card.checklists]
    # The checklists the card's year gets now (a card written before the choice was recorded is redone).
    chosen = [(lc.checklist.id, lc.checklist.version, lc.sha256)
              for lc in state.checklists.for_year(card.document.year)[1]]
    if card.document.sha256 == digest and card.checklist_choice is not None and refs == chosen and same_settings:
        return _reviewed(card, source, state)
    return None


def _now(state: _State) -> dt.datetime | None:
    """The run's time, for deciding whether a waiver has expired (None: no waivers to decide on)."""
    return dt.datetime.fromisoformat(state.config.now) if state.waivers else None


def _waivers(state: _State, rel: str, item_ids: Iterable[str]) -> dict[str, WaiverOut]:
    from checker.lint.diagnostics import item_waivers

    now = _now(state)
    return item_waivers(state.waivers, rel, item_ids, now) if now is not None else {}


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
            mode="json", by_alias=True)), durable=False)  # made durable by run_audit's one sync
    return reviewed


def letter_path(letters: Path, rel: str) -> Path:
    """Where an audit writes the letter of the report ``rel``: the same sub-folders under ``letters``."""
    from checker.render.letter import letter_file_name

    return letters / Path(rel).parent / letter_file_name(rel)


#: Net new container objects between two collections of the youngest generation (Python's default: 700).
GC_THRESHOLD = 10_000


def _settle(state: _State) -> None:
    """After the first report: what the process keeps (checklists, compiled patterns) is left out of collections.

    A report builds thousands of objects that live until it is written: with the default threshold the collector
    ran two or three times per report over all of them, and now and then over every object of the process.
    Collected once, then frozen (gc.freeze), the long-lived objects are no longer traversed; the higher threshold
    lets a report's objects be freed by reference counting before a collection is due (cycles are still collected).
    """
    import gc

    state.settled = True
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def check_one(path: str, rel: str) -> Result:
    """Check one report and write its scorecard; never raises for a bad input."""
    state = _STATE
    assert state is not None, "init_worker() was not called"
    result = _check_one(state, path, rel)
    if not state.settled:
        _settle(state)
    return result


def _check_one(state: _State, path: str, rel: str) -> Result:
    from checker.scored import score_file
    from checker.text.decode import InputError

    cfg = state.config
    source = Path(path)
    target = cfg.out / scorecard_rel(rel)
    if cfg.resume and target.is_file():
        reused = _reusable(target, source, state)
        if reused is not None:
            data = reused.model_dump(mode="json", by_alias=True)
            return Result(row_from_data(data, rel), _statuses(data), True)
    try:
        scored = score_file(source, state.checklists, level=cfg.level, year=cfg.year, level_source=cfg.level_source,
                            reviews=state.reviews, waivers=state.waivers, now=_now(state),
                            waiver_path=rel, structure=cfg.letters is not None)
    except InputError as exc:
        return _error(rel, exc.cause)
    except RecursionError:
        return _error(rel, "内部错误：文档结构过深，无法检查")
    except Exception as exc:  # one bad report must not stop an audit
        return _error(rel, f"内部错误：{type(exc).__name__}: {exc}")
    card = cards.with_path(scored.data, rel)
    try:
        ensure_inside(cfg.out, target)
        write_text(target, dumps(card), durable=False)  # one sync at the end
    except OutputFolderError as exc:
        return _error(rel, str(exc))
    except OSError as exc:
        return _error(rel, f"无法写入评分卡 {target}（{exc.strerror or exc}）")
    if cfg.letters is not None:
        from checker.render.registry import LetterResult, get
        from checker.scorecard import Scorecard

        letter = letter_path(cfg.letters, rel)
        try:
            ensure_inside(cfg.letters, letter)
            get("letter", "docx").write(LetterResult(scored.report, Scorecard.model_validate(card)), letter)
        except OutputFolderError as exc:
            return _error(rel, str(exc))
        except OSError as exc:
            return _error(rel, f"无法写入审查意见书 {letter}（{exc.strerror or exc}）")
    return Result(row_from_data(card, rel), _statuses(card), False)


# ---------------------------------------------------------------------------------------
# Running an audit


def run_pool(sources: Sequence[Found], config: WorkerConfig, jobs: int) -> Generator[Result, None, None]:
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
        _start_forkserver()
    pending = iter(sources)
    window = jobs * 4

    def pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=init_worker, initargs=(config, True))

    executor = pool()
    inflight: dict[Future[Result], Found] = {}
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


def _start_forkserver() -> None:
    """Start the fork server where it imports the same checker as this process, not one in the working folder.

    The server runs ``python -c …``, so the folder it starts in comes first on its module path, and Python 3.11's
    fork server imports its preloaded modules before it takes this process's path: started in a folder holding a
    ``checker`` package (a source tree, a copy, someone else's folder), the workers ran that code instead of this
    one – the pure-Python tree instead of an installed compiled build, or whatever the folder held. It is started
    in the folder this process's checker was imported from; the workers then change to this process's working
    folder and path as usual (multiprocessing.spawn.prepare).
    """
    import contextlib
    from multiprocessing import forkserver

    import checker

    home = Path(checker.__file__).resolve().parent.parent
    with contextlib.chdir(home):
        forkserver.ensure_running()


def _statuses(card: Card) -> dict[tuple[str, str], str]:
    return {(i["checklist"], i["id"]): i["status"] for i in card["items"]}

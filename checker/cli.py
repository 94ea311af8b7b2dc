"""Command-line interface (typer app only: the work is done in the other modules)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, MutableMapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn

import click
import typer
import typer.core
import typer.main

from checker import parser_zh
from checker.exitcodes import ExitCode
from checker.render.registry import help_of, names
from checker.vocabulary import Level, LevelSource, parse_level

if TYPE_CHECKING:  # what the commands load: imported by them when they run, not at start-up
    from checker.lint.waivers import Waiver
    from checker.pipeline import ChecklistSet
    from checker.reviews import Reviews

parser_zh.install()

# click's own help layout (not typer's rich panels): every word of it goes through the Chinese table
# of parser_zh, it wraps long lists of choices instead of cutting them, and it needs no rich at start.
_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 160}


class _Commands(MutableMapping[str, click.Command]):
    """The root group's subcommands by name, each built by typer the first time it is asked for.

    Building a command makes typer read its function's signature and annotations and create its click
    parameters; ``checker check`` needs only its own, so the others are built only for the help page
    (which lists them all) or when invoked. The names, and their order, are known without building.
    """

    def __init__(self, catalogue: typer.Typer, root: typer.Typer) -> None:
        self._builders: dict[str, Callable[[], click.Command]] = {}
        for info in catalogue.registered_commands:  # typer's order: the commands, then the groups
            assert info.callback is not None
            self._builders[info.name or typer.main.get_command_name(info.callback.__name__)] = functools.partial(
                typer.main.get_command_from_info, info, pretty_exceptions_short=root.pretty_exceptions_short,
                rich_markup_mode=root.rich_markup_mode)
        for group in catalogue.registered_groups:
            assert isinstance(group.name, str)
            self._builders[group.name] = functools.partial(
                typer.main.get_group_from_info, group, pretty_exceptions_short=root.pretty_exceptions_short,
                rich_markup_mode=root.rich_markup_mode, suggest_commands=root.suggest_commands)
        self._built: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._built:
            self._built[name] = self._builders[name]()  # KeyError for an unknown name, as a dict
        return self._built[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._built[name] = command
        self._builders.setdefault(name, lambda: command)

    def __delitem__(self, name: str) -> None:
        del self._builders[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)


class _LazyGroup(typer.core.TyperGroup):
    """The ``checker`` group: its subcommands come from :data:`commands`, built only when used."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands(commands, app)

    def list_commands(self, ctx: click.Context) -> list[str]:  # noqa: ARG002 (click's signature)
        """The subcommands' names in the order they were declared (without building them)."""
        return list(self.commands)


app = typer.Typer(
    name="checker",
    help="法治政府建设年度报告合规检查：按《法治政府建设实施纲要》和督察规定逐项检查报告覆盖情况。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=_CONTEXT,
    cls=_LazyGroup,
)
#: Where the subcommands are declared; ``app``'s group (:class:`_LazyGroup`) builds each one on first use.
commands = typer.Typer(rich_markup_mode=None)
checklists_app = typer.Typer(help="列出、查看和测试检查清单。", no_args_is_help=False, rich_markup_mode=None,
                             context_settings=_CONTEXT)
commands.add_typer(checklists_app, name="checklists")
reviews_app = typer.Typer(help="复核意见：从交回的复核工作簿导入审阅人员的复核结论。", no_args_is_help=True,
                          rich_markup_mode=None, context_settings=_CONTEXT)
commands.add_typer(reviews_app, name="reviews")


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("checker")
        except PackageNotFoundError:  # running from a source tree that was never installed
            number = "未安装"
        typer.echo(f"checker {number}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,  # noqa: ARG001
                                          help="显示版本号并退出。")] = False,
) -> None:
    """法治政府建设年度报告合规检查：按《法治政府建设实施纲要》和督察规定逐项检查报告覆盖情况。"""
    if ctx.invoked_subcommand != "check":  # check settles after importing and loading what it needs
        _settled()


_STARTING = [False]  #: main() turned the garbage collector off for the start-up


def _settled() -> None:
    """Start-up is over: what it built is kept out of the garbage collector's sight, and collection resumes.

    A cold start allocates tens of thousands of long-lived objects (modules, classes, compiled patterns,
    checklists) and no garbage worth collecting; collecting during it, and traversing those objects at
    every later full collection, is work for nothing. ``main`` turns the collector off; the command turns
    it back on once it has imported and loaded what it needs, after ``gc.freeze`` has moved every object
    alive to the permanent generation. Only under ``main`` (a process of its own): a test calling the app
    in-process keeps its collector as it is.
    """
    if _STARTING[0]:
        import gc

        _STARTING[0] = False
        gc.freeze()
        gc.enable()


def _level(text: str) -> Level:
    try:
        return parse_level(text)
    except ValueError as bad:
        raise typer.BadParameter(str(bad)) from None


class EvidenceMode(StrEnum):
    """How much evidence ``check`` shows: a snippet around each match, or every quote in full."""

    snippet = "snippet"
    full = "full"


def _format_option(command: str) -> Any:
    """``--format``/``-f`` of a command: its choices come from the formatter registry."""
    return typer.Option("--format", "-f", click_type=click.Choice(names(command)), help="输出格式。")


CheckFormatOpt = Annotated[str, _format_option("check")]
EvalFormatOpt = Annotated[str, _format_option("eval")]
DiffFormatOpt = Annotated[str, _format_option("diff")]

PROGRESS_FROM = 6  #: a progress bar on stderr when checking at least this many files on a terminal
PIPED_WIDTH = 100  #: width of the report when stdout is not a terminal and COLUMNS is not set


def _err(message: str) -> None:
    from checker.render.console import SafeConsole

    SafeConsole(stderr=True, highlight=False, soft_wrap=True).print(message, markup=False, style="red")


def _fail(message: str, code: ExitCode) -> NoReturn:
    _err(message)
    raise typer.Exit(int(code))


def _load(specs: list[str]) -> list:  # type: ignore[type-arg]
    from checker.rules.checklist import ChecklistError
    from checker.rules.loader import load_many

    try:
        return load_many(specs)
    except ChecklistError as error:
        _fail(f"清单错误：\n{error}", ExitCode.USAGE)


def _checklist_set(specs: list[str] | None):  # type: ignore[no-untyped-def]
    """The checklists named with --checklist, or (none named) those chosen by each report's year."""
    from checker.pipeline import ChecklistSet
    from checker.rules.checklist import ChecklistError

    try:
        return ChecklistSet(specs or ())
    except ChecklistError as error:
        _fail(f"清单错误：\n{error}", ExitCode.USAGE)


def _load_each(specs: list[str]) -> list:  # type: ignore[type-arg]
    """Checklists loaded one spec at a time: checklists of different periods share item ids."""
    loaded: dict[Path, object] = {}
    for spec in specs:
        for lc in _load([spec]):
            loaded.setdefault(lc.path.resolve(), lc)
    return list(loaded.values())


ChecklistOpt = Annotated[
    list[str] | None,
    typer.Option("--checklist", "-c", help="清单 id 或 YAML 路径，可重复；默认按报告年度选用："
                 "2020年度及以前 gangyao-2015，2021—2025年度 gangyao-2021，另加 report-structure（2019年度起适用）。"),
]
EvalChecklistOpt = Annotated[
    list[str] | None,
    typer.Option("--checklist", "-c", help="清单 id 或 YAML 路径，可重复；默认：gangyao-2021 和 report-structure"
                 "（不按年度选用：标注所依据的是哪一期纲要，就用 -c 指定哪一份清单）。"),
]
LevelOpt = Annotated[Level | None, typer.Option(
    "--level", parser=_level, metavar="层级",
    help="报告单位层级，不指定则自动识别：省级/市级/县级/乡镇/部门，或 省、市、区、县、乡、镇、街道"
         "（也可写 province、city、county、township、department）。")]
YearOpt = Annotated[int | None, typer.Option("--year", min=2000, max=2100, help="报告年度（不指定则自动识别）。")]
ReviewsOpt = Annotated[Path | None, typer.Option(
    "--reviews", help="复核文件（checker reviews import 生成）：条目状态以审阅人员的复核结论为准。")]
CheckXlsxOpt = Annotated[Path | None, typer.Option("--xlsx", help=help_of("check", "xlsx"))]
AuditXlsxOpt = Annotated[Path | None, typer.Option("--xlsx", help=help_of("audit", "xlsx"))]
WaiversOpt = Annotated[Path | None, typer.Option("--waivers", help="豁免文件（YAML）：显示经批准豁免的条目。")]


ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="配置文件（默认向上查找 checker.toml 或 pyproject.toml）。")]
NoConfigOpt = Annotated[bool, typer.Option("--no-config", help="不读取任何配置文件。")]


def _settings(config: Path | None, no_config: bool):  # type: ignore[no-untyped-def]
    """The settings in force (``checker.toml`` / ``[tool.checker]``); a bad file ends the command in Chinese."""
    from checker.settings import ConfigError, load_config

    try:
        return load_config(config, use_files=not no_config)
    except ConfigError as bad:
        _fail(f"配置错误：\n{bad}", ExitCode.USAGE)


def _load_waivers(path: Path | None) -> tuple:  # type: ignore[type-arg]
    """The waivers of a file (empty without one); a bad file ends the command with a Chinese message."""
    if path is None:
        return ()
    from checker.lint.waivers import WaiverError, load_waivers

    try:
        return load_waivers(path)
    except WaiverError as bad:
        _fail(f"豁免文件错误：\n{bad}", ExitCode.USAGE)


def _load_reviews(path: Path | None):  # type: ignore[no-untyped-def]
    """The reviews file, or None; a bad file ends the command with a Chinese message."""
    if path is None:
        return None
    from checker.reviews import ReviewsError, load_reviews

    try:
        return load_reviews(path)
    except ReviewsError as bad:
        _fail(f"复核文件错误：\n{bad}", ExitCode.USAGE)


class _RunInputs(NamedTuple):
    """What check and letter take from the command line and the configuration, loaded and validated."""

    checklists: ChecklistSet
    level: Level | None
    level_source: LevelSource
    reviews: Reviews | None
    waivers: tuple[Waiver, ...]


def _run_inputs(config: Path | None, no_config: bool, checklist: list[str] | None, level: Level | None,
                reviews: Path | None, waivers: Path | None) -> _RunInputs:
    """The checklists, level (and its source), reviews and waivers in force.

    An option wins over the configuration; a bad file ends the command with a Chinese message.
    """
    cfg = _settings(config, no_config)
    in_force, source = cfg.level_in_force(level)
    return _RunInputs(_checklist_set(checklist or list(cfg.checklists or ())), in_force, source,
                      _load_reviews(reviews), _load_waivers(waivers or cfg.waivers))


@commands.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="报告文件或文件夹。", show_default=False)],
    checklist: ChecklistOpt = None,
    level: LevelOpt = None,
    year: YearOpt = None,
    fmt: CheckFormatOpt = "rich",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件（原子写入）而不是屏幕。")] = None,
    reviews: ReviewsOpt = None,
    xlsx: CheckXlsxOpt = None,
    waivers: WaiversOpt = None,
    evidence: Annotated[EvidenceMode, typer.Option(
        "--evidence", help="证据显示方式：snippet（命中处前后一段，默认）或 full（全部证据的完整引文和所在章节）。")
    ] = EvidenceMode.snippet,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
) -> None:
    """逐项检查报告：哪些要求已覆盖、只在问题或计划中提到、缺失，并给出证据。"""
    import datetime as dt

    from checker.pipeline import collect
    from checker.scored import Scored, score_file
    from checker.text.decode import InputError

    run = _run_inputs(config, no_config, checklist, level, reviews, waivers)
    _settled()
    now = dt.datetime.now(dt.UTC)
    files, errors = collect(paths)
    done: list[Scored] = []
    with _progress(len(files)) as advance:
        for path in files:
            try:
                scored = score_file(path, run.checklists, level=run.level, year=year, level_source=run.level_source,
                                    reviews=run.reviews, waivers=run.waivers, now=now)
            except InputError as exc:
                errors.append(exc)
                continue
            finally:
                advance(path)
            if scored.reviews_stale:
                from checker.reviews import stale_message

                _err(f"注意：{stale_message(str(path))}")
            done.append(scored)
    from checker.render.registry import CheckResult

    single = len(paths) == 1 and len(files) == 1 and paths[0].is_file()
    result = CheckResult([s.report for s in done], [s.data for s in done], single, evidence.value,
                         [s.waivers for s in done])
    if xlsx is not None:
        _write_file("check", "xlsx", result, xlsx)
    # JSON has no width, and a file is written at PIPED_WIDTH: only the screen needs a rich console to measure it
    width = PIPED_WIDTH if fmt == "json" or output is not None else _screen_width()
    _emit_format("check", fmt, result, output, width)
    for error in errors:
        _err(f"错误：{error.path}：{error.cause}")
    if errors:
        raise typer.Exit(int(ExitCode.INPUT))


def _write_file(command: str, name: str, result: object, path: Path) -> None:
    """Write one file output of a command with the registry's formatter; a write error ends the command."""
    from checker.render.registry import get

    try:
        get(command, name).write(result, path)
    except OSError as exc:
        _fail(f"错误：无法写入 {path}：{exc.strerror or exc}", ExitCode.USAGE)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from checker.files.atomic import write_text

    try:
        write_text(output, text)
    except OSError as exc:
        _fail(f"错误：无法写入 {output}：{exc.strerror or exc}", ExitCode.USAGE)


def _progress(total: int):  # type: ignore[no-untyped-def]
    """A context giving ``advance(path)``: a progress bar on stderr for many files on a terminal."""
    import contextlib

    if total < PROGRESS_FROM:  # no bar, and no rich console to ask whether stderr is a terminal
        return contextlib.nullcontext(lambda _path: None)
    from checker.render.console import SafeConsole

    err = SafeConsole(stderr=True)
    if not err.is_terminal:
        return contextlib.nullcontext(lambda _path: None)

    @contextlib.contextmanager
    def bar():  # type: ignore[no-untyped-def]
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(TextColumn("检查"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      TextColumn("{task.fields[last]}", style="dim"), console=err, transient=True) as progress:
            task = progress.add_task("check", total=total, last="")
            yield lambda path: progress.update(task, advance=1, last=str(path)[-40:])

    return bar()


def _screen_width() -> int:
    """The terminal's full width; when piped, COLUMNS if set, else PIPED_WIDTH."""
    import os

    from rich.console import Console

    probe = Console()
    return probe.width if probe.is_terminal or os.environ.get("COLUMNS") else PIPED_WIDTH


def _emit_format(command: str, name: str, result: object, output: Path | None, width: int | None) -> None:
    """Format a command's result with the registry's formatter: to the screen, or atomically to ``output``."""
    from checker.render.registry import Output, get

    formatter = get(command, name)
    if output is None:
        formatter.format(result, Output(sys.stdout, width=width))
        sys.stdout.flush()
        return
    import io

    buffer = io.StringIO()
    formatter.format(result, Output(buffer, width=PIPED_WIDTH, color=False))
    _emit(buffer.getvalue(), output)


@checklists_app.callback(invoke_without_command=True)
def checklists_list(ctx: typer.Context) -> None:
    """列出内置清单及其条目。"""
    if ctx.invoked_subcommand is not None:
        return
    from checker.render.registry import ChecklistsResult
    from checker.rules.checklist import bundled

    _emit_format("checklists", "rich", ChecklistsResult([_load([name])[0] for name in bundled()]), None, None)


@checklists_app.command("show")
def checklists_show(
    item_id: Annotated[str, typer.Argument(help="条目 id（如 EN03）。")],
    checklist: ChecklistOpt = None,
) -> None:
    """显示一个条目：出处、检测规则和例子。"""
    from checker.render.registry import ItemsResult
    from checker.rules.checklist import bundled

    found = [(lc, item) for lc in _load_each(checklist or list(bundled()))
             if (item := lc.model.item(item_id)) is not None]
    if not found:
        _fail(f"找不到条目 {item_id}", ExitCode.USAGE)
    _emit_format("checklists show", "rich", ItemsResult(found), None, None)


@checklists_app.command("test")
def checklists_test(
    files: Annotated[
        list[Path] | None, typer.Argument(help="清单 YAML 文件；默认：全部内置清单。", show_default=False)
    ] = None,
    item: Annotated[str | None, typer.Option("--item", help="只测试这个条目。")] = None,
) -> None:
    """运行清单中每个条目的例子（应覆盖 / 不应覆盖），报告不符合的例子。"""
    from checker.render.registry import ExamplesResult
    from checker.rules.checklist import bundled
    from checker.rules.examples import run_examples

    specs = [str(f) for f in files] if files else list(bundled())
    result = ExamplesResult([(lc, run_examples(lc, only=item)) for lc in _load_each(specs)])
    _emit_format("checklists test", "rich", result, None, None)
    if result.failed:
        raise typer.Exit(int(ExitCode.FINDINGS))


@commands.command("eval")
def eval_(
    paths: Annotated[list[Path], typer.Argument(help="已标注的报告文件或文件夹（按文件名对应）。", show_default=False)],
    gold: Annotated[Path, typer.Option("--gold", help="标注文件（YAML，格式见 docs/eval.md）。", show_default=False)],
    checklist: EvalChecklistOpt = None,
    fmt: EvalFormatOpt = "rich",
    min_f1: Annotated[float | None, typer.Option("--min-f1", min=0, max=1, help="F1 低于此值时退出码为 1。")] = None,
    min_agreement: Annotated[
        float | None, typer.Option("--min-agreement", min=0, max=1, help="三类一致率低于此值时退出码为 1。")
    ] = None,
) -> None:
    """对照人工标注评估清单的准确率：精确率、召回率、F1、三类一致率和每一处不一致。"""
    from checker.accuracy import GoldError, below, evaluate_paths

    loaded = _load(checklist or [])
    try:
        ev = evaluate_paths(gold, paths, loaded)
    except GoldError as bad:
        _fail(f"标注文件错误：\n{bad}", ExitCode.USAGE)
    from rich.console import Console

    _emit_format("eval", fmt, ev, None, min(100, Console().width))
    for problem in ev.errors:
        _err(f"错误：{problem.path}：{problem.cause}")
    failures = below(ev, min_f1, min_agreement)
    for failure in failures:
        _err(f"未达标：{failure}")
    if ev.errors:
        raise typer.Exit(int(ExitCode.INPUT))
    if failures:
        raise typer.Exit(int(ExitCode.FINDINGS))


@commands.command()
def audit(
    paths: Annotated[list[Path], typer.Argument(help="要审计的文件夹（或文件）。", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="输出文件夹：评分卡、summary.json、summary.csv。")],
    checklist: ChecklistOpt = None,
    level: LevelOpt = None,
    year: YearOpt = None,
    include: Annotated[list[str] | None, typer.Option("--include", help="只审计匹配的文件（glob，可重复）。")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="跳过匹配的文件（glob，可重复）。")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="并行进程数；0 = 全部 CPU 核。")] = 0,
    resume: Annotated[bool, typer.Option("--resume", help="跳过内容和清单都未变的报告（中断后续跑）。")] = False,
    html: Annotated[Path | None, typer.Option("--html", help=help_of("audit", "html"))] = None,
    xlsx: AuditXlsxOpt = None,
    reviews: ReviewsOpt = None,
    letters: Annotated[Path | None, typer.Option(
        "--letters", help="为每份报告写一份审查意见书（.docx）到这个文件夹。")] = None,
    waivers: WaiversOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
) -> None:
    """批量审计文件夹中的全部报告：每份一个评分卡，外加汇总表（JSON、CSV）和可选的 HTML 看板。"""
    from checker.audit.command import command
    from checker.audit.options import AuditOptions

    cfg = _settings(config, no_config)
    specs = checklist or list(cfg.checklists or ())
    level, level_source = cfg.level_in_force(level)
    raise typer.Exit(command(AuditOptions(paths, out, specs, level, year, include or [], exclude or [], jobs, resume,
                                          html, xlsx, reviews, letters, waivers or cfg.waivers, level_source)))


@commands.command("diff")
def diff_(
    old: Annotated[Path, typer.Argument(help="旧的评分卡 JSON 或审计文件夹。", show_default=False)],
    new: Annotated[Path, typer.Argument(help="新的评分卡 JSON 或审计文件夹。", show_default=False)],
    fmt: DiffFormatOpt = "rich",
    reviews: ReviewsOpt = None,
) -> None:
    """对比两份评分卡或两次审计：新覆盖、新缺失的条目和得分变化（按文件、单位和年度配对）。"""
    from checker.diff import command

    raise typer.Exit(command(old, new, fmt, reviews))


@commands.command()
def lint(
    paths: Annotated[list[Path], typer.Argument(help="报告文件或文件夹。", show_default=False)],
    checklist: ChecklistOpt = None,
    level: LevelOpt = None,
    year: YearOpt = None,
    fmt: Annotated[list[str] | None, typer.Option(
        "--format", "-f", help=f"输出格式（可重复）：{'、'.join(('auto', *names('lint')))}；"
                                  "写成 名称:路径 则写入文件。")] = None,
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", help="达到这一级别即失败（退出码 1）：error（默认）、warning、info、never。")] = None,
    min_level: Annotated[str | None, typer.Option(
        "--min-level", help="只显示这一级别及以上：info（默认）、warning、error。")] = None,
    select: Annotated[list[str] | None, typer.Option("--select", help="只报告这些 id 或前缀（可重复）。")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="不报告这些 id 或前缀（可重复）。")] = None,
    waivers: Annotated[Path | None, typer.Option("--waivers", help="豁免文件（YAML）。")] = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    reviews: ReviewsOpt = None,
) -> None:
    """提交前检查：按 路径:行:列: 级别 编号 说明 列出要补充或修改的地方，可用于 CI 和 pre-commit。"""
    from checker.lint.command import LintRequest, LintUsageError, execute, parse_levels

    try:
        outcome = execute(LintRequest(paths, checklist, level, year, *parse_levels(fail_on, min_level), select, ignore,
                                      fmt or [], waivers, config, no_config, reviews), color=sys.stdout.isatty())
    except LintUsageError as error:
        _fail(str(error), ExitCode.USAGE)
    sys.stdout.write(outcome.stdout)
    sys.stdout.flush()
    raise typer.Exit(int(outcome.code))


@commands.command()
def letter(
    paths: Annotated[list[Path], typer.Argument(help="报告文件或文件夹。", show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="审查意见书（.docx）或存放的文件夹；默认当前文件夹。")] = None,
    checklist: ChecklistOpt = None,
    level: LevelOpt = None,
    year: YearOpt = None,
    reviews: ReviewsOpt = None,
    waivers: WaiversOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
) -> None:
    """为每份报告写一份审查意见书（Word .docx，公文格式）：缺少的必备内容、只在问题或计划中提到的内容、结构问题。"""
    import datetime as dt

    from checker.pipeline import collect
    from checker.render.letter import letter_name
    from checker.render.registry import LetterResult
    from checker.reviews import stale_message
    from checker.scored import score_file
    from checker.text.decode import InputError

    run = _run_inputs(config, no_config, checklist, level, reviews, waivers)
    now = dt.datetime.now(dt.UTC)
    files, errors = collect(paths)
    single_file = output is not None and output.suffix.lower() == ".docx"
    if single_file and len(files) > 1:
        _fail(f"错误：有 {len(files)} 份报告，-o 应为文件夹而不是 {output}", ExitCode.USAGE)
    for path in files:
        try:
            scored = score_file(path, run.checklists, level=run.level, year=year, level_source=run.level_source,
                                reviews=run.reviews, waivers=run.waivers, now=now, structure=True)
        except InputError as exc:
            errors.append(exc)
            continue
        if scored.reviews_stale:
            _err(f"注意：{stale_message(str(path))}")
        target = output if single_file and output is not None else (output or Path()) / letter_name(scored.card)
        _write_file("letter", "docx", LetterResult(scored.report, scored.card), target)
        sys.stdout.write(f"已写出 {target}\n")
    for error in errors:
        _err(f"错误：{error.path}：{error.cause}")
    if errors:
        raise typer.Exit(int(ExitCode.INPUT))


@reviews_app.command("import")
def reviews_import(
    workbook: Annotated[Path, typer.Argument(help="交回的复核工作簿（.xlsx）。", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="复核文件（YAML）；已存在则合并。")] = Path(
        "reviews.yaml"),
    date: Annotated[str | None, typer.Option("--date", help="复核日期（ISO 日期，默认今天）。")] = None,
) -> None:
    """把复核工作簿“明细”表中填写的复核结论、复核说明、复核人合并进复核文件。"""
    import datetime as dt

    from checker.reviews import ReviewsError, import_workbook

    try:
        day = dt.date.fromisoformat(date) if date else dt.date.today()
    except ValueError:
        _fail(f"错误：--date 应为 ISO 日期，例如 2025-03-01（现为 {date}）", ExitCode.USAGE)
    try:
        count, reports, problems = import_workbook(workbook, output, day)
    except ReviewsError as bad:
        _fail(f"错误：{bad}", ExitCode.USAGE)
    except OSError as exc:
        _fail(f"错误：无法写入 {output}：{exc.strerror or exc}", ExitCode.USAGE)
    for problem in problems:
        _err(problem)
    sys.stdout.write(f"已导入 {count} 条复核结论（{reports} 份报告）到 {output}\n")
    if count == 0:
        _err(f"注意：{workbook} 的“明细”表中没有填写复核结论的行")


def _utf8_streams() -> None:
    """Write UTF-8 to stdout/stderr even when the locale says cp936 (a Windows console redirected to a file).

    ✔ and the other marks of the report exist in no legacy code page; a report must never be lost
    to an encoding error, so the streams are switched to UTF-8 (a real Windows console is written
    through the wide-character API by Python and shows it either way).
    """
    import io

    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and (stream.encoding or "").replace("-", "").lower() != "utf8":
            stream.reconfigure(encoding="utf-8")


@commands.command(hidden=True)
def schema() -> None:
    """输出 JSON 评分卡的 JSON Schema。"""
    from checker.scorecard import json_schema

    sys.stdout.write(json_schema())


def main() -> None:
    """Console entry point: UTF-8 output whatever the console's code page.

    Ctrl-C, SIGTERM and SIGHUP stop a run with a message and exit 128 + the signal (checker.signals). At the end the
    code of the patterns this run compiled goes to the private cache (checker.text.regexcode). No garbage collection
    during the start-up (see ``_settled``).
    """
    import gc

    gc.disable()
    _STARTING[0] = True
    from checker.signals import Terminated, exit_code, install

    _utf8_streams()
    install()
    try:
        app()
    except (KeyboardInterrupt, Terminated) as exc:
        _err("已中断。")
        sys.exit(exit_code(exc))
    finally:
        regexcode = sys.modules.get("checker.text.regexcode")  # only a command that compiled patterns has any
        if regexcode is not None:
            regexcode.save()

"""The one registry of output formats: every command's formatters, behind one signature per target.

A formatter turns one command's result into output. A :attr:`Target.STREAM` formatter writes text:
``format(result, out)`` where ``out`` is an :class:`Output` (a text stream with the width and colour
to use). A :attr:`Target.FILE` formatter writes one file, atomically: ``write(result, path)``. The
command line's ``--format`` choices and their help, and the help of the options that name a file
output (``--html``, ``--xlsx``), come from :data:`FORMATTERS`, so adding an output format means
adding one module under ``render/`` and one entry here.

Result types: ``check`` formats a :class:`CheckResult`, ``lint`` a ``LintResult``, ``diff`` a
``Diff``, ``eval`` an ``Evaluation``, ``audit`` an :class:`AuditResult`, ``letter`` a
:class:`LetterResult`, ``checklists`` a :class:`ChecklistsResult`, ``checklists show`` a
:class:`ItemsResult` and ``checklists test`` an :class:`ExamplesResult`. Formatter modules are
imported only when used (cold start); the records here are NamedTuples, whose class statements cost a
start-up almost nothing (a frozen dataclass generates and compiles its methods when it is defined).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

if TYPE_CHECKING:
    from rich.console import Console

    from checker.audit.options import AuditOptions
    from checker.audit.summary import AuditSummary
    from checker.cards import Card
    from checker.engine import Report
    from checker.rules.checklist import LoadedChecklist
    from checker.rules.examples import ExampleResult
    from checker.rules.schema import Item
    from checker.scorecard import Scorecard, WaiverOut


class Target(StrEnum):
    """What a formatter writes: text to a stream, or one file (atomically)."""

    STREAM = "stream"  #: ``format(result, out: Output) -> None``
    FILE = "file"  #: ``write(result, path: Path) -> None``


class Output(NamedTuple):
    """Where a formatter writes: a text stream, its width (None: the terminal's) and colour (None: automatic)."""

    file: TextIO
    width: int | None = None
    color: bool | None = None

    def write(self, text: str) -> None:
        """Write text as it is."""
        self.file.write(text)

    def console(self, *, soft_wrap: bool = False) -> Console:
        """A rich console on this output.

        No highlighting; colour forced on, off, or detected when None; text from documents and file names cleaned of
        control characters (checker.render.console).
        """
        from checker.render.console import SafeConsole  # no escape sequences from documents or file names

        if self.color is False:
            return SafeConsole(file=self.file, width=self.width, highlight=False, force_terminal=False,
                               color_system=None, soft_wrap=soft_wrap)
        return SafeConsole(file=self.file, width=self.width, highlight=False, force_terminal=self.color,
                           soft_wrap=soft_wrap)


class CheckResult(NamedTuple):
    """What ``checker check`` hands to its formatters: the reports, their scorecards and display options."""

    reports: Sequence[Report]
    cards: Sequence[Card]  #: plain-data scorecards (checker.cards)
    single: bool  #: one input file: JSON is one object rather than an array
    evidence: str = "snippet"
    waivers: Sequence[dict[str, WaiverOut]] | None = None


class AuditResult(NamedTuple):
    """What ``checker audit`` hands to its formatters: the summary (its rows spooled on disk) and the options."""

    summary: AuditSummary
    opts: AuditOptions


class LetterResult(NamedTuple):
    """One report's review letter: its checked report and its scorecard.

    The report gives the structure problems; the scorecard has reviews and waivers applied.
    """

    report: Report
    card: Scorecard


class ChecklistsResult(NamedTuple):
    """``checker checklists``: the bundled checklists to list."""

    checklists: Sequence[LoadedChecklist]


class ItemsResult(NamedTuple):
    """``checker checklists show``: the items found under an id, each with its checklist."""

    items: Sequence[tuple[LoadedChecklist, Item]]


class ExamplesResult(NamedTuple):
    """``checker checklists test``: each checklist with the outcome of its examples."""

    runs: Sequence[tuple[LoadedChecklist, Sequence[ExampleResult]]]

    @property
    def failed(self) -> int:
        """How many examples did not give the expected status."""
        return sum(not r.ok for _, results in self.runs for r in results)


class Formatter(NamedTuple):
    """One output format of one command: its name, its help, what it writes and where its function lives."""

    command: str
    name: str
    help: str
    module: str
    function: str = "format"
    target: Target = Target.STREAM

    def _function(self, target: Target) -> Callable[[Any, Any], None]:
        if self.target != target:
            raise TypeError(f"{self.command} {self.name} writes to a {self.target.value}, not a {target.value}")
        function: Callable[[Any, Any], None] = getattr(importlib.import_module(self.module), self.function)
        return function

    def format(self, result: Any, out: Output) -> None:
        """Write ``result`` to ``out`` in this format (a stream formatter)."""
        self._function(Target.STREAM)(result, out)

    def write(self, result: Any, path: Path) -> None:
        """Write ``result`` to the file ``path`` (atomically) in this format (a file formatter)."""
        self._function(Target.FILE)(result, path)


FORMATTERS: tuple[Formatter, ...] = (
    Formatter("check", "rich", "终端彩色报告（默认）", "checker.render.check_rich"),
    Formatter("check", "json", "JSON 评分卡（checker.scorecard/1）", "checker.render.check_json"),
    Formatter("lint", "text", "编译器风格的文字（路径:行:列: 级别 编号 说明）", "checker.render.lint_text"),
    Formatter("lint", "json", "JSON（checker.lint/1）", "checker.render.lint_json"),
    Formatter("lint", "sarif", "SARIF 2.1.0", "checker.render.lint_sarif"),
    Formatter("lint", "junit", "JUnit XML", "checker.render.lint_junit"),
    Formatter("lint", "github", "GitHub Actions 注释", "checker.render.lint_github"),
    Formatter("diff", "rich", "终端报告（默认）", "checker.render.diff_rich"),
    Formatter("diff", "json", "JSON（checker.diff/1）", "checker.render.diff_json"),
    Formatter("eval", "rich", "终端报告（默认）", "checker.render.accuracy", "format_rich"),
    Formatter("eval", "json", "JSON", "checker.render.accuracy", "format_json"),
    Formatter("audit", "rich", "终端汇总：总数、缺失最多的必备条目、得分最低的报告、错误", "checker.render.audit_rich"),
    Formatter("checklists", "rich", "内置清单及其条目的表格", "checker.render.checklists_rich", "format_list"),
    Formatter("checklists show", "rich", "一个条目：出处、检测规则和例子", "checker.render.checklists_rich",
              "format_items"),
    Formatter("checklists test", "rich", "每份清单的例子是否符合预期", "checker.render.checklists_rich",
              "format_examples"),
    # file outputs: the help is that of the command-line option naming the file
    Formatter("check", "xlsx", "另外生成 Excel 复核工作簿（汇总、明细、说明三个工作表）。", "checker.render.workbook",
              "write_check", Target.FILE),
    Formatter("audit", "html", "另外生成一个自包含的 HTML 看板。", "checker.render.audit_html", "write",
              Target.FILE),
    Formatter("audit", "xlsx", "另外生成 Excel 复核工作簿（汇总、明细、说明三个工作表）。", "checker.render.workbook",
              "write_audit", Target.FILE),
    Formatter("letter", "docx", "审查意见书（Word .docx，公文格式）", "checker.render.letter", "write",
              Target.FILE),
)


def names(command: str, target: Target = Target.STREAM) -> tuple[str, ...]:
    """The format names of one command writing to ``target``, in registry order."""
    return tuple(f.name for f in FORMATTERS if f.command == command and f.target == target)


def get(command: str, name: str) -> Formatter:
    """The formatter ``name`` of ``command``; ValueError (in Chinese) for an unknown one."""
    for f in FORMATTERS:
        if f.command == command and f.name == name:
            return f
    known = [f.name for f in FORMATTERS if f.command == command]
    raise ValueError(f"未知的输出格式 {name!r}（可用：{'、'.join(known)}）")


def help_of(command: str, name: str) -> str:
    """The help of one output of a command (for the command-line option that asks for it)."""
    return get(command, name).help

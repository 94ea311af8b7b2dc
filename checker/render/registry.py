"""The one registry of output formats: every command's formatters, behind one signature.

A formatter turns one command's result into output: ``format(result, out)`` where ``out`` is
an :class:`Output` (a text stream with the width and colour to use). The command line's
``--format`` choices and their help come from :data:`FORMATTERS`, so adding an output format
means adding one module under ``render/`` and one entry here.

Result types: ``check`` formats a :class:`CheckResult`, ``lint`` a ``LintResult``, ``diff`` a
``Diff``, ``eval`` an ``Evaluation``. Formatter modules are imported only when used (cold start).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

    from checker.engine import Report
    from checker.scorecard import Scorecard, WaiverOut


@dataclass(frozen=True)
class Output:
    """Where a formatter writes: a text stream, its width (None: the terminal's) and colour (None: automatic)."""

    file: TextIO
    width: int | None = None
    color: bool | None = None

    def write(self, text: str) -> None:
        """Write text as it is."""
        self.file.write(text)

    def console(self) -> Console:
        """A rich console on this output (no highlighting; colour forced on, off, or detected when None;
        text from documents and file names cleaned of control characters: checker.render.console)."""
        from checker.render.console import SafeConsole  # no escape sequences from documents or file names

        if self.color is False:
            return SafeConsole(file=self.file, width=self.width, highlight=False, force_terminal=False,
                               color_system=None)
        return SafeConsole(file=self.file, width=self.width, highlight=False, force_terminal=self.color)


@dataclass(frozen=True)
class CheckResult:
    """What ``checker check`` hands to its formatters: the reports, their scorecards and display options."""

    reports: Sequence[Report]
    cards: Sequence[Scorecard]
    single: bool  #: one input file: JSON is one object rather than an array
    evidence: str = "snippet"
    waivers: Sequence[dict[str, WaiverOut]] | None = field(default=None)


@dataclass(frozen=True)
class Formatter:
    """One output format of one command: its name, its help and where its ``format`` function lives."""

    command: str
    name: str
    help: str
    module: str
    function: str = "format"

    def format(self, result: Any, out: Output) -> None:
        """Write ``result`` to ``out`` in this format."""
        formatter: Callable[[Any, Output], None] = getattr(importlib.import_module(self.module), self.function)
        formatter(result, out)


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
)


def names(command: str) -> tuple[str, ...]:
    """The format names of one command, in registry order."""
    return tuple(f.name for f in FORMATTERS if f.command == command)


def get(command: str, name: str) -> Formatter:
    """The formatter ``name`` of ``command``; ValueError (in Chinese) for an unknown one."""
    for f in FORMATTERS:
        if f.command == command and f.name == name:
            return f
    raise ValueError(f"未知的输出格式 {name!r}（可用：{'、'.join(names(command))}）")

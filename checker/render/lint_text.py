"""Compiler-style text: ``path:line:col: LEVEL ID message``, one line per diagnostic.

Editors and CI problem matchers read these lines; on a terminal the level and id are
coloured (``NO_COLOR`` turns colour off). A summary line closes the output.
"""

from __future__ import annotations

from checker.lint.diagnostics import Diagnostic, LintResult, summary_line
from checker.render.registry import Output
from checker.settings import DiagLevel
from checker.text.sanitize import for_terminal

_COLORS = {DiagLevel.ERROR: "31", DiagLevel.WARNING: "33", DiagLevel.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def line(d: Diagnostic, *, color: bool = False) -> str:
    """One diagnostic as ``path:line:col: level id message``."""
    where = _paint(f"{for_terminal(d.path)}:{d.line}:{d.column}:", "1", color)
    level = _paint(d.level.value, "2;" + _COLORS[d.level] if d.waived else "1;" + _COLORS[d.level], color)
    ident = _paint(d.id, "1", color)
    message = d.message
    if d.waiver is not None:
        message = f"[已豁免] {message}（豁免{d.waiver.describe()}；见 {d.waiver.where}）"
    return f"{where} {level} {ident} {for_terminal(message)}"


def render(result: LintResult, *, color: bool = False) -> str:
    """Every diagnostic as a line, then the summary line."""
    lines = [line(d, color=color) for d in result.shown]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def format(result: LintResult, out: Output) -> None:
    """Compiler-style lines, coloured when the output is coloured."""
    out.write(render(result, color=bool(out.color)))

"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message``.

Each diagnostic becomes an annotation on the file and line in the pull request; waived
findings become notices. https://docs.github.com/actions/reference/workflow-commands
"""

from __future__ import annotations

from checker.lint.diagnostics import Diagnostic, LintResult, summary_line
from checker.render.registry import Output
from checker.settings import DiagLevel

_COMMANDS = {DiagLevel.ERROR: "error", DiagLevel.WARNING: "warning", DiagLevel.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message (%, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (%, CR, LF, colon, comma)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic, title: str) -> str:
    """One diagnostic as a GitHub Actions ::error/::warning/::notice line."""
    command = "notice" if d.waived else _COMMANDS[d.level]
    message = d.message
    if d.waiver is not None:
        message = f"[已豁免，原为 {d.level.value}] {message}（豁免{d.waiver.describe()}）"
    props = ",".join(
        f"{k}={escape_property(v)}"
        for k, v in (("file", d.path), ("line", str(d.line)), ("col", str(d.column)), ("title", f"{d.id} {title}"))
    )
    return f"::{command} {props}::{escape_data(message)}"


def render(result: LintResult) -> str:
    """Every diagnostic as a GitHub Actions annotation, then the summary."""
    lines = []
    for d in result.shown:
        rule = result.rules.get(d.id)
        lines.append(annotation(d, rule.title if rule else ""))
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def format(result: LintResult, out: Output) -> None:
    """Write the rendered result."""
    out.write(render(result))

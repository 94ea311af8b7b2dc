"""Rich terminal report for reviewers: a header, a score, a table per 纲要 part with
evidence, and the missing required items with what a report should say. Fits 100 columns."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from checker.checklist import LEVEL_LABELS, SEVERITY_LABELS, Severity
from checker.document import ROLE_LABELS
from checker.engine import STATUS_LABELS, ItemResult, Report, Status

SYMBOLS = {
    Status.COVERED: ("✔", "green"),
    Status.PARTIAL: ("◐", "yellow"),
    Status.MISSING: ("✘", "red"),
    Status.NOT_APPLICABLE: ("–", "dim"),
}


STRENGTH_MARKERS = {"quantified": ("（有数据）", "green"), "statement": ("（无数据）", "yellow")}


def _score_style(score: float) -> str:
    return "green" if score >= 80 else "yellow" if score >= 60 else "red"


def _header(report: Report) -> Panel:
    doc, prof = report.document, report.profile
    title = doc.title.text if doc.title else "（无标题）"
    lines = Text()
    lines.append(title + "\n", style="bold")
    lines.append("文件 ", style="dim")
    lines.append(doc.path)
    lines.append(f"  （{doc.encoding}，{doc.chars} 字）\n", style="dim")
    lines.append("单位 ", style="dim")
    lines.append(prof.body or "未识别")
    lines.append("  层级 ", style="dim")
    lines.append(LEVEL_LABELS[prof.level] if prof.level else "未识别")
    lines.append(f"（{prof.level_reason}）", style="dim")
    lines.append("\n年度 ", style="dim")
    lines.append(str(prof.year) if prof.year else "未识别")
    lines.append(f"（{prof.year_reason}）", style="dim")
    lines.append("\n清单 ", style="dim")
    lines.append("、".join(f"{lc.checklist.id} v{lc.checklist.version}" for lc in report.checklists))
    counts = report.counts
    lines.append("\n得分 ", style="dim")
    lines.append(f"{report.score:.1f}", style=f"bold {_score_style(report.score)}")
    lines.append(" / 100   ")
    for status in Status:
        symbol, style = SYMBOLS[status]
        lines.append(f"{symbol} {STATUS_LABELS[status]} {counts[status.value]}  ", style=style)
    parts: list[Text | Panel] = [lines]
    if not prof.is_annual_report:
        warning = Text(f"⚠ 这可能不是法治政府建设年度报告：{prof.annual_reason}", style="bold red")
        return Panel(Group(warning, lines), border_style="red", width=100)
    return Panel(Group(*parts), border_style="blue", width=100)


def where(locator: str, line: int, page: int | None) -> str:
    """Where evidence stands in the original file, as a reviewer would look for it."""
    if page is not None:
        return f"第{page}页"
    return f"第{line}段" if locator == "paragraph" else f"第{line}行"


def _evidence_cell(result: ItemResult, report_locator: str = "line") -> Text:
    text = Text()
    if not result.evidence:
        if result.status == Status.NOT_APPLICABLE:
            text.append(result.reason, style="dim")
        return text
    for k, ev in enumerate(result.evidence[:2]):
        if k:
            text.append("\n")
        text.append(f"{where(report_locator, ev.line, ev.page)}：", style="cyan")
        start, end = ev.highlight
        text.append(ev.quote[:start])
        text.append(ev.quote[start:end], style="bold magenta")
        text.append(ev.quote[end:])
        if not ev.structural and (ev.role not in ("achievements", "opening", "first_responsible") or ev.hedged):
            text.append(f"  [{ROLE_LABELS[ev.role]}{'，否定/有待' if ev.hedged else ''}]", style="yellow")
    if result.status == Status.PARTIAL and result.reason:
        text.append(f"\n→ {result.reason}", style="yellow")
    if result.strength is not None:
        # Evidence strength of a covered item, first in the cell: a count, percentage or
        # named document (有数据), or a bare statement (无数据).
        marker, style = STRENGTH_MARKERS[result.strength]
        text = Text(marker, style=style).append_text(text)
    return text


def _part_table(part: str, results: list[ItemResult], locator: str = "line") -> Table:
    covered = sum(1 for r in results if r.status == Status.COVERED)
    applicable = sum(1 for r in results if r.status != Status.NOT_APPLICABLE)
    table = Table(
        title=f"{part}  （覆盖 {covered}/{applicable}）",
        title_justify="left",
        title_style="bold",
        show_header=False,
        box=None,
        pad_edge=False,
        width=100,
        padding=(0, 1, 0, 0),
    )
    table.add_column("状态", width=2, no_wrap=True)
    table.add_column("条目", width=5, no_wrap=True)
    table.add_column("要求", width=22)
    table.add_column("证据", ratio=1)
    for r in results:
        symbol, style = SYMBOLS[r.status]
        title = Text(r.item.title, style="dim" if r.status == Status.NOT_APPLICABLE else "")
        if r.item.severity == Severity.RECOMMENDED:
            title.append("（建议）", style="dim")
        table.add_row(Text(symbol, style=style), Text(r.item.id, style=style), title, _evidence_cell(r, locator))
    return table


def _missing(report: Report) -> Table | None:
    missing = [r for r in report.items if r.status == Status.MISSING and r.item.severity == Severity.REQUIRED]
    if not missing:
        return None
    table = Table(
        title=f"缺失的{SEVERITY_LABELS[Severity.REQUIRED]}条目（{len(missing)} 项），报告应补充：",
        title_justify="left",
        title_style="bold red",
        show_header=False,
        box=None,
        width=100,
        padding=(0, 1, 0, 0),
    )
    table.add_column("条目", width=5, no_wrap=True)
    table.add_column("要求", width=22)
    table.add_column("应写明", ratio=1)
    for r in missing:
        table.add_row(Text(r.item.id, style="red"), r.item.title, Text(r.item.hint, style="dim"))
    return table


def render(report: Report, console: Console) -> None:
    console.print(_header(report))
    groups: dict[str, list[ItemResult]] = {}
    for r in report.items:
        groups.setdefault(r.item.part, []).append(r)
    for part, results in groups.items():
        console.print()
        console.print(_part_table(part, results, report.document.locator))
    missing = _missing(report)
    if missing is not None:
        console.print()
        console.print(missing)
    console.print()


def render_all(reports: Sequence[Report], console: Console) -> None:
    for report in reports:
        render(report, console)

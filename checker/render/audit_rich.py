"""End-of-run summary of an audit for the terminal.

Totals, the ten most-missed required items, the lowest-scoring reports and the errors. Fits 100 columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from checker.vocabulary import LEVEL_LABELS, Level

if TYPE_CHECKING:
    from checker.audit.options import AuditOptions
    from checker.audit.summary import AuditSummary
    from checker.render.registry import AuditResult, Output

TOP = 10
MAX_ERRORS = 20


def _level(value: str | None) -> str:
    return LEVEL_LABELS[Level(value)] if value else "未识别"


def render_summary(summary: AuditSummary, opts: AuditOptions, console: Console) -> None:
    """The end-of-audit summary for the terminal: totals, most-missed items, lowest scores, errors."""
    from checker.audit.summary import SUMMARY_CSV, SUMMARY_JSON

    t = summary.totals
    head = Text()
    head.append("审计完成", style="bold")
    head.append(f"：共 {t.files} 个文件，已检查 {t.checked} 份")
    head.append(f"，错误 {t.errors} 个" if t.errors else "，无错误", style="red" if t.errors else "green")
    if t.not_annual_report:
        head.append(f"，其中 {t.not_annual_report} 份可能不是法治政府建设年度报告", style="yellow")
    if t.mean_score is not None:
        head.append(f"\n平均得分 {t.mean_score:.1f}，中位数 {t.median_score:.1f}")
    if len(summary.groups) > 1:
        shown = "，".join(f"{g.checklist} {g.reports} 份" for g in summary.groups)
        head.append(f"\n报告分属 {len(summary.groups)} 个纲要时期：{shown}", style="yellow")
    console.print(head)

    required = [s for s in summary.most_missed if s.severity == "required" and (s.missing or s.partial)][:TOP]
    if required:
        table = Table(title=f"缺失最多的必备条目（前 {TOP}）", title_justify="left", width=min(100, console.width))
        table.add_column("条目", no_wrap=True)
        table.add_column("要求", overflow="fold")
        table.add_column("部分", overflow="fold")
        table.add_column("缺失", justify="right", no_wrap=True)
        table.add_column("部分覆盖", justify="right", no_wrap=True)
        for s in required:
            table.add_row(s.id, s.title, s.part, str(s.missing), str(s.partial))
        console.print(table)

    scored = summary.lowest(TOP)
    if scored:
        table = Table(title=f"得分最低的报告（前 {TOP}）", title_justify="left", width=min(100, console.width))
        table.add_column("排名", justify="right", no_wrap=True)
        table.add_column("得分", justify="right", no_wrap=True)
        table.add_column("单位", overflow="fold")
        table.add_column("层级", no_wrap=True)
        table.add_column("年度", no_wrap=True)
        table.add_column("文件", overflow="fold")
        for r in scored[:TOP]:
            score = Text(f"{r.score:.1f}", style="red" if (r.score or 0) < 60 else "yellow" if (r.score or 0) < 80
                         else "green")
            table.add_row(str(r.rank), score, r.body or "未识别", _level(r.level), str(r.year or "未识别"),
                          Text(r.path + ("" if r.is_annual_report else "  ⚠ 非年度报告")))
        console.print(table)

    if summary.errors:
        console.print(f"无法检查的文件（{len(summary.errors)} 个）：", style="bold red")
        for e in summary.errors[:MAX_ERRORS]:
            console.print(Text(f"  {e.path}：{e.cause}", style="red"))
        if len(summary.errors) > MAX_ERRORS:
            console.print(f"  …其余 {len(summary.errors) - MAX_ERRORS} 个见 {SUMMARY_JSON}", style="red")

    if opts.reviews is not None:
        reviewed = stale = 0
        stale_paths: list[str] = []
        for r in summary.reports:
            reviewed += r.reviewed
            if r.reviews_stale:
                stale += 1
                stale_paths.append(r.path)
        console.print(Text(f"已采用复核结论 {reviewed} 条（{opts.reviews}）", style="cyan"))
        for path in stale_paths[:MAX_ERRORS]:
            console.print(Text(f"  注意：{path} 已修改，原复核结论未采用，请重新复核", style="yellow"))
    files = [opts.out / SUMMARY_JSON, opts.out / SUMMARY_CSV]
    files += [p for p in (opts.html, opts.xlsx, opts.letters) if p is not None]
    console.print(Text("输出：" + "  ".join(str(f) for f in files), style="dim"))


def format(result: AuditResult, out: Output) -> None:
    """The end-of-audit summary on ``out`` (the registry's signature)."""
    render_summary(result.summary, result.opts, out.console())

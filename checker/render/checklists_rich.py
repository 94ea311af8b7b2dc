"""The terminal output of ``checker checklists``: the list of checklists, one item shown, examples tested."""

from __future__ import annotations

from rich.table import Table

from checker.render.item_text import detector_lines, item_header, levels_text
from checker.render.registry import ChecklistsResult, ExamplesResult, ItemsResult, Output
from checker.rules.periods import default_use
from checker.vocabulary import SEVERITY_LABELS, STATUS_LABELS


def format_list(result: ChecklistsResult, out: Output) -> None:
    """Each checklist as a table of its items (id, title, 纲要 clause, severity, levels), where it is used."""
    console = out.console()
    for lc in result.checklists:
        cl = lc.checklist
        table = Table(title=f"{cl.id}  v{cl.version}  {cl.title}（{len(cl.items)} 项）", title_justify="left",
                      show_lines=False, width=min(100, console.width))
        table.add_column("条目", no_wrap=True)
        table.add_column("要求")
        table.add_column("纲要出处")
        table.add_column("必备/建议", no_wrap=True)
        table.add_column("适用层级")
        for item in cl.items:
            table.add_row(item.id, item.title, item.ref, SEVERITY_LABELS[item.severity], levels_text(item))
        console.print(table)
        use = default_use(cl.id)
        if use:
            console.print(f"默认用于：{use}", style="bold")
        console.print(f"来源：{cl.source}    文件：{lc.path}\n", style="dim")


def format_items(result: ItemsResult, out: Output) -> None:
    """Each item found: its header (checklist, clause, severity, levels), its detectors and its examples."""
    console = out.console(soft_wrap=True)
    for shown, (lc, item) in enumerate(result.items):
        if shown:
            console.print()
        console.print(f"{item.id}  {item.title}", style="bold")
        for line in item_header(item, lc.checklist.id):
            console.print(line, markup=False)
        console.print("\n检测规则（满足任一条即找到）：", style="bold")
        for line in detector_lines(item):
            console.print(line, markup=False)
        console.print("\n例子：", style="bold")
        for label, texts in (("应判为已覆盖", item.examples.covered), ("应判为部分覆盖", item.examples.partial),
                             ("应判为缺失", item.examples.missing)):
            for text in texts:
                console.print(f"  [{label}] " + text.strip().replace("\n", " ⏎ "), markup=False)


def format_examples(result: ExamplesResult, out: Output) -> None:
    """One line per checklist (examples as expected / all), each failing example, and the total."""
    console = out.console()
    total = 0
    for lc, results in result.runs:
        bad = [r for r in results if not r.ok]
        total += len(results)
        mark = "✔" if not bad else "✘"
        console.print(f"{mark} {lc.checklist.id}：{len(results) - len(bad)}/{len(results)} 个例子符合预期",
                      style="green" if not bad else "red")
        for r in bad:
            console.print(f"  ✘ {r.item}：应为{STATUS_LABELS[r.expected]}，实际为{STATUS_LABELS[r.got]}"
                          f"{'（' + r.reason + '）' if r.reason else ''}", style="red", markup=False)
            console.print("    " + r.text.replace("\n", " ⏎ "), style="dim", markup=False)
    failed = result.failed
    console.print(f"共 {total} 个例子：{total - failed} 个符合预期，{failed} 个不符合")

"""``diff``'s terminal report: per pair of reports the score change and the items that changed."""

from __future__ import annotations

from checker.diff import Diff, ReportRef
from checker.render.registry import Output
from checker.vocabulary import STATUS_LABELS

_STATUS: dict[str | None, str] = {
    **{s.value: label for s, label in STATUS_LABELS.items()}, None: "（无此条目）",
}
_MATCH = {"path": "按文件配对", "body_year": "按单位和年度配对", "body": "按单位配对（跨年度）", "single": "直接对比"}


def render(result: Diff, console: object) -> None:
    """The diff for the terminal: per pair the score change and the items that changed."""
    from rich.console import Console
    from rich.text import Text

    assert isinstance(console, Console)

    def name(r: ReportRef) -> str:
        return f"{r.body or '未识别单位'} {r.year or '未识别年度'}"

    if not result.pairs:
        console.print("没有可以对比的报告。", style="yellow")
    for pair in result.pairs:
        head = Text()
        head.append(f"{name(pair.old)} → {name(pair.new)}", style="bold")
        head.append(f"  （{_MATCH[pair.matched_by]}）\n", style="dim")
        head.append(f"{pair.old.path} → {pair.new.path}\n", style="dim")
        head.append(f"得分 {pair.old.score:.1f} → {pair.new.score:.1f}  ")
        delta = pair.score_change
        head.append(f"({delta:+.1f})", style="green" if delta > 0 else "red" if delta < 0 else "dim")
        if pair.across_periods:
            head.append(f"\n清单 {pair.old_checklist} → {pair.new_checklist}", style="yellow")
            head.append("\n两份报告分属不同的纲要时期：只比较两期共有的条目，得分只作参考", style="yellow")
        console.print(head)
        groups = (("新覆盖", pair.newly_covered, "green", "✔"), ("新缺失", pair.newly_missing, "red", "✘"),
                  ("其他变化", pair.other_changes, "yellow", "◐"))
        if not any(g[1] for g in groups):
            console.print("  两期共有条目的状态没有变化" if pair.across_periods else "  条目状态没有变化", style="dim")
        for label, changes, style, mark in groups:
            if not changes:
                continue
            console.print(f"  {label}（{len(changes)}）", style=f"bold {style}")
            for c in changes:
                line = Text(f"    {mark} {c.id} {c.title}", style=style)
                line.append(f"  {_STATUS[c.old]} → {_STATUS[c.new]}", style="dim")
                if c.reviewed:
                    line.append("  （含复核结论）", style="cyan")
                console.print(line)
        for label, changes in ((f"只在 {pair.old_checklist} 中的条目", pair.only_in_old),
                               (f"只在 {pair.new_checklist} 中的条目", pair.only_in_new)):
            if changes:
                console.print(f"  {label}（{len(changes)}，不作比较）", style="bold")
                for c in changes:
                    line = Text(f"    · {c.id} {c.title}")
                    line.append(f"  {_STATUS[c.old if c.new is None else c.new]}", style="dim")
                    console.print(line)
        console.print()
    for label, refs in (("只在旧版中", result.only_old), ("只在新版中", result.only_new)):
        if refs:
            console.print(f"{label}（{len(refs)}）：", style="bold")
            for r in refs:
                console.print(Text(f"  {r.path}  {name(r)}  得分 {r.score:.1f}"))


def format(result: Diff, out: Output) -> None:
    """Write the diff for the terminal."""
    render(result, out.console())

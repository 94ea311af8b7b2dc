"""Output of ``checker eval``: a rich summary, or deterministic JSON.

The rich summary has per-item and per-document tables and every disagreement.
"""

from __future__ import annotations

import json

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from checker.accuracy import Evaluation, Tally
from checker.render.registry import Output
from checker.vocabulary import LEVEL_LABELS, STATUS_LABELS, Level, Status

STATUS_WORDS = {s.value: STATUS_LABELS[s] for s in (Status.COVERED, Status.PARTIAL, Status.MISSING)}


def render_json(ev: Evaluation) -> str:
    """The evaluation as deterministic JSON."""
    return json.dumps(ev.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _style(value: float | None, bar: float = 0.9) -> str:
    if value is None:
        return "dim"
    return "green" if value >= bar else "yellow" if value >= bar - 0.15 else "red"


def _summary(ev: Evaluation) -> Text:
    o = ev.overall
    text = Text()
    names = "、".join(ev.checklists)
    text.append(f"标注文件 {ev.gold_path}    清单 {names}    文档 {len(ev.documents)} 份\n", style="dim")
    for label, value in (("F1", o.f1), ("精确率", o.precision), ("召回率", o.recall)):
        text.append(f"{label} ")
        text.append(_pct(value), style=f"bold {_style(value, 0.95)}")
        text.append("   ")
    text.append(f"（“已覆盖”：命中 {o.tp}，误报 {o.fp}，漏报 {o.fn}）\n", style="dim")
    text.append("三类一致率 ")
    text.append(_pct(o.agreement), style=f"bold {_style(o.agreement)}")
    text.append(f"（{o.agree}/{o.present}，不含双方都判缺失的）   ", style="dim")
    s = ev.structure
    text.append("结构条目一致率 ")
    text.append(_pct(s.exact), style=f"bold {_style(s.exact)}")
    text.append(f"（{s.same}/{s.pairs}）", style="dim")
    k = ev.kind_counts()
    text.append("\n文档类型准确率 ")
    text.append(_pct(ev.kind_accuracy), style=f"bold {_style(ev.kind_accuracy, 0.95)}")
    text.append(f"（{k['right']}/{k['documents']}，是否为法治政府建设年度报告）", style="dim")
    if k["lookalikes"]:
        text.append(f"   相似文件 {k['lookalikes']} 份，其中 {k['lookalikes_recognised']} 份"
                    "判为非年度报告且未判任何条目已覆盖", style="dim")
    return text


def _tally_cells(t: Tally) -> list[Text]:
    return [
        Text(_pct(t.f1), style=_style(t.f1, 0.95)),
        Text(_pct(t.precision)),
        Text(_pct(t.recall)),
        Text(_pct(t.agreement), style=_style(t.agreement)),
        Text(f"{t.tp}/{t.fp}/{t.fn}", style="dim"),
    ]


def _table(title: str, first: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(first, no_wrap=True)
    for name in ("F1", "精确", "召回", "三类一致", "命中/误/漏"):
        table.add_column(name, justify="right", no_wrap=True, min_width=5)
    return table


def _level(value: str | None) -> str:
    return LEVEL_LABELS[Level(value)] if value else "?"


def _documents(ev: Evaluation) -> Table:
    table = _table("按文档", "文档")
    table.add_column("层级/年度")
    for d in ev.documents:
        profile = f"{_level(d.level)} {d.year or '?'}"
        wrong = (d.gold_level is not None and d.level != d.gold_level) or (
            d.gold_year is not None and d.year != d.gold_year)
        if wrong:
            profile += f"（标注 {_level(d.gold_level)} {d.gold_year or '?'}）"
        if d.annual != (d.gold_kind == "report"):
            profile += "（年报判断与标注不符）"
            wrong = True
        name = d.name if len(d.name) <= 14 else d.name[:13] + "…"
        table.add_row(Text(name), *_tally_cells(d.tally), Text(profile, style="red" if wrong else ""))
    return table


def _items(ev: Evaluation) -> Table:
    table = _table("按条目", "条目")
    table.add_column("要求")
    for item_id, (title, t) in ev.items.items():
        short = title if len(title) <= 20 else title[:19] + "…"
        table.add_row(Text(item_id), *_tally_cells(t), Text(short, style="dim"))
    return table


def _disagreements(ev: Evaluation) -> Table:
    table = Table(
        title=f"不一致（{len(ev.disagreements)} 处）", title_justify="left", title_style="bold", width=100,
        show_lines=True, pad_edge=False, box=box.SIMPLE_HEAD,
    )
    table.add_column("文档/条目", no_wrap=True, width=10)
    table.add_column("标注→检查", no_wrap=True, width=10)
    table.add_column("检查证据 / 标注证据", ratio=1, overflow="fold")
    for d in ev.disagreements:
        where = Text(f"{d.document[:8]}\n{d.item}")
        verdict = Text(f"{STATUS_WORDS.get(d.expected, d.expected)}\n→{STATUS_WORDS.get(d.got, d.got)}",
                       style="red" if "covered" in (d.expected, d.got) else "yellow")
        body = Text()
        if d.quote:
            body.append(f"第{d.line}行：", style="cyan")
            body.append(d.quote)
        else:
            body.append("（检查未找到证据）", style="dim")
        if d.reason:
            body.append(f"  [{d.reason}]", style="yellow")
        body.append("\n标注：", style="cyan")
        fallback = "（未标注，即缺失）" if d.expected == "missing" else "（无引文）"
        body.append(d.gold_evidence or fallback, style="" if d.gold_evidence else "dim")
        if d.gold_note:
            body.append(f"\n注：{d.gold_note}", style="dim")
        table.add_row(where, verdict, body)
    return table


def render_rich(ev: Evaluation, console: Console) -> None:
    """The evaluation for the terminal: figures per set, per part and every disagreement."""
    console.print(Text("检查清单准确率评估", style="bold"))
    console.print(_summary(ev))
    for warning in ev.warnings():
        console.print(Text(f"⚠{warning}", style="yellow", overflow="fold"))
    if ev.unlabelled:
        console.print(Text(f"另有 {len(ev.unlabelled)} 个文件没有标注，未参与评估。", style="dim"))
    console.print()
    console.print(_documents(ev))
    console.print()
    console.print(_items(ev))
    console.print()
    if ev.disagreements:
        console.print(_disagreements(ev))
    else:
        console.print(Text("检查结果与标注完全一致。", style="green"))


def format_rich(ev: Evaluation, out: Output) -> None:
    """``eval``'s terminal report."""
    render_rich(ev, out.console())


def format_json(ev: Evaluation, out: Output) -> None:
    """``eval --format json``."""
    out.write(render_json(ev))

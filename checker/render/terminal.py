"""Rich terminal report for reviewers: a header, a score, a line per item grouped by 纲要
part with the evidence (location, the matched words highlighted, strength), and the
missing required items with what a report should say. Fits 100 columns."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
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


STRENGTH_MARKERS = {"quantified": (" （有数据）", "green"), "statement": (" （无数据）", "yellow")}


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
    for note in doc.notes:
        lines.append("说明 ", style="dim")
        lines.append(note + "\n", style="yellow")
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
        warning = Text(f"⚠这可能不是法治政府建设年度报告：{prof.annual_reason}", style="bold red")
        return Panel(Group(warning, lines), border_style="red", width=100)
    return Panel(Group(*parts), border_style="blue", width=100)


def where(locator: str, line: int, page: int | None, ocr: bool = False) -> str:
    """Where evidence stands in the original file, as a reviewer would look for it."""
    if page is not None:
        return f"第{page}页" + ("（文字识别）" if ocr else "")
    return f"第{line}段" if locator == "paragraph" else f"第{line}行"


TITLE_CELLS = 24
INDENT = 2 + 1 + 5 + 1 + TITLE_CELLS + 1  # symbol, id, title columns


def _crop(text: str, cells: int) -> str:
    """At most ``cells`` terminal cells of ``text`` (Chinese characters take two), with … if cut."""
    if cell_len(text) <= cells:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - cell_len(text))


def _snippet(quote: str, highlight: tuple[int, int], cells: int) -> Text:
    """The quote cropped to ``cells`` around the matched words, which are highlighted."""
    start, end = highlight
    before, hit, after = quote[:start].lstrip("…"), quote[start:end], quote[end:].rstrip("…")
    hit = _crop(hit, cells)
    room = cells - cell_len(hit)
    lead = ""
    for ch in reversed(before):
        if cell_len(lead) + cell_len(ch) > min(12, room // 3):
            break
        lead = ch + lead
    room -= cell_len(lead)
    cut_left = len(lead) < len(before)
    if cut_left:
        room -= 1
    tail = _crop(after, room) if room > 0 else ""
    text = Text("…" if cut_left else "")
    text.append(lead)
    text.append(hit, style="bold magenta")
    text.append(tail)
    return text


def _item_lines(result: ItemResult, locator: str, width: int) -> list[Text]:
    symbol, style = SYMBOLS[result.status]
    dim = result.status == Status.NOT_APPLICABLE
    title = result.item.title + ("（建议）" if result.item.severity == Severity.RECOMMENDED else "")
    line = Text(f"{symbol} ", style=style)
    line.append(f"{result.item.id:<5} ", style=style)
    line.append(_pad(_crop(title, TITLE_CELLS), TITLE_CELLS) + " ", style="dim" if dim else "")
    lines = [line]
    room = width - INDENT
    if result.evidence:
        # The evidence that carries the strength shown: a quantified sentence if there is one.
        ev = next((e for e in result.evidence if e.quantified), result.evidence[0])
        place = where(locator, ev.line, ev.page, ev.ocr) + " "
        line.append(place, style="cyan")
        marker = ""
        if result.strength is not None:
            marker, marker_style = STRENGTH_MARKERS[result.strength]
        line.append_text(_snippet(ev.quote, ev.highlight, room - cell_len(place) - cell_len(marker)))
        if marker:
            line.append(marker, style=marker_style)
    note = ""
    if result.status == Status.PARTIAL:
        note = result.reason or (ROLE_LABELS[result.evidence[0].role] if result.evidence else "")
    elif dim:
        note = result.reason
    if note:
        if result.evidence:
            lines.append(Text(" " * INDENT + "→ " + note, style="dim" if dim else "yellow"))
        else:
            line.append(note, style="dim")
    if result.review is not None:
        rv = result.review
        text = (f"☑ 复核：机器判定为“{STATUS_LABELS[rv.machine]}”，"
                f"{rv.reviewer} {rv.date} 复核改定为“{STATUS_LABELS[rv.status]}”")
        if rv.reason:
            text += f"；说明：{rv.reason}"
        lines.extend(_hanging(Text(" " * INDENT), [(text, "cyan")], width))
    return lines


def _part_lines(part: str, results: list[ItemResult], locator: str, width: int) -> list[Text]:
    covered = sum(1 for r in results if r.status == Status.COVERED)
    applicable = sum(1 for r in results if r.status != Status.NOT_APPLICABLE)
    lines = [Text(f"{part}  （覆盖 {covered}/{applicable}）", style="bold")]
    for r in results:
        lines.extend(_item_lines(r, locator, width))
    return lines


def _hanging(prefix: Text, body: list[tuple[str, str]], width: int) -> list[Text]:
    """``prefix`` then the styled ``body`` pieces, wrapped by terminal cells under the body."""
    indent = prefix.cell_len
    lines = [prefix]
    used = indent
    for piece, style in body:
        for ch in piece:
            w = cell_len(ch)
            if used + w > width:
                lines.append(Text(" " * indent))
                used = indent
            lines[-1].append(ch, style=style)
            used += w
    return lines


def _missing(report: Report, width: int) -> list[Text]:
    missing = [r for r in report.items if r.status == Status.MISSING and r.item.severity == Severity.REQUIRED]
    if not missing:
        return []
    heading = f"缺失的{SEVERITY_LABELS[Severity.REQUIRED]}条目（{len(missing)} 项），报告应补充："
    lines = [Text(heading, style="bold red")]
    for r in missing:
        prefix = Text(f"✘ {r.item.id:<5} ", style="red")
        lines.extend(_hanging(prefix, [(r.item.title, "bold"), ("：", ""), (r.item.hint, "dim")], width))
    return lines


def render(report: Report, console: Console) -> None:
    width = min(console.width, 100)
    console.print(_header(report))
    groups: dict[str, list[ItemResult]] = {}
    for r in report.items:
        groups.setdefault(r.item.part, []).append(r)
    out = Text()
    for part, results in groups.items():
        out.append("\n")
        for line in _part_lines(part, results, report.document.locator, width):
            out.append_text(line)
            out.append("\n")
    missing = _missing(report, width)
    if missing:
        out.append("\n")
        for line in missing:
            out.append_text(line)
            out.append("\n")
    console.print(out, overflow="fold", no_wrap=False, crop=False)


def render_all(reports: Sequence[Report], console: Console) -> None:
    for report in reports:
        render(report, console)

"""Rich terminal report for reviewers.

A header, a score, a line per item grouped by 纲要 part with the evidence (location, the matched words highlighted,
strength), and the missing required items with what a report should say; for several reports, a line per report. Uses
the console's full width; evidence is wrapped, never cut.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from checker.engine import ItemResult, Report
from checker.render.registry import CheckResult, Output
from checker.text.sanitize import for_terminal
from checker.vocabulary import LEVEL_LABELS, ROLE_LABELS, SEVERITY_LABELS, STATUS_LABELS, Severity, Status

if TYPE_CHECKING:  # the scorecard models (pydantic) only with --waivers, which builds them
    from checker.scorecard import WaiverOut

SYMBOLS = {
    Status.COVERED: ("✔", "green"),
    Status.PARTIAL: ("◐", "yellow"),
    Status.MISSING: ("✘", "red"),
    Status.NOT_APPLICABLE: ("–", "dim"),
}


STRENGTH_MARKERS = {"quantified": (" （有数据）", "green"), "statement": (" （无数据）", "yellow")}


def _score_style(score: float) -> str:
    return "green" if score >= 80 else "yellow" if score >= 60 else "red"


def _header(report: Report, width: int) -> Panel:
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
    choice = report.choice
    if not choice.warning:
        lines.append(f"\n依据：{choice.message()}", style="dim")
    if choice.structure_note():
        lines.append(f"\n结构：{choice.structure_note()}", style="dim")
    counts = report.counts
    lines.append("\n得分 ", style="dim")
    lines.append(f"{report.score:.1f}", style=f"bold {_score_style(report.score)}")
    lines.append(" / 100   ")
    for status in Status:
        symbol, style = SYMBOLS[status]
        lines.append(f"{symbol} {STATUS_LABELS[status]} {counts[status.value]}  ", style=style)
    parts: list[Text | Panel] = [lines]
    if choice.warning:
        parts.insert(0, Text(f"⚠{choice.message()}", style="bold yellow"))
    if not prof.is_annual_report:
        warning = Text(f"⚠这可能不是法治政府建设年度报告：{prof.annual_reason}", style="bold red")
        return Panel(Group(warning, *parts), border_style="red", width=width)
    return Panel(Group(*parts), border_style="blue", width=width)


def where(locator: str, line: int, page: int | None, ocr: bool = False) -> str:
    """Where evidence stands in the original file, as a reviewer would look for it."""
    if page is not None:
        return f"第{page}页" + ("（文字识别）" if ocr else "")
    return f"第{line}段" if locator == "paragraph" else f"第{line}行"


TITLE_CELLS = 24  #: the title column on a terminal of 100 columns; wider terminals get more
TITLE_BREAKS = "（(、，,；与和及"  #: a title is shortened only before one of these, never mid-word
KEEP_TOGETHER = 8  #: pieces this short (markers like （有数据）) move to the next line whole
EvidenceMode = Literal["snippet", "full"]


def _title_cells(width: int) -> int:
    return max(TITLE_CELLS, min(40, TITLE_CELLS + (width - 100) // 3))


def _fit_title(title: str, cells: int) -> str | None:
    """``title`` within ``cells``, shortened before a break (（、，…) with …; None if no break fits."""
    if cell_len(title) <= cells:
        return title
    best = None
    for k, ch in enumerate(title):
        if k and ch in TITLE_BREAKS and cell_len(title[:k]) + 1 <= cells:
            best = k
    if best is None or best < 4:
        return None
    return title[:best] + "…"


def _pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - cell_len(text))


def _quote_pieces(quote: str, highlight: tuple[int, int]) -> list[tuple[str, str]]:
    """The quote as styled pieces, the matched words highlighted.

    Up to engine.QUOTE_CONTEXT characters each side, within the sentence.
    """
    start, end = highlight
    return [(quote[:start], ""), (quote[start:end], "bold magenta"), (quote[end:], "")]


def _hanging(prefix: Text, body: list[tuple[str, str]], width: int) -> list[Text]:
    """``prefix`` then the styled ``body`` pieces, wrapped by terminal cells under the body."""
    indent = prefix.cell_len
    lines = [prefix]
    used = indent
    for piece, style in body:
        if len(piece) <= KEEP_TOGETHER and used + cell_len(piece) > width and used > indent:
            lines.append(Text(" " * indent))  # a short piece (a marker) is not split over two lines
            used = indent
            piece = piece.lstrip()
        if "\u200d" not in piece and "\ufe0f" not in piece:  # without these, the piece is as wide as its characters
            whole = cell_len(piece)
            if used + whole <= width:  # it fits on this line: one span rather than one per character
                lines[-1].append(piece, style=style)
                used += whole
                continue
        run = 0  # start of the characters of ``piece`` not yet appended
        for k, ch in enumerate(piece):
            w = cell_len(ch)
            if used + w > width and used > indent:
                lines[-1].append(piece[run:k], style=style)
                lines.append(Text(" " * indent))
                used, run = indent, k
            used += w
        lines[-1].append(piece[run:], style=style)
    return lines


def _item_lines(result: ItemResult, locator: str, width: int, mode: EvidenceMode = "snippet",
                waiver: WaiverOut | None = None) -> list[Text]:
    symbol, style = SYMBOLS[result.status]
    dim = result.status == Status.NOT_APPLICABLE
    title = result.item.title + ("（建议）" if result.item.severity == Severity.RECOMMENDED else "")
    cells = _title_cells(width)
    indent = 2 + 6 + cells + 1
    shown = _fit_title(title, cells)
    line = Text(f"{symbol} ", style=style)
    line.append(f"{result.item.id:<5} ", style=style)
    line.append(_pad(shown or title, cells) + " ", style="dim" if dim else "")
    lines = [line]
    room = [shown is not None]  # the title line still has room for what follows

    def block(pieces: list[tuple[str, str]]) -> None:
        prefix = lines.pop() if room[0] else Text(" " * indent)
        room[0] = False
        lines.extend(_hanging(prefix, pieces, width))

    evidence = list(result.evidence)
    if mode == "snippet" and evidence:
        # The evidence that carries the strength shown: a quantified sentence if there is one.
        evidence = [next((e for e in evidence if e.quantified), evidence[0])]
    for k, ev in enumerate(evidence):
        pieces = [(where(locator, ev.line, ev.page, ev.ocr) + " ", "cyan")]
        if mode == "full" and ev.section:
            pieces.append((f"〔{' > '.join(ev.section)}〕", "dim"))
        pieces += _quote_pieces(ev.quote, ev.highlight)
        if k == 0 and result.strength is not None:
            pieces.append(STRENGTH_MARKERS[result.strength])
        block(pieces)
    note = ""
    if result.status == Status.PARTIAL:
        note = result.reason or (ROLE_LABELS[result.evidence[0].role] if result.evidence else "")
    elif dim:
        note = result.reason
    if note:
        block([("→ " + note, "dim" if dim else "yellow")])
    if result.review is not None:
        rv = result.review
        text = (f"☑ 复核：机器判定为“{STATUS_LABELS[rv.machine]}”，"
                f"{rv.reviewer} {rv.date} 复核改定为“{STATUS_LABELS[rv.status]}”")
        if rv.reason:
            text += f"；说明：{rv.reason}"
        block([(text, "cyan")])
    if waiver is not None:
        state = "豁免已过期（不再有效）" if waiver.expired else "已豁免"
        text = f"⚑ {state}：{waiver.reason}；批准：{waiver.approver}（{waiver.date}）；有效至 {waiver.expires}"
        block([(text, "red" if waiver.expired else "yellow")])
    return lines


def _part_lines(part: str, results: list[ItemResult], locator: str, width: int, mode: EvidenceMode,
                waivers: Mapping[str, WaiverOut]) -> list[Text]:
    covered = sum(1 for r in results if r.status == Status.COVERED)
    applicable = sum(1 for r in results if r.status != Status.NOT_APPLICABLE)
    lines = [Text(f"{part}  （覆盖 {covered}/{applicable}）", style="bold")]
    for r in results:
        lines.extend(_item_lines(r, locator, width, mode, waivers.get(r.item.id)))
    return lines


def _missing(report: Report, width: int, waivers: Mapping[str, WaiverOut]) -> list[Text]:
    missing = [r for r in report.items if r.status == Status.MISSING and r.item.severity == Severity.REQUIRED
               and not (r.item.id in waivers and not waivers[r.item.id].expired)]
    if not missing:
        return []
    heading = f"缺失的{SEVERITY_LABELS[Severity.REQUIRED]}条目（{len(missing)} 项），报告应补充："
    lines = [Text(heading, style="bold red")]
    for r in missing:
        prefix = Text(f"✘ {r.item.id:<5} ", style="red")
        lines.extend(_hanging(prefix, [(r.item.title, "bold"), ("：", ""), (r.item.hint, "dim")], width))
    return lines


def render(report: Report, console: Console, *, evidence: EvidenceMode = "snippet",
           waivers: Mapping[str, WaiverOut] | None = None) -> None:
    """One report: header, items by 纲要 part with evidence, then the missing required items."""
    width = console.width
    waivers = waivers or {}
    console.print(_header(report, width))
    groups: dict[str, list[ItemResult]] = {}
    for r in report.items:
        groups.setdefault(r.item.part, []).append(r)
    out = Text()
    fits = True  # every line is within the width already (the usual case): rich need not wrap them again
    for part, results in groups.items():
        out.append("\n")
        for line in _part_lines(part, results, report.document.locator, width, evidence, waivers):
            out.append_text(line)
            out.append("\n")
            fits = fits and _within(line.plain, width)
    missing = _missing(report, width, waivers)
    if missing:
        out.append("\n")
        for line in missing:
            out.append_text(line)
            out.append("\n")
            fits = fits and _within(line.plain, width)
    if fits and _plain_buffer(console) and for_terminal(plain := out.plain) == plain:
        # What rich would write: the lines' text as it is (no colour, nothing for SafeConsole to clean), and the end.
        console.file.write(plain + "\n")
    elif fits:  # rich's wrapping would leave every line as it is (no break, nothing to strip or fold)
        console.print(out, overflow="ignore", no_wrap=True, crop=False)
    else:
        console.print(out, overflow="fold", no_wrap=False, crop=False)


def _plain_buffer(console: Console) -> bool:
    """The console writes plain text into a string buffer (``check -o FILE``): rich would write each segment's text.

    No colour, no terminal, nothing recorded or held back; a StringIO, so no broken pipe, encoding error or
    Windows console to handle.
    """
    return (isinstance(console.file, io.StringIO) and console.color_system is None and not console.is_terminal
            and not (console.record or console.quiet or console.is_jupyter))


def _within(line: str, width: int) -> bool:
    """``line`` takes at most ``width`` terminal cells (no tab, whose width depends on where it stands).

    An ASCII character takes at most one cell and any other at most two: that bound settles most lines
    without measuring each character; the rest are measured.
    """
    if "\t" in line:
        return False
    return 2 * len(line) - len(line.encode("ascii", "ignore")) <= width or cell_len(line) <= width


def render_all(reports: Sequence[Report], console: Console, *, evidence: EvidenceMode = "snippet",
               waivers: Sequence[Mapping[str, WaiverOut]] | None = None) -> None:
    """Every report, then (for several) one line per report."""
    for k, report in enumerate(reports):
        render(report, console, evidence=evidence, waivers=waivers[k] if waivers else None)
    if len(reports) > 1:
        _overview(reports, console)


def _overview(reports: Sequence[Report], console: Console) -> None:
    """One line per report: score, ✔/◐/✘ counts, body, level, year, missing required items, file."""
    console.print(Text(f"\n共 {len(reports)} 份报告", style="bold"))
    console.print(Text("  得分   ✔/◐/✘  单位  层级  年度  缺失的必备条目  文件", style="dim"))
    for r in reports:
        prof, counts = r.profile, r.counts
        missing = [x.item.id for x in r.items if x.status == Status.MISSING and x.item.severity == Severity.REQUIRED]
        line = Text(f"{r.score:6.1f}", style=_score_style(r.score))
        line.append(f"  {counts['covered']}/{counts['partial']}/{counts['missing']}  ")
        line.append(f"{prof.body or '未识别'}  {LEVEL_LABELS[prof.level] if prof.level else '未识别'}  "
                    f"{prof.year or '未识别'}  ")
        line.append(" ".join(missing) or "—", style="red" if missing else "green")
        path, room = r.document.path, console.width - line.cell_len - 2
        if cell_len(path) > room > 8:  # keep the file name: drop leading folders
            while path and cell_len(path) > room - 1:
                path = path[1:]
            path = "…" + path
        line.append(f"  {path}", style="dim")
        console.print(line, no_wrap=True, crop=False, overflow="ignore")


def format(result: CheckResult, out: Output) -> None:
    """``check``'s terminal report: every report, then (for several) one line per report."""
    render_all(result.reports, out.console(), evidence=result.evidence,  # type: ignore[arg-type]
               waivers=result.waivers)

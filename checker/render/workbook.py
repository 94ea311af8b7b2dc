"""The reviewer's Excel workbook (``--xlsx``): 汇总, 明细 and 说明.

* ``汇总``: one row per report – file, body, level, year, annual report or not, score, counts
  per status and coverage per 纲要 part; frozen header, filters, colour scales.
* ``明细``: one row per report × item, with three columns for the reviewer (复核结论 as a
  drop-down, 复核说明, 复核人) that ``checker reviews import`` reads back.
* ``说明``: how to use the workbook and send it back.

The sheet and column names are an interface (reviewers' macros and ``reviews import`` rely
on them): change them only with a new format. Every text cell goes through
:func:`checker.cells.excel_safe`. Rows are written in order (xlsxwriter's constant-memory
mode), so an audit of thousands of reports does not hold the workbook in memory; the file is
written atomically.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.cells import excel_safe
from checker.files.atomic import open_atomic
from checker.render.check_rich import where
from checker.scorecard import ItemOut, Scorecard, content_checklist, part_scores
from checker.vocabulary import LEVEL_LABELS, SEVERITY_LABELS, STATUS_LABELS, Level, Severity, Status

if TYPE_CHECKING:
    from checker.render.registry import AuditResult, CheckResult

SUMMARY_SHEET = "汇总"
DETAIL_SHEET = "明细"
HELP_SHEET = "说明"

SUMMARY_COLUMNS = ("文件", "单位", "层级", "年度", "是否年度报告", "得分",
                   *(STATUS_LABELS[s] for s in Status))
SUMMARY_TRAILER = ("已复核条目", "已豁免条目")
CHECKLIST_COLUMN = "清单"
DETAIL_COLUMNS = ("文件", "单位", "年度", "条目", "纲要部分", "必备/建议", "状态", "证据", "位置",
                  "复核结论", "复核说明", "复核人")
#: After the reviewer's columns: what the machine said (when a reviewer changed it), the waiver,
#: and the keys ``reviews import`` uses (item id, the report's sha256).
DETAIL_TRAILER = ("机器判定", "豁免", "条目编号", "SHA-256")
VERDICT_CHOICES = tuple(STATUS_LABELS[s] for s in Status)
VERDICT_OF_LABEL = {label: status for status, label in STATUS_LABELS.items()}

#: (relative path, scorecard) pairs; called once per sheet, so it may stream from disk.
Cards = Callable[[], Iterable[tuple[str, Scorecard]]]

HELP_TEXT = (
    ("本工作簿由 checker 生成", "title"),
    ("“汇总”表：每份报告一行——文件、单位、层级、年度、是否年度报告、得分、各状态条目数和各纲要部分的覆盖率"
     "（0–100，按必备条目权重 2、建议条目权重 1 计算，部分覆盖计一半）。", ""),
    ("“明细”表：每份报告的每个条目一行——状态、证据（原文引文）和位置（文本文件为行，Word 为段，PDF 为页）。", ""),
    ("复核方法", "title"),
    ("1. 在“明细”表中筛选需要复核的条目（例如状态为“缺失”的必备条目），对照原文核实。", ""),
    ("2. 认为机器判定有误时，在“复核结论”列的下拉框中选择 已覆盖 / 部分覆盖 / 缺失 / 不适用，"
     "在“复核说明”中写明理由（例如原文在第几段怎样写），在“复核人”中写上姓名。三列都要填写。", ""),
    ("3. 同意机器判定的条目不必填写；不要改动其他列，尤其是最后的“条目编号”和“SHA-256”列"
     "（导入时用它们找到报告和条目）。可以增加筛选、排序和批注，但不要删除或重命名工作表和列。", ""),
    ("4. 保存为 .xlsx 文件后交回。审计人员运行：", ""),
    ("    checker reviews import 本工作簿.xlsx -o reviews.yaml", "code"),
    ("   复核结论就合并进复核文件 reviews.yaml；此后运行", ""),
    ("    checker audit 报告目录/ --out 审计结果/ --reviews reviews.yaml --xlsx 汇总表.xlsx", "code"),
    ("   条目的状态即为复核结论（评分卡中保留机器判定 machine_status），"
     "看板、工作簿和审查意见书都会标明“已复核”。", ""),
    ("5. 报告修改后（文件内容的 SHA-256 变化），原复核结论不再采用，并提示需要重新复核。", ""),
    ("“机器判定”列在复核结论与机器判定不同时给出机器原来的判定；"
     "“豁免”列给出经批准的豁免（理由、批准人、有效期）。", ""),
    ("以等号、加号、减号、@ 开头的文字前加了单引号，以免被当作公式执行。", ""),
)


def _level(value: str | None) -> str:
    return LEVEL_LABELS[Level(value)] if value else "未识别"


def _evidence(item: ItemOut, locator: str) -> tuple[str, str]:
    if not item.evidence:
        return "", ""
    ev = next((e for e in item.evidence if e.quantified), item.evidence[0])
    place = where(locator, ev.line, ev.page, ev.ocr)
    if ev.section:
        place += f"（{ev.section}）"
    return ev.quote, place


def _waiver(item: ItemOut) -> str:
    w = item.waiver
    if w is None:
        return ""
    state = "已过期，" if w.expired else ""
    return f"{state}理由：{w.reason}；批准：{w.approver}（{w.date}）；有效至 {w.expires}"


class _Writer:
    def __init__(self, book: Any) -> None:
        self.book = book
        self.head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                     "valign": "vcenter"})
        self.review_head = book.add_format({"bold": True, "bg_color": "#FFE699", "border": 1, "valign": "vcenter"})
        self.text = book.add_format({"valign": "top"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.review = book.add_format({"bg_color": "#FFF2CC", "valign": "top", "text_wrap": True})
        self.number = book.add_format({"num_format": "0.0", "valign": "top"})
        self.status = {
            Status.COVERED: book.add_format({"font_color": "#1A7F37", "valign": "top"}),
            Status.PARTIAL: book.add_format({"font_color": "#9A6700", "valign": "top"}),
            Status.MISSING: book.add_format({"font_color": "#CF222E", "bold": True, "valign": "top"}),
            Status.NOT_APPLICABLE: book.add_format({"font_color": "#8C959F", "valign": "top"}),
        }
        self.reviewed = book.add_format({"bold": True, "bg_color": "#E2EFDA", "valign": "top"})

    def cell(self, sheet: Any, row: int, col: int, value: object, fmt: Any = None) -> None:
        if value is None or value == "":
            sheet.write_blank(row, col, None, fmt or self.text)
        elif isinstance(value, bool):
            sheet.write_string(row, col, "是" if value else "否", fmt or self.text)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, fmt or self.text)
        else:
            sheet.write_string(row, col, excel_safe(str(value)), fmt or self.text)

    def header(self, sheet: Any, names: Sequence[str], review: Sequence[str] = ()) -> None:
        for col, name in enumerate(names):
            sheet.write_string(0, col, name, self.review_head if name in review else self.head)
        sheet.freeze_panes(1, 0)
        # printed: A4 landscape, one page wide, the header on every page
        sheet.set_paper(9)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)

    def summary(self, cards: Cards, parts: Sequence[str], groups: Sequence[str] = ()) -> None:
        sheet = self.book.add_worksheet(SUMMARY_SHEET)
        names = [*SUMMARY_COLUMNS, *parts, CHECKLIST_COLUMN, *SUMMARY_TRAILER]
        self.header(sheet, names)
        sheet.set_row(0, 48)
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, 1, 18)
        sheet.set_column(2, 5, 9)
        sheet.set_column(6, len(names) - 1, 10)
        row = 0
        for rel, card, checklist in _grouped(cards, groups):
            row += 1
            doc, counts = card.document, card.summary.counts.model_dump()
            scores = part_scores(card)
            values: list[object] = [rel, doc.body or "未识别", _level(doc.level), doc.year or "未识别",
                                    doc.is_annual_report, card.summary.score, *(counts[s.value] for s in Status)]
            values += [scores.get(p) for p in parts]
            values += [checklist or "", sum(1 for i in card.items if i.review is not None),
                       sum(1 for i in card.items if i.waiver is not None and not i.waiver.expired)]
            for col, value in enumerate(values):
                fmt = self.number if isinstance(value, float) else None
                self.cell(sheet, row, col, value, fmt)
        last = len(names) - 1
        sheet.autofilter(0, 0, max(row, 1), last)
        scale = {"type": "3_color_scale", "min_type": "num", "min_value": 0, "mid_type": "num", "mid_value": 60,
                 "max_type": "num", "max_value": 100, "min_color": "#F8696B", "mid_color": "#FFEB84",
                 "max_color": "#63BE7B"}
        if row:
            score_col = SUMMARY_COLUMNS.index("得分")
            sheet.conditional_format(1, score_col, row, score_col, scale)
            first_part = len(SUMMARY_COLUMNS)
            if parts:
                sheet.conditional_format(1, first_part, row, first_part + len(parts) - 1, scale)

    def detail(self, cards: Cards) -> None:
        sheet = self.book.add_worksheet(DETAIL_SHEET)
        names = [*DETAIL_COLUMNS, *DETAIL_TRAILER]
        review_cols = ("复核结论", "复核说明", "复核人")
        self.header(sheet, names, review_cols)
        widths = (30, 14, 7, 28, 20, 8, 9, 60, 22, 11, 30, 10, 9, 24, 8, 12)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        row = 0
        for rel, card in cards():
            doc = card.document
            for item in card.items:
                row += 1
                status = Status(item.status)
                quote, place = _evidence(item, doc.locator)
                review = item.review
                machine = STATUS_LABELS[Status(item.machine_status)] if item.machine_status else ""
                values: list[tuple[object, Any]] = [
                    (rel, None), (doc.body or "未识别", None), (doc.year or "未识别", None),
                    (f"{item.id} {item.title}", None), (item.part, None),
                    (SEVERITY_LABELS[Severity(item.severity)], None),
                    (STATUS_LABELS[status] + ("（已复核）" if review else ""),
                     self.reviewed if review else self.status[status]),
                    (quote, self.wrap), (place, self.wrap),
                    (STATUS_LABELS[Status(review.status)] if review else "", self.review),
                    (review.reason if review else "", self.review),
                    (review.reviewer if review else "", self.review),
                    (machine, None), (_waiver(item), self.wrap), (item.id, None), (doc.sha256, None),
                ]
                for col, (value, fmt) in enumerate(values):
                    self.cell(sheet, row, col, value, fmt)
        sheet.autofilter(0, 0, max(row, 1), len(names) - 1)
        sheet.print_area(0, 0, max(row, 1), len(DETAIL_COLUMNS) + 1)  # printed without the keys for import
        verdict = DETAIL_COLUMNS.index("复核结论")
        sheet.data_validation(1, verdict, max(row, 1), verdict, {
            "validate": "list", "source": list(VERDICT_CHOICES), "ignore_blank": True,
            "error_title": "复核结论", "error_message": "请从下拉框中选择：" + " / ".join(VERDICT_CHOICES),
            "input_title": "复核结论", "input_message": "机器判定有误时选择正确的状态，并填写复核说明和复核人",
        })

    def help(self) -> None:
        sheet = self.book.add_worksheet(HELP_SHEET)
        sheet.set_column(0, 0, 120)
        title = self.book.add_format({"bold": True, "font_size": 13})
        code = self.book.add_format({"font_name": "Consolas"})
        for row, (text, kind) in enumerate(HELP_TEXT):
            fmt = title if kind == "title" else code if kind == "code" else self.wrap
            sheet.write_string(row, 0, text, fmt)


def _grouped(cards: Cards, groups: Sequence[str]) -> Iterator[tuple[str, Scorecard, str | None]]:
    """The cards with their content checklist, one block per 纲要 period.

    Blocks in period order, each in path order (the cards are read again for each block).
    """
    for group in groups if len(groups) > 1 else [None]:
        for rel, card in cards():
            checklist = content_checklist(card)
            if group is None or checklist == group:
                yield rel, card, checklist


def write_workbook(path: Path, cards: Cards, parts: Sequence[str] | None = None, groups: Sequence[str] = ()) -> None:
    """Write the reviewer's workbook to ``path`` (atomically) from ``cards``."""
    import xlsxwriter

    if parts is None:
        parts = []
        for _, card in cards():
            for item in card.items:
                if item.part not in parts:
                    parts.append(item.part)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".xlsx.", dir=path.parent) as tmp, open_atomic(path, "wb") as fh:
        book = xlsxwriter.Workbook(fh, {"constant_memory": True, "tmpdir": tmp, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
        book.set_properties({"title": "法治政府建设年度报告检查汇总表", "comments": "由 checker 生成"})
        writer = _Writer(book)
        writer.summary(cards, parts, groups)
        writer.detail(cards)
        writer.help()
        book.close()


def write_check(result: CheckResult, path: Path) -> None:
    """The workbook of ``checker check --xlsx``: the checked reports, by their paths."""
    cards = [(str(report.document.path), Scorecard.model_validate(card))  # plain data (checker.cards) -> model
             for report, card in zip(result.reports, result.cards, strict=True)]
    write_workbook(path, lambda: cards)


def write_audit(result: AuditResult, path: Path) -> None:
    """The workbook of ``checker audit --xlsx``.

    The scorecards read back from the audit folder, one block per 纲要 period.
    """
    summary = result.summary
    write_workbook(path, lambda: summary.scorecards(result.opts.out), summary.parts,
                   [g.checklist for g in summary.groups])

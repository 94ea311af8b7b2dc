"""The review letter (审查意见书): one .docx per report, in 公文 style after GB/T 9704-2012.

A4 paper; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; body 仿宋 三号 (16 pt),
headings 黑体 三号, title 宋体 二号 bold, fixed 28.95 pt line spacing (22 lines a page),
first-line indent of two characters. Fonts are named for East Asian text (w:eastAsia) so that
Word and WPS both pick them.

Content: the unit and report; overall coverage; each missing required item with what to add
(the item's hint) and its 纲要 clause; items found only in problems or plans; structure
problems as ``checker lint`` finds them; reviewed and waived items; a closing with blanks for
the issuing 司法局 and the date. Written from the scorecard (so reviews and waivers show) and
the structure diagnostics.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.engine import Report
from checker.files.atomic import write_bytes
from checker.lint.diagnostics import is_structure_item, lint_report
from checker.rules.periods import STRUCTURE, period_of
from checker.scorecard import ItemOut, Scorecard, content_checklist
from checker.vocabulary import LEVEL_LABELS, STATUS_LABELS, Level, Status

if TYPE_CHECKING:
    from checker.render.registry import LetterResult

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINE_PT = 28.95
CN_DIGITS = "零一二三四五六七八九"
STRUCT_PREFIX = "STRUCT-"


@dataclass(frozen=True, slots=True)
class Problem:
    """A structure problem of the report (a lint diagnostic): where and what."""

    line: int
    message: str


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (for 公文 headings; n < 100)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def _doc_name(card: Scorecard) -> str:
    title = card.document.title
    return f"《{title.strip('《》')}》" if title else "法治政府建设年度报告"


def structure_problems(report: Report) -> list[Problem]:
    """The report's structure problems as ``checker lint`` finds them (STRUCT-* diagnostics)."""
    return [Problem(d.line, d.message) for d in lint_report(report) if d.id.startswith(STRUCT_PREFIX)]


def _basis(card: Scorecard) -> str:
    """The documents the report was judged by: the 纲要 of its period, and the 督察规定 when in force."""
    period = period_of(content_checklist(card) or "")
    plan = period.basis if period is not None and period is not STRUCTURE else "法治政府建设的有关要求"
    choice = card.checklist_choice
    structure = choice.structure_applies if choice is not None else True
    return f"{plan}和{STRUCTURE.basis.split('（')[0]}" if structure else plan


def letter_paragraphs(card: Scorecard, problems: Sequence[Problem]) -> list[tuple[str, str]]:
    """The letter as (kind, text) pairs: title, number, to, body, heading, item, sign, date.

    Items of the structure checklist are left to the structure problems (lint says it better).
    """
    doc, summary = card.document, card.summary
    body = doc.body or "（报告单位）"
    level = f"（层级：{LEVEL_LABELS[Level(doc.level)]}）" if doc.level else ""
    year = f"{doc.year}年度" if doc.year else "年度"
    out: list[tuple[str, str]] = [
        ("title", f"关于{body}{year}法治政府建设报告的\n审查意见书"),
        ("number", "〔    〕第    号"),
        ("to", f"{body}："),
        ("body", f"你单位报送的{_doc_name(card)}（文件 {Path(doc.path).name}，共 {doc.chars} 字）收悉。"
                 f"根据{_basis(card)}，"
                 f"我局对照检查清单（{'、'.join(f'{c.id} v{c.version}' for c in card.checklists)}）"
                 "对报告逐项进行了审查。现将审查意见反馈如下："),
    ]
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    counts = summary.counts
    applicable = counts.covered + counts.partial + counts.missing
    overview = (f"报告单位为{body}{level}，报告年度为{doc.year or '（未能识别）'}年。对照 {applicable} 个适用条目，"
                f"已覆盖 {counts.covered} 项，部分覆盖 {counts.partial} 项，缺失 {counts.missing} 项，"
                f"综合得分 {summary.score:.1f} 分（满分 100 分）。")
    reviewed = [i for i in card.items if i.review is not None]
    if reviewed:
        overview += f"其中 {len(reviewed)} 个条目的结论经人工复核确定。"
    paras = [("body", overview)]
    if not doc.is_annual_report:
        paras.append(("body", f"需要说明的是，该文件可能不是法治政府建设年度报告：{doc.annual_reason}。"
                               "请核实报送的文件是否正确。"))
    sections.append(("总体情况", paras))

    waived = [i for i in card.items if i.waiver is not None and not i.waiver.expired]
    # waived items are listed on their own; structure items are said by the structure problems
    skip = {i.id for i in waived} | {i.id for i in card.items if is_structure_item(i.checklist, i.id)}
    missing = [i for i in card.items if i.status == "missing" and i.severity == "required" and i.id not in skip]
    if missing:
        paras = [("body", f"以下 {len(missing)} 项必备内容在报告中没有找到，请予补充：")]
        for k, item in enumerate(missing, 1):
            paras.append(("item", f"（{cn_number(k)}）{item.title}。{_sentence(item.hint)}（依据：{item.ref}）"
                                  f"{_review_note(item)}"))
        sections.append(("需要补充的必备内容", paras))
    else:
        sections.append(("需要补充的必备内容", [("body", "报告涵盖了全部适用的必备内容。")]))

    partial = [i for i in card.items if i.status == "partial" and i.id not in skip]
    if partial:
        paras = [("body", "以下内容只在存在的问题或下一步工作安排中提到，未见本年度的具体工作情况，请予充实：")]
        for k, item in enumerate(partial, 1):
            paras.append(("item", f"（{cn_number(k)}）{item.title}。{_sentence(item.reason or item.hint)}"
                                  f"{_where(item, doc.locator)}（依据：{item.ref}）{_review_note(item)}"))
        sections.append(("只在问题或计划中提到的内容", paras))

    if problems:
        paras = []
        for k, p in enumerate(problems, 1):
            paras.append(("item", f"（{cn_number(k)}）第{p.line}行：{_sentence(p.message)}"))
        sections.append(("报告结构方面的问题", paras))

    recommended = [i for i in card.items if i.status == "missing" and i.severity == "recommended"
                   and i.id not in skip]
    if recommended:
        names = "、".join(i.title for i in recommended)
        sections.append(("其他建议", [("body", f"以下建议内容报告中也没有写到，可视情况补充：{names}。")]))
    if waived:
        paras = [("item", f"（{cn_number(k)}）{i.title}：{STATUS_LABELS[Status(i.status)]}，已经批准豁免"
                          f"（理由：{i.waiver.reason}；批准：{i.waiver.approver}；有效至 {i.waiver.expires[:10]}）。")
                 for k, i in enumerate(waived, 1) if i.waiver is not None]
        sections.append(("已批准豁免的条目", paras))

    for k, (heading, paras) in enumerate(sections, 1):
        out.append(("heading", f"{cn_number(k)}、{heading}"))
        out.extend(paras)
    out.append(("body", "请你单位对照上述意见认真研究，补充完善报告，并于    年  月  日前将修改后的报告报送我局。"))
    out.append(("body", "特此函告。"))
    out.append(("sign", "__________司法局（印章）"))
    out.append(("date", "    年    月    日"))
    return out


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。；！？）" else text + "。"


def _where(item: ItemOut, locator: str) -> str:
    if not item.evidence:
        return ""
    from checker.render.check_rich import where

    ev = item.evidence[0]
    return f"（见报告{where(locator, ev.line, ev.page, ev.ocr)}：“{ev.quote.strip('…')}”）"


def _review_note(item: ItemOut) -> str:
    if item.review is None:
        return ""
    note = f"（经{item.review.reviewer}复核"
    return note + (f"：{item.review.reason}）" if item.review.reason else "）")


def _fonts(run: Any, east_asia: str) -> None:
    from docx.oxml.ns import qn

    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)


#: Characters XML 1.0 cannot hold (a reviewer's note may carry them): python-docx refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def build_docx(paragraphs: Sequence[tuple[str, str]]) -> bytes:
    """The letter as .docx bytes, in 公文 layout."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = LATIN_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", BODY_FONT)
    document.core_properties.title = paragraphs[0][1].replace("\n", "") if paragraphs else "审查意见书"
    document.core_properties.author = "checker"
    for kind, text in paragraphs:
        para = document.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        font, size, bold = BODY_FONT, BODY_PT, False
        if kind == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            font, size, bold = TITLE_FONT, TITLE_PT, True
            fmt.line_spacing = Pt(36)
            fmt.space_after = Pt(LINE_PT)
        elif kind == "number":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_after = Pt(LINE_PT / 2)
        elif kind == "heading":
            font = HEADING_FONT
            fmt.first_line_indent = Pt(BODY_PT * 2)
        elif kind in ("body", "item"):
            fmt.first_line_indent = Pt(BODY_PT * 2)
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif kind in ("sign", "date"):
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Pt(BODY_PT * 4)
            if kind == "sign":
                fmt.space_before = Pt(LINE_PT * 2)
        lines = _NOT_XML.sub("", text).split("\n")
        for k, piece in enumerate(lines):
            run = para.add_run(piece)
            if k < len(lines) - 1:
                run.add_break()
            run.font.size = Pt(size)
            run.font.bold = bold
            _fonts(run, font)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


LETTER_SUFFIX = "-审查意见书.docx"


def letter_file_name(report_path: str) -> str:
    """File name of a report's letter: the report's file name followed by -审查意见书.docx.

    The report's extension is kept, so that a.txt and a.docx get a letter each.
    """
    return f"{Path(report_path).name}{LETTER_SUFFIX}"


def letter_name(card: Scorecard) -> str:
    """File name of the letter of a scorecard's report."""
    return letter_file_name(card.document.path)


def write_letter(path: Path, card: Scorecard, problems: Sequence[Problem]) -> None:
    """Write the letter of one report to ``path`` (atomically)."""
    write_bytes(path, build_docx(letter_paragraphs(card, problems)))


def write(result: LetterResult, path: Path) -> None:
    """Write the letter of one checked report to ``path`` (the registry's signature)."""
    write_letter(path, result.card, structure_problems(result.report))

"""Pre-submission lint: checklist results and report structure as compiler-style diagnostics.

Every diagnostic has a place in the file (the evidence, or where the missing part belongs),
a level (error / warning / info), an id and a Chinese message that says what to add.

* Checklist items give at most one diagnostic each: a missing required item is an error,
  a missing recommended item or a partial one a warning, a required item covered only by a
  bare statement (no number, share or named document) a warning.
* The report-structure items RS01–RS07 are reported by the structural rules ``STRUCT-*``
  of the 督察规定 (title, the four parts, causes of the shortcomings, 落款, years), which
  run whichever checklists are chosen; lint adds the report date against the deadline and
  whether the file is an annual report at all. A structural diagnostic names its RS item,
  so ``select``/``ignore``/``severity``/waivers accept either id.
* ``WAIVER-*`` and ``INPUT-UNREADABLE`` are about the run itself and are always reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import regex

from checker.document.model import Document
from checker.engine import ItemResult, Report
from checker.exitcodes import ExitCode
from checker.lint.waivers import Waiver
from checker.pipeline import ChecklistSet
from checker.rules.checklist import STRUCTURE_CHECKLIST, LoadedChecklist, is_structure_checklist
from checker.rules.periods import ChoiceReason, structure_in_force
from checker.rules.reasons import Note, Reason, codes
from checker.scorecard import WaiverOut
from checker.settings import LEVEL_RANK, DiagLevel, FailOn
from checker.vocabulary import LEVEL_LABELS, SEVERITY_LABELS, Level, LevelSource, Role, Severity, Status

if TYPE_CHECKING:
    from checker.reviews import Reviews

TOOL_CHECKLIST = "lint"


@dataclass(frozen=True, slots=True)
class Rule:
    """What a diagnostic id means: for SARIF rules, JUnit test cases and the docs."""

    id: str
    title: str
    ref: str
    hint: str
    checklist: str
    level: DiagLevel  # default level of its most serious diagnostic
    item: str | None = None  # the RS item a structural rule reports


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding at a place in a report: path, line, column, level, rule id and message."""

    path: str
    line: int
    column: int
    level: DiagLevel
    id: str
    message: str
    checklist: str = TOOL_CHECKLIST
    item: str | None = None  # checklist item reported (== id for items; RS id for STRUCT rules)
    waiver: Waiver | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids the policy matches: the rule and, when different, the checklist item."""
        return (self.id,) if self.item is None or self.item == self.id else (self.id, self.item)

    @property
    def waived(self) -> bool:
        """Whether a waiver covers this finding."""
        return self.waiver is not None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        """Path, line, column and id: the order of the output."""
        return (self.path, self.line, self.column, self.id)


# ---------------------------------------------------------------------------------------
# Rules of lint itself

_DUCHA = "《法治政府建设与责任落实督察工作规定》"

STRUCT_RULES: tuple[Rule, ...] = (
    Rule("STRUCT-ANNUAL", "法治政府建设年度报告", _DUCHA,
         "检查的文件应是本单位的法治政府建设年度报告（标题如“××县2024年法治政府建设年度报告”），"
         "而不是实施方案、工作要点、讲话或信息公开年报。", TOOL_CHECKLIST, DiagLevel.ERROR),
    Rule("STRUCT-TITLE", "标题（单位 + 年度 + 法治政府建设 + 报告）", _DUCHA,
         "在首行写明标题，例如“××县2024年法治政府建设年度报告”。", TOOL_CHECKLIST, DiagLevel.ERROR, "RS01"),
    Rule("STRUCT-ACHIEVEMENTS", "主要举措和成效", f"{_DUCHA}（年度报告内容 1）",
         "单列一部分写本年度主要举措和成效，例如“一、主要举措和成效”，分条写明做法和数据。",
         TOOL_CHECKLIST, DiagLevel.ERROR, "RS02"),
    Rule("STRUCT-PROBLEMS", "存在的不足", f"{_DUCHA}（年度报告内容 2）",
         "单列一部分写存在的不足，例如“二、存在的不足和原因”。", TOOL_CHECKLIST, DiagLevel.ERROR, "RS03"),
    Rule("STRUCT-CAUSES", "不足的原因分析", f"{_DUCHA}（年度报告内容 2）",
         "在“存在的不足”部分分析原因（主观原因、客观原因），不只罗列问题。", TOOL_CHECKLIST, DiagLevel.WARNING, "RS03"),
    Rule("STRUCT-FIRST-RESPONSIBLE", "党政主要负责人履行推进法治建设第一责任人职责情况",
         f"{_DUCHA}（年度报告内容 3）",
         "单列一部分写党政主要负责人履行推进法治建设第一责任人职责的情况（亲自部署、主持会议、述法等具体行动）。",
         TOOL_CHECKLIST, DiagLevel.ERROR, "RS04"),
    Rule("STRUCT-PLANS", "下一年度推进法治政府建设的主要安排", f"{_DUCHA}（年度报告内容 4）",
         "单列一部分写下一年度的主要安排，例如“四、2025年工作安排”，分条写明任务。",
         TOOL_CHECKLIST, DiagLevel.ERROR, "RS05"),
    Rule("STRUCT-SIGNOFF", "落款与成文日期", "《党政机关公文格式》",
         "在文末写明报告单位（落款）和成文日期，例如“××县人民政府 2025年2月18日”。",
         TOOL_CHECKLIST, DiagLevel.WARNING, "RS06"),
    Rule("STRUCT-YEAR", "年度一致性", _DUCHA,
         "标题、正文写同一个报告年度，下一步安排写下一年度（2024 年报告的安排写 2025 年）。",
         TOOL_CHECKLIST, DiagLevel.ERROR, "RS07"),
    Rule("STRUCT-DEADLINE", "报送期限", _DUCHA,
         "县级及以下政府和政府部门在次年3月1日前、省级政府在次年4月1日前报送上一年度报告；成文日期应在期限内。",
         TOOL_CHECKLIST, DiagLevel.WARNING),
    Rule("CHECKLIST-PERIOD", "按报告年度选用的清单", "checker（纲要时期：checker/rules/periods.py）",
         "报告按其年度所属纲要时期的清单检查；尚未内置新一期纲要的清单时，用 -c 指定新清单"
         "（编写方法见 docs/checklists.md）。",
         TOOL_CHECKLIST, DiagLevel.WARNING),
    Rule("STRUCT-PROFILE", "报告单位层级和年度", "checker",
         "让标题或开头写明报告单位和年度；也可以用 --level、--year 指定。", TOOL_CHECKLIST, DiagLevel.INFO),
)
RUN_RULES: tuple[Rule, ...] = (
    Rule("WAIVER-EXPIRED", "豁免已过期", "豁免文件", "续期（经批准后修改 expires）或删除这条豁免并补写相应内容。",
         TOOL_CHECKLIST, DiagLevel.ERROR),
    Rule("WAIVER-UNKNOWN", "豁免了不存在的条目", "豁免文件", "核对豁免的条目编号（如 EN03、STRUCT-DEADLINE）。",
         TOOL_CHECKLIST, DiagLevel.WARNING),
    Rule("WAIVER-UNUSED", "未用到的豁免", "豁免文件", "这条豁免没有对应的问题，可以删除。",
         TOOL_CHECKLIST, DiagLevel.INFO),
    Rule("INPUT-UNREADABLE", "无法读取的输入", "checker", "检查文件路径、格式和编码。",
         TOOL_CHECKLIST, DiagLevel.ERROR),
    Rule("REVIEW-STALE", "复核意见针对旧版本", "复核文件", "报告修改后原复核结论不再采用：重新复核并导入复核结论。",
         TOOL_CHECKLIST, DiagLevel.WARNING),
)
#: RS item → the structural rule(s) reporting it.
RS_RULES = {"RS01": ("STRUCT-TITLE",), "RS02": ("STRUCT-ACHIEVEMENTS",), "RS03": ("STRUCT-PROBLEMS", "STRUCT-CAUSES"),
            "RS04": ("STRUCT-FIRST-RESPONSIBLE",), "RS05": ("STRUCT-PLANS",), "RS06": ("STRUCT-SIGNOFF",),
            "RS07": ("STRUCT-YEAR",)}
UNFILTERED = ("WAIVER-", "INPUT-", "REVIEW-")


def item_rule(lc: LoadedChecklist, result_item_id: str) -> Rule:
    """The lint rule that reports a checklist item (named after its id)."""
    item = lc.checklist.item(result_item_id)
    assert item is not None
    return Rule(item.id, item.title, item.ref, item.hint, lc.checklist.id,
                DiagLevel.ERROR if item.severity == Severity.REQUIRED else DiagLevel.WARNING, item.id)


def is_structure_item(checklist_id: str, item_id: str) -> bool:
    """Whether an item is one of the structure checklist's items that lint's STRUCT-* rules report."""
    return is_structure_checklist(checklist_id) and item_id in RS_RULES


def rules_for(checklists: Sequence[LoadedChecklist]) -> dict[str, Rule]:
    """Every rule a run can report, by id: lint's own, then each checklist item."""
    rules = {r.id: r for r in (*STRUCT_RULES, *RUN_RULES)}
    for lc in checklists:
        for item in lc.checklist.items:
            if not is_structure_item(lc.checklist.id, item.id):
                rules[item.id] = item_rule(lc, item.id)
    return rules


# ---------------------------------------------------------------------------------------
# Positions


def _pos_after(doc: Document, norm_end: int) -> tuple[int, int]:
    """Line and column just after the character before ``norm_end`` (matching text)."""
    if norm_end <= 0 or not doc.text:
        return 1, 1
    raw = doc.raw_index(min(norm_end, len(doc.text)) - 1) + 1
    return doc.line_col(raw)


def _pos_at(doc: Document, norm_start: int) -> tuple[int, int]:
    return doc.line_col(doc.raw_index(min(norm_start, max(len(doc.text) - 1, 0))))


def end_of_document(doc: Document) -> tuple[int, int]:
    """Line and column just after the last line: where a missing 落款 goes."""
    stripped = doc.raw.rstrip()
    return doc.line_col(len(stripped)) if stripped else (1, 1)


def end_of_body(doc: Document) -> tuple[int, int]:
    """Line and column just after the last sentence that is not part of the 落款."""
    body = [s for s in doc.sentences if s.role not in (Role.SIGNOFF,)]
    if not body:
        return end_of_document(doc)
    return _pos_after(doc, body[-1].end)


def content_insertion_point(doc: Document) -> tuple[int, int]:
    """Where a missing content item belongs: after the last achievements part."""
    for roles in ((Role.ACHIEVEMENTS,), (Role.FIRST_RESPONSIBLE,), (Role.OPENING,)):
        parts = [p for p in doc.parts if p.role in roles]
        if parts:
            return _pos_after(doc, parts[-1].end)
    return end_of_body(doc)


_PART_ORDER = (Role.ACHIEVEMENTS, Role.PROBLEMS, Role.FIRST_RESPONSIBLE, Role.PLANS)


def part_insertion_point(doc: Document, role: Role) -> tuple[int, int]:
    """Where a missing part belongs: before the first later part (督察规定 order), else at the end."""
    later = set(_PART_ORDER[_PART_ORDER.index(role) + 1 :])
    for part in doc.parts:
        if part.role in later and part.distinct:
            return _pos_at(doc, part.start)
    return end_of_body(doc)


# ---------------------------------------------------------------------------------------
# Dates

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_DATE = regex.compile(
    r"(?P<y>\d{4}|[〇零○ＯO一二三四五六七八九]{4})\s*(?:年|[-./])\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:月|[-./])"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})(?!\d)"
)


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4 and "十" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def parse_date(text: str) -> dt.date | None:
    """A date written in Chinese (2024年3月1日, 二〇二四年三月一日) or digits; None if there is none."""
    m = _DATE.search(text)
    if m is None:
        return None
    try:
        return dt.date(_cn_number(m.group("y")), _cn_number(m.group("m")), _cn_number(m.group("d")))
    except (ValueError, KeyError):
        return None


@dataclass(frozen=True, slots=True)
class ReportDate:
    """The date of a report's 落款 and where it is."""

    date: dt.date
    line: int
    column: int
    source: str  # "落款日期" | "标题下的日期"


def report_date(doc: Document) -> ReportDate | None:
    """The date of the report: its 落款 date, else a dated line under the title."""
    for blocks, source in ((doc.tail, "落款日期"), (doc.head, "标题下的日期")):
        for block in blocks:
            if block.kind not in ("date", "meta"):
                continue
            date = parse_date(block.text)
            if date is not None:
                line, column = _pos_at(doc, block.start)
                return ReportDate(date, line, column, source)
    return None


def _fmt(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


# ---------------------------------------------------------------------------------------
# Diagnostics of one report


def _short(quote: str, width: int = 36) -> str:
    quote = quote.strip("…")
    return quote if len(quote) <= width else quote[: width - 1] + "…"


def _say_add(hint: str) -> str:
    return f"请在报告中{hint}" if hint.startswith("写明") else f"请补充：{hint}"


def _clean_reason(reason: str) -> str:
    return regex.sub(r"[：:]\s*部分覆盖$", "", reason).strip()


def _structure_results(report: Report) -> dict[str, ItemResult]:
    """The report-structure results lint reads; lint never runs a checklist itself.

    The report's own items, else those the pipeline computed apart (``check_file(..., structure=True)``).
    """
    own = {r.item.id: r for r in report.items if is_structure_item(r.checklist, r.item.id)}
    results = {**{r.item.id: r for r in report.structure if r.item.id in RS_RULES}, **own}
    if len(results) < len(RS_RULES):
        raise ValueError(f"{report.document.path}: lint needs the report-structure results; "
                         "check the report with check_file(..., structure=True)")
    return results


def _body(report: Report) -> str:
    """The reporting body for examples: "景德镇市委景德镇市" → "景德镇市"."""
    body = report.profile.body or "××县"
    if "委员会" not in body:
        parts = [p for p in body.split("委") if p]
        body = parts[-1] if parts else body
    return body


def _example_title(report: Report) -> str:
    return f"{_body(report)}{report.profile.year or '20××'}年法治政府建设年度报告"


def _structure(report: Report) -> list[Diagnostic]:
    doc, prof = report.document, report.profile
    path = doc.path
    out: list[Diagnostic] = []

    def add(rule_id: str, pos: tuple[int, int], level: DiagLevel, message: str, item: str | None) -> None:
        out.append(Diagnostic(path, pos[0], pos[1], level, rule_id, message, STRUCTURE_CHECKLIST if item else
                              TOOL_CHECKLIST, item))

    title = doc.title
    title_pos = _pos_at(doc, title.start) if title is not None else (1, 1)
    if not prof.is_annual_report:
        add("STRUCT-ANNUAL", title_pos, DiagLevel.ERROR,
            f"这份文件不像法治政府建设年度报告：{prof.annual_reason}。请确认选对了文件；年度报告应以"
            f"“{_example_title(report)}”这样的标题，总结本年度法治政府建设的举措、成效、不足和下一年度安排。", None)

    if not structure_in_force(prof.year):
        # Reports on years before the 督察规定 (2019): no required parts; the 纲要's 第一季度 rule for the date.
        return [*out, *_deadline(report)]
    results = _structure_results(report)

    def ev(r: ItemResult) -> tuple[int, int]:
        return (r.evidence[0].line, r.evidence[0].column) if r.evidence else (1, 1)

    def level_missing(r: ItemResult) -> DiagLevel:
        return DiagLevel.ERROR if r.item.severity == Severity.REQUIRED else DiagLevel.WARNING

    # RS01 title
    r = results["RS01"]
    if r.status == Status.MISSING:
        add("STRUCT-TITLE", (1, 1), level_missing(r),
            f"缺少标题：请在第1行写明标题，例如“{_example_title(report)}”"
            "（单位 + 年度 + 法治政府建设 + 报告）。", "RS01")
    elif r.status == Status.PARTIAL:
        shown = title.text if title is not None else ""
        add("STRUCT-TITLE", ev(r), DiagLevel.WARNING,
            f"标题“{shown}”{_clean_reason(r.reason) or '不完整'}：请改为“{_example_title(report)}”这样的标题"
            "（单位 + 年度 + 法治政府建设 + 报告）。", "RS01")

    # RS02–RS05: the four parts
    next_year = f"{prof.year + 1}" if prof.year else "20××"
    part_labels = {
        "RS02": (Role.ACHIEVEMENTS, "STRUCT-ACHIEVEMENTS", "主要举措和成效", "一、主要举措和成效",
                 "分条写明本年度的做法、数据和成效"),
        "RS04": (Role.FIRST_RESPONSIBLE, "STRUCT-FIRST-RESPONSIBLE", "党政主要负责人履行推进法治建设第一责任人职责情况",
                 "三、党政主要负责人履行推进法治建设第一责任人职责情况",
                 "写明主要负责人亲自部署、主持会议研究、带头学法、述法等具体行动"),
        "RS05": (Role.PLANS, "STRUCT-PLANS", "下一年度工作安排", f"四、{next_year}年工作安排",
                 f"分条写明{next_year}年推进法治政府建设的主要任务"),
    }
    for item_id, (role, rule_id, label, heading, content) in part_labels.items():
        r = results[item_id]
        if r.status == Status.MISSING:
            add(rule_id, part_insertion_point(doc, role), level_missing(r),
                f"缺少“{label}”部分：请在此处加一部分，标题如“{heading}”，{content}。", item_id)
        elif r.status == Status.PARTIAL:
            only_not_distinct = r.reasons == (Note(Reason.PART_NOT_DISTINCT),)
            notes = [x for x in ("" if only_not_distinct else _clean_reason(r.reason),
                                 f"见第{r.evidence[0].line}行" if r.evidence else "") if x]
            why = f"（{'，'.join(notes)}）" if notes else ""
            add(rule_id, ev(r), DiagLevel.WARNING,
                f"“{label}”没有单列成部分{why}：请单列一部分，加标题如“{heading}”，{content}。", item_id)

    r = results["RS03"]
    if r.status == Status.MISSING:
        add("STRUCT-PROBLEMS", part_insertion_point(doc, Role.PROBLEMS), level_missing(r),
            "缺少“存在的不足和原因”部分：请在此处加一部分，标题如“二、存在的不足和原因”，写明本年度工作的不足，"
            "并分析主观、客观原因。", "RS03")
    elif r.status == Status.PARTIAL:
        where = f"（第{r.evidence[0].line}行起）" if r.evidence else ""
        found = codes(r.reasons)
        not_distinct = Reason.PART_NOT_DISTINCT in found
        if Reason.PART_LACKS in found:  # the problems part's requirement is the analysis of causes
            extra = "，也没有单列成部分（请加标题如“二、存在的不足和原因”）" if not_distinct else ""
            add("STRUCT-CAUSES", ev(r), DiagLevel.WARNING,
                f"“存在的不足”只罗列了问题，没有分析原因{where}{extra}：请逐条写明产生不足的主观、客观原因，"
                "例如“究其原因，一是……二是……”。", "RS03")
        else:
            add("STRUCT-PROBLEMS", ev(r), DiagLevel.WARNING,
                f"“存在的不足”{_clean_reason(r.reason) or '未单独成部分'}{where}：请单列一部分，"
                "加标题如“二、存在的不足和原因”，并分析原因。", "RS03")

    # RS06 落款
    r = results["RS06"]
    if r.status == Status.MISSING:
        add("STRUCT-SIGNOFF", end_of_document(doc), level_missing(r),
            f"缺少落款和成文日期：请在文末写明报告单位（如“{_body(report)}人民政府”），"
            f"下一行写成文日期（如“{next_year}年2月20日”）。", "RS06")
    elif r.status == Status.PARTIAL:
        reason = _clean_reason(r.reason)
        found = codes(r.reasons)
        if found & {Reason.SIGNOFF_NO_DATE, Reason.HEADER_SOURCE_NO_DATE}:
            todo = f"请在落款机关下一行写明成文日期，例如“{next_year}年2月20日”。"
        elif found & {Reason.SIGNOFF_NO_BODY, Reason.HEADER_DATE_NO_SOURCE}:
            todo = f"请在日期上方写明报告单位，例如“{_body(report)}人民政府”。"
        else:
            todo = "请在文末写明报告单位和成文日期。"
        add("STRUCT-SIGNOFF", ev(r), DiagLevel.WARNING, f"落款不完整：{reason or '缺少单位或日期'}。{todo}", "RS06")

    # RS07 years
    r = results["RS07"]
    if r.status == Status.MISSING:
        add("STRUCT-YEAR", title_pos, level_missing(r),
            "找不到报告年度：请在标题和开头写明报告年度（如“2024年”），下一步安排写下一年度。", "RS07")
    elif r.status == Status.PARTIAL:
        add("STRUCT-YEAR", ev(r), DiagLevel.WARNING,
            f"年度不一致：{_clean_reason(r.reason)}。请统一为报告年度，下一步安排写下一年度。", "RS07")

    out.extend(_deadline(report))
    if prof.level is None or prof.year is None:
        missing = [what for what, ok in (("层级", prof.level is not None), ("年度", prof.year is not None)) if not ok]
        reasons = "；".join(x for x in (prof.level_reason if prof.level is None else "",
                                       prof.year_reason if prof.year is None else "") if x)
        add("STRUCT-PROFILE", title_pos, DiagLevel.INFO,
            f"未能判断报告的{'和'.join(missing)}（{reasons}）：按全部层级的条目检查。请在标题或开头写明单位和年度，"
            "或用 --level、--year 指定。", None)
    return out


def _deadline(report: Report) -> list[Diagnostic]:
    doc, prof = report.document, report.profile
    rd = report_date(doc)
    if rd is None or prof.year is None:
        return []
    year = prof.year
    province = prof.level == Level.PROVINCE
    deadline = dt.date(year + 1, 4 if province else 3, 1)
    who = ("省级政府" if province else
           "县级及以下政府和政府部门" if prof.level is not None else "县级及以下政府和政府部门（未能判断层级，按此计）")
    if not structure_in_force(year):  # 纲要（2015—2020年）: report in the 第一季度 of the next year
        deadline, who = dt.date(year + 1, 4, 1), "按《法治政府建设实施纲要（2015—2020年）》，各级政府和政府部门"
    shown = f"{rd.source} {_fmt(rd.date)} "
    if rd.date >= deadline:
        level, message = DiagLevel.WARNING, (
            f"{shown}晚于报送期限：{who}应在{deadline.year}年{deadline.month}月1日前报送{year}年度报告。"
            "请核对成文日期；如已逾期，请尽快报送并说明原因。")
    elif rd.date < dt.date(year, 1, 1):
        level, message = DiagLevel.WARNING, (
            f"{shown}早于报告年度{year}年：请核对成文日期或报告年度（{year}年度报告应在{year + 1}年初成文）。")
    elif rd.date.year == year:
        level, message = DiagLevel.INFO, (
            f"{shown}在{year}年度结束之前：年度报告一般在次年年初成文，请确认全年数据已统计完整。")
    else:
        return []
    return [Diagnostic(doc.path, rd.line, rd.column, level, "STRUCT-DEADLINE", message)]


def _item(report: Report, r: ItemResult, insert_at: tuple[int, int]) -> Diagnostic | None:
    item = r.item
    path = report.document.path
    required = item.severity == Severity.REQUIRED
    if r.status == Status.MISSING:
        level = DiagLevel.ERROR if required else DiagLevel.WARNING
        kind = SEVERITY_LABELS[item.severity]
        message = f"缺少“{item.title}”（{kind}，{item.ref}）：{_say_add(item.hint)}"
        return Diagnostic(path, insert_at[0], insert_at[1], level, item.id, message, r.checklist, item.id)
    if r.status == Status.PARTIAL:
        e = r.evidence[0] if r.evidence else None
        line, column = (e.line, e.column) if e else insert_at
        reason = _clean_reason(r.reason) or "只有不充分的表述"
        message = (f"“{item.title}”{reason}，没有写本年度已做的工作：请在工作成效部分{item.hint}"
                   if item.hint.startswith("写明") else f"“{item.title}”{reason}：{_say_add(item.hint)}")
        return Diagnostic(path, line, column, DiagLevel.WARNING, item.id, message, r.checklist, item.id)
    if r.status == Status.COVERED and r.strength == "statement" and required:
        e = next((x for x in r.evidence if not x.structural), r.evidence[0] if r.evidence else None)
        line, column = (e.line, e.column) if e else insert_at
        quote = f"（第{e.line}行“{_short(e.quote)}”）" if e else ""
        message = f"“{item.title}”只有原则性表述{quote}，没有数量、比例或文件名：建议补充具体数据，{item.hint}"
        return Diagnostic(path, line, column, DiagLevel.WARNING, item.id, message, r.checklist, item.id)
    return None


def _choice(report: Report) -> list[Diagnostic]:
    """Which checklists the report was checked against when they were chosen by its year."""
    choice = report.choice
    if choice.code is ChoiceReason.OPTION:
        return []
    level = DiagLevel.WARNING if choice.warning else DiagLevel.INFO
    return [Diagnostic(report.document.path, 1, 1, level, "CHECKLIST-PERIOD", f"{choice.message()}。")]


def lint_report(report: Report) -> list[Diagnostic]:
    """All diagnostics of one report, before selection, severity overrides and waivers."""
    out = [*_choice(report), *_structure(report)]
    insert_at = content_insertion_point(report.document)
    for r in report.items:
        if is_structure_item(r.checklist, r.item.id):
            continue
        d = _item(report, r, insert_at)
        if d is not None:
            out.append(d)
    return sorted(out, key=lambda d: d.sort_key)


# ---------------------------------------------------------------------------------------
# Policy: selection, severity overrides, waivers, threshold


@dataclass(frozen=True)
class Policy:
    """Which findings to report and how: select, ignore, severities, waivers, --fail-on and --min-level."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, DiagLevel] = field(default_factory=dict)
    fail_on: FailOn = FailOn.ERROR
    min_level: DiagLevel = DiagLevel.INFO
    waivers: tuple[Waiver, ...] = ()

    def selected(self, d: Diagnostic) -> bool:
        """Whether ``d`` is reported (select and ignore; input, waiver and review findings always)."""
        if d.id.startswith(UNFILTERED):
            return True
        if self.select and not any(i.startswith(p) for i in d.ids for p in self.select):
            return False
        return not any(i.startswith(p) for i in d.ids for p in self.ignore)

    def overridden(self, d: Diagnostic) -> Diagnostic:
        """``d`` with the level the configuration gives its rule."""
        for i in d.ids:
            if i in self.severity:
                return replace(d, level=self.severity[i])
        return d

    def fails(self, d: Diagnostic) -> bool:
        """Whether ``d`` fails the run (at or above --fail-on, not waived)."""
        if d.waived or self.fail_on == FailOn.NEVER:
            return False
        return LEVEL_RANK[d.level] >= LEVEL_RANK[DiagLevel(self.fail_on.value)]

    def shown(self, d: Diagnostic) -> bool:
        """Whether ``d`` is shown (at or above --min-level)."""
        return LEVEL_RANK[d.level] >= LEVEL_RANK[self.min_level]


def _waiver_for(d: Diagnostic, waivers: Iterable[Waiver]) -> Waiver | None:
    return next((w for w in waivers if w.id in d.ids and w.applies_to(d.path)), None)


@dataclass(frozen=True)
class LintResult:
    """The outcome of a lint run: the reports, the findings after policy, the rules and the settings."""

    reports: tuple[Report, ...]
    diagnostics: tuple[Diagnostic, ...]  # all, after policy; sorted
    rules: Mapping[str, Rule]
    policy: Policy
    checklists: tuple[LoadedChecklist, ...]
    now: dt.datetime
    paths: tuple[str, ...]  # every input path, read or not, in order

    @property
    def shown(self) -> tuple[Diagnostic, ...]:
        """The findings at or above --min-level."""
        return tuple(d for d in self.diagnostics if self.policy.shown(d))

    @property
    def failing(self) -> tuple[Diagnostic, ...]:
        """The findings that fail the run."""
        return tuple(d for d in self.diagnostics if self.policy.fails(d))

    def counts(self, diagnostics: Iterable[Diagnostic] | None = None) -> dict[str, int]:
        """Findings per level (not waived) and the waived ones, of ``diagnostics`` or of all."""
        ds = list(self.diagnostics if diagnostics is None else diagnostics)
        counts = {lv.value: sum(1 for d in ds if d.level == lv and not d.waived) for lv in DiagLevel}
        counts["waived"] = sum(1 for d in ds if d.waived)
        return counts

    @property
    def exit_code(self) -> ExitCode:
        """INPUT when a file could not be read, else FINDINGS when a finding fails the run, else OK."""
        if any(d.id == "INPUT-UNREADABLE" for d in self.diagnostics):
            return ExitCode.INPUT
        return ExitCode.FINDINGS if self.failing else ExitCode.OK

    def waiver_for_item(self, path: str, item_id: str) -> Waiver | None:
        """The waiver (active or expired) that names this item, or its structural rule, for this file."""
        return item_waiver(self.policy.waivers, path, item_id)


def item_waiver(waivers: Iterable[Waiver], path: str, item_id: str) -> Waiver | None:
    """The waiver (active or expired) that names this item, or its structural rule, for this file."""
    names = {item_id, *RS_RULES.get(item_id, ())}
    return next((w for w in waivers if w.id in names and w.applies_to(path)), None)


def waiver_out(w: Waiver, now: dt.datetime) -> WaiverOut:
    """A waiver as the scorecard shows it, expired or not at ``now``."""
    return WaiverOut(reason=w.reason, approver=w.approver, date=w.date.isoformat(), expires=w.expires.isoformat(),
                     expired=w.expired(now), source=w.where)


def item_waivers(waivers: Sequence[Waiver], path: str, item_ids: Iterable[str],
                 now: dt.datetime) -> dict[str, WaiverOut]:
    """Item id -> the waiver naming it for this file (check, audit, dashboard and workbook show them)."""
    out = {}
    for item_id in item_ids:
        w = item_waiver(waivers, path, item_id)
        if w is not None:
            out[item_id] = waiver_out(w, now)
    return out


def apply_policy(raw: Sequence[Diagnostic], policy: Policy, rules: Mapping[str, Rule],
                 now: dt.datetime) -> list[Diagnostic]:
    """The diagnostics the policy keeps (select, ignore, severity, waivers, minimum level)."""
    active = [w for w in policy.waivers if not w.expired(now)]
    out: list[Diagnostic] = []
    used: set[int] = set()
    for d in raw:
        if not policy.selected(d):
            continue
        d = policy.overridden(d)
        w = _waiver_for(d, active)
        if w is not None:
            used.add(id(w))
            d = replace(d, waiver=w)
        out.append(d)
    known = set(rules) | set(RS_RULES)
    for w in policy.waivers:
        if w.expired(now):
            out.append(Diagnostic(w.source, w.line, 1, DiagLevel.ERROR, "WAIVER-EXPIRED",
                                  f"{w.id} 的豁免已于 {w.expires.isoformat()} 过期（{w.reason}；批准：{w.approver}），"
                                  "不再豁免：请补写相应内容，或经批准后修改 expires 续期。", item=w.id))
        elif w.id not in known:
            out.append(Diagnostic(w.source, w.line, 1, DiagLevel.WARNING, "WAIVER-UNKNOWN",
                                  f"豁免的条目 {w.id} 不在所用清单和检查规则中：请核对编号"
                                  "（如 EN03、STRUCT-DEADLINE），或用 --checklist 加载含该条目的清单。", item=w.id))
        elif id(w) not in used:
            out.append(Diagnostic(w.source, w.line, 1, DiagLevel.INFO, "WAIVER-UNUSED",
                                  f"豁免 {w.id} 没有用到：所检查的报告中这一条目没有问题，可以删除这条豁免。",
                                  item=w.id))
    return sorted(out, key=lambda d: d.sort_key)


def lint(paths: Sequence[Path], checklists: Sequence[LoadedChecklist] | ChecklistSet, policy: Policy, *,
         level: Level | None = None, year: int | None = None, now: dt.datetime | None = None,
         reviews: Reviews | None = None, level_source: LevelSource = LevelSource.OPTION) -> LintResult:
    """Check every input and turn the results into diagnostics (reviewed items as the reviewer judged them)."""
    from checker.pipeline import check_file, collect
    from checker.reviews import review_report
    from checker.text.decode import InputError

    now = now or dt.datetime.now(dt.UTC)
    files, errors = collect(paths)
    reports: list[Report] = []
    raw: list[Diagnostic] = []
    for path in files:
        try:
            report = check_file(path, checklists, level=level, year=year, level_source=level_source,
                                structure=True)
        except InputError as error:
            errors.append(error)
            continue
        report, lookup = review_report(report, reviews)
        if lookup.stale:
            raw.append(Diagnostic(str(path), 1, 1, DiagLevel.WARNING, "REVIEW-STALE",
                                  f"复核文件 {reviews.path if reviews else ''} 中对此报告的复核结论针对的是另一版本"
                                  "（内容的 SHA-256 不同），本次未采用：请重新复核"))
        reports.append(report)
        raw.extend(lint_report(report))
    raw.extend(Diagnostic(e.path, 1, 1, DiagLevel.ERROR, "INPUT-UNREADABLE", f"无法读取：{e.cause}") for e in errors)
    loaded = checklists.candidates() if isinstance(checklists, ChecklistSet) else list(checklists)
    rules = rules_for(loaded)
    diagnostics = apply_policy(raw, policy, rules, now)
    ordered = [str(p) for p in files] + [e.path for e in errors if e.path not in {str(p) for p in files}]
    return LintResult(tuple(reports), tuple(diagnostics), rules, policy, tuple(loaded), now, tuple(ordered))


def tool_version() -> str:
    """Checker's installed version (for SARIF and JSON); 0+unknown when run from a source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("checker")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def level_label(level: DiagLevel) -> str:
    """The Chinese name of a diagnostic level."""
    return {DiagLevel.ERROR: "错误", DiagLevel.WARNING: "警告", DiagLevel.INFO: "提示"}[level]


def summary_line(result: LintResult) -> str:
    """The last line of a lint run: counts per level, waived ones, files and the verdict."""
    c = result.counts(result.diagnostics)
    files = len(result.paths)
    parts = [f"{c['error']} 个错误", f"{c['warning']} 个警告", f"{c['info']} 个提示"]
    if c["waived"]:
        parts.append(f"{c['waived']} 个已豁免")
    verdict = {ExitCode.OK: "通过", ExitCode.FINDINGS: "未通过", ExitCode.INPUT: "有文件无法读取",
               ExitCode.USAGE: "用法错误"}[result.exit_code]
    threshold = "" if result.policy.fail_on == FailOn.NEVER else f"（--fail-on {result.policy.fail_on.value}）"
    hidden = len(result.diagnostics) - len(result.shown)
    tail = f"；另有 {hidden} 条低于 --min-level {result.policy.min_level.value} 未显示" if hidden else ""
    return f"{files} 个文件：{'，'.join(parts)}。{verdict}{threshold}{tail}"


def profile_text(report: Report) -> str:
    """The report's body, level and year in one Chinese phrase."""
    prof = report.profile
    level = LEVEL_LABELS[prof.level] if prof.level else "未识别"
    return f"{prof.body or '未识别'}，{level}，{prof.year or '未识别'}年度"

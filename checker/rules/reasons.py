"""Reason codes: why an item is partial or not applicable, as data.

Detectors and the engine record a :class:`Reason` with its parameters (a :class:`Note`);
the Chinese message a user reads is rendered from them here and nowhere else. Code that
needs to know *why* (lint's advice, evaluation) tests the codes, never the message text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """Why a detector graded a match weak, or why the engine did not count an item covered."""

    #: A detector capped at partial (``cap: partial``); its argument is the checklist's ``note``.
    CAPPED = "capped"
    #: The part with the role is not a part of its own (no heading of its own).
    PART_NOT_DISTINCT = "part_not_distinct"
    #: The part lacks what the detector requires; argument: the checklist's ``require_label`` (or the terms).
    PART_LACKS = "part_lacks"
    #: The title does not match the detector's pattern; argument: the checklist's ``missing_label``.
    TITLE_INCOMPLETE = "title_incomplete"
    #: No title line; the only title is that of the document an issuing notice sends out (现将《…》印发给你们).
    TITLE_OF_ISSUED = "title_of_issued"
    #: 落款 with the issuing body but no date.
    SIGNOFF_NO_DATE = "signoff_no_date"
    #: 落款 with a date but no issuing body.
    SIGNOFF_NO_BODY = "signoff_no_body"
    #: No 落款, only a published date in a web page's header, without its source.
    HEADER_DATE_NO_SOURCE = "header_date_no_source"
    #: No 落款, only the source organ in a web page's header, without a date.
    HEADER_SOURCE_NO_DATE = "header_source_no_date"
    #: The title's year differs from the report year; arguments: title year, report year.
    YEAR_TITLE = "year_title"
    #: The plans part names another year than the next; arguments: the year written, the next year.
    YEAR_PLANS = "year_plans"
    #: The achievements heading names another year; arguments: the year written, the report year.
    YEAR_ACHIEVEMENTS = "year_achievements"
    #: Matches only in the problems part.
    ONLY_PROBLEMS = "only_problems"
    #: Matches only in the plans part.
    ONLY_PLANS = "only_plans"
    #: Matches only in the problems and plans parts.
    ONLY_PROBLEMS_AND_PLANS = "only_problems_and_plans"
    #: Every match hedged or negated (尚未、有待、将…).
    ONLY_HEDGED = "only_hedged"
    #: Matches only weak in another way.
    ONLY_WEAK = "only_weak"
    #: The item's levels exclude the report's level.
    NOT_APPLICABLE_LEVEL = "not_applicable_level"
    #: A report-structure item of a report on a year before the 督察规定 (2019).
    NOT_APPLICABLE_YEAR = "not_applicable_year"
    #: A look-alike (plan, news, notice …): what it names is not the year's work.
    NOT_ANNUAL = "not_annual"
    #: A plan, a speech or a notice issuing a plan: it has none of an annual report's parts, no report year.
    NO_REPORT_PARTS = "no_report_parts"
    #: Named only in a topic heading with nothing under it.
    HEADING_EMPTY = "heading_empty"
    #: Named only in a topic heading whose text is negated, hedged or planned.
    HEADING_DENIED = "heading_denied"
    #: A pattern of a user checklist ran out of its time budget; arguments: item id, seconds.
    PATTERN_TIMEOUT = "pattern_timeout"


_MESSAGES: dict[Reason, str] = {
    Reason.CAPPED: "{0}",
    Reason.PART_NOT_DISTINCT: "未单独成部分",
    Reason.PART_LACKS: "未写{0}",
    Reason.TITLE_INCOMPLETE: "{0}",
    Reason.TITLE_OF_ISSUED: "没有标题行，只有印发通知中所印发文件的名称",
    Reason.SIGNOFF_NO_DATE: "只有落款机关，没有成文日期",
    Reason.SIGNOFF_NO_BODY: "只有日期，没有落款机关",
    Reason.HEADER_DATE_NO_SOURCE: "只有日期，没有署名机关",
    Reason.HEADER_SOURCE_NO_DATE: "只有发布机关，没有成文日期",
    Reason.YEAR_TITLE: "标题年份 {0} 与报告年度 {1} 不一致",
    Reason.YEAR_PLANS: "下一步安排写的是 {0} 年，应为 {1} 年",
    Reason.YEAR_ACHIEVEMENTS: "成效部分标题写的是 {0} 年，与报告年度 {1} 不一致",
    Reason.ONLY_PROBLEMS: "只在“存在的不足”中提到",
    Reason.ONLY_PLANS: "只在“下一步安排”中提到",
    Reason.ONLY_PROBLEMS_AND_PLANS: "只在“存在的不足”和“下一步安排”中提到",
    Reason.ONLY_HEDGED: "只以否定或“尚未、有待、将…”等表述出现",
    Reason.ONLY_WEAK: "只有不充分的表述",
    Reason.NOT_APPLICABLE_LEVEL: "按报告单位层级不适用",
    Reason.NOT_APPLICABLE_YEAR: "督察规定2019年4月起施行，此前年度的报告不适用",
    Reason.NOT_ANNUAL: "这不是法治政府建设年度报告，文中提到的工作不算本年度已做的工作",
    Reason.NO_REPORT_PARTS: "这是计划、讲话、新闻报道或印发方案的通知，没有年度报告的各个部分和报告年度",
    Reason.HEADING_EMPTY: "只有小标题，标题下没有写具体内容",
    Reason.HEADING_DENIED: "只在小标题中提到，标题下的内容是否定、“尚未、有待”或计划",
    Reason.PATTERN_TIMEOUT: ("条目 {0} 的规则运行超时（清单中的正则表达式在 {1} 秒内没有完成），"
                             "结果未知；请简化该条目的正则表达式"),
}


@dataclass(frozen=True, slots=True)
class Note:
    """One reason with its parameters (checklist wording, years)."""

    code: Reason
    args: tuple[str | int, ...] = ()

    @property
    def message(self) -> str:
        """The Chinese message for this reason."""
        return _MESSAGES[self.code].format(*self.args)


def message(notes: Iterable[Note]) -> str:
    """The Chinese message for several reasons, joined as one clause list."""
    return "；".join(note.message for note in notes)


def codes(notes: Iterable[Note]) -> frozenset[Reason]:
    """The reason codes among ``notes``."""
    return frozenset(note.code for note in notes)

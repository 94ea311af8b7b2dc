"""Which checklists a report is judged by: the one place that maps report years to 纲要 periods.

A report on the year Y is judged against the plan in force in Y: reports on 2016–2020 against
the 《法治政府建设实施纲要（2015—2020年）》 (``gangyao-2015``), reports on 2021–2025 against the
2021—2025 纲要 (``gangyao-2021``). A year after the last bundled period gets the newest
checklist with a warning (no checklist for the new period is bundled yet; pass one with
``-c``); an unknown year gets the newest with a note. The report-structure rules of the
督察规定 (in force 2019-04-15) apply to reports on 2019 and later; for earlier reports its
items are not applicable.

Adding the next period is one line in :data:`CONTENT_PERIODS` (see docs/checklists.md).
Decisions are made on :class:`ChoiceReason` codes; the Chinese sentences are for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from checker.rules.checklist import STRUCTURE_CHECKLIST


@dataclass(frozen=True, slots=True)
class Period:
    """A bundled checklist and the report years it was written for."""

    checklist: str
    first_year: int
    last_year: int | None  # None: open-ended
    basis: str  # the document it is written from, as people cite it

    @property
    def years(self) -> str:
        """The report years, in Chinese (``2016—2020年度``, ``2019年度起``)."""
        return f"{self.first_year}—{self.last_year}年度" if self.last_year else f"{self.first_year}年度起"

    def covers(self, year: int) -> bool:
        """True when a report on ``year`` falls in this period."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


#: Content checklists by period, oldest first. The last one is the current plan.
CONTENT_PERIODS: tuple[Period, ...] = (
    Period("gangyao-2015", 2016, 2020, "《法治政府建设实施纲要（2015—2020年）》"),
    Period("gangyao-2021", 2021, 2025, "《法治政府建设实施纲要（2021—2025年）》"),
)
#: The report-structure rules: in force for reports on 2019 and later.
STRUCTURE = Period(STRUCTURE_CHECKLIST, 2019, None, "《法治政府建设与责任落实督察工作规定》（2019年4月15日施行）")
PERIODS: tuple[Period, ...] = (*CONTENT_PERIODS, STRUCTURE)
CURRENT = CONTENT_PERIODS[-1]


class ChoiceReason(StrEnum):
    """Why a report is checked against the checklists it is checked against."""

    OPTION = "option"  #: named with --checklist (or in the configuration file)
    YEAR_IN_PERIOD = "year_in_period"  #: the report year falls in a bundled period
    YEAR_BEFORE_PERIODS = "year_before_periods"  #: earlier than every bundled period: the oldest
    YEAR_AFTER_PERIODS = "year_after_periods"  #: later than every bundled period: the newest, with a warning
    YEAR_UNKNOWN = "year_unknown"  #: no report year found: the current period, with a note


@dataclass(frozen=True, slots=True)
class ChecklistChoice:
    """The checklists chosen for one report, and why."""

    specs: tuple[str, ...]
    code: ChoiceReason  #: why (a code; message() says it in Chinese)
    year: int | None = None
    period: Period | None = None  # the content period chosen (None: named with --checklist)

    @property
    def warning(self) -> bool:
        """True when the user should act: the report is newer than every bundled checklist."""
        return self.code is ChoiceReason.YEAR_AFTER_PERIODS

    @property
    def structure_applies(self) -> bool:
        """Whether the report-structure rules apply to the report (unknown year: they do)."""
        return structure_in_force(self.year)

    def message(self) -> str:
        """One Chinese sentence: the choice and its reason."""
        p = self.period
        if self.code is ChoiceReason.OPTION or p is None:
            return "按 --checklist（或配置文件）指定的清单检查"
        if self.code is ChoiceReason.YEAR_IN_PERIOD:
            return f"报告年度为{self.year}年，适用{p.basis}（{p.checklist}）"
        if self.code is ChoiceReason.YEAR_BEFORE_PERIODS:
            return f"报告年度{self.year}年早于已内置的各期纲要，按最早的{p.basis}（{p.checklist}）检查"
        if self.code is ChoiceReason.YEAR_AFTER_PERIODS:
            return (f"报告年度{self.year}年已超出{p.basis}的期限，尚未内置新一期纲要的清单，暂按 {p.checklist} 检查；"
                    f"新一期纲要的清单请用 -c 指定（如 -c 新纲要清单.yaml），编写方法见 docs/checklists.md")
        return f"未能识别报告年度，按现行的{p.basis}（{p.checklist}）检查；可用 --year 指定年度，或用 -c 指定清单"

    def structure_note(self) -> str:
        """Why the report-structure items do not apply, or '' when they do."""
        return structure_note(self.year)


def structure_note(year: int | None) -> str:
    """Why the report-structure items do not apply to a report on ``year``, or '' when they do."""
    if structure_in_force(year):
        return ""
    return f"报告年度{year}年早于督察规定施行（2019年4月15日），报告结构条目不适用"


def structure_in_force(year: int | None) -> bool:
    """True unless the report year is known and before the 督察规定 took effect."""
    return year is None or year >= STRUCTURE.first_year


def in_force(checklist_id: str, year: int | None) -> bool:
    """Whether a checklist's items apply to a report on ``year``.

    Only the report-structure rules depend on it (a content checklist named with --checklist applies to any year).
    """
    return structure_in_force(year) if checklist_id == STRUCTURE.checklist else True


def period_of(checklist_id: str) -> Period | None:
    """The period of a bundled checklist (None for others)."""
    return next((p for p in PERIODS if p.checklist == checklist_id), None)


def default_use(checklist_id: str) -> str:
    """Which reports get a bundled checklist by default, in Chinese ('' for checklists of no period)."""
    period = period_of(checklist_id)
    if period is None:
        return ""
    if period is STRUCTURE:
        return f"{period.years}的报告（依据{period.basis}）；此前年度的报告中其条目不适用"
    years = period.years
    if period is CONTENT_PERIODS[0] and period.last_year:
        years = f"{period.last_year}年度及以前"
    text = f"{years}的报告（依据{period.basis}）"
    if period is CURRENT:
        later = f"或晚于{period.last_year}年度（有提示）" if period.last_year else ""
        text += f"；年度不明{later}的报告也暂用此清单"
    return text


def choose(year: int | None) -> ChecklistChoice:
    """The bundled checklists for a report on ``year`` (None: year unknown)."""
    if year is None:
        return ChecklistChoice((CURRENT.checklist, STRUCTURE.checklist), ChoiceReason.YEAR_UNKNOWN, None, CURRENT)
    for period in CONTENT_PERIODS:
        if period.covers(year):
            return ChecklistChoice((period.checklist, STRUCTURE.checklist), ChoiceReason.YEAR_IN_PERIOD, year, period)
    if year < CONTENT_PERIODS[0].first_year:
        first = CONTENT_PERIODS[0]
        return ChecklistChoice((first.checklist, STRUCTURE.checklist), ChoiceReason.YEAR_BEFORE_PERIODS, year, first)
    return ChecklistChoice((CURRENT.checklist, STRUCTURE.checklist), ChoiceReason.YEAR_AFTER_PERIODS, year, CURRENT)


def named(specs: tuple[str, ...], year: int | None = None) -> ChecklistChoice:
    """Checklists named by the user: no choice by year."""
    return ChecklistChoice(specs, ChoiceReason.OPTION, year, None)

"""Facts about a report as a whole: reporting body, its level, the report year, and
whether the document is an annual 法治政府建设 report at all.

Each fact carries the reason it was decided, so a reviewer can see why checker thinks a
report is a county's 2023 report (and override it with ``--level``/``--year``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import regex

from checker.checklist import LEVEL_LABELS, Level
from checker.document import Document, Role, provisional_year

_BODY = regex.compile(
    r"(?P<name>(?:中共)?[\p{Han}×XＸ*＊○□]{1,12}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|区|旗|镇|乡|街道|"
    r"司法局|局|厅|委员会|办公室|管委会|管理委员会))(?=人民政府|政府|\d{4}|20|二〇|关于|坚持|以来|深入|全面|在|认真|始终|紧紧|立足|聚焦|围绕|以|，|$)"
)
_SELF = {
    Level.TOWNSHIP: regex.compile(r"[我全本](?:镇|乡|街道)(?!党委)|镇党委|镇政府|乡政府|街道办事处"),
    Level.COUNTY: regex.compile(r"[我全本](?:县|区|旗)(?![委级域])|县政府|区政府|县委|区委"),
    Level.CITY: regex.compile(r"[我全本]市(?![场民])|市政府"),
    Level.PROVINCE: regex.compile(r"[我本]省|省政府(?![:：、])"),
    Level.DEPARTMENT: regex.compile(r"[我本](?:局|委|办|厅)(?![员会])|全系统|本系统|局党组|局机关"),
}
_CITY_HAS_COUNTIES = regex.compile(r"县区|区县|县（市、区）|县市区|各县|县乡两级|市县两级|县级政府|各区县|县（区）")
_COUNTY_UNITS = regex.compile(r"镇街|各镇|乡镇|镇（街道）|街道")
_DEPT_SUFFIX = regex.compile(r"(?:局|厅|委员会|办公室|管委会|管理委员会)$")
_PARTY = regex.compile(r"(?:省|市|县|区|旗|州)委$|党委$|党工委$")

_NOT_ANNUAL = (
    (regex.compile(r"实施方案|工作方案"), "这是实施方案（计划），不是年度工作报告"),
    (regex.compile(r"工作要点|工作安排|工作计划|任务分工"), "这是工作要点或安排（计划），不是年度工作报告"),
    (regex.compile(r"讲话|致辞|发言|动员"), "这是讲话稿，不是年度工作报告"),
    (regex.compile(r"解读|图解|一图读懂"), "这是政策解读，不是年度工作报告本身"),
    (regex.compile(r"信息公开(?:工作)?年度报告"), "这是政府信息公开工作年度报告，不是法治政府建设年度报告"),
    (regex.compile(r"^(?:\d{4}年)?.{0,10}政府工作报告"), "这是政府工作报告，不是法治政府建设年度报告"),
    (regex.compile(r"普法(?:工作|依法治理)?(?:工作)?(?:总结|报告)|七五|八五.{0,6}(?:总结|评估报告)"),
     "这是普法工作总结，不是法治政府建设年度报告"),
)
# Without a telling title, what the text itself says it is: a plan (制定本方案, 主要任务 and
# 保障措施 as parts), a speech (同志们：), or an account of the year (情况报告如下, 存在的问题).
_PLAN_BODY = regex.compile(
    r"制定本(?:方案|计划|要点|意见)|特制定|现制定如下|(?:方案|要点|计划|安排)如下|结合.{0,16}实际[，,]?制定"
)
_PLAN_HEADINGS = regex.compile(
    r"总体要求|指导思想|工作目标|主要任务|重点任务|保障措施|组织保障|实施步骤|工作步骤|进度安排"
)
_SPEECH_BODY = regex.compile(r"^(?:同志们|各位代表|各位领导)[：，！]")
_REPORT_BODY = regex.compile(r"(?:报告|汇报|总结)如下|工作开展情况|取得.{0,8}成效|存在的.{0,6}(?:问题|不足)")
_ANNUAL_TITLE = regex.compile(r"(?:法治政府|依法行政|法治建设|法治).{0,12}(?:报告|总结|情况|汇报)")
_ANNUAL_BODY = regex.compile(r"法治政府建设|依法行政")


@dataclass(frozen=True, slots=True)
class Profile:
    body: str | None
    level: Level | None
    level_reason: str
    year: int | None
    year_reason: str
    is_annual_report: bool
    annual_reason: str

    def with_overrides(self, level: Level | None, year: int | None) -> Profile:
        return Profile(
            body=self.body,
            level=level or self.level,
            level_reason="由 --level 指定" if level else self.level_reason,
            year=year or self.year,
            year_reason="由 --year 指定" if year else self.year_reason,
            is_annual_report=self.is_annual_report,
            annual_reason=self.annual_reason,
        )


def _opening(doc: Document) -> list[str]:
    """The first three body sentences (the addressee line included)."""
    return [doc.text[s.start : s.end] for s in doc.sentences if s.role not in (Role.TITLE, Role.SIGNOFF)][:3]


def _head_text(doc: Document) -> str:
    """Title, opening and the first body sentences: where a report names itself."""
    return "\n".join([b.text for b in doc.head if b.kind == "title"] + _opening(doc))


def _body_name(doc: Document) -> tuple[str | None, str]:
    for source, text in (
        ("标题", "\n".join(b.text for b in doc.head if b.kind == "title")),
        ("落款", "\n".join(b.text for b in doc.tail if b.kind == "org")),
        ("开头", _head_text(doc)),
    ):
        for m in _BODY.finditer(text):
            name = m.group("name").removeprefix("中共")
            if len(name) >= 2 and not name.startswith(("关于", "全面", "深入", "坚持", "今年", "以来", "现将")):
                return name, source
    return None, ""


def detect_level(doc: Document) -> tuple[Level | None, str, str | None]:
    name, source = _body_name(doc)
    text = doc.text
    if name is not None and _DEPT_SUFFIX.search(name) and not _PARTY.search(name):
        return Level.DEPARTMENT, f"{source}中的报告单位“{name}”是政府工作部门", name
    if name is not None:
        suffix_levels = (
            (("镇", "乡", "街道"), Level.TOWNSHIP, "乡镇（街道）"),
            (("县", "区", "旗", "自治县"), Level.COUNTY, "县级"),
            (("省", "自治区"), Level.PROVINCE, "省级"),
            (("自治州", "州", "盟"), Level.CITY, "地级"),
        )
        for suffixes, level, label in suffix_levels:
            if name.endswith(suffixes):
                return level, f"{source}中的报告单位“{name}”是{label}", name
        if name.endswith("市"):
            if _CITY_HAS_COUNTIES.search(text):
                return Level.CITY, f"报告单位“{name}”下辖县（区）", name
            if _COUNTY_UNITS.search(text):
                return Level.COUNTY, f"报告单位“{name}”直接管理镇（街道），按县级市处理", name
            return Level.CITY, f"报告单位“{name}”为市，未见下辖县区的说法，按设区的市处理", name
    counts = Counter({level: len(p.findall(text)) for level, p in _SELF.items()})
    level, n = counts.most_common(1)[0]
    if n >= 2:
        return level, f"正文多次以“{LEVEL_LABELS[level]}”口吻自称（{n} 处）", name
    return None, "未能判断报告单位的层级（可用 --level 指定）", name


def detect_year(doc: Document) -> tuple[int | None, str]:
    title = next((b for b in doc.head if b.kind == "title"), None)
    if title is not None:
        m = regex.search(r"(20\d\d)\s*年", title.text)
        if m:
            return int(m.group(1)), "标题中的年份"
    body = [s for s in doc.sentences if s.role not in (Role.TITLE, Role.SIGNOFF)]
    head = "".join(doc.text[s.start : s.end] for s in body[:4])
    year = provisional_year(head)
    if year is not None:
        return year, "开头部分的年份"
    year = provisional_year(doc.text[: len(doc.text) // 2])
    if year is not None:
        return year, "正文中最常出现的年份"
    date = next((b for b in doc.tail if b.kind == "date"), None)
    if date is not None:
        m = regex.search(r"(20\d\d)\s*年\s*(\d{1,2})", date.text)
        if m:
            y, month = int(m.group(1)), int(m.group(2))
            return (y - 1 if month <= 6 else y), "落款日期推算"
    return None, "未能判断报告年度（可用 --year 指定）"


def detect_annual(doc: Document) -> tuple[bool, str]:
    title = " ".join(b.text for b in doc.head if b.kind == "title")
    for pattern, reason in _NOT_ANNUAL:
        if title and pattern.search(title):
            return False, f"标题“{title}”：{reason}"
    if title and _ANNUAL_TITLE.search(title):
        return True, f"标题“{title}”是法治政府建设年度报告或工作总结"
    where = "无标题；" if not title else f"标题“{title}”不典型；"
    opening = "\n".join(_opening(doc))
    reports = bool(_REPORT_BODY.search(doc.text))
    plan_parts = sum(1 for sec in doc.sections if sec.level == 1 and _PLAN_HEADINGS.search(sec.title))
    if not reports and (_PLAN_BODY.search(opening) or plan_parts >= 2):
        return False, f"{where}正文是工作部署（“制定本方案”、主要任务、保障措施等），{_PLAN_BODY_REASON}"
    if not reports and _SPEECH_BODY.search(opening):
        return False, f"{where}正文以“同志们：”等称呼开头，这是讲话稿，不是年度工作报告"
    roles = {s.role for s in doc.sentences}
    mentions = len(_ANNUAL_BODY.findall(doc.text))
    if mentions >= 2 and (Role.ACHIEVEMENTS in roles or Role.OPENING in roles):
        return True, f"{where}正文总结了一年的法治政府建设工作（提及 {mentions} 次）"
    return False, "正文很少提到法治政府建设或依法行政，不像法治政府建设年度报告"


_PLAN_BODY_REASON = "这是实施方案或工作要点（计划），不是年度工作报告"
#: The reasons detect_annual gives for a plan (实施方案, 工作要点): a document of tasks to be done.
_PLAN_REASONS = (_NOT_ANNUAL[0][1], _NOT_ANNUAL[1][1], _PLAN_BODY_REASON)


def is_plan(doc: Document) -> bool:
    """A plan rather than an account of the year: everything it names is only planned."""
    annual, reason = detect_annual(doc)
    return not annual and reason.endswith(_PLAN_REASONS)


def profile(doc: Document) -> Profile:
    level, level_reason, name = detect_level(doc)
    year, year_reason = detect_year(doc)
    annual, annual_reason = detect_annual(doc)
    return Profile(name, level, level_reason, year, year_reason, annual, annual_reason)

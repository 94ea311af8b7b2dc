"""Facts about a report as a whole: reporting body, level, report year and kind.

The kind says whether the document is an annual 法治政府建设 report at all.

Each fact carries the reason it was decided, so a reviewer can see why checker thinks a
report is a county's 2023 report (and override it with ``--level``/``--year``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from checker.document.model import Document, provisional_year
from checker.text import regexcode
from checker.text.lazyre import lazy  # compiled on first use: a report reaches only some of these (cold start)
from checker.text.normalize import prepare
from checker.vocabulary import LEVEL_LABELS, LEVEL_SOURCE_REASONS, Level, LevelSource, Role

_BODY = lazy(
    r"(?P<name>(?:中共)?[\p{Han}×XＸ*＊○□]{1,12}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|区|旗|镇|乡|街道|"
    r"司法局|局|厅|委员会|办公室|管委会|管理委员会|(?<![干全内外总支本各局党])部))(?=\s*(?:人民政府|政府|\d{4}|20|二〇|关于)|法治政府建设|法治建设|依法行政|党组|坚持|以来|深入|全面|在|认真|始终|紧紧|立足|聚焦|围绕|以|，|$)"
)
_SELF = {
    Level.TOWNSHIP: lazy(r"[我全本](?:镇|乡|街道)(?!党委)|镇党委|镇政府|乡政府|街道办事处"),
    Level.COUNTY: lazy(r"[我全本](?:县|区|旗)(?![委级域])|县政府|区政府|县委|区委"),
    Level.CITY: lazy(r"[我全本]市(?![场民])|市政府"),
    Level.PROVINCE: lazy(r"[我本]省|省政府(?![:：、])"),
    Level.DEPARTMENT: lazy(r"[我本](?:局|委|办|厅)(?![员会])|全系统|本系统|局党组|局机关"),
}
_CITY_HAS_COUNTIES = lazy(
    r"县区|区县|县（市、区）|县市区|各县|县乡两级|市县两级|县级政府|各区县|县（区）|设区的市|地级市|市辖区|各区(?:政府|人民政府)?[、，和]"
)
# Subordinate districts and counties named in the text (道里区和宾县): the city governs counties.
_NAMED_UNIT = lazy(
    r"(?<![市省州]|\p{Han}{4})(\p{Han}{1,3}(?:区|县))(?=[和、，及与]|率先|等|在|的|作为)"
)
_NOT_A_UNIT = lazy(
    r"(?:开发|新|度假|示范|园|景|自贸|保税|试验|高新|功能|城|社|片|辖|市|全|该|本|我|各|郊|老|山|林|牧|灾|矿)[区县]$"
)
# The four municipalities directly under the central government report at province level.
_MUNICIPALITY = lazy(r"^(?:北京|上海|天津|重庆)市$")
_COUNTY_UNITS = lazy(r"镇街|各镇|乡镇|镇（街道）|街道")
_DEPT_SUFFIX = lazy(r"(?:局|厅|委员会|办公室|管委会|管理委员会|部)$")
_PARTY = lazy(r"(?:省|市|县|区|旗|州)委$|党委$|党工委$")

class DocKind(StrEnum):
    """What a document is: an annual 法治政府建设 report, or one of its look-alikes."""

    ANNUAL_REPORT = "annual_report"  #: an account of the year's 法治政府建设 work
    PLAN = "plan"  #: 实施方案, 工作方案, 工作要点, 工作安排: tasks to be done
    SPEECH = "speech"  #: 讲话, 致辞, 发言
    EXPLAINER = "explainer"  #: 政策解读, 图解
    DISCLOSURE_REPORT = "disclosure_report"  #: 政府信息公开工作年度报告
    GOVERNMENT_WORK_REPORT = "government_work_report"  #: 政府工作报告
    LEGAL_EDUCATION_SUMMARY = "legal_education_summary"  #: 普法工作总结
    PERIOD_REPORT = "period_report"  #: a half-year or quarterly summary
    PERSONAL_REPORT = "personal_report"  #: one person's 述法 / 述职 report
    NEWS = "news"  #: news about a meeting, an event or a published report
    NOTICE = "notice"  #: an issuing notice, opinion, programme, list or naming notice
    OTHER = "other"  #: says little about 法治政府建设


_NOT_ANNUAL = (
    (DocKind.PLAN, lazy(r"实施方案|工作方案"), "这是实施方案（计划），不是年度工作报告"),
    (DocKind.PLAN, lazy(r"工作要点|工作安排|工作计划|任务分工"),
     "这是工作要点或安排（计划），不是年度工作报告"),
    (DocKind.SPEECH, lazy(r"讲话|致辞|发言|动员"), "这是讲话稿，不是年度工作报告"),
    (DocKind.EXPLAINER, lazy(r"解读|图解|一图读懂"), "这是政策解读，不是年度工作报告本身"),
    (DocKind.DISCLOSURE_REPORT, lazy(r"信息公开(?:工作)?年度报告"),
     "这是政府信息公开工作年度报告，不是法治政府建设年度报告"),
    (DocKind.GOVERNMENT_WORK_REPORT, lazy(r"^(?:\d{4}年)?.{0,10}政府工作报告"),
     "这是政府工作报告，不是法治政府建设年度报告"),
    (DocKind.LEGAL_EDUCATION_SUMMARY,
     lazy(r"普法(?:工作|依法治理)?(?:工作)?(?:总结|报告)|七五|八五.{0,6}(?:总结|评估报告)"),
     "这是普法工作总结，不是法治政府建设年度报告"),
    (DocKind.PERIOD_REPORT, lazy(r"上半年|半年(?:度|工作)?(?:总结|报告|情况)|[一二三四1-4]季度|1-6月|1—6月"),
     "这是半年或季度总结，不是年度报告"),
    (DocKind.PERSONAL_REPORT,
     lazy(r"述法|述职|^(?!.*法治政府).{0,30}履行.{0,16}第一责任人职责(?:情况)?(?:的)?报告"),
     "这是个人述法（述职）报告，不是政府或部门的法治政府建设年度报告"),
    (DocKind.NEWS, lazy(r"召开|举行|启动|推进会|座谈会|培训班|开班|发布会|动员会"),
     "这是会议或活动的新闻报道，不是年度工作报告"),
    (DocKind.NOTICE, lazy(
        r"关于印发|印发.{0,30}的通知|的通知$|的意见$|实施意见|指导意见|规划(?:（|$)|工作指引|指引$|名单|命名|公示"
    ),
     "这是通知、意见、规划或名单等文件，不是年度工作报告"),
)
# A plan's title and its account of the year in one report: …2023年法治政府建设情况及2024年工作安排的报告.
_BOTH = lazy(r"情况(?:及|和|暨|与).{0,16}(?:安排|计划|打算|思路|要点)")
# Without a telling title, what the text itself says it is: a plan (制定本方案, 主要任务 and
# 保障措施 as parts), a speech (同志们：), or an account of the year (情况报告如下, 存在的问题).
_PLAN_BODY = lazy(
    r"制定本(?:实施)?(?:方案|计划|要点|意见|指引|规划|办法)|特制定|现制定如下|(?:方案|要点|计划|安排)如下|结合.{0,16}实际[，,]?制定"
    r"|本(?:工作)?指引(?:适用|所称|自)|本(?:实施)?(?:方案|意见|规划)(?:适用|所称|自印发)"
)
# A covering notice (现将…印发给你们) issues a plan, an opinion or a programme: not an account of the year.
_ISSUING = lazy(r"印发给你们|现予印发|现印发|请认真(?:贯彻|组织)?(?:执行|落实|实施)")
# Opening of a news item: 新华社…电, 本站讯, a date (4月13日，…召开), 近日/日前; about a meeting or about
# a report someone published (水利部发布2021年法治政府建设年度报告).
_NEWS = lazy(
    r"(?m)^(?:(?:新华社|人民网|新华网|中新网|央广网|本报|本站|本网)\p{Han}{0,8}(?:讯|电)|\p{Han}{0,6}讯[，\s]|"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})日(?:上午|下午|晚)?[，,]|近日[，,]|日前[，,])"
    r"|（记者|记者\p{Han}{2,3}(?:报道|获悉|了解到)|(?:发布|公布|印发)了?\p{Han}{0,12}20\d\d年(?:度)?法治政府建设(?:年度)?报告"
)
# A news item that reposts the report in full is the report (具体内容如下 / 全文如下).
_NEWS_ABOUT = lazy(r"召开|举行|会议|座谈|发布|公布|印发")
_REPOST = lazy(r"(?:具体|报告|主要)?内容如下|全文如下|原文如下")
_CITED = lazy(r"《[^》]*》")
# One person's 述法 / 述职 report: 本人, 现将本人…述法(述职)情况报告如下.
_PERSONAL = lazy(
    r"现将本人|本人.{0,16}(?:述法|述职|履职)|(?:述法|述职)(?:工作)?(?:情况)?报告如下"
    r"|(?m:^一、(?:个人)?履职(?:尽责)?情况$)"  # a 述职 report opens with the person's 履职情况
)
# A naming or publicity notice: 决定命名, 拟命名, 现予公示, 名单如下.
_NOTICE = lazy(r"决定(?:命名|授予)|拟(?:命名|认定)|现予(?:公示|公布|通报)|名单如下|予以(?:命名|通报表扬)")
# An account of the year that says so (现将…情况报告如下), whatever its title calls the topic.
_AS_FOLLOWS = lazy(r"现将.{0,40}(?:情况|工作)?(?:报告|汇报|总结)如下")
# Rows of a government information page (效力级别, 时效性, 施行日期) belong to rules and normative documents.
_NORMATIVE_ROWS = lazy(r"效力级别|时效性|施行日期|失效日期")
_PLAN_HEADINGS = lazy(
    r"总体要求|指导思想|工作目标|主要任务|重点任务|保障措施|组织保障|实施步骤|工作步骤|进度安排"
)
_SPEECH_BODY = lazy(r"(?m)^(?:同志们|各位代表|各位领导|各位同志)[：，！]")
_REPORT_BODY = lazy(r"(?:报告|汇报|总结)如下|工作开展情况|取得.{0,8}成效|存在的.{0,6}(?:问题|不足)")
_ANNUAL_TITLE = lazy(r"(?:法治政府|依法行政|法治建设|法治).{0,12}(?:报告|总结|情况|汇报)")
_ANNUAL_BODY = lazy(r"法治政府建设|依法行政")
_TOPIC = lazy(r"法治政府|依法行政|法治建设|依法治")
_HAN_SPACES = lazy(r"(?<=\p{Han}) {3,}(?=\p{Han})")  # a name spaced out in a title (杭  州  市)
_TITLE_YEAR = lazy(r"(20\d\d)\s*年")
_DATE_YEAR_MONTH = lazy(r"(20\d\d)\s*年\s*(\d{1,2})")
_FIRST_PAUSE = lazy(r"[，。；：]")


@dataclass(frozen=True, slots=True)
class Profile:
    """Reporting body, level, year and kind of a document, each with the reason it was decided."""

    body: str | None
    level: Level | None
    level_reason: str
    year: int | None
    year_reason: str
    kind: DocKind
    annual_reason: str
    given_level: Level | None = None  #: the level given by the user (--level or the configuration), None when detected
    given_year: int | None = None  #: the year given by the user (--year), None when detected
    level_source: LevelSource = LevelSource.DETECTED  #: where ``level`` came from
    #: The document can have an annual report's parts and report year: False for a plan, a speech, a news item,
    #: or a notice that issues a plan, an opinion or a list (see :func:`has_report_parts`).
    report_parts: bool = True

    @property
    def is_annual_report(self) -> bool:
        """An annual 法治政府建设 report (not a plan, speech, news or other look-alike)."""
        return self.kind == DocKind.ANNUAL_REPORT

    @property
    def other_kind(self) -> bool:
        """Not an annual report on a positive cue (a plan, news, a notice, a speech …).

        As opposed to a text that only says too little to tell (a short excerpt): a look-alike claims no coverage.
        """
        return self.kind not in (DocKind.ANNUAL_REPORT, DocKind.OTHER)

    def with_overrides(self, level: Level | None, year: int | None,
                       level_source: LevelSource = LevelSource.OPTION) -> Profile:
        """This profile with the level and the year the user gave (``None``: keep what was detected).

        ``level_source``: whether the level was given with ``--level`` or by the configuration.
        """
        source = level_source if level else LevelSource.DETECTED
        return Profile(
            body=self.body,
            level=level or self.level,
            level_reason=LEVEL_SOURCE_REASONS[source] if level else self.level_reason,
            year=year or self.year,
            year_reason="由 --year 指定" if year else self.year_reason,
            kind=self.kind,
            annual_reason=self.annual_reason,
            given_level=level or None,
            given_year=year or None,
            level_source=source,
            report_parts=self.report_parts,
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
        for m in _BODY.finditer(_HAN_SPACES.sub("", text)):
            name = m.group("name").removeprefix("中共")
            if len(name) >= 2 and not name.startswith(("关于", "全面", "深入", "坚持", "今年", "以来", "现将")):
                return name, source
    return None, ""


def detect_level(doc: Document) -> tuple[Level | None, str, str | None]:
    """The reporting body's level, why, and the body's name as found in the title, 落款 or opening."""
    name, source = _body_name(doc)
    text = doc.text
    if name is not None and _DEPT_SUFFIX.search(name) and not _PARTY.search(name):
        return Level.DEPARTMENT, f"{source}中的报告单位“{name}”是政府工作部门", name
    if name is not None:
        suffix_levels = (
            (("自治区",), Level.PROVINCE, "省级"),
            (("镇", "乡", "街道"), Level.TOWNSHIP, "乡镇（街道）"),
            (("县", "区", "旗", "自治县"), Level.COUNTY, "县级"),
            (("省", "自治区"), Level.PROVINCE, "省级"),
            (("自治州", "州", "盟"), Level.CITY, "地级"),
        )
        for suffixes, level, label in suffix_levels:
            if name.endswith(suffixes):
                return level, f"{source}中的报告单位“{name}”是{label}", name
        if _MUNICIPALITY.match(name):
            return Level.PROVINCE, f"{source}中的报告单位“{name}”是直辖市（省级）", name
        if name.endswith("市"):
            # The cheap search first: the named units (a slow scan of the whole text) only when it finds nothing.
            if _CITY_HAS_COUNTIES.search(text) or len(
                    {u for u in _NAMED_UNIT.findall(text) if not _NOT_A_UNIT.search(u)}) >= 2:
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
    """The report year and where it was found (title, opening, body, date of the 落款)."""
    title = next((b for b in doc.head if b.kind == "title"), None)
    if title is not None:
        m = _TITLE_YEAR.search(title.text)
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
        m = _DATE_YEAR_MONTH.search(date.text)
        if m:
            y, month = int(m.group(1)), int(m.group(2))
            return (y - 1 if month <= 6 else y), "落款日期推算"
    return None, "未能判断报告年度（可用 --year 指定）"


def detect_kind(doc: Document) -> tuple[DocKind, str]:
    """What the document is (an annual 法治政府建设 report, a plan, news, …), with the cue that decided it.

    Genre cues are read in the title, in the first line when there is no title, in the rows of
    a web page's header, and in the body (制定本方案, 印发给你们, a news lead, 本人…述法).
    """
    title = " ".join(b.text for b in doc.head if b.kind == "title")
    opening = "\n".join(_opening(doc))
    lead = "\n".join([ln.strip() for ln in prepare(doc.raw[:1500]).splitlines() if ln.strip()][:12])
    # Without a title, the first line up to its first pause can still be a title run into the body.
    first_line = _FIRST_PAUSE.split(next((ln.strip() for ln in doc.text.splitlines() if ln.strip()), ""))[0]
    genre_line = title or (first_line if len(first_line) <= 40 else "")
    cue_line = _CITED.sub("", genre_line).split("《")[0]  # 《…实施方案》 cited in a report is not its genre
    for kind, pattern, reason in _NOT_ANNUAL:
        if cue_line and pattern.search(cue_line) and not _BOTH.search(cue_line):
            return kind, f"{'标题' if title else '首行'}“{genre_line}”：{reason}"
    news_m = _NEWS.search(lead)
    news = news_m is not None and not _REPOST.search(lead)
    # Under a report's own title, a news lead only makes it news when the story is about a
    # meeting or about a report being published (a story retelling the year's work is kept).
    news_line = lead[lead.rfind("\n", 0, news_m.start()) + 1 : lead.find("\n", news_m.end()) % (len(lead) + 1)] \
        if news_m is not None else ""
    news_about = news and bool(_NEWS_ABOUT.search(news_line))
    if title and _ANNUAL_TITLE.search(title) and not news_about and not _PERSONAL.search(lead):
        return DocKind.ANNUAL_REPORT, f"标题“{title}”是法治政府建设年度报告或工作总结"
    where = "无标题；" if not title else f"标题“{title}”不典型；"
    rows = " ".join(b.text for b in doc.head if b.kind in ("web", "meta")) + "\n" + doc.raw[:300]
    as_follows = bool(_AS_FOLLOWS.search(lead))
    if _PERSONAL.search(lead):
        return (DocKind.PERSONAL_REPORT,
                f"{where}正文是个人述法（述职）报告（“本人…”），不是政府或部门的法治政府建设年度报告")
    if news:
        return DocKind.NEWS, f"{where}正文是新闻报道（电头、“近日”或会议日期开头），不是年度工作报告"
    if not as_follows and (_ISSUING.search(opening) or _NORMATIVE_ROWS.search(rows)):
        return DocKind.NOTICE, f"{where}这是印发方案、意见或规划的通知（“现将…印发给你们”），不是年度工作报告"
    if not as_follows and _NOTICE.search(doc.text):
        return DocKind.NOTICE, f"{where}这是命名、公示或通报名单的通知，不是年度工作报告"
    reports = bool(_REPORT_BODY.search(doc.text))
    if as_follows and _TOPIC.search(doc.text):
        return (DocKind.ANNUAL_REPORT,
                f"{where}正文写明“现将…情况报告如下”，是依法行政（法治建设）工作的年度报告")
    plan_parts = sum(1 for sec in doc.sections if sec.level == 1 and _PLAN_HEADINGS.search(sec.title))
    if not reports and (_PLAN_BODY.search(opening) or plan_parts >= 2):
        return DocKind.PLAN, f"{where}正文是工作部署（“制定本方案”、主要任务、保障措施等），{_PLAN_BODY_REASON}"
    if _SPEECH_BODY.search(lead):
        return DocKind.SPEECH, f"{where}正文以“同志们：”等称呼开头，这是讲话稿，不是年度工作报告"
    roles = {s.role for s in doc.sentences}
    mentions = len(_ANNUAL_BODY.findall(doc.text))
    if mentions < 2:
        mentions = len(_TOPIC.findall(_CITED.sub("", doc.text)))
    if mentions >= 2 and (Role.ACHIEVEMENTS in roles or Role.OPENING in roles):
        return DocKind.ANNUAL_REPORT, f"{where}正文总结了一年的法治政府建设工作（提及 {mentions} 次）"
    return DocKind.OTHER, "正文很少提到法治政府建设或依法行政，不像法治政府建设年度报告"


_PLAN_BODY_REASON = "这是实施方案或工作要点（计划），不是年度工作报告"


#: Kinds that are no account of a year's work at all: a plan sets tasks, a speech exhorts.
_NO_REPORT_PARTS = frozenset({DocKind.PLAN, DocKind.SPEECH, DocKind.NEWS})
#: A notice whose title names a report (印发…政府工作报告的通知, 公告《…信息公开工作报告》) issues an account.
_NAMES_REPORT = regexcode.compile(r"报告|总结")


def has_report_parts(doc: Document, kind: DocKind) -> bool:
    """Whether the document can have an annual report's parts and a report year.

    The parts: 主要举措和成效, 存在的不足, 下一年度安排. Not a plan, not a speech, not a news item (it tells of one
    meeting or event; its paragraphs and photo captions are no 主要举措和成效), and not a notice issuing a plan,
    an opinion or a list.
    """
    if kind in _NO_REPORT_PARTS:
        return False
    if kind == DocKind.NOTICE:
        title = doc.title
        return title is not None and _NAMES_REPORT.search(title.text) is not None
    return True


def profile(doc: Document) -> Profile:
    """Reporting body, level, year and kind of a document, as detected from its text."""
    level, level_reason, name = detect_level(doc)
    year, year_reason = detect_year(doc)
    kind, kind_reason = detect_kind(doc)
    return Profile(name, level, level_reason, year, year_reason, kind, kind_reason,
                   report_parts=has_report_parts(doc, kind))

"""The document model: a report split into sections, parts with roles, and sentences.

A :class:`Document` keeps the original text as written and a normalised matching text
(:mod:`checker.text.normalize`) with a map back to the original, so every match can be
reported with the quote, line and column of the original file.

Structure is read the way a reviewer reads a report:

* a title block at the top (``紫阳县2023年法治政府建设工作总结`` plus source/date lines);
* numbered headings (一、 / （一） / 1、 / 1. / （1） / ① / 第一部分 and 一是… list items,
  also run into a paragraph) and short unnumbered heading lines, nested by the order in
  which their marker styles first appear;
* paragraphs, re-joined across hard line breaks inside sentences, with page numbers and
  running headers dropped;
* a closing block (落款: issuing body, date, 特此报告).

Every sentence gets a *role*: title, opening, achievements, first_responsible, problems,
plans or signoff, from the headings above it and from the cues reports use where there is
no heading (``但也存在一些问题：``, ``下一步，我镇将…``).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import regex

from checker.text import regexcode
from checker.text.lazyre import lazy  # web-page chrome, 落款 and title patterns: compiled when a report reaches them
from checker.text.normalize import OffsetMap, TextBuilder, prepare
from checker.vocabulary import COVERING_ROLES, Role

_CN = "[一二三四五六七八九十]{1,3}"
_MARKERS: tuple[tuple[str, regex.Pattern[str]], ...] = (
    ("第一部分", regexcode.compile(rf"^第{_CN}(?:部分|章|节|篇)[、，：\s]?")),
    ("一、", regexcode.compile(rf"^{_CN}[、，.]\s*")),
    ("（一）", regexcode.compile(rf"^（{_CN}）[、，]?\s*")),
    ("1、", regexcode.compile(r"^\d{1,2}(?:、|\.(?!\d)|，(?=\D))\s*")),
    ("（1）", regexcode.compile(r"^（\d{1,2}）[、，]?\s*")),
    ("①", regexcode.compile(r"^[①-⑳]\s*")),
    ("一是", regexcode.compile(rf"^(?:{_CN}|首先|其次|再次|最后)是(?=[\p{{Han}}“《（])")),
)
_INLINE_STYLE = "一是(段内)"
_INLINE_ITEM = regexcode.compile(rf"^{_CN}是(?=[\p{{Han}}《（])")
_TERMINAL = "。！？；：…"
_SENTENCE_END = regexcode.compile(r"[。！？；]+")
_HAN = regexcode.compile(r"\p{Han}")
# Compiled once (regex.search(str, …) looks the pattern up in the cache on every call).
_STOP = regexcode.compile(r"[。！？]")
_PAUSE = regexcode.compile(r"[，；：]")
_NEXT_STEP = lazy(r"^(?:下一步|下步|今后|明年)")
_BODY_PUNCT = regexcode.compile(r"[。！？；，]")
_LEAD_HEADING = regexcode.compile(r"^(\p{Han}[^，、；：。！？（）《》]{1,19})。")
# A table flattened into text (指标｜完成情况 …; full-width bars are "|" once prepared).
_TABLE_ROW = regexcode.compile(r"\|")
_NEWLINE = regexcode.compile("\n")

_PAGE_NUMBER = regexcode.compile(
    r"^(?:[-—\s]*\d{1,3}[-—\s]*|第\s*\d{1,3}\s*页(?:\s*[，,]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}|[-—]\s*\d{1,3}\s*[-—])$"
)
_DATE_LINE = regexcode.compile(
    r"^[（(]?\s*(?:\d{4}|[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*[）)]?$"
)
_ORG_LINE = lazy(
    r"(?:人民政府|政府|委员会|党委|党组|省委|市委|县委|区委|旗委|镇委|乡委|工委|办公室|办事处|司法局|局|厅|委|办|所|中心)$"
)
_CLOSING = regexcode.compile(r"^(?:特此报告|专此报告|以上报告|特此汇报|报告完毕)")
_TITLE_WORDS = lazy(r"报告|总结|情况|汇报|自查|述职|方案|要点|安排|计划|讲话|致辞|发言|解读|意见|规划|通知")
_META_LINE = lazy(
    r"(?:时间|日期|来源|发布|作者|浏览|字号|信息来源|发文机关|发布机构|发布单位)[：:]|^[（(]\s*\d{4}\s*年.{0,12}[）)]$"
    r"|^20\d\d-\d{1,2}-\d{1,2}"
)

#: The time and source row under a web page's title (时间：2021-03-22 17:13 来源：…).
_PAGE_STAMP = lazy(r"(?:发布)?(?:时间|日期)[：:]\s*20\d\d.{0,30}?来源[：:]")

# Web page chrome around a title: breadcrumbs, bullets, navigation and metadata rows.
_CRUMB = lazy(r">|＞|->|→|当前位置|您的位置|所在位置|首页/|/首页|^[^《]*》[^《]*》")
_BULLETS = ("•", "·", "●", "▪", "■", "◆")
_CHROME = lazy(
    r"首页|当前位置|您的位置|打印|关闭|字号|字体|分享|收藏|浏览|阅读|无障碍|繁体|简体|登录|网站|索引号|"
    r"发文字号|文号|主题分类|体裁分类|服务对象|关键词|成文日期|发布日期|发布机构|发布单位|公开方式|公开时限|"
    r"有效性|^[•·●▪■◆\[【]|^[|｜]|[|｜]$|^[-—=_\s|｜\[\]【】]*$"
)
#: The label of a 信息公开 page's metadata row standing alone on its line (its value, if any, on the next).
_FIELD_LABEL = lazy(
    r"^(?:发文单位|发文机关|发布机构|发布单位|发文字号|文号|发文日期|成文日期|发布日期|效力状态|有效性|索引号|主题分类"
    r"|主题|名称|公开方式|公开时限|时效性|施行日期|效力级别)\s*[：:]?$"
)
_STAMP = lazy(r"20\d\d[-./]\d{1,2}[-./]\d{1,2}|20\d\d年\d{1,2}月\d{1,2}日")
_SENTENCE_PUNCT_IN_TITLE = regexcode.compile(r"[。！？；：，]")
_TITLE_TOPIC = lazy(r"法治|依法|法制")
_TITLE_END = lazy(r"(?:报告|总结|情况|汇报|自查|方案|要点|安排|计划|讲话|意见|规划|通知)$")

_HEAD_FIRST = regexcode.compile(
    r"第一责任人|主要负责人|主要负责同志|主要领导.{0,8}(?:履职|职责|推进法治)|履行.{0,12}职责情况|履职情况"
)
_HEAD_PROBLEMS = regexcode.compile(
    r"存在的?.{0,6}(?:问题|不足|困难|短板|弱项|差距)|(?:问题|不足|短板|困难|差距)(?:和|与|及|、)"
    r"|不足之处|薄弱环节|^.{0,8}(?:问题|不足)$|原因分析"
)
_HEAD_PLANS = regexcode.compile(
    r"下一步|下步|下一年|下年度|明年|今后|来年|新的一年|努力方向|工作展望"
    r"|(?:20\d\d|[二〇零一二三四五六七八九]{4})年.{0,8}(?:安排|打算|设想|计划|思路|要点|重点|目标|任务)"
    r"|工作(?:安排|打算|设想|思路|计划)$|(?:主要|工作)(?:安排|打算|设想|思路)"
)
_HEAD_PLANS_STRONG = regexcode.compile(
    r"下一步|下步|下一年|下年度|明年|今后|(?:20\d\d|[二〇零一二三四五六七八九]{4})年.{0,8}(?:安排|打算|设想|计划|思路|要点)"
)
_HEAD_ACHIEVEMENTS = regexcode.compile(
    r"主要(?:工作|举措|做法|成效|成绩)|工作(?:情况|成效|进展|开展情况)|基本情况|开展情况|举措|成效|做法|取得"
)

_PROBLEM_CUE = regexcode.compile(
    r"(?:但|但是|然而|不过|同时|虽然|虽|尽管|也|还|仍|依然|依旧)[^。；]{0,20}?"
    r"(?:存在|有|面临|尚存)着?(?:的|一些|不少|以下|诸多|部分|较多|某些|一定的?)*[^。；，]{0,14}?"
    r"(?:问题|不足|短板|弱项|困难|差距|薄弱环节|薄弱点)(?:和|与|及|、|\p{Han}{0,4})?(?=[：，。；]|$)"
    r"|^(?:存在的?(?:主要)?问题|主要问题|存在的?不足|不足之处)(?:是|有|主要是|主要有)?[：，]"
)
# A news article's closing paragraph leads in with 据悉/据了解 before the cue (据悉，2024年，…将).
_NEWS_LEAD = r"(?:(?:据悉|据了解|另悉|另据了解|记者了解到|记者获悉)，?)?"
_PLAN_CUE = regexcode.compile(
    rf"^{_NEWS_LEAD}(?:下一步|下一阶段|下步|今后|新的一年|明年|来年|展望\d{{0,4}}年?)"
    rf"|^{_NEWS_LEAD}(?P<year>20\d\d)年(?:度)?[，]?[^。；]{{0,24}}?(?:将|要|计划|拟|继续|重点抓好|力争)"
    r"|^(?:我|本|全)(?:镇|乡|县|区|市|局|委|办|省|街道|单位|部门)将"
)
_YEAR = regexcode.compile(r"(?<![\d-])(20\d\d)\s*年(?!\s*[-—至到~]\s*20\d\d)")


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered (or unnumbered) heading and everything under it."""

    index: int
    level: int
    marker: str
    title: str
    role: Role
    start: int
    end: int
    line: int
    parent: int | None
    synthetic: bool = False

    def label(self, width: int = 24) -> str:
        """The heading's title for display, shortened to ``width`` characters."""
        text = self.title.rstrip("。；：")
        return text if len(text) <= width else text[: width - 1] + "…"


class Sentence(NamedTuple):
    """One sentence (or heading line): offsets into the matching text, its section, role and paragraph.

    A NamedTuple, not a frozen dataclass: immutable too, and built at C speed (a report has hundreds).
    """

    start: int
    end: int
    section: int | None
    role: Role
    paragraph: int
    heading: bool = False


@dataclass(frozen=True, slots=True)
class Part:
    """A maximal run of sentences with the same role."""

    role: Role
    start: int
    end: int
    first_sentence: int
    last_sentence: int
    distinct: bool
    heading: str | None


@dataclass(frozen=True, slots=True)
class Block:
    """A title, meta or closing line (title block, 落款); offsets into the matching text.

    While the document is being read, ``start``/``end`` are offsets into the prepared text.
    """

    kind: str  # "title" | "meta" | "org" | "date" | "closing" | "addressee"
    text: str
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """A report as the checker sees it: its original and normalised text, sections, sentences, parts and roles."""

    path: str
    encoding: str
    sha256: str
    raw: str
    text: str
    offsets: OffsetMap
    line_starts: tuple[int, ...]
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    parts: tuple[Part, ...]
    head: tuple[Block, ...]
    tail: tuple[Block, ...]
    _sentence_starts: tuple[int, ...] = field(repr=False, default=())
    #: What a line of ``raw`` is in the original file: "line", "paragraph" (Word) or "page" (PDF).
    locator: str = "line"
    #: Input format the text came from: "txt", "docx", "pdf", "html", …
    kind: str = "txt"
    #: For "page": the 1-based page of each line of ``raw``.
    page_of_line: tuple[int, ...] = ()
    #: What the reader said about the extraction (converter used, pages without text, …), in Chinese.
    notes: tuple[str, ...] = ()
    #: For "page": the 1-based pages whose text came from OCR.
    ocr_pages: tuple[int, ...] = ()

    def page(self, line: int) -> int | None:
        """The page of line ``line`` (1-based) when lines are pages' lines (PDF), else None."""
        if self.locator == "page" and 0 < line <= len(self.page_of_line):
            return self.page_of_line[line - 1]
        return None

    # -- positions -------------------------------------------------------------------
    def raw_index(self, norm_index: int) -> int:
        """The index in the original text of an index into the normalised text."""
        return self.offsets.to_raw(norm_index)

    def line_col(self, raw_index: int) -> tuple[int, int]:
        """1-based line and column of an index into the original text."""
        line = bisect.bisect_right(self.line_starts, raw_index) - 1
        return line + 1, raw_index - self.line_starts[line] + 1

    def quote(self, start: int, end: int) -> str:
        """The original text behind the normalised span [start, end).

        Without the lines the span skips (page numbers, running headers between two lines of a sentence).
        """
        if end <= start:
            return ""
        lo, hi = self.raw_index(start), self.raw_index(end - 1) + 1
        text = self.raw[lo:hi]
        if text.count("\n") < 2:
            return text
        used = self.offsets.raw_spans(start, end)
        lines = text.split("\n")
        pos = lo
        kept = []
        for k, line in enumerate(lines):
            inner = 0 < k < len(lines) - 1
            if not inner or any(a < pos + len(line) and b > pos for a, b in used):
                kept.append(line)
            pos += len(line) + 1
        return "\n".join(kept)

    def sentence_at(self, norm_index: int) -> int:
        """The index of the sentence containing normalised index ``norm_index``."""
        return max(0, bisect.bisect_right(self._sentence_starts, norm_index) - 1)

    def sentences_of(self, norm_indexes: Iterable[int]) -> list[int]:
        """The sentences holding these offsets (sorted, each once): :meth:`sentence_at` for many at once."""
        starts = self._sentence_starts
        found = {bisect.bisect_right(starts, i) for i in norm_indexes}
        return sorted({max(0, k - 1) for k in found})

    def section_path(self, section: int | None) -> tuple[str, ...]:
        """The titles of a section and its parents, outermost first."""
        path: list[str] = []
        while section is not None:
            sec = self.sections[section]
            path.append(sec.label())
            section = sec.parent
        return tuple(reversed(path))

    @property
    def title(self) -> Block | None:
        """The title, one block even when it is written over two or three lines."""
        blocks = [b for b in self.head if b.kind == "title"]
        if len(blocks) <= 1:
            return blocks[0] if blocks else None
        return Block("title", "".join(b.text for b in blocks), blocks[0].line, blocks[0].start, blocks[-1].end)

    @property
    def chars(self) -> int:
        """The length of the original text in characters."""
        return len(self.raw)

    def iter_role(self, role: Role) -> Iterator[Sentence]:
        """The sentences with role ``role``, in order."""
        return (s for s in self.sentences if s.role == role)


# ---------------------------------------------------------------------------------------
# Building


@dataclass(slots=True)
class _Line:
    number: int  # 1-based
    start: int  # index into prepared/raw text of the first non-space character
    end: int
    text: str  # stripped prepared text, whitespace between Chinese characters removed
    positions: tuple[int, ...] | None = None  # offset in the line of each char of text (None: identity)
    spaced: str = ""  # stripped prepared text with its inner whitespace, as written

    @property
    def written(self) -> str:
        return self.spaced or self.text

    def at(self, index: int) -> int:
        """Prepared-text offset of character ``index`` of ``text`` (``len(text)``: the line end)."""
        if self.positions is None or index >= len(self.positions):
            return self.start + index if self.positions is None else self.end
        return self.start + self.positions[index]


_INNER_SPACE = regexcode.compile(r"\s+")


def _compact(stripped: str) -> tuple[str, tuple[int, ...] | None]:
    """Drop whitespace inside a line unless it separates two ASCII words (as the matching text does)."""
    if not _INNER_SPACE.search(stripped):
        return stripped, None
    chars: list[str] = []
    positions: list[int] = []
    pos = 0
    for m in _INNER_SPACE.finditer(stripped):
        chars.extend(stripped[pos : m.start()])
        positions.extend(range(pos, m.start()))
        before, after = stripped[m.start() - 1], stripped[m.end()] if m.end() < len(stripped) else ""
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            chars.append(" ")
            positions.append(m.start())
        pos = m.end()
    chars.extend(stripped[pos:])
    positions.extend(range(pos, len(stripped)))
    return "".join(chars), tuple(positions)


@dataclass(slots=True)
class _Para:
    lines: list[_Line]
    marker: str = ""  # marker style, "" for body text
    unnumbered_heading: bool = False
    title_len: int = 0  # characters of the first line that form the heading title


# A page flattened into one long line still shows its headings: "…提供保障。 一、2024年度…情况
# （一）发挥…": a top-level or second-level marker right after a sentence end starts a new line.
_FLAT_BREAK = regexcode.compile(
    r"(?<=[。；！？])\s*(?=(?:[一二三四五六七八九十]{1,2}、|（[一二三四五六七八九十]{1,2}）)\s*\S)"
)
FLAT_LINE = 300


def _pieces(line: str) -> list[tuple[int, int]]:
    """[start, end) spans of a line, split at the headings of a flattened page (one span if short)."""
    if len(line) < FLAT_LINE:
        return [(0, len(line))]
    cuts = [m.start() for m in _FLAT_BREAK.finditer(line) if m.start() > 0]
    spans, lo = [], 0
    for cut in cuts:
        if cut > lo:
            spans.append((lo, cut))
            lo = cut
    spans.append((lo, len(line)))
    return spans


def _lines(prepared: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for number, line in enumerate(prepared.split("\n"), start=1):
        if not line.strip():
            out.append(_Line(number, pos, pos, ""))
        for a, b in _pieces(line):
            piece = line[a:b]
            stripped = piece.strip()
            if not stripped:
                continue
            lead = len(piece) - len(piece.lstrip())
            text, positions = _compact(stripped)
            start = pos + a + lead
            out.append(_Line(number, start, start + len(stripped), text, positions,
                             stripped if positions is not None else ""))
        pos += len(line) + 1
    return out


def _marker(text: str) -> tuple[str, int] | None:
    for name, pattern in _MARKERS:
        m = pattern.match(text)
        if m and m.end() < len(text):
            return name, m.end()
    return None


def _heading_title_len(text: str, marker_end: int) -> int:
    """How much of a numbered line is heading title (the rest is body text)."""
    m = _STOP.search(text[marker_end:])
    if m and m.start() <= 60:
        return marker_end + int(m.end())
    if len(text) <= 60:
        return len(text)
    m = _PAUSE.search(text[marker_end:])
    return marker_end + (m.end() if m and m.start() <= 40 else min(40, len(text) - marker_end))


def _is_noise(line: _Line, repeated: set[str]) -> bool:
    return bool(_PAGE_NUMBER.match(line.text)) or line.text in repeated


def _running_header(lines: list[_Line], idx: int) -> bool:
    """A running header or footer met inside an open sentence.

    A short line without punctuation next to a page number, also where it does not repeat often enough to be seen as
    one.
    """
    if len(lines[idx].text) > 30 or _BODY_PUNCT.search(lines[idx].text) or lines[idx].text[-1] in "：、":
        return False
    near = [ln for ln in (*lines[max(0, idx - 2) : idx], *lines[idx + 1 : idx + 3]) if ln.text]
    return any(_PAGE_NUMBER.match(ln.text) for ln in near)


def _ends_open(text: str) -> bool:
    """A line that stops inside a sentence (a hard line break to re-join)."""
    return bool(text) and text[-1] not in _TERMINAL


def _title_block(lines: list[_Line]) -> tuple[list[Block], int]:
    """Title and meta lines at the top; returns the blocks and the index of the first body line.

    A page saved from a website puts navigation, breadcrumbs and metadata rows (索引号,
    发布机构, 来源, 日期) above and below the title: when a line further down reads as a report
    title, everything above it is page chrome (``web`` blocks, ``meta`` when it carries a date
    or source), not the title and not the report's opening.
    """
    found = _web_title(lines)
    if found is not None:
        return found
    blocks: list[Block] = []
    i = 0
    nonblank = [k for k, ln in enumerate(lines) if ln.text][:4]
    candidates: list[int] = []
    for k in nonblank:
        text = lines[k].text
        # A line with sentence punctuation inside is body text (an opening paragraph broken
        # into short lines), not a title.
        if len(text) > 50 or (_BODY_PUNCT.search(text) and not _META_LINE.search(text)):
            break
        if _META_LINE.search(text) or _DATE_LINE.match(text):
            break
        if _marker(text):
            break
        candidates.append(k)
    titled = [k for k in candidates if _TITLE_WORDS.search(lines[k].text) and not lines[k].text.endswith("：")]
    if not titled and candidates == nonblank[:1] and len(nonblank) > 1 and _PAGE_STAMP.match(lines[nonblank[1]].text):
        # A page title above its time and source row (杭州市市场监管局 / 时间：… 来源：…), with no title word.
        titled = candidates
    if titled:
        last = titled[-1]
        for k in candidates:
            if k > last:
                break
            ln = lines[k]
            blocks.append(Block("title", ln.written, ln.number, ln.start, ln.end))
        i = last + 1
        i = _head_meta(lines, i, blocks, "")
    return blocks, i


def _head_meta(lines: list[_Line], i: int, blocks: list[Block], title: str) -> int:
    """The index of the first body line below the meta lines under the title.

    Meta lines: source, date, 发布时间 …, and on a web page the rows of page chrome and a repeat of the title.
    """
    while i < len(lines):
        text = lines[i].text
        if not text:
            i += 1
            continue
        if _FIELD_LABEL.match(text):
            # A row of a 信息公开 page's table, its label on one line and its value on the next
            # (发文单位 / 区人民政府, 发文日期 / 2020-12-03 10:00); a blank value leaves the next label alone.
            row = 2 if i + 1 < len(lines) and lines[i + 1].text and not _FIELD_LABEL.match(lines[i + 1].text) else 1
            blocks.extend(Block("meta", ln.written, ln.number, ln.start, ln.end) for ln in lines[i : i + row])
            i += row
            continue
        if _META_LINE.search(text) or _DATE_LINE.match(text):
            kind = "meta"
        elif title and _web_chrome(text, title):
            kind = "meta" if _STAMP.search(text) else "web"
        else:
            break
        ln = lines[i]
        blocks.append(Block(kind, ln.written, ln.number, ln.start, ln.end))
        i += 1
    return i


def _strong_title(text: str) -> bool:
    """A line (or two joined) that names itself a report on 法治 work.

    It is a title even when page chrome stands above it.
    """
    return (
        len(text) <= 80
        and not _SENTENCE_PUNCT_IN_TITLE.search(text)
        and not _CRUMB.search(text)
        and _marker(text) is None
        and bool(_TITLE_WORDS.search(text))
        and (bool(_TITLE_TOPIC.search(text)) or ("关于" in text and bool(_TITLE_END.search(text))))
    )


def _headline(text: str, following: str) -> bool:
    """A page's headline below its chrome.

    A short line without sentence punctuation followed by the page's source/date row
    (荷塘区召开…推进会 / 来源：区司法局 发布时间：…).
    """
    return (
        6 <= len(text) <= 50 and not _BODY_PUNCT.search(text) and not _CRUMB.search(text)
        and not _CHROME.search(text) and not _META_LINE.search(text) and not _ORG_LINE.search(text)
        and bool(_META_LINE.search(following))
    )


def _web_chrome(text: str, title: str) -> bool:
    """A short line of a web page around the title.

    A metadata row, a bullet, a navigation word, a repeat of the title or of the body's name.
    """
    if _BODY_PUNCT.search(text.replace("，", "")) or _marker(text):
        return False
    compact = text.replace(" ", "")
    return (
        len(compact) <= 40
        and (bool(_CHROME.search(compact)) or compact in title or bool(_STAMP.search(compact))
             or (bool(_ORG_LINE.search(compact)) and len(compact) <= 24))
        and (not compact.endswith("：") or (len(compact) <= 6 and bool(_CHROME.search(compact))))
    )


def _web_title(lines: list[_Line]) -> tuple[list[Block], int] | None:
    """Title blocks of a page whose title line is not among its first lines (web chrome above)."""
    nonblank = [k for k, ln in enumerate(lines) if ln.text][:30]
    if not nonblank:
        return None
    for pos, k in enumerate(nonblank):
        text = lines[k].text
        if len(text) > 50 and _BODY_PUNCT.search(text) and not text.startswith(_BULLETS):
            return None  # the body starts before any title
        if _marker(text) or text[-1] in "，、；" or (text.count("，") >= 2 and not text.startswith(_BULLETS)):
            return None  # a heading or an open sentence: this is the report's body
        nxt = nonblank[pos + 1] if pos + 1 < len(nonblank) else None
        span = [k]
        if nxt is not None and len(lines[nxt].text) <= 16 and _strong_title(text + lines[nxt].text) \
                and not _BODY_PUNCT.search(lines[nxt].text) and not _META_LINE.search(lines[nxt].text) \
                and (not _strong_title(text) or not _TITLE_END.search(text)):
            span = [k, nxt]  # a title broken over two lines (…2024年度法治政府 / 建设情况报告)
        elif not _strong_title(text) and not (pos > 0 and _headline(text, lines[nxt].text if nxt is not None else "")):
            continue
        before = nonblank[:pos]
        above = lines[before[-1]].text if before else ""
        if above and _ORG_LINE.search(above) and len(above) <= 30 and not _BODY_PUNCT.search(above) \
                and not _STAMP.search(above) and not _META_LINE.search(above) and not _CHROME.search(above):
            span.insert(0, before.pop())  # the body's name on the line above: 焉耆回族自治县人民政府
        return _title_from(lines, before, span)
    return None


def _title_from(lines: list[_Line], before: list[int], span: list[int]) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    for k in before:
        ln = lines[k]
        kind = "meta" if _META_LINE.search(ln.text) or _STAMP.search(ln.text) else "web"
        blocks.append(Block(kind, ln.written, ln.number, ln.start, ln.end))
    for k in span:
        ln = lines[k]
        blocks.append(Block("title", ln.written, ln.number, ln.start, ln.end))
    title = "".join(lines[k].text for k in span)
    return blocks, _head_meta(lines, span[-1] + 1, blocks, title)


def _closing_block(lines: list[_Line], first_body: int) -> tuple[list[Block], int]:
    """落款 lines at the end; returns the blocks and the index one past the last body line."""
    blocks: list[Block] = []
    end = len(lines)
    seen = 0
    k = len(lines) - 1
    while k >= first_body and seen < 6:
        ln = lines[k]
        if not ln.text or _PAGE_NUMBER.match(ln.text):
            k -= 1
            continue
        text = ln.text
        if _DATE_LINE.match(text):
            kind = "date"
        elif _CLOSING.match(text) and len(text) <= 20:
            kind = "closing"
        elif len(text) <= 40 and text[-1] not in _TERMINAL and _ORG_LINE.search(text) and not _marker(text):
            kind = "org"
        else:
            break
        blocks.append(Block(kind, ln.written, ln.number, ln.start, ln.end))
        seen += 1
        end = k
        k -= 1
    blocks.reverse()
    if blocks and all(b.kind == "closing" for b in blocks):
        return [], len(lines)
    return blocks, end


def _paragraphs(lines: list[_Line], rejoin: bool = True) -> list[_Para]:
    """Group lines into paragraphs; with ``rejoin``, lines broken inside a sentence are joined."""
    counts = Counter(ln.text for ln in lines if ln.text and len(ln.text) <= 40)
    repeated = {t for t, n in counts.items() if n >= 3 and not _marker(t) and not _PAGE_NUMBER.match(t)}
    paras: list[_Para] = []
    open_para: _Para | None = None  # paragraph whose last line stops inside a sentence
    for idx, ln in enumerate(lines):
        if not ln.text or _is_noise(ln, repeated) or (open_para is not None and _running_header(lines, idx)):
            if not ln.text and open_para is not None and len(open_para.lines[-1].text) < 20:
                open_para = None
            continue
        if _TABLE_ROW.search(ln.text):
            # A table row is a paragraph of its own: not a heading (四、结转下年度继续办理｜6｜…),
            # not joined to the next row although it ends without punctuation.
            paras.append(_Para([ln]))
            open_para = None
            continue
        found = _marker(ln.text)
        if found is not None:
            name, mend = found
            title_len = _heading_title_len(ln.text, mend)
            para = _Para([ln], marker=name, title_len=title_len)
            paras.append(para)
            open_para = para if rejoin and title_len < len(ln.text) and _ends_open(ln.text) else None
            continue
        if open_para is not None:
            open_para.lines.append(ln)
            if not _ends_open(ln.text):
                open_para = None
            continue
        nxt = next((n for n in lines[idx + 1 :] if n.text), None)
        if (
            len(ln.text) <= 25
            and _ends_open(ln.text)
            and _HAN.search(ln.text)
            and nxt is not None
            and not ln.text.endswith(("，", "、"))
        ):
            paras.append(_Para([ln], unnumbered_heading=True, title_len=len(ln.text)))
            open_para = None
            continue
        lead = _LEAD_HEADING.match(ln.text)
        if lead and lead.end() < len(ln.text) and _classify_heading(lead.group(1), top=True)[0] is not None:
            # "主要负责人履职情况。深学笃行……": a heading run into its paragraph as a short first
            # sentence, as reports without numbered headings write them.
            para = _Para([ln], unnumbered_heading=True, title_len=lead.end())
        else:
            para = _Para([ln])
        paras.append(para)
        open_para = para if rejoin and _ends_open(ln.text) else None
    return paras


#: A run this long with no sentence break is not one sentence (a PDF dump, a table):
#: it is cut at a comma, so that "within one sentence" stays a bounded window.
MAX_SENTENCE = 400


def _sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    for end in ends:
        while end - pos > MAX_SENTENCE:
            cut = max(text.rfind("，", pos, pos + MAX_SENTENCE), text.rfind("、", pos, pos + MAX_SENTENCE))
            cut = cut + 1 if cut > pos + MAX_SENTENCE // 2 else pos + MAX_SENTENCE
            yield pos, cut
            pos = cut
        if text[pos:end].strip():
            yield pos, end
        pos = end


def _names_plans(title: str, top: bool, year: int | None) -> bool:
    """Whether a heading names the plans.

    A sub-heading names a year's 安排/计划/要点 as the plans only when it is a later year than the report's
    (in a report on 2025, "一是…制定2025年度普法计划" is this year's work); a part's own heading
    (二、2023年工作安排) stays the plans part even with the wrong year, which RS07 reports.
    """
    if top:
        return _HEAD_PLANS.search(title) is not None
    for m in _HEAD_PLANS_STRONG.finditer(title):
        named = _YEAR.search(m.group())
        if named is None or year is None or int(named.group(1)) > year:
            return True
    return False


def _classify_heading(title: str, top: bool, year: int | None = None) -> tuple[Role | None, bool]:
    """Role named by a heading, and whether it names both problems and plans (``year``: the report's).

    Sub-headings name a role only with unmistakable words: an achievements sub-item such
    as "（三）落实学法计划" or "明确工作思路" is not a plan.
    """
    if _HEAD_FIRST.search(title):
        return Role.FIRST_RESPONSIBLE, False
    problems = bool(_HEAD_PROBLEMS.search(title))
    plans = _names_plans(title, top, year)
    if problems:
        return Role.PROBLEMS, plans
    if plans:
        return Role.PLANS, False
    if top and _HEAD_ACHIEVEMENTS.search(title):
        return Role.ACHIEVEMENTS, False
    return None, False


def provisional_year(prepared_head: str) -> int | None:
    """The report year as the opening states it: the most frequent year in the first lines."""
    years = Counter(int(m.group(1)) for m in _YEAR.finditer(prepared_head))
    if not years:
        return None
    return years.most_common(1)[0][0]


@dataclass(slots=True)
class _Sec:
    level: int
    marker: str
    title: str
    start: int
    line: int
    parent: int | None
    synthetic: bool
    named: Role | None
    combined: bool


class _StructureBuilder:
    def __init__(self, prepared: str, default_role: Role | None) -> None:
        self.prepared = prepared
        self.default_role = default_role
        self.builder = TextBuilder()
        self.sections: list[_Sec] = []
        self.sentences: list[Sentence] = []
        self.stack: list[tuple[str, int]] = []  # (marker style, section index)
        self.tail: tuple[Role, int] | None = None  # role in force until a heading of level <= int
        self.para_role: Role | None = None  # role in force until the paragraph ends
        self.seen_heading = False
        self.year: int | None = None

    # -- sections ------------------------------------------------------------------
    def _open_section(
        self, style: str, title: str, line: int, start: int, *, synthetic: bool = False, inline: bool = False
    ) -> int:
        if not inline:
            # A heading on its own line closes the 一是/二是 items run into the paragraph above.
            while self.stack and self.stack[-1][0] == _INLINE_STYLE:
                self.stack.pop()
        styles = [st for st, _ in self.stack]
        if style in styles:
            del self.stack[styles.index(style) :]
        level = len(self.stack) + 1
        parent = self.stack[-1][1] if self.stack else None
        role, combined = (None, False) if inline else _classify_heading(title, top=level == 1, year=self.year)
        if role == Role.FIRST_RESPONSIBLE and style == "一是":
            role = None  # 二是严格落实第一责任人职责: an item of a part, not the part on the duty
        index = len(self.sections)
        self.sections.append(_Sec(level, style, title, start, line, parent, synthetic, role, combined))
        self.stack.append((style, index))
        if not inline:
            if self.tail is not None and level <= self.tail[1]:
                self.tail = None
            self.seen_heading = True
        return index

    def _block_level(self) -> int:
        """Level of the innermost section that is not an inline list item (0 at the top)."""
        for style, index in reversed(self.stack):
            if style != _INLINE_STYLE:
                return self.sections[index].level
        return 0

    def _section_role(self, index: int | None) -> Role:
        while index is not None:
            sec = self.sections[index]
            if sec.named is not None:
                return sec.named
            index = sec.parent
        if not self.seen_heading:
            return self.default_role or Role.OPENING
        return Role.ACHIEVEMENTS

    def _current(self) -> int | None:
        return self.stack[-1][1] if self.stack else None

    # -- roles -------------------------------------------------------------------------
    def _plan_cue(self, sentence: str) -> bool:
        m = _PLAN_CUE.search(sentence)
        if not m:
            return False
        year = m.group("year")
        return year is None or self.year is None or int(year) > self.year

    def _role_for(self, sentence: str, first_in_para: bool, heading: bool) -> Role:
        base = self._section_role(self._current())
        if self.tail is not None:
            base = self.tail[0]
        if self.para_role is not None:
            base = self.para_role
        if heading:
            return base
        if base in (Role.PROBLEMS,) and self._plan_cue(sentence):
            self._start_tail(Role.PLANS, first_in_para, sentence)
            return Role.PLANS
        if base in COVERING_ROLES:
            if _PROBLEM_CUE.search(sentence):
                self._start_tail(Role.PROBLEMS, first_in_para, sentence)
                return Role.PROBLEMS
            if self._plan_cue(sentence) and (first_in_para or _NEXT_STEP.match(sentence)):
                if first_in_para:
                    self._start_tail(Role.PLANS, True, sentence)
                else:
                    self.para_role = Role.PLANS
                return Role.PLANS
        return base

    def _start_tail(self, role: Role, first_in_para: bool, sentence: str) -> None:
        # A part that follows a part opened by a cue (下一步… after 但也存在…问题：) is its
        # sibling, even where the first part's list items (一是…) stand on lines of their own.
        level = self.tail[1] if self.tail is not None else max(1, self._block_level())
        if first_in_para and self.seen_heading:
            # A paragraph that opens a new part with no heading of its own: give it a section,
            # a sibling of the section it follows.
            while self.stack and (self.stack[-1][0] == _INLINE_STYLE or len(self.stack) > level):
                self.stack.pop()
            style = self.stack[-1][0] if self.stack else "无标题段落"
            title = sentence if len(sentence) <= 24 else sentence[:23] + "…"
            index = self._open_section(style, title, 0, self.builder.length, synthetic=True)
            self.sections[index].named = role
            self.sections[index].combined = False
            self.tail = None
            return
        self.tail = (role, level)

    # -- text ----------------------------------------------------------------------------
    def _add_lines(self, para: _Para, skip: int) -> None:
        """Append a paragraph's lines (from character ``skip`` of the first line) to the text."""
        for k, ln in enumerate(para.lines):
            start = ln.at(skip) if k == 0 else ln.start
            if start >= ln.end:
                continue
            if k > 0:
                self.builder.join_space_if_ascii(self.prepared, start, ln.start - 1)
            self.builder.add(self.prepared, start, ln.end)

    def _break(self, raw_at: int) -> None:
        if self.builder.length and self.builder.last_char() != "\n":
            self.builder.insert("\n", raw_at)

    def add_block(self, start: int, end: int, role: Role, number: int) -> tuple[int, int]:
        """A title, meta or closing line: one sentence of a fixed role, outside any section."""
        self._break(max(start - 1, 0))
        n_start = self.builder.length
        self.builder.add(self.prepared, start, end)
        self.sentences.append(Sentence(n_start, self.builder.length, None, role, number))
        return n_start, self.builder.length

    def add_paragraph(self, number: int, para: _Para) -> None:
        first = para.lines[0]
        self._break(max(first.start - 1, 0))
        self.para_role = None
        body_skip = 0
        if para.marker or para.unnumbered_heading:
            title = first.text[: para.title_len]
            section = self._open_section(para.marker or "无编号标题", title, first.number, self.builder.length)
            t_start = self.builder.length
            self.builder.add(self.prepared, first.start, first.at(para.title_len))
            role = self._role_for(title, True, heading=True)
            self.sentences.append(Sentence(t_start, self.builder.length, section, role, number, heading=True))
            body_skip = para.title_len
            if body_skip >= len(first.text) and len(para.lines) == 1:
                return
        body_start, mark = self.builder.length, self.builder.mark()
        self._add_lines(para, body_skip)
        text = self.builder.text_since(mark)
        self._sentences(text, body_start, number, first_in_para=body_skip == 0, line=first.number)

    def _sentences(self, text: str, offset: int, number: int, first_in_para: bool, line: int) -> None:
        first = first_in_para
        for start, end in _sentence_spans(text):
            self._sentence(text[start:end], offset + start, number, first, line)
            first = False

    def _sentence(self, text: str, start: int, number: int, first: bool, line: int) -> None:
        stripped = text.lstrip()
        start += len(text) - len(stripped)
        if not stripped:
            return
        if _INLINE_ITEM.match(stripped):
            title = stripped if len(stripped) <= 60 else stripped[:40]
            self._open_section(_INLINE_STYLE, title, line, start, inline=True)
        role = self._role_for(stripped, first, heading=False)
        self.sentences.append(Sentence(start, start + len(stripped), self._current(), role, number))

    def finish(self) -> tuple[list[Section], list[Sentence]]:
        total = self.builder.length
        ends = [total] * len(self.sections)
        # A section ends where the next section at the same or a higher level starts.
        open_at: list[int] = []
        for i, sec in enumerate(self.sections):
            while open_at and self.sections[open_at[-1]].level >= sec.level:
                ends[open_at.pop()] = sec.start
            open_at.append(i)
        sections = [
            Section(i, sec.level, sec.marker, sec.title, self._section_role(i), sec.start, ends[i], sec.line,
                    sec.parent, sec.synthetic)
            for i, sec in enumerate(self.sections)
        ]
        return sections, self.sentences


def _parts(sentences: list[Sentence], sections: list[Section], year: int | None = None) -> list[Part]:
    parts: list[Part] = []
    i = 0
    while i < len(sentences):
        role = sentences[i].role
        j = i
        while j + 1 < len(sentences) and sentences[j + 1].role == role:
            j += 1
        first = sentences[i]
        prev_para = sentences[i - 1].paragraph if i else -1
        heading: str | None = None
        # A part is distinct when it has a heading, or (for the parts that close a report)
        # when it opens a paragraph of its own; results need a heading to count as a part.
        distinct = first.heading or (
            first.paragraph != prev_para and role not in (Role.ACHIEVEMENTS, Role.OPENING)
        )
        sec = first.section
        while sec is not None:
            s = sections[sec]
            named, combined = _classify_heading(s.title, top=s.level == 1, year=year)
            if named == role or (combined and role == Role.PLANS):
                heading, distinct = s.title, True
                break
            sec = s.parent
        if heading is None and first.heading and first.section is not None:
            heading = sections[first.section].title
        parts.append(Part(role, first.start, sentences[j].end, i, j, distinct, heading))
        i = j + 1
    return parts


def build(
    raw: str,
    *,
    path: str = "<text>",
    encoding: str = "utf-8",
    sha256: str = "",
    default_role: Role | None = None,
    lines_are_paragraphs: bool = False,
    locator: str = "line",
    page_of_line: tuple[int, ...] = (),
    kind: str = "txt",
    notes: tuple[str, ...] = (),
    ocr_pages: tuple[int, ...] = (),
) -> Document:
    """Build a :class:`Document` from decoded text.

    ``default_role`` is the role of text before any heading (normally ``opening``); a
    checklist example is built with ``achievements`` so that a one-paragraph excerpt reads
    as an account of the year's work.
    """
    prepared = prepare(raw)
    lines = _lines(prepared)
    head, body_from = _title_block(lines)
    tail, body_to = _closing_block(lines, body_from)
    body = lines[body_from:body_to]
    # Addressee line (省委、省政府：) opens the letter; keep it as a head block.
    addressee = next((ln for ln in body if ln.text), None)
    if addressee is not None and addressee.text.endswith("：") and len(addressee.text) <= 30:
        head.append(Block("addressee", addressee.text, addressee.number, addressee.start, addressee.end))
        body = [ln for ln in body if ln is not addressee]
    paras = _paragraphs(body, rejoin=not lines_are_paragraphs)
    sb = _StructureBuilder(prepared, default_role)
    sb.year = provisional_year(prepared[: min(len(prepared), 600)])
    number = 0
    head_blocks = []
    for block in head:
        role = Role.OPENING if block.kind == "addressee" else Role.TITLE
        start, end = sb.add_block(block.start, block.end, role, number)
        head_blocks.append(Block(block.kind, block.text, block.line, start, end))
        number += 1
    for para in paras:
        sb.add_paragraph(number, para)
        number += 1
    tail_blocks = []
    for block in tail:
        start, end = sb.add_block(block.start, block.end, Role.SIGNOFF, number)
        tail_blocks.append(Block(block.kind, block.text, block.line, start, end))
        number += 1
    sections, sentences = sb.finish()
    line_starts = [0, *(m.end() for m in _NEWLINE.finditer(raw))]
    return Document(
        path=path,
        encoding=encoding,
        sha256=sha256,
        raw=raw,
        text=sb.builder.text(),
        offsets=sb.builder.offset_map(),
        line_starts=tuple(line_starts),
        sections=tuple(sections),
        sentences=tuple(sentences),
        parts=tuple(_parts(sentences, sections, sb.year)),
        head=tuple(head_blocks),
        tail=tuple(tail_blocks),
        _sentence_starts=tuple(s.start for s in sentences),
        locator=locator,
        page_of_line=page_of_line,
        kind=kind,
        notes=notes,
        ocr_pages=ocr_pages,
    )


def from_text(text: str, *, default_role: Role | None = None, path: str = "<text>") -> Document:
    """A document from plain text given in code (examples, tests), unheaded text taking ``default_role``."""
    return build(text, path=path, default_role=default_role)


def as_plan(doc: Document) -> Document:
    """The same document read as a plan (工作要点, 实施方案).

    What would read as the year's work (opening, achievements, first-responsible part) is planned work.
    """
    sections = [replace(sec, role=Role.PLANS) if sec.role in COVERING_ROLES else sec for sec in doc.sections]
    sentences = [s._replace(role=Role.PLANS) if s.role in COVERING_ROLES else s for s in doc.sentences]
    return replace(doc, sections=tuple(sections), sentences=tuple(sentences), parts=tuple(_parts(sentences, sections)))

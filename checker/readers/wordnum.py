"""Word's automatic list numbering (numbering.xml), replayed paragraph by paragraph.

Reports typed in Word often get their 一、/（一）/1. heading markers from automatic
numbering: the markers are not in the paragraph text. :class:`Numbering` recomputes them
in document order, as Word displays them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag: ``w("p")`` is ``{…/main}p``."""
    return f"{{{W_NS}}}{tag}"


def wval(el: Any, tag: str) -> str | None:
    """``w:val`` of the child ``w:tag`` of ``el``, or None."""
    if el is None:
        return None
    child = el.find(w(tag))
    if child is None:
        return None
    value: str | None = child.get(w("val"))
    return value


_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    if n <= 0 or n >= 10000:
        return str(n)
    parts: list[str] = []
    values = ((1000, units[2]), (100, units[1]), (10, units[0]), (1, ""))
    zero = False
    for value, unit in values:
        d = n // value % 10
        if d == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append(digits[0])
            zero = False
        if not (d == 1 and value == 10 and not parts and digits is _CN_DIGITS):
            parts.append(digits[d])
        parts.append(unit)
    return "".join(parts)


def _roman(n: int) -> str:
    out = []
    for value, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt in {
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    }:
        return _chinese(n)
    if fmt == "ideographDigital" or fmt == "taiwaneseDigital" or fmt == "japaneseDigitalTenThousand":
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, "拾佰仟")
    if fmt == "ideographLegalTraditional":
        return _chinese(n, "零壹貳參肆伍陸柒捌玖", "拾佰仟")
    if fmt in {"ideographTraditional", "ideographEnclosedCircle"} and n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "ideographZodiac" and n <= 12:
        return _DIZHI[n - 1]
    if fmt in {"decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"} and n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and n <= 20:
        return chr(0x2488 + n - 1)
    if fmt in {"decimalFullWidth", "decimalFullWidth2"}:
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)


@dataclass(slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False
    suffix: str = "tab"


@dataclass(slots=True)
class _Num:
    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, _Level] = field(default_factory=dict)
    started: bool = False


def _parse_level(lvl: Any) -> _Level:
    level = _Level()
    start = wval(lvl, "start")
    if start and start.lstrip("-").isdigit():
        level.start = int(start)
    level.fmt = wval(lvl, "numFmt") or "decimal"
    level.text = wval(lvl, "lvlText")
    restart = wval(lvl, "lvlRestart")
    if restart and restart.isdigit():
        level.restart = int(restart)
    legal = lvl.find(w("isLgl"))
    level.legal = legal is not None and legal.get(w("val"), "true") not in {"0", "false", "off"}
    level.suffix = wval(lvl, "suff") or "tab"
    return level


class Numbering:
    """Word's list numbering (numbering.xml), replayed paragraph by paragraph."""

    def __init__(self, numbering: Any, styles: Any) -> None:
        """Read the numbering definitions and the styles' numbering of one document."""
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNum numStyleLink -> style id
        self.level_styles: dict[str, int] = {}  # paragraph style bound to a list level
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.used = False
        if numbering is not None:
            for ab in numbering.iterchildren(w("abstractNum")):
                aid = ab.get(w("abstractNumId"))
                if aid is None:
                    continue
                levels: dict[int, _Level] = {}
                for lvl in ab.iterchildren(w("lvl")):
                    ilvl = int(lvl.get(w("ilvl"), "0") or 0)
                    levels[ilvl] = _parse_level(lvl)
                    pstyle = wval(lvl, "pStyle")
                    if pstyle:
                        self.level_styles[pstyle] = ilvl
                self.abstracts[aid] = levels
                link = wval(ab, "numStyleLink")
                if link:
                    self.style_links[aid] = link
            for num in numbering.iterchildren(w("num")):
                nid = num.get(w("numId"))
                aid = wval(num, "abstractNumId")
                if nid is None or aid is None:
                    continue
                entry = _Num(aid)
                for ov in num.iterchildren(w("lvlOverride")):
                    ilvl = int(ov.get(w("ilvl"), "0") or 0)
                    so = wval(ov, "startOverride")
                    if so and so.lstrip("-").isdigit():
                        entry.start_overrides[ilvl] = int(so)
                    lvl = ov.find(w("lvl"))
                    if lvl is not None:
                        entry.level_overrides[ilvl] = _parse_level(lvl)
                self.nums[nid] = entry
        # paragraph styles: their own numPr, following basedOn
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.style_based: dict[str, str] = {}
        if styles is not None:
            for st in styles.iterchildren(w("style")):
                sid = st.get(w("styleId"))
                if not sid:
                    continue
                based = wval(st, "basedOn")
                if based:
                    self.style_based[sid] = based
                ppr = st.find(w("pPr"))
                numpr = ppr.find(w("numPr")) if ppr is not None else None
                if numpr is not None:
                    slvl = wval(numpr, "ilvl")
                    self.style_numpr[sid] = (wval(numpr, "numId"), int(slvl) if slvl and slvl.isdigit() else None)

    def _style_num(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        num_id: str | None = None
        ilvl: int | None = None
        while style and style not in seen:
            seen.add(style)
            sid, slvl = self.style_numpr.get(style, (None, None))
            if num_id is None and sid is not None:
                num_id = sid
            if ilvl is None and slvl is not None:
                ilvl = slvl
            if ilvl is None and style in self.level_styles:
                ilvl = self.level_styles[style]
            style = self.style_based.get(style)
        return num_id, ilvl

    def _levels(self, aid: str) -> dict[int, _Level]:
        levels = self.abstracts.get(aid, {})
        link = self.style_links.get(aid)
        if not any(lv.text is not None for lv in levels.values()) and link:
            sid, _ = self._style_num(link)  # numStyleLink: the definition lives with the style's list
            if sid and sid in self.nums and self.nums[sid].abstract != aid:
                return self.abstracts.get(self.nums[sid].abstract, levels)
        return levels

    def marker(self, p: Any) -> str:
        """The number marker Word shows in front of paragraph ``p`` ("一、", "（二）", …), or ""."""
        ppr = p.find(w("pPr"))
        num_id: str | None = None
        ilvl: int | None = None
        style = wval(ppr, "pStyle") if ppr is not None else None
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        if numpr is not None:
            num_id = wval(numpr, "numId")
            lv = wval(numpr, "ilvl")
            ilvl = int(lv) if lv and lv.isdigit() else None
        if num_id is None or ilvl is None:
            snum, slvl = self._style_num(style)
            num_id = num_id if num_id is not None else snum
            ilvl = ilvl if ilvl is not None else slvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = min(max(ilvl or 0, 0), 8)
        num = self.nums[num_id]
        aid = num.abstract
        levels = dict(self._levels(aid))
        levels.update(num.level_overrides)
        level = levels.get(ilvl)
        if level is None or level.text is None:
            return ""
        counters = self.counters.setdefault(aid, {})
        if not num.started:
            num.started = True
            for olvl, start in num.start_overrides.items():
                counters.pop(olvl, None)
                counters[olvl] = start - 1
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in range(ilvl + 1, 9):
            dl = levels.get(deeper)
            restart = dl.restart if dl is not None else None
            if restart is None or (restart != 0 and restart <= ilvl + 1):
                counters.pop(deeper, None)
        if level.fmt in {"bullet", "none"}:
            return ""

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lk = levels.get(k, _Level())
            value = counters.get(k, lk.start)
            return _format_number(value, "decimal" if level.legal and k != ilvl else lk.fmt)

        marker = re.sub(r"%([1-9])", sub, level.text).strip()
        if not marker:
            return ""
        self.used = True
        return marker if marker[-1] in "、.．)）:：，," else marker + " "

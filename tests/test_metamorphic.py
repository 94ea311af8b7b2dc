"""Metamorphic tests: real-world variants of each seed report must get the same verdicts.

Each transformation turns a seed into text a reviewer would still read as the same report
(a PDF extraction, traditional characters, half-width punctuation, Chinese numerals, list
items run into one paragraph, no headings, one section alone). The checker is run on the
variant through the CLI and its ``found`` verdicts are compared with those on the seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import opencc
import pytest
import regex

from checker.document.model import build
from tests.conftest import SEED_FILES, cli

SEED_IDS = [p.name[:3] for p in SEED_FILES]
CN_DIGITS = "〇一二三四五六七八九"
COUNTERS = "次项个件场期名家批轮"
_HEADING_MARKER = regex.compile(
    r"^(?:第[一二三四五六七八九十]{1,3}(?:部分|章|节)[、，：\s]?|[一二三四五六七八九十]{1,3}[、，.]\s*"
    r"|[（(][一二三四五六七八九十]{1,3}[）)][、，]?\s*|\d{1,2}(?:、|\.(?!\d))\s*|[（(]\d{1,2}[）)][、，]?\s*|[①-⑳]\s*)"
)


def _scorecard(path: Path) -> dict[str, Any]:
    result = cli("check", path, "--format", "json")
    assert result.code == 0, result.stderr
    card = result.json()
    assert isinstance(card, dict)
    return card


@cache
def _seed_card(name: str) -> dict[str, Any]:
    return _scorecard(next(p for p in SEED_FILES if p.name.startswith(name)))


def _found(card: dict[str, Any]) -> dict[str, str]:
    return {i["id"]: i["found"] for i in card["items"]}


def _run(tmp_path: Path, text: str, name: str = "variant.txt") -> dict[str, Any]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return _scorecard(path)


def _diff(before: dict[str, str], after: dict[str, str], ids: set[str] | None = None) -> list[str]:
    return [f"{k}: {before[k]} -> {after[k]}" for k in before if (ids is None or k in ids) and before[k] != after[k]]


def _raw(name: str) -> str:
    return next(p for p in SEED_FILES if p.name.startswith(name)).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Transformations (raw text -> raw text)


def pdf_like(text: str, seed: int = 7) -> str:
    """Hard line breaks every 30-38 characters (also inside words), a page number at the
    foot of every page of 22 lines and a running header at the top of the next page."""
    rng = random.Random(seed)
    header = "法治政府建设年度报告"
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        while len(line) > 38:
            cut = rng.randint(30, 38)
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    paged: list[str] = []
    for k, line in enumerate(out):
        if k and k % 22 == 0:
            paged += [f"- {k // 22} -", header]
        paged.append(line)
    paged.append(f"- {len(out) // 22 + 1} -")
    return "\n".join(paged)


@cache
def _s2t() -> Any:
    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return str(_s2t().convert(text))


_HALF = str.maketrans({"，": ",", "；": ";", "：": ":", "（": "(", "）": ")"})
_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


def half_width(text: str) -> str:
    """，→, ；→; ：→: （）→() (。 stays)."""
    return text.translate(_HALF)


def full_width(text: str) -> str:
    """The other way round: the seeds are published with half-width punctuation already."""
    return text.translate(_FULL)


def mixed_width(text: str) -> str:
    """Full-width punctuation on every other line, half-width on the rest."""
    return "\n".join(full_width(line) if k % 2 else half_width(line) for k, line in enumerate(text.split("\n")))


def chinese_numerals(text: str) -> str:
    """Single-digit counts in Chinese numerals (8次 -> 八次), and back for 二十二次-style counts."""
    text = regex.sub(rf"(?<![\d.])([1-9])(?=[{COUNTERS}])", lambda m: CN_DIGITS[int(m.group(1))], text)
    return regex.sub(
        rf"(?<![\p{{Han}}])([二三四五六七八九])十([一二三四五六七八九])(?=[{COUNTERS}])",
        lambda m: str(CN_DIGITS.index(m.group(1)) * 10 + CN_DIGITS.index(m.group(2))),
        text,
    )


def run_in_items(text: str) -> str:
    """Lines that start with 一是/二是… joined onto the line before."""
    return regex.sub(r"\n+(?=[一二三四五六七八九十]是)", "", text)


def no_headings(text: str) -> str:
    """A township-style report: heading markers stripped; a heading line alone becomes the
    first sentence of the paragraph under it."""
    lines = text.split("\n")
    out: list[str] = []
    pending = ""
    for line in lines:
        stripped = line.strip()
        m = _HEADING_MARKER.match(stripped)
        if m and m.end() < len(stripped):
            stripped = stripped[m.end():]
            if len(stripped) <= 40 and stripped[-1] not in "。！？；：":
                pending += stripped + "。"
                continue
            if len(stripped) <= 40 and stripped[-1] in "。：":
                pending += stripped
                continue
        if pending and stripped:
            stripped, pending = pending + stripped, ""
        out.append(stripped)
    if pending:
        out.append(pending)
    return "\n".join(out)


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "pdf_like": pdf_like,
    "traditional": traditional,
    "full_width": full_width,
    "mixed_width": mixed_width,
    "chinese_numerals": chinese_numerals,
    "run_in_items": run_in_items,
}


# ---------------------------------------------------------------------------------------
# The transformations do what they say


def test_transformations_change_the_text() -> None:
    raw = _raw("000")
    for name, transform in TRANSFORMS.items():
        assert transform(raw) != raw, name
    assert no_headings(raw) != raw
    assert half_width(full_width(raw)) == raw and "，" in mixed_width(raw) and "," in mixed_width(raw)
    assert "八次" in chinese_numerals(raw) and "贯彻" not in traditional(raw)
    pdf = pdf_like(raw)
    assert max(len(line) for line in pdf.split("\n")) <= 38
    assert pdf.count("法治政府建设年度报告\n") >= 3 and "\n- 2 -\n" in pdf
    assert "\n二是" not in run_in_items(raw)
    assert "\n(一)" not in no_headings(raw) and "\n一、" not in no_headings(raw)


# ---------------------------------------------------------------------------------------
# Same verdicts


@pytest.mark.parametrize("transform", list(TRANSFORMS))
@pytest.mark.parametrize("seed", SEED_IDS)
def test_verdicts_survive(tmp_path: Path, seed: str, transform: str) -> None:
    before = _found(_seed_card(seed))
    after = _found(_run(tmp_path, TRANSFORMS[transform](_raw(seed))))
    assert _diff(before, after) == []


@pytest.mark.parametrize(
    "seed",
    SEED_IDS,
)
def test_numerals_keep_the_strength_of_evidence(tmp_path: Path, seed: str) -> None:
    before = {i["id"]: i["strength"] for i in _seed_card(seed)["items"]}
    after = {i["id"]: i["strength"] for i in _run(tmp_path, chinese_numerals(_raw(seed)))["items"]}
    assert {k: (v, after[k]) for k, v in before.items() if v != after[k]} == {}


@pytest.mark.parametrize("seed", SEED_IDS)
def test_no_headings_keeps_what_is_covered(tmp_path: Path, seed: str) -> None:
    """Without headings the problems and plans parts are found only by their cues, so an item
    mentioned only there may read as covered. What the original covers must stay covered, and
    what it lacks must stay uncovered (no text was added). Structure items are left out."""
    before = _found(_seed_card(seed))
    after = _found(_run(tmp_path, no_headings(_raw(seed))))
    content = {k for k in before if not k.startswith("RS")}
    lost = [k for k in content if before[k] == "covered" and after[k] != "covered"]
    invented = [k for k in content if before[k] == "missing" and after[k] == "covered"]
    assert (lost, invented) == ([], [])


def _sections(raw: str) -> list[tuple[int, int]]:
    """1-based [first, last] line ranges of the top-level sections of a seed."""
    doc = build(raw)
    starts = [s.line for s in doc.sections if s.level == 1 and not s.synthetic and s.line]
    ends = [*[n - 1 for n in starts[1:]], raw.count("\n") + 1]
    return list(zip(starts, ends, strict=True))


@pytest.mark.parametrize("seed", SEED_IDS)
def test_one_section_alone_keeps_its_verdicts(tmp_path: Path, seed: str) -> None:
    """A section cut out of the report: every content item whose evidence lies inside the
    section keeps its verdict (covered stays covered, partial stays partial)."""
    raw = _raw(seed)
    lines = raw.split("\n")
    card = _seed_card(seed)
    sections = _sections(raw)
    assert len(sections) >= 3
    problems = []
    for first, last in sections:
        inside = {
            i["id"]: i["found"]
            for i in card["items"]
            if not i["id"].startswith("RS")
            and i["found"] in ("covered", "partial")
            and i["evidence"]
            and all(first <= e["line"] <= last for e in i["evidence"])
        }
        if not inside:
            continue
        excerpt = "\n".join(lines[first - 1 : last])
        after = _found(_run(tmp_path, excerpt, f"section_{first}.txt"))
        problems += [f"lines {first}-{last}: {d}" for d in _diff(inside, after, set(inside))]
    assert problems == []

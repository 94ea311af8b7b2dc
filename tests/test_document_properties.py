"""Property-based tests of the document model (hypothesis): reading never crashes, every
sentence maps back to the original text, and form-only changes never change verdicts."""

from __future__ import annotations

import random
from pathlib import Path

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.document.model import build
from checker.document.profile import profile
from checker.engine import run
from checker.rules.loader import load_many
from tests.conftest import SEED_FILES

REPORT_CHARS = st.sampled_from(
    list("法治政府建设依法行政执法监督复议应诉调解普法一二三四五六七八九十是年月日我县镇市局")
    + list("，。；：！？、（）()“”\"'《》<>,.;:!?- \n\n\t\r\u3000１２３ＡＢ0123456789%")
    + ["一、", "（一）", "1、", "1.", "（1）", "一是", "二是", "- 2 -", "第3页", "\x00", "\ufeff", "\u200b"]
)
TEXTS = st.lists(REPORT_CHARS, min_size=1, max_size=400).map("".join)

_LISTS = load_many([])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_builds_and_every_sentence_maps_back(text: str) -> None:
    doc = build(text)
    assert len(doc.raw) == len(text)
    for s in doc.sentences:
        assert 0 <= s.start < s.end <= len(doc.text)
        raw_start = doc.raw_index(s.start)
        assert 0 <= raw_start < len(text)
        line, col = doc.line_col(raw_start)
        lines = text.split("\n")
        assert 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1])
        # the first matching character is the original character, modulo normalisation
        assert doc.quote(s.start, s.start + 1)
    run(_LISTS, doc, profile(doc))


def _verdicts(text: str) -> dict[str, str]:
    doc = build(text)
    return {r.item.id: r.found.value for r in run(_LISTS, doc, profile(doc)).items}


_S2T = opencc.OpenCC("s2t")
_HALF = str.maketrans({"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?"})
_FULL = str.maketrans({"0": "０", "1": "１", "2": "２", "5": "５", "%": "％", ",": "，", "(": "（", ")": "）"})


def _spaces(text: str, rng: random.Random) -> str:
    """Stray spaces next to Chinese characters (a space inside a number is not a form change)."""
    out = []
    for ch in text:
        out.append(ch)
        if not ch.isascii() and ch != "\n" and rng.random() < 0.05:
            out.append(rng.choice([" ", "\u3000", "  "]))
    return "".join(out)


@settings(max_examples=15, deadline=None)
@given(seed=st.sampled_from(SEED_FILES), form=st.sampled_from(["s2t", "half", "full", "spaces"]),
       salt=st.integers(0, 10_000))
def test_form_only_changes_never_change_verdicts(seed: Path, form: str, salt: int) -> None:
    text = seed.read_text(encoding="utf-8")
    if form == "s2t":
        changed = _S2T.convert(text)
    elif form == "half":
        changed = text.translate(_HALF)
    elif form == "full":
        changed = text.translate(_FULL)
    else:
        changed = _spaces(text, random.Random(salt))
    assert _verdicts(changed) == _verdicts(text)

from pathlib import Path

import pytest

from checker.document.model import build
from checker.rules.checklist import compile_checklist, parse_checklist
from checker.rules.detectors import DocIndex, Match, find
from checker.vocabulary import Role

HEAD = """\
id: t
title: t
version: 1
source: t
items:
  - id: T01
    title: t
    part: p
    ref: r
    severity: required
    hint: h
    examples: {covered: [x], missing: [y]}
    detectors:
"""


def _find(detector_yaml: str, text: str) -> list[Match]:
    body = "\n".join("      " + line for line in detector_yaml.strip().splitlines())
    cl = parse_checklist(HEAD + body + "\n", Path("t.yaml"))
    doc = build(text, default_role=Role.ACHIEVEMENTS)
    compiled = compile_checklist(cl)
    index = DocIndex(doc, compiled.hedges, None, compiled.scanner)  # the scanner real checks use
    return find(cl.items[0].detectors[0], index)


def test_keywords_all_groups_within_one_sentence() -> None:
    det = "- kind: keywords\n  all: [[规范性文件], [合法性审核, 合法性审查]]"
    assert len(_find(det, "对规范性文件开展合法性审核12件。")) == 1
    assert _find(det, "印发规范性文件3件。开展合法性审查。") == []


def test_keywords_within_n_characters_and_clause() -> None:
    near = "- kind: keywords\n  all: [[执法证], [办理, 换发]]\n  within: 6"
    assert len(_find(near, "办理执法证1143人。")) == 1
    assert _find(near, "办理了大量的其他事务后，最终又统一制作执法证。") == []
    clause = "- kind: keywords\n  all: [[执法证], [办理]]\n  within: clause"
    assert _find(clause, "办理完毕，执法证统一发放。") == []


def test_unless_vetoes_the_sentence() -> None:
    det = "- kind: keywords\n  any: [三项制度]\n  unless: [干部谈话, 函询, 诫勉]"
    assert _find(det, "严格执行干部谈话、函询、诫勉三项制度。") == []
    assert len(_find(det, "全面推行行政执法三项制度。")) == 1


def test_hedge_in_the_same_clause_only() -> None:
    det = "- kind: keywords\n  any: [裁量权基准]"
    (m,) = _find(det, "行政裁量权基准尚未建立。")
    assert m.hedged and not m.full
    (m,) = _find(det, "尚未发生败诉案件，修订行政裁量权基准12项。")
    assert not m.hedged and m.full
    (m,) = _find(det, "将进一步完善行政裁量权基准。")
    assert m.hedged


def test_hedge_between_the_terms_of_an_all_match_counts() -> None:
    det = "- kind: keywords\n  all: [[年度报告], [公开]]"
    (m,) = _find(det, "年度报告尚未向社会公开。")
    assert m.hedged
    (m,) = _find(det, "年度报告已按时向社会公开。")
    assert not m.hedged


def test_hedge_word_inside_the_term_is_not_a_hedge() -> None:
    (m,) = _find("- kind: keywords\n  any: [学法计划]", "印发《2023年区政府常务会议学法计划》。")
    assert not m.hedged


def test_quantified_signal() -> None:
    det = "- kind: keywords\n  any: [法律援助]"
    assert _find(det, "办理法律援助案件1776件。")[0].quantified
    assert _find(det, "印发《法律援助工作办法》。")[0].quantified
    assert not _find(det, "持续做好法律援助工作。")[0].quantified


def test_a_number_that_names_a_thing_is_no_figure() -> None:
    det = "- kind: keywords\n  any: [行政执法]"
    assert not _find(det, "全面落实行政执法三项制度，树牢四个意识。")[0].quantified
    assert _find(det, "开展行政执法检查三次。")[0].quantified


def test_roles_scope_and_role_reported() -> None:
    text = "一、主要工作\n办理行政复议案件。\n二、存在的问题\n行政复议力量薄弱。\n"
    all_roles = _find("- kind: keywords\n  any: [行政复议]", text)
    assert [m.role for m in all_roles] == [Role.ACHIEVEMENTS, Role.PROBLEMS]
    scoped = _find("- kind: keywords\n  any: [行政复议]\n  roles: [problems]", text)
    assert [m.role for m in scoped] == [Role.PROBLEMS]


def test_regex_detector_and_traditional_input() -> None:
    det = "- kind: regex\n  pattern: '出庭应诉率[^。]{0,6}\\d+(?:\\.\\d+)?%'"
    assert len(_find(det, "行政機關負責人出庭應訴率達100%。")) == 1
    assert _find(det, "出庭应诉工作有待加强。") == []


def test_catastrophic_regex_is_refused_at_load() -> None:
    from checker.rules.checklist import ChecklistError

    for pattern in ("(a|aa)+b", "(\\d+)+次", "(?:培训\\p{Han}*)*考试"):
        with pytest.raises(ChecklistError, match="灾难性回溯"):
            _find(f"- kind: regex\n  pattern: '{pattern}'", "报告。")


def test_a_user_pattern_out_of_budget_raises_pattern_timeout() -> None:
    import time

    from checker.rules.patterns import Budget, PatternTimeout

    body = "      - kind: regex\n        pattern: '\\p{Han}*\\p{Han}*\\p{Han}*\\p{Han}*[!?]'\n"
    cl = parse_checklist(HEAD + body, Path("t.yaml"))
    doc = build("报告" * 3000 + "。", default_role=Role.ACHIEVEMENTS)
    index = DocIndex(doc, compile_checklist(cl).hedges, None, None, Budget(0.2))
    start = time.monotonic()
    with pytest.raises((PatternTimeout, TimeoutError)):
        find(cl.items[0].detectors[0], index)
    assert time.monotonic() - start < 5

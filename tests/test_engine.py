from pathlib import Path

import pytest

from checker.document.model import build
from checker.document.profile import profile
from checker.engine import run
from checker.rules.checklist import LoadedChecklist, parse_checklist
from checker.vocabulary import Level, Status
from tests.conftest import FIXTURES, assert_verdicts, cli

LIST = """\
id: t
title: 测试清单
version: 1
source: 测试
items:
  - id: DS03
    title: 行政复议
    part: 七、矛盾纠纷
    ref: r
    severity: required
    levels: [province, city, county]
    hint: 写明行政复议办理情况。
    detectors:
      - kind: keywords
        any: [行政复议]
    examples: {covered: [办理行政复议案件。], missing: [普法。]}
  - id: EN04
    title: 行政裁量权基准
    part: 五、行政执法
    ref: r
    severity: recommended
    hint: 写明裁量基准。
    detectors:
      - kind: keywords
        any: [裁量权基准, 裁量基准]
    examples: {covered: [修订裁量基准。], missing: [普法。]}
  - id: SO02
    title: 公共法律服务
    part: 十、法治社会
    ref: r
    severity: recommended
    hint: 写明法律援助。
    detectors:
      - kind: keywords
        any: [法律援助]
    examples: {covered: [法律援助案件。], missing: [普法。]}
"""

REPORT = """\
××县2023年法治政府建设年度报告
2023年，我县深入推进依法行政。
一、主要工作及成效
全年办理行政复议案件37件，纠错5件。
二、存在的问题
行政裁量权基准尚未全面修订。
三、2024年工作安排
加强法律援助工作。
"""


@pytest.fixture
def checklist() -> LoadedChecklist:
    return LoadedChecklist(parse_checklist(LIST, Path("t.yaml")), Path("t.yaml"), "0" * 64)


def test_status_per_item_with_exact_lines(checklist: LoadedChecklist) -> None:
    doc = build(REPORT)
    report = run([checklist], doc, profile(doc))
    assert_verdicts(report, [("DS03", "covered", 4), ("EN04", "partial", 6), ("SO02", "partial", 8)])
    by_id = {r.item.id: r for r in report.items}
    assert by_id["EN04"].reason == "只在“存在的不足”中提到"
    assert by_id["SO02"].reason == "只在“下一步安排”中提到"
    assert by_id["DS03"].strength == "quantified"


def test_not_applicable_keeps_what_the_text_says(checklist: LoadedChecklist) -> None:
    doc = build(REPORT.replace("我县", "我镇").replace("××县", "××镇"))
    prof = profile(doc)
    assert prof.level == Level.TOWNSHIP
    report = run([checklist], doc, prof)
    ds03 = next(r for r in report.items if r.item.id == "DS03")
    assert (ds03.status, ds03.found) == (Status.NOT_APPLICABLE, Status.COVERED)
    assert report.counts["not_applicable"] == 1


def test_score_weights_and_excludes_not_applicable(checklist: LoadedChecklist) -> None:
    doc = build(REPORT)
    report = run([checklist], doc, profile(doc))
    # DS03 required covered (2*1), EN04 recommended partial (1*0.5), SO02 recommended partial (1*0.5)
    assert report.score == round(100 * 3 / 4, 1)


def test_evidence_quotes_the_original_text_and_is_frozen(checklist: LoadedChecklist) -> None:
    text = REPORT.replace("全年办理行政复议案件37件", "全年办理行政複議案件37件")
    doc = build(text)
    report = run([checklist], doc, profile(doc))
    ev = report.items[0].evidence[0]
    assert "行政複議" in ev.quote
    assert ev.quote[ev.highlight[0] : ev.highlight[1]] == "行政複議"
    assert ev.section == ("一、主要工作及成效",)
    assert (ev.line, ev.column) == (4, 5)
    with pytest.raises(AttributeError):  # immutable
        ev.line = 1  # type: ignore[misc]


def test_missing_item_has_no_evidence(checklist: LoadedChecklist) -> None:
    doc = build("××县2023年法治政府建设年度报告\n一、主要工作\n开展普法宣传20场。\n")
    report = run([checklist], doc, profile(doc))
    assert [(r.item.id, r.status.value, r.evidence) for r in report.items] == [
        ("DS03", "missing", ()), ("EN04", "missing", ()), ("SO02", "missing", ()),
    ]


def test_headings_are_topics_and_the_text_under_them_decides() -> None:
    result = cli("check", FIXTURES / "headings" / "denied.txt", "--format", "json")
    assert result.code == 0, result.stderr
    card = result.json()
    assert isinstance(card, dict)
    items = {r["id"]: r for r in card["items"]}
    # （一）政务公开。本年度没有开展政务公开工作。
    assert items["SV05"]["status"] == "partial"
    assert "标题下的内容是否定" in items["SV05"]["reason"]
    # （二）行政复议 / 尚未启动，有待推进
    assert items["DS03"]["status"] == "partial"
    # （三）法律顾问 with nothing under it
    assert items["LD10"]["status"] == "partial"
    assert "没有写具体内容" in items["LD10"]["reason"]
    # a real act under its heading still counts
    assert items["EN03"]["status"] == "covered"


def test_a_look_alike_claims_no_coverage() -> None:
    result = cli("check", FIXTURES / "kinds" / "news_meeting.txt", "--format", "json")
    card = result.json()
    assert isinstance(card, dict)
    assert card["document"]["is_annual_report"] is False
    items = {r["id"]: r for r in card["items"]}
    assert not [r for r in card["items"] if r["status"] == "covered" and not r["id"].startswith("RS")]
    assert items["EN03"]["status"] == "partial"
    assert "不是法治政府建设年度报告" in items["EN03"]["reason"]

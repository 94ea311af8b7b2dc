import pytest

from checker.document.model import build
from checker.vocabulary import Role
from tests.conftest import seed_doc


def _parts(name: str) -> list[tuple[str, bool]]:
    return [(p.role.value, p.distinct) for p in seed_doc(name).parts]


@pytest.mark.parametrize(
    ("seed", "parts"),
    [
        ("000", [("opening", False), ("achievements", True), ("first_responsible", True), ("problems", True),
                 ("plans", True)]),
        ("001", [("title", True), ("opening", False), ("achievements", True), ("problems", True), ("plans", True)]),
        ("002", [("opening", False), ("achievements", True), ("problems", False), ("plans", True)]),
        ("003", [("title", True), ("opening", False), ("achievements", True), ("problems", True), ("plans", True),
                 ("signoff", True)]),
        ("004", [("opening", False), ("achievements", True), ("problems", True), ("first_responsible", True),
                 ("plans", True), ("signoff", True)]),
    ],
)
def test_seed_parts_and_roles(seed: str, parts: list[tuple[str, bool]]) -> None:
    assert _parts(seed) == parts


def test_heading_hierarchy_nests_by_marker_order() -> None:
    doc = seed_doc("003")
    by_title = {s.title: s for s in doc.sections}
    top = by_title["一、2020年主要工作"]
    sub = by_title["（二）依法全面履行政府职能"]
    item = by_title["4、落实“三清单”制度。"]
    assert (top.level, sub.level, item.level) == (1, 2, 3)
    assert sub.parent == top.index and item.parent == sub.index


def test_hard_line_break_inside_a_sentence_is_rejoined_and_maps_back() -> None:
    doc = seed_doc("000")
    pos = doc.text.index("认真贯彻《江西省行政规范性文件合法性审核工作指引》")
    assert doc.quote(pos, pos + 4) == "认真\n贯彻"
    assert doc.line_col(doc.raw_index(pos)) == (9, doc.raw.split("\n")[8].index("认真") + 1)
    assert doc.line_col(doc.raw_index(pos + 2))[0] == 10


def test_every_sentence_maps_to_a_valid_line_and_column() -> None:
    doc = seed_doc("001")
    lines = doc.raw.split("\n")
    for s in doc.sentences:
        line, col = doc.line_col(doc.raw_index(s.start))
        assert 1 <= line <= len(lines)
        assert lines[line - 1][col - 1] == doc.raw[doc.raw_index(s.start)]


def test_title_block_meta_and_signoff() -> None:
    d1 = seed_doc("001")
    assert d1.title is not None and d1.title.text == "紫阳县2023年法治政府建设工作总结"
    assert [b.kind for b in d1.head] == ["title", "meta"]
    d4 = seed_doc("004")
    assert d4.title is None
    assert [b.kind for b in d4.head] == ["addressee"]
    assert [(b.kind, b.line) for b in d4.tail] == [("closing", 28), ("org", 29), ("date", 30)]


def test_unheaded_report_of_three_paragraphs_gets_roles_from_cues() -> None:
    text = (
        "2023年，我镇坚持依法行政，成立法治建设领导小组，开展普法宣传20场。\n"
        "今年工作取得一定成效，但也存在一些问题：一是普法不够深入；二是执法力量薄弱。\n"
        "下一步，我镇将继续加强法治宣传教育，推进依法行政。\n"
    )
    doc = build(text)
    assert [p.role for p in doc.parts] == [Role.OPENING, Role.PROBLEMS, Role.PLANS]
    assert doc.parts[-1].distinct


def test_page_numbers_and_running_headers_are_dropped() -> None:
    body = "一、主要工作\n开展执法检查十二次，" + "\n- 2 -\n××县法治政府建设报告\n" + "查处案件三件。\n"
    body += "××县法治政府建设报告\n- 3 -\n二、存在的问题\n力量薄弱。\n××县法治政府建设报告\n"
    doc = build(body)
    assert "开展执法检查十二次，查处案件三件。" in doc.text
    assert "- 2 -" not in doc.text
    assert doc.text.count("××县法治政府建设报告") == 0


def test_combined_problems_and_plans_heading_switches_at_the_plan_cue() -> None:
    doc = seed_doc("000")
    roles = {doc.text[s.start : s.end][:8]: s.role for s in doc.sentences}
    assert roles["二是依法行政制度"] == Role.PROBLEMS
    assert roles["2024年，南康"] == Role.PLANS
    assert roles["（一）统筹建设更"] == Role.PLANS


def test_ba_construction_jiang_is_not_a_plan() -> None:
    doc = build("一、主要工作\n将法治政府建设纳入全市目标考核，建立年度评价考核机制。\n")
    assert [p.role for p in doc.parts] == [Role.ACHIEVEMENTS]


def test_a_news_closing_paragraph_led_by_jusi_is_the_plan_part() -> None:
    """A news article closes with 据悉，2024年，…将…: that paragraph is the next year's plan;
    据悉 before the report year's own figures is not."""
    head = "青桐市2023年法治政府建设工作情况\n市委全面依法治市委员会召开全体会议两次。\n"
    plan = build(head + "据悉，2024年，青桐市将重点抓好重大行政决策事项目录管理等工作。\n")
    assert [p.role for p in plan.parts][-1] == Role.PLANS
    assert plan.parts[-1].distinct
    same_year = build(head + "据悉，2023年全市复议机关共办理复议案件120件。\n")
    assert Role.PLANS not in [p.role for p in same_year.parts]


def test_a_sub_item_naming_this_years_plan_is_the_years_work_not_the_plans_part() -> None:
    """In a report on 2025, "一是…制定2025年度普法计划" reports work done; "一是…2026年工作计划" is the plans."""
    text = (
        "某街道2025年法治政府建设工作总结报告\n"
        "2025年，某街道扎实推进法治政府建设。\n"
        "一、主要做法与成效\n"
        "（一）深化普法宣传\n"
        "一是推动落实普法责任制，制定2025年度普法计划。\n"
        "二是组织全办干部参加法律知识考试。\n"
        "（二）谋划来年工作\n"
        "一是研究制定2026年工作计划。\n"
    )
    doc = build(text)
    roles = {doc.text[s.start : s.end]: s.role for s in doc.sentences}
    assert roles["一是推动落实普法责任制，制定2025年度普法计划。"] == Role.ACHIEVEMENTS
    assert roles["二是组织全办干部参加法律知识考试。"] == Role.ACHIEVEMENTS
    assert roles["一是研究制定2026年工作计划。"] == Role.PLANS

from pathlib import Path

import pytest

from checker.rules.checklist import ChecklistError, bundled, load_checklist, parse_checklist
from checker.rules.loader import load_many
from checker.vocabulary import Level

GOOD = """\
id: mine
title: 我的清单
version: 1
source: 本地要求
items:
  - id: X01
    title: 行政复议
    part: 七、矛盾纠纷
    ref: 纲要（二十二）
    severity: required
    levels: [county, city]
    hint: 写明行政复议办理情况。
    detectors:
      - kind: keywords
        any: [行政复议]
    examples:
      covered: [全年办理行政复议案件30件。]
      missing: [开展普法宣传。]
"""


def _error(text: str) -> str:
    with pytest.raises(ChecklistError) as info:
        parse_checklist(text, Path("my.yaml"))
    return str(info.value)


def test_good_checklist_loads_frozen() -> None:
    cl = parse_checklist(GOOD, Path("my.yaml"))
    assert cl.version == "1"
    item = cl.items[0]
    assert item.level_set == {Level.COUNTY, Level.CITY}
    with pytest.raises(Exception, match="frozen"):
        item.title = "x"  # type: ignore[misc]


def test_unknown_field_names_file_line_and_item() -> None:
    text = GOOD.replace("    hint: 写明", "    colour: red\n    hint: 写明")
    assert _error(text) == "my.yaml:12: 条目 X01: 未知字段“colour”"


def test_unknown_detector_kind() -> None:
    msg = _error(GOOD.replace("kind: keywords", "kind: magic"))
    assert msg.startswith("my.yaml:14: 条目 X01: 未知的检测器类型")
    assert "'magic'" in msg


def test_unknown_detector_option_and_level() -> None:
    assert "未知字段“anyof”" in _error(GOOD.replace("any: [行政复议]", "anyof: [行政复议]"))
    assert "my.yaml:11: 条目 X01: 取值 'town'" in _error(GOOD.replace("[county, city]", "[county, town]"))


def test_invalid_regex_is_a_load_error() -> None:
    text = GOOD.replace("- kind: keywords\n        any: [行政复议]", "- kind: regex\n        pattern: '行政(复议'")
    msg = _error(text)
    assert msg.startswith("my.yaml:14: 条目 X01: 无效的正则表达式")


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        ("any: [行政复议。受理]", "跨越了句子边界"),
        ("any: ['“”']", "规范化后为空"),
        ("any: [行政复议]\n        unless: [复议]", "包含排除词"),
        ("any: [行政复议]\n        roles: [title]", "永远不会匹配"),
        ("all: [[行政复议], []]", "空的关键词组"),
    ],
)
def test_a_rule_that_can_never_match_is_a_load_error(replacement: str, message: str) -> None:
    assert message in _error(GOOD.replace("any: [行政复议]", replacement))


def test_regex_with_traditional_characters_can_never_match() -> None:
    text = GOOD.replace("- kind: keywords\n        any: [行政复议]", "- kind: regex\n        pattern: '行政複議'")
    assert "含繁体字" in _error(text)


def test_regex_matching_empty_text_is_rejected() -> None:
    text = GOOD.replace("- kind: keywords\n        any: [行政复议]", "- kind: regex\n        pattern: '(复议)?'")
    assert "能匹配空文本" in _error(text)


def test_examples_need_a_negative_case_and_duplicates_are_caught() -> None:
    assert "不应判为覆盖的例子" in _error(GOOD.replace("      missing: [开展普法宣传。]\n", ""))
    doubled = GOOD + GOOD[GOOD.index("  - id: X01") :]
    assert "条目编号 X01 重复" in _error(doubled)


def test_yaml_syntax_error_has_a_line() -> None:
    assert _error(GOOD.replace("    ref: 纲要（二十二）", "    ref: [纲要")).startswith("my.yaml:")
    assert _error("- just\n- a list\n") == "my.yaml:1: 清单文件应是一个 YAML 映射（包含 id、title、items 等字段）"


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    evil = tmp_path / "evil.yaml"
    evil.write_text("id: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8")
    with pytest.raises(ChecklistError, match="YAML 格式错误"):
        load_checklist(evil)


def test_bundled_checklists_cover_the_catalogue() -> None:
    import yaml

    from tests.conftest import ROOT

    catalogue = yaml.safe_load((ROOT.parent / "shared" / "spec" / "catalogue.yaml").read_text(encoding="utf-8")) \
        if (ROOT.parent / "shared" / "spec" / "catalogue.yaml").exists() else None
    loaded = {i.id: i for lc in load_many([]) for i in lc.checklist.items}
    if catalogue is None:
        pytest.skip("../shared/spec/catalogue.yaml not present")
    for spec in catalogue["items"]:
        assert spec["id"] in loaded, spec["id"]
        item = loaded[spec["id"]]
        assert item.severity.value == spec["severity"]
        spec_levels = spec["levels"]
        assert item.level_set == (set(Level) if spec_levels == "all" else {Level(v) for v in spec_levels})
        assert len(item.examples.covered) >= 2 and len(item.examples.partial) + len(item.examples.missing) >= 2


def test_missing_checklist_and_unknown_id() -> None:
    with pytest.raises(ChecklistError, match="找不到这个清单"):
        load_many(["no-such-list"])
    with pytest.raises(ChecklistError, match="清单文件不存在"):
        load_many(["/nonexistent/x.yaml"])


def test_worked_example_in_the_docs_is_the_bundled_item() -> None:
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "checklists.md").read_text(encoding="utf-8")
    yaml_text = bundled()["gangyao-2021"].read_text(encoding="utf-8")
    item = yaml_text[yaml_text.index("  - id: EN03") : yaml_text.index("  - id: EN04")].rstrip()
    assert item in doc


def test_extra_hedges_add_to_the_defaults_instead_of_replacing_them() -> None:
    from checker.rules.checklist import compile_checklist

    cl = parse_checklist(GOOD.replace("items:", "extra_hedges: [偏低]\nitems:"), Path("my.yaml"))
    hedges = compile_checklist(cl).hedges
    assert hedges.search("权重偏低") and hedges.search("尚未建立")
    assert "无效的正则表达式" in _error(GOOD.replace("items:", "extra_hedges: ['偏(低']\nitems:"))

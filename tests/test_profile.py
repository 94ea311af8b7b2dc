from pathlib import Path

import pytest

from checker.document.model import build
from checker.document.profile import profile
from checker.vocabulary import Level
from tests.conftest import SEEDS, cli, seed_doc


@pytest.mark.parametrize(
    ("seed", "level", "year", "body"),
    [
        ("000", Level.COUNTY, 2023, "南康区"),
        ("001", Level.COUNTY, 2023, "紫阳县"),
        ("002", Level.TOWNSHIP, 2023, "莲塘镇"),
        ("003", Level.COUNTY, 2020, "高州市"),
        ("004", Level.CITY, 2024, "景德镇市"),
    ],
)
def test_seed_level_year_body(seed: str, level: Level, year: int, body: str) -> None:
    prof = profile(seed_doc(seed))
    assert (prof.level, prof.year, prof.body, prof.is_annual_report) == (level, year, body, True)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("××市司法局2023年法治政府建设年度报告\n2023年，我局坚持依法行政。\n", Level.DEPARTMENT),
        ("××省2023年法治政府建设情况报告\n2023年，全省坚持依法行政。\n", Level.PROVINCE),
        ("××街道2023年法治政府建设工作总结\n今年以来，我街道坚持依法行政。\n", Level.TOWNSHIP),
    ],
)
def test_levels_from_the_body_name(text: str, level: Level) -> None:
    assert profile(build(text)).level == level


@pytest.mark.parametrize(
    "title",
    ["××县2024年法治政府建设实施方案", "××市2024年法治政府建设工作要点", "××县2023年政府信息公开工作年度报告",
     "在全县法治政府建设推进会上的讲话"],
)
def test_plans_and_other_documents_are_not_annual_reports(title: str) -> None:
    prof = profile(build(f"{title}\n为深入推进法治政府建设，推进依法行政，现制定如下。\n一、总体要求\n坚持依法行政。\n"))
    assert not prof.is_annual_report
    assert prof.annual_reason


def test_overrides() -> None:
    prof = profile(seed_doc("002")).with_overrides(Level.COUNTY, 2022)
    assert (prof.level, prof.year, prof.level_reason) == (Level.COUNTY, 2022, "由 --level 指定")


_WORK = "\n一、主要工作成效\n（一）全面履行政府职能。全年办理行政许可事项7094件。\n二、存在的问题\n基层执法力量薄弱。\n"


@pytest.mark.parametrize(
    "text",
    [
        "青山县2023年法治政府建设年度报告\n2023年，青山县深入推进法治政府建设，坚持依法行政。" + _WORK,
        "青山镇2023年法治政府建设工作总结\n今年以来，我镇坚持依法行政，扎实推进法治政府建设。" + _WORK,
        "青山县人民政府关于2023年法治政府建设情况的报告\n2023年，我县坚持依法行政。" + _WORK,
        # No title: the opening says it reports the year's work.
        "2023年，南康区深入推进法治政府建设，坚持依法行政。现将2023年工作开展情况汇报如下：" + _WORK,
    ],
)
def test_annual_reports_and_work_summaries_are_annual_reports(text: str) -> None:
    prof = profile(build(text))
    assert prof.is_annual_report, prof.annual_reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("青山县2024年法治政府建设实施方案\n为深入推进法治政府建设，推进依法行政，结合我县实际，制定本方案。\n一、总体要求\n",
         "实施方案"),
        ("青山县2024年法治政府建设工作要点\n2024年全县法治政府建设工作要坚持依法行政。\n一、主要任务\n", "工作要点"),
        ("青山县2024年法治政府建设工作安排\n为推进法治政府建设，现将2024年依法行政工作安排如下。\n一、重点任务\n", "工作要点或安排"),
        ("在全县法治政府建设工作会议上的讲话\n同志们：\n今天召开全县法治政府建设工作会议，总结依法行政工作。\n", "讲话稿"),
        ("《青山县2023年法治政府建设年度报告》政策解读\n一、起草背景\n现对年度报告进行解读。依法行政工作取得成效。\n",
         "政策解读"),
        ("青山县人民政府2023年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制，推进依法行政和法治政府建设。\n",
         "政府信息公开工作年度报告"),
        ("2024年青山县政府工作报告\n各位代表：\n现在，我代表县人民政府向大会报告工作。过去一年，我们推进法治政府建设，坚持依法行政。\n",
         "政府工作报告"),
        ("青山县2023年普法工作总结\n2023年，我县深入开展“八五”普法，推进法治政府建设和依法行政。\n一、主要做法\n开展普法活动120场。\n",
         "普法工作总结"),
        # No title: the content is a plan, or a speech.
        ("为深入推进法治政府建设，全面推进依法行政，结合我县实际，制定本方案。\n一、总体要求\n（一）指导思想。坚持依法行政。\n"
         "二、主要任务\n（一）2024年底前完成权责清单调整。\n三、保障措施\n各单位要加强组织领导。\n", "无标题；正文是工作部署"),
        ("一、总体要求\n为推进法治政府建设，坚持依法行政。\n二、重点任务\n（一）深化改革。\n三、保障措施\n加强领导。\n",
         "实施方案或工作要点"),
        ("同志们：\n今天我们召开全县法治政府建设推进会，推进依法行政。\n一、充分肯定成绩\n过去一年，法治政府建设扎实推进。\n",
         "讲话稿"),
    ],
)
def test_other_documents_are_not_annual_reports_with_a_reason(text: str, reason: str) -> None:
    prof = profile(build(text))
    assert not prof.is_annual_report
    assert reason in prof.annual_reason


def test_the_rich_output_warns_at_the_top(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "青山县2024年法治政府建设实施方案\n为深入推进法治政府建设，结合我县实际，制定本方案。\n一、总体要求\n坚持依法行政。\n",
        encoding="utf-8",
    )
    out = cli("check", path).stdout
    panel = "".join(line.strip("│ ") for line in out.splitlines() if line.strip("│ ╭─╮"))
    assert panel.startswith("⚠")
    assert panel.index("这可能不是法治政府建设年度报告") < panel.index("实施方案（计划）") < panel.index("文件")
    card = cli("check", path, "--format", "json").json()
    assert isinstance(card, dict)
    assert card["document"]["is_annual_report"] is False
    annual = cli("check", SEEDS / "001_335ed3547a572491.txt").stdout
    assert "这可能不是" not in annual

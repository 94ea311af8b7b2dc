import pytest

from checker.checklist import Level
from checker.document import build
from checker.profile import profile
from tests.conftest import seed_doc


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

"""The reviewer's workbook (--xlsx), read back with openpyxl as Excel would show it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from checker.render.workbook import DETAIL_COLUMNS, SUMMARY_COLUMNS
from tests.conftest import SEED_FILES, SEEDS, cli

ISSUE_DETAIL = ["文件", "单位", "年度", "条目", "纲要部分", "必备/建议", "状态", "证据", "位置",
                "复核结论", "复核说明", "复核人"]


@pytest.fixture(scope="module")
def book_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "汇总表.xlsx"
    result = cli("check", SEEDS, "--xlsx", path, "--format", "json")
    assert result.code == 0, result.stderr
    return path


def test_sheets_and_columns_are_those_of_the_issue(book_path: Path) -> None:
    book = load_workbook(book_path)
    assert book.sheetnames == ["汇总", "明细", "说明"]
    summary = [c.value for c in book["汇总"][1]]
    assert summary[:10] == ["文件", "单位", "层级", "年度", "是否年度报告", "得分", "已覆盖", "部分覆盖", "缺失", "不适用"]
    assert list(SUMMARY_COLUMNS) == summary[:10]
    assert "一、党的领导与推进机制" in summary and "报告结构" in summary
    detail = [c.value for c in book["明细"][1]]
    assert detail[:12] == ISSUE_DETAIL == list(DETAIL_COLUMNS)
    assert book["汇总"].freeze_panes == "A2" and book["明细"].freeze_panes == "A2"
    assert book["汇总"].auto_filter.ref == f"A1:{book['汇总'].cell(1, len(summary)).column_letter}6"
    assert book["汇总"].conditional_formatting, "colour scales on the scores"


def test_one_summary_row_per_report_and_one_detail_row_per_item(book_path: Path) -> None:
    book = load_workbook(book_path)
    rows = list(book["汇总"].iter_rows(min_row=2, values_only=True))
    assert [Path(r[0]).name for r in rows] == [p.name for p in SEED_FILES]
    zy = next(r for r in rows if r[0].endswith("001_335ed3547a572491.txt"))
    assert zy[1] == "紫阳县" and zy[2] == "县级" and zy[3] == 2023 and zy[4] == "是" and zy[5] == 61.2
    assert zy[6:10] == (29, 5, 22, 2)
    detail = list(book["明细"].iter_rows(min_row=2, values_only=True))
    assert len(detail) == 4 * 58 + 56  # seed 003 (2020): the 49 items of gangyao-2015 and RS01–RS07
    ld05 = next(r for r in detail if r[0].endswith("001_335ed3547a572491.txt") and r[3].startswith("LD05 "))
    assert ld05[3] == "LD05 法治督察与法治建设考核" and ld05[6] == "缺失" and ld05[5] == "必备"
    ld01 = next(r for r in detail if r[0].endswith("001_335ed3547a572491.txt") and r[3].startswith("LD01 "))
    assert ld01[6] == "已覆盖" and "习近平法治思想" in ld01[7] and ld01[8].startswith("第9行")


def test_verdict_column_is_a_drop_down_of_the_four_statuses(book_path: Path) -> None:
    sheet = load_workbook(book_path)["明细"]
    rules = sheet.data_validations.dataValidation
    assert len(rules) == 1
    assert rules[0].type == "list" and rules[0].formula1 == '"已覆盖,部分覆盖,缺失,不适用"'
    assert str(rules[0].sqref) == f"J2:J{sheet.max_row}"


def test_help_sheet_says_how_to_send_it_back(book_path: Path) -> None:
    text = "\n".join(str(r[0]) for r in load_workbook(book_path)["说明"].iter_rows(values_only=True))
    assert "checker reviews import" in text and "复核人" in text


def test_cells_that_look_like_formulas_are_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(SEED_FILES[1], tmp_path / "=HYPERLINK(1).txt")
    assert cli("check", "=HYPERLINK(1).txt", "--xlsx", "h.xlsx", "-f", "json").code == 0
    book = load_workbook(tmp_path / "h.xlsx")
    for sheet in ("汇总", "明细"):
        cell = book[sheet]["A2"]
        assert cell.data_type == "s" and cell.value == "'=HYPERLINK(1).txt"


def test_docs_review_pictures_are_checked_in() -> None:
    """docs/review.md shows pictures made by scripts/review-pictures.py; they must be there."""
    from tests.conftest import ROOT

    text = (ROOT / "docs" / "review.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\((review/[^)]+\.png)\)", text)
    assert set(pictures) == {"review/workbook.png", "review/workbook-detail.png", "review/dashboard.png",
                             "review/letter.png"}
    for rel in pictures:
        data = (ROOT / "docs" / rel).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000, rel

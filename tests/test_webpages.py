"""Reports saved from web pages: navigation and metadata rows around the title (tests/fixtures/webpages)."""

from __future__ import annotations

from typing import Any

from tests.conftest import FIXTURES, cli

PAGES = FIXTURES / "webpages"


def _items(name: str) -> dict[str, dict[str, Any]]:
    result = cli("check", PAGES / name, "--format", "json")
    assert result.code == 0, result.stderr
    card = result.json()
    assert isinstance(card, dict)
    return {r["id"]: r for r in card["items"]}


def test_chrome_above_the_title_is_neither_title_nor_opening() -> None:
    items = _items("chrome_above_title.txt")
    assert items["RS01"]["status"] == "covered"
    assert "临川县人民政府关于2024年度法治政府建设情况的报告" in items["RS01"]["evidence"][0]["quote"]
    # The header gives date and issuing organ (来源：临川县司法局): that stands for the 落款.
    assert items["RS06"]["status"] == "covered"
    assert items["EN03"]["status"] == "covered"


def test_title_over_two_lines_with_the_body_name_above() -> None:
    items = _items("two_line_title.txt")
    assert items["RS01"]["status"] == "covered"


def test_header_date_without_an_organ_is_partial() -> None:
    items = _items("date_only_header.txt")
    assert items["RS01"]["status"] == "covered"
    assert items["RS06"]["status"] == "partial"


def test_a_news_headline_above_its_source_row_is_the_title() -> None:
    result = cli("check", PAGES / "news_headline.txt", "--format", "json")
    card = result.json()
    assert isinstance(card, dict)
    assert card["document"]["title"] == "青溪区召开法治政府建设推进会"
    assert card["document"]["is_annual_report"] is False
    items = {r["id"]: r for r in card["items"]}
    assert items["RS01"]["status"] == "partial"  # a title, but not an annual report's
    assert items["RS06"]["status"] == "covered"  # date and issuing organ in the source row

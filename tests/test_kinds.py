"""Document kind and level on texts that look like annual reports (tests/fixtures/kinds)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import FIXTURES, cli

KINDS = FIXTURES / "kinds"


def _card(name: str) -> dict[str, Any]:
    result = cli("check", KINDS / name, "--format", "json")
    assert result.code == 0, result.stderr
    card = result.json()
    assert isinstance(card, dict)
    return card


@pytest.mark.parametrize(
    ("name", "cue"),
    [
        ("news_meeting.txt", "新闻报道"),
        ("issuing_notice.txt", "印发"),
        ("personal_shufa.txt", "述法"),
        ("half_year.txt", "半年"),
        ("duty_report_parts.txt", "述法"),
    ],
)
def test_look_alikes_are_not_annual_reports(name: str, cue: str) -> None:
    document = _card(name)["document"]
    assert document["is_annual_report"] is False
    assert cue in document["annual_reason"]


def test_a_report_on_fazhi_jianshe_that_says_reported_as_follows_is_a_report() -> None:
    document = _card("fazhi_jianshe_report.txt")["document"]
    assert document["is_annual_report"] is True
    assert "报告如下" in document["annual_reason"]


def test_a_city_with_districts_is_city_level_and_local_legislation_applies() -> None:
    card = _card("prefecture_city.txt")
    assert card["document"]["level"] == "city"
    items = {r["id"]: r for r in card["items"]}
    assert items["RG01"]["status"] == "covered"


def test_a_municipality_reports_at_province_level() -> None:
    assert _card("municipality.txt")["document"]["level"] == "province"


def test_a_short_excerpt_that_says_too_little_to_tell_still_covers() -> None:
    """Not recognised as an annual report, but on no cue of another genre: verdicts stand."""
    card = _card("../excerpts/contract_review.txt")
    assert card["document"]["is_annual_report"] is False
    items = {r["id"]: r for r in card["items"]}
    assert items["DC03"]["status"] == "covered"

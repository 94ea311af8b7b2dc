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


@pytest.mark.parametrize("name", ["plan_tasks.txt", "speech.txt", "issuing_notice.txt"])
def test_a_plan_a_speech_or_a_notice_issuing_a_plan_has_no_report_parts(name: str) -> None:
    """一、总体要求 / 二、主要任务 of a plan are not 主要举措和成效 or 下一年度安排, and a plan has no report year."""
    from checker.rules.reasons import Note, Reason

    items = {r["id"]: r for r in _card(name)["items"]}
    for rid in ("RS02", "RS03", "RS04", "RS05", "RS07"):
        assert (items[rid]["found"], items[rid]["status"]) == ("missing", "missing"), rid
        assert items[rid]["reason"] == Note(Reason.NO_REPORT_PARTS).message, rid
        assert items[rid]["evidence"] == [], rid


def test_a_notice_issuing_a_report_keeps_the_report_parts() -> None:
    """印发…工作报告的通知 issues an account of the year: its parts count (the verdicts on content do not)."""
    card = _card("report_notice.txt")
    assert card["document"]["is_annual_report"] is False
    items = {r["id"]: r for r in card["items"]}
    assert {rid: items[rid]["found"] for rid in ("RS02", "RS03", "RS05", "RS07")} == {
        "RS02": "covered", "RS03": "covered", "RS05": "covered", "RS07": "covered"}
    assert items["RS02"]["evidence"][0]["line"] == 5

"""Cells for spreadsheets: text a spreadsheet would run as a formula gets a leading apostrophe."""

from __future__ import annotations

import pytest

from checker.cells import excel_safe, excel_unsafe


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised_and_restored(text: str) -> None:
    safe = excel_safe(text)
    assert safe == "'" + text
    assert excel_unsafe(safe) == text


@pytest.mark.parametrize("text", ["紫阳县", "2023年", "", "'quoted", "a=b"])
def test_plain_text_is_unchanged(text: str) -> None:
    assert excel_safe(text) == text
    assert excel_unsafe(text) == text

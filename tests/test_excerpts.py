"""Short hand-written excerpts (tests/fixtures/excerpts/) with exact verdicts: the cases a
reviewer checks by eye, kept as regression fixtures. Triples are (item, status, line of the
first evidence)."""

from __future__ import annotations

import pytest

from checker.pipeline import check_file
from checker.rules.checklist import LoadedChecklist
from tests.conftest import FIXTURES, assert_verdicts, cli

EXCERPTS = FIXTURES / "excerpts"

EXPECTED: dict[str, list[tuple[str, str, int | None]]] = {
    # A township report in three paragraphs, no headings: work, problems (但也存在一些不足：),
    # plans (下一步，我镇将…). Items named only in the last two are partial.
    "township_three_paragraphs.txt": [
        ("LD01", "covered", 1), ("LD08", "covered", 1), ("EN03", "covered", 1),
        ("LD10", "partial", 2), ("LD09", "partial", 2),
        ("RS03", "partial", 2), ("RS05", "covered", 3), ("DC01", "missing", None),
    ],
    # 干部谈话、函询、诫勉“三项制度” is about cadres, not the enforcement 三项制度.
    "three_systems_of_cadres.txt": [("EN03", "missing", None), ("RS02", "covered", 1)],
    # 述职 with no 法治 in it is not 述法.
    "report_without_law.txt": [("LD04", "missing", None)],
    # A word inside the title of a law the meeting studied (学习《…行政复议法》) is no evidence;
    # titles the body issued itself (制定并公布《A》、《B》) are.
    "cited_titles.txt": [
        ("DS03", "missing", None), ("FN06", "missing", None), ("LD08", "covered", 2),
        ("DC02", "covered", 3), ("FN01", "covered", 3),
    ],
    # An opening that lists work areas as slogans (规范…，强化行政执法监督，加大法治宣传力度，优化…营商环境)
    # names topics: SO01 and FN06 are missing; SV04 is covered by the 案卷评查 of the body, not the slogan.
    "slogan_opening.txt": [
        ("SO01", "missing", None), ("FN06", "missing", None), ("SV04", "covered", 3), ("EN03", "covered", 3),
    ],
    # 合同合法性审查 is DC03, not the 规范性文件 review of RG03.
    "contract_review.txt": [("DC03", "covered", 2), ("RG03", "missing", None)],
    # Named only in 存在的问题 / 下一步 -> partial; the year's work -> covered.
    "only_in_problems.txt": [
        ("DC02", "partial", 4), ("RG05", "partial", 4), ("DS03", "covered", 2), ("DS04", "covered", 2),
    ],
    # PDF text: a page number and a running header inside a sentence, a number broken across
    # lines (123⏎45), a page number after the 落款.
    "pdf_page_break.txt": [
        ("SV04", "covered", 4), ("SV07", "covered", 3), ("FN04", "covered", 3),
        ("RS01", "covered", 1), ("RS06", "covered", 14), ("RS03", "partial", 8),
    ],
    # No numbered headings: short lead sentences name the parts (存在的主要问题。/
    # 主要负责人履职情况。/ 下步工作打算。); the 履职 paragraph is not part of the problems.
    "lead_sentence_headings.txt": [
        ("LD04", "covered", 3), ("LD02", "covered", 3), ("RS04", "covered", 3),
        ("RS03", "partial", 2), ("SO01", "partial", 4), ("DC01", "covered", 1),
    ],
}


def test_every_excerpt_has_expectations() -> None:
    assert sorted(p.name for p in EXCERPTS.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_excerpt_verdicts(name: str, checklists: list[LoadedChecklist]) -> None:
    assert_verdicts(check_file(EXCERPTS / name, checklists), EXPECTED[name])


def test_pdf_quotes_leave_out_page_numbers_and_headers() -> None:
    card = cli("check", EXCERPTS / "pdf_page_break.txt", "--format", "json").json()
    assert isinstance(card, dict)
    quotes = {i["id"]: i["evidence"][0]["quote"] for i in card["items"] if i["evidence"]}
    assert "案卷评查，共评查案卷126卷" in quotes["SV04"]
    assert "12345政务服务" in quotes["SV07"]


def test_rich_output_marks_the_strength_of_evidence() -> None:
    """A covered item says whether its evidence has data (a count, a percentage, a named
    document) or is a bare statement."""
    def block(out: str, item: str) -> str:
        """The item's line and its wrapped continuation lines, joined."""
        lines = out.splitlines()
        k = next(n for n, line in enumerate(lines) if f" {item} " in line)
        rest = [line.strip() for line in lines[k + 1:]]
        more = list(rest[:next((n for n, line in enumerate(lines[k + 1:]) if not line.startswith(" ")),
                                            len(rest))])
        return lines[k].rstrip() + "".join(more)

    with_data = block(cli("check", EXCERPTS / "contract_review.txt").stdout, "DC03")
    assert "第2行" in with_data and with_data.endswith("（有数据）")
    statement_out = cli("check", EXCERPTS / "lead_sentence_headings.txt").stdout
    row = block(statement_out, "DC01")
    assert "第1行" in row and row.endswith("（无数据）")
    statement = cli("check", EXCERPTS / "lead_sentence_headings.txt")
    missing = next(line for line in statement.stdout.splitlines() if "RG03" in line)
    assert "数据）" not in missing

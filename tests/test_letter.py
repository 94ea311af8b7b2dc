"""The review letter (审查意见书) as a reviewer gets it: a .docx in 公文 layout naming the unit and
what its report misses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Length

from checker.render.letter import cn_number
from tests.conftest import SEED_FILES, SEEDS, cli

TOWNSHIP = "002_43717beec33bc72e.txt"  # 莲塘镇
EAST_ASIA = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"


@pytest.fixture(scope="module")
def township_letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("letter")
    result = cli("letter", SEEDS / TOWNSHIP, "-o", out)
    assert result.code == 0, result.stderr
    path = out / "002_43717beec33bc72e.txt-审查意见书.docx"
    assert f"已写出 {path}" in result.stdout
    return path


def _text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_letter_names_the_township_and_what_it_misses(township_letter: Path) -> None:
    text = _text(township_letter)
    assert "关于莲塘镇2023年度法治政府建设报告的\n审查意见书" in text
    assert "\n莲塘镇：\n" in text
    assert "乡镇（街道）" in text and "综合得分 60.9 分" in text
    card = cli("check", SEEDS / TOWNSHIP, "-f", "json").json()
    missing = [i for i in card["items"] if i["id"] in card["summary"]["missing_required"]
               and not i["id"].startswith("RS")]
    assert missing
    for k, item in enumerate(missing, 1):
        assert f"（{cn_number(k)}）{item['title']}。{item['hint']}" in text
        assert f"（依据：{item['ref']}）" in text
    assert "一、总体情况" in text and "二、需要补充的必备内容" in text
    assert "__________司法局（印章）" in text and "    年    月    日" in text


def test_letter_layout_is_gbt_9704(township_letter: Path) -> None:
    doc = Document(str(township_letter))
    section = doc.sections[0]

    def mm(length: Length | None) -> int:
        assert length is not None
        millimetres: float = length.mm
        return round(millimetres)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin),
            mm(section.right_margin)) == (37, 35, 28, 26)
    fonts: dict[str, tuple[str | None, float]] = {}
    for p in doc.paragraphs:
        for r in p.runs:
            props, size = r._element.rPr, r.font.size
            assert props is not None and props.rFonts is not None and size is not None
            fonts.setdefault(p.text[:6], (props.rFonts.get(EAST_ASIA), size.pt))
    assert fonts["一、总体情况"] == ("黑体", 16.0)
    assert fonts["莲塘镇："] == ("仿宋", 16.0)
    assert next(v for k, v in fonts.items() if k.startswith("关于")) == ("宋体", 22.0)


def test_structure_problems_and_plan_only_items_are_in_the_letter(tmp_path: Path) -> None:
    assert cli("letter", SEEDS / "001_335ed3547a572491.txt", "-o", tmp_path / "紫阳.docx").code == 0
    text = _text(tmp_path / "紫阳.docx")
    assert "只在问题或计划中提到的内容" in text and "法治政府建设示范创建" in text
    assert "报告结构方面的问题" in text and "第3行：标题下的日期 2024年3月4日 晚于报送期限" in text


def test_audit_writes_one_letter_per_report_and_a_bad_file_is_an_error_row(tmp_path: Path) -> None:
    corpus = tmp_path / "reports"
    shutil.copytree(SEEDS, corpus, ignore=shutil.ignore_patterns("*.yaml", "*.md"))
    (corpus / "坏文件.docx").write_bytes(b"not a docx")
    result = cli("audit", corpus, "--out", tmp_path / "out", "--letters", tmp_path / "letters", "--jobs", "1")
    assert result.code == 3
    letters = sorted(p.name for p in (tmp_path / "letters").iterdir())
    assert letters == [f"{p.name}-审查意见书.docx" for p in SEED_FILES]
    # resume keeps them; a deleted letter is written again
    (tmp_path / "letters" / letters[0]).unlink()
    assert cli("audit", corpus, "--out", tmp_path / "out", "--letters", tmp_path / "letters", "--resume",
               "--jobs", "1").code == 3
    assert (tmp_path / "letters" / letters[0]).is_file()


def test_reports_with_one_stem_get_a_letter_each(tmp_path: Path) -> None:
    shutil.copy(SEEDS / TOWNSHIP, tmp_path / "莲塘镇.txt")
    shutil.copy(SEEDS / TOWNSHIP, tmp_path / "莲塘镇.md")
    assert cli("letter", tmp_path / "莲塘镇.txt", tmp_path / "莲塘镇.md", "-o", tmp_path / "out").code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["莲塘镇.md-审查意见书.docx",
                                                                    "莲塘镇.txt-审查意见书.docx"]


def test_one_docx_for_several_reports_is_a_usage_error(tmp_path: Path) -> None:
    result = cli("letter", SEEDS, "-o", tmp_path / "x.docx")
    assert result.code == 2 and "应为文件夹" in result.stderr and not (tmp_path / "x.docx").exists()


def test_a_reviewer_note_with_control_characters_still_gives_a_letter(tmp_path: Path) -> None:
    reviews = tmp_path / "reviews.yaml"
    reviews.write_text('format: checker.reviews/1\ndocuments:\n  002_43717beec33bc72e.txt:\n    items:\n'
                       '      LD04: {status: partial, note: "述法\\x01只在计划中\\x1b[31m", reviewer: 王五}\n',
                       encoding="utf-8")
    result = cli("letter", SEEDS / TOWNSHIP, "-o", tmp_path / "x.docx", "--reviews", reviews)
    assert result.code == 0, result.stderr
    assert "（经王五复核：述法只在计划中）" in _text(tmp_path / "x.docx")  # the whole escape sequence goes


def test_letter_lists_waived_items_apart(tmp_path: Path) -> None:
    waivers = tmp_path / "w.yaml"
    waivers.write_text('waivers:\n  - {id: LD04, reason: 本镇述法由县统一组织, approver: 县司法局, date: "2026-01-05", '
                       'expires: "2099-01-01T00:00:00+08:00"}\n', encoding="utf-8")
    assert cli("letter", SEEDS / TOWNSHIP, "-o", tmp_path / "w.docx", "--waivers", waivers).code == 0
    text = _text(tmp_path / "w.docx")
    assert "已批准豁免的条目" in text and "述法（年终述职述法、述法点评）：缺失，已经批准豁免（理由：本镇述法由县统一组织" in text
    assert "述法（年终述职述法、述法点评）。写明" not in text


def test_letter_cites_the_plan_of_the_reports_period(tmp_path: Path) -> None:
    """Seed 003 is on 2020: judged by the 2015—2020 纲要, and it is not asked for 习近平法治思想."""
    result = cli("letter", SEEDS / "003_9b77debbcb7cfcd8.txt", "-o", tmp_path)
    assert result.code == 0, result.stderr
    text = _text(tmp_path / "003_9b77debbcb7cfcd8.txt-审查意见书.docx")
    assert "根据《法治政府建设实施纲要（2015—2020年）》和《法治政府建设与责任落实督察工作规定》" in text
    assert "2021—2025" not in text and "习近平法治思想" not in text
    later = cli("letter", SEEDS / TOWNSHIP, "-o", tmp_path)
    assert later.code == 0
    assert "根据《法治政府建设实施纲要（2021—2025年）》和《法治政府建设与责任落实督察工作规定》" in _text(
        tmp_path / "002_43717beec33bc72e.txt-审查意见书.docx")


def test_audit_letters_follow_the_reviews_like_the_letter_command(tmp_path: Path) -> None:
    """A reviewer who judged a structure item covered removes its problem from every letter, not only from
    ``checker letter``'s (the audit wrote its letters from the machine's verdicts)."""
    seed = "001_335ed3547a572491.txt"
    (tmp_path / "in").mkdir()
    shutil.copy(SEEDS / seed, tmp_path / "in" / seed)
    reviews = tmp_path / "reviews.yaml"
    reviews.write_text(f"format: checker.reviews/1\ndocuments:\n  {seed}:\n    items:\n"
                       "      RS04: {status: covered, note: 单列了, reviewer: 王五}\n"
                       "      RS03: {status: covered, note: 写了原因, reviewer: 王五}\n", encoding="utf-8")
    assert cli("letter", tmp_path / "in" / seed, "-o", tmp_path / "one.docx", "--reviews", reviews).code == 0
    assert cli("audit", tmp_path / "in", "--out", tmp_path / "out", "--letters", tmp_path / "letters",
               "--reviews", reviews, "--jobs", "1").code == 0
    one = _text(tmp_path / "one.docx")
    audited = _text(tmp_path / "letters" / f"{seed}-审查意见书.docx")
    assert audited == one
    assert "没有分析原因" not in audited and "没有单列成部分" not in audited
    assert "晚于报送期限" in audited  # the problem nobody reviewed stays

"""OFD (GB/T 33190) inputs (issue 14, point 3): real samples and report-sized OFDs built here."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.readers import read_report
from checker.text.decode import InputError
from tests.conftest import ROOT, SEED_FILES, cli
from tests.ofd_maker import make_ofd
from tests.test_readers import assert_same_verdicts, seed_lines

SAMPLES = ROOT.parent / "shared" / "fixtures" / "ofd"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason="the real OFD samples (../shared/fixtures/ofd) are not on this machine"
)


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem[:3])
def test_report_sized_ofd_gives_the_verdicts_of_the_text(seed: Path, tmp_path: Path) -> None:
    decoded = read_report(make_ofd(seed_lines(seed), tmp_path / "report.ofd"))
    assert decoded.kind == "ofd" and decoded.locator == "page"
    assert_same_verdicts(seed, decoded)
    assert "- 1 -" not in decoded.text  # page numbers are dropped
    assert max(decoded.page_of_line) >= 5  # several pages, each line keeps its page
    assert list(decoded.page_of_line) == sorted(decoded.page_of_line)


def test_ofd_through_the_cli_has_page_evidence(tmp_path: Path) -> None:
    path = make_ofd(seed_lines(SEED_FILES[1]), tmp_path / "report.ofd")
    card = cli("check", path, "-f", "json").json()
    assert isinstance(card, dict)
    assert card["document"]["kind"] == "ofd"
    pages = [ev["page"] for item in card["items"] for ev in item["evidence"]]
    assert pages and all(isinstance(p, int) and p >= 1 for p in pages)
    assert max(pages) > 1
    shown = cli("check", path)
    assert "第2页" in shown.stdout or "第3页" in shown.stdout


def test_ofd_without_text_objects_is_treated_as_a_scan(tmp_path: Path) -> None:
    path = make_ofd(seed_lines(SEED_FILES[1]), tmp_path / "scan.ofd", text=False)
    with pytest.raises(InputError, match="没有文字层"):
        read_report(path)


def test_not_an_ofd(tmp_path: Path) -> None:
    path = tmp_path / "fake.ofd"
    path.write_text("这不是 OFD 文件" * 20, encoding="utf-8")
    with pytest.raises(InputError, match="不是 OFD"):
        read_report(path)


@needs_samples
def test_real_gongwen_sample_in_reading_order() -> None:
    decoded = read_report(SAMPLES / "n.ofd")
    lines = decoded.text.splitlines()
    assert "路卫发〔2011〕76号" in lines
    assert lines.index("路卫发〔2011〕76号") < lines.index("关于同意张阿三同志辞职的批复")
    assert set(decoded.page_of_line) <= {1, 2}


@needs_samples
def test_real_multi_page_sample() -> None:
    decoded = read_report(SAMPLES / "doc1File.ofd")
    assert len(decoded.text) > 5000
    assert decoded.text.startswith("1、一日不见兮，思之如狂。")
    assert max(decoded.page_of_line) >= 10


@needs_samples
def test_real_signed_sample_is_opened() -> None:
    # The signed sample holds one short non-Chinese line: it is opened and read, then refused
    # as "not a report", not as damaged or as a scan.
    with pytest.raises(InputError, match="几乎没有中文文字"):
        read_report(SAMPLES / "SESV4SignDoc.ofd")


@needs_samples
@pytest.mark.parametrize("name", ["V4RideRight.ofd", "h.ofd"])
def test_real_samples_without_text_are_scans(name: str) -> None:
    with pytest.raises(InputError, match="没有文字层"):
        read_report(SAMPLES / name)

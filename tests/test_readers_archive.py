"""Never a silent skip, and .zip archives of reports opened (issue 14, point 6)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from checker.readers import archive, read_report, ziplimits
from checker.text.decode import InputError
from tests.conftest import SEED_FILES, cli
from tests.ofd_maker import make_ofd
from tests.test_readers import make_docx, seed_lines


def mixed_folder(root: Path) -> Path:
    """A folder as an office sends it: reports, a zip of reports, and files we do not read."""
    root.mkdir()
    (root / "report.txt").write_bytes(SEED_FILES[1].read_bytes())
    make_ofd(seed_lines(SEED_FILES[0]), root / "公文.ofd")
    docx = make_docx(seed_lines(SEED_FILES[2]), root.parent / "甲县.docx")
    with zipfile.ZipFile(root / "报告合集.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(docx, "各单位/甲县报告.docx")
        zf.writestr("乙县.txt", SEED_FILES[3].read_bytes())
        zf.writestr("附件.rar", b"Rar!\x1a\x07\x00junk")
        zf.writestr("__MACOSX/._乙县.txt", b"\x00\x05")
    (root / "数据.xls").write_bytes(b"\xd0\xcf\x11\xe0 not a report")
    (root / "照片.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    (root / "Thumbs.db").write_bytes(b"\x00")
    (root / "~$report.docx").write_bytes(b"lock")
    (root / "labels.yaml").write_text("labels: {}\n", encoding="utf-8")  # checker's own file: passed over
    return root


def test_check_names_every_file_it_cannot_read(tmp_path: Path) -> None:
    root = mixed_folder(tmp_path / "reports")
    done = cli("check", root, "-f", "json")
    assert done.code == 3  # some inputs could not be read
    paths = [card["document"]["path"] for card in json.loads(done.stdout)]
    assert paths == [
        f"{root}/report.txt",
        f"{root}/公文.ofd",
        f"{root}/报告合集.zip!/乙县.txt",
        f"{root}/报告合集.zip!/各单位/甲县报告.docx",
    ]
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("错误：")]
    assert len(errors) == 3
    assert f"{root}/数据.xls：是电子表格" in done.stderr
    assert f"{root}/照片.jpg：是图片" in done.stderr
    assert f"{root}/报告合集.zip!/附件.rar：是 RAR/7z 等压缩包" in done.stderr
    for quiet in ("Thumbs.db", "~$", "__MACOSX", "labels.yaml"):
        assert quiet not in done.stderr


def test_audit_rows_for_unsupported_files_and_zip_members(tmp_path: Path) -> None:
    root = mixed_folder(tmp_path / "reports")
    out = tmp_path / "out"
    done = cli("audit", root, "--out", out, "--html", out / "dashboard.html")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    causes = {e["path"]: e["cause"] for e in summary["errors"]}
    assert set(causes) == {"数据.xls", "照片.jpg", "报告合集.zip!/附件.rar"}
    assert causes["数据.xls"].startswith("是电子表格")
    rows = {r["path"]: r["status"] for r in summary["reports"]}
    assert rows["报告合集.zip!/各单位/甲县报告.docx"] == "checked"
    assert rows["数据.xls"] == "error"
    csv = (out / "summary.csv").read_text(encoding="utf-8-sig")
    assert "数据.xls,错误,是电子表格" in csv
    assert "数据.xls" in (out / "dashboard.html").read_text(encoding="utf-8")
    assert (out / "scorecards" / "报告合集.zip!" / "各单位" / "甲县报告.docx.json").is_file()
    assert "数据.xls" in done.stdout


def test_member_evidence_names_the_archive(tmp_path: Path) -> None:
    zpath = tmp_path / "a.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("r.txt", SEED_FILES[1].read_bytes())
    card = cli("check", zpath, "-f", "json").json()
    assert isinstance(card, dict)
    assert card["document"]["path"] == f"{zpath}!/r.txt"
    text_card = cli("check", SEED_FILES[1], "-f", "json").json()
    assert isinstance(text_card, dict)
    assert {i["id"]: i["status"] for i in card["items"]} == {i["id"]: i["status"] for i in text_card["items"]}


def test_gbk_member_names_from_windows_tools(tmp_path: Path) -> None:
    zpath = tmp_path / "w.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("XXXX.txt", SEED_FILES[1].read_bytes())
    # As Windows tools write it: the name in GBK bytes, without the UTF-8 flag.
    zpath.write_bytes(zpath.read_bytes().replace(b"XXXX.txt", "报告.txt".encode("gbk")))
    assert archive.members(zpath) == ["报告.txt"]
    assert read_report(archive.member_path(zpath, "报告.txt")).text.startswith("紫阳县")


def test_zip_bomb_archive_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ziplimits, "MAX_UNZIPPED", 1024 * 1024)
    zpath = tmp_path / "bomb.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", b"0" * (2 * 1024 * 1024))
    with pytest.raises(InputError, match="压缩炸弹"):
        archive.members(zpath)
    done = cli("check", zpath)
    assert done.code == 3 and "压缩炸弹" in done.stderr


def test_nested_zip_and_unknown_kinds_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="压缩包中的压缩包"):
        read_report(Path(f"{tmp_path}/a.zip!/inner.zip"))
    odd = tmp_path / "x.xyz"
    odd.write_text("中文" * 50, encoding="utf-8")
    with pytest.raises(InputError, match="不支持的文件类型"):
        read_report(odd)

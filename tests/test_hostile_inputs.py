"""Bad and strange input through the CLI: a clear one-line error or a successful check,
never a traceback or a hang."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import SEED_FILES, cli

SEED = SEED_FILES[3].read_text(encoding="utf-8")


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("checker")
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, timeout=120, check=False)


def test_one_two_megabyte_line(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text(SEED.replace("\n", "") * 110, encoding="utf-8")
    assert path.stat().st_size > 2_000_000
    done = _run("check", path, "-f", "json", "-o", tmp_path / "out.json")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.json").stat().st_size > 1000


def test_text_without_any_punctuation(tmp_path: Path) -> None:
    path = tmp_path / "no-punct.txt"
    path.write_text("法治政府建设依法行政" * 50_000, encoding="utf-8")
    result = cli("check", path, "-f", "json")
    assert result.code == 0
    assert result.json()["document"]["chars"] == 500_000


def test_deeply_nested_headings(tmp_path: Path) -> None:
    markers = ["一、", "（一）", "1、", "（1）", "①", "第一部分"]
    lines = [f"{markers[i % len(markers)]}第{i}项工作\n开展执法检查{i}次。" for i in range(3000)]
    path = tmp_path / "deep.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = cli("check", path, "-f", "json")
    assert result.code == 0


def test_nul_bytes_and_invalid_utf8(tmp_path: Path) -> None:
    nul = tmp_path / "nul.txt"
    nul.write_bytes(SEED.encode("utf-8")[:3000] + b"\x00\x00" + SEED.encode("utf-8")[3000:])
    broken = tmp_path / "broken.txt"
    data = SEED.encode("utf-8")
    broken.write_bytes(data[:2001] + b"\xff\xfe" + data[2001:])
    result = cli("check", nul, broken, "-f", "json")
    assert "Traceback" not in result.stderr
    names = [Path(c["document"]["path"]).name for c in result.json()]
    assert "broken.txt" in names
    if "nul.txt" not in names:
        assert result.code == 3 and "nul.txt：" in result.stderr
    card = next(c for c in result.json() if c["document"]["path"].endswith("broken.txt"))
    assert card["document"]["encoding"] == "utf-8(有损)"


def test_long_names_with_spaces_and_chinese(tmp_path: Path) -> None:
    folder = tmp_path / "二〇二三 年度 报告" / ("很长的文件夹名" * 8)
    folder.mkdir(parents=True)
    path = folder / ("高州市 2020年 法治政府建设年度报告（定稿）" * 3 + ".txt")
    path.write_text(SEED, encoding="utf-8")
    done = _run("check", tmp_path, "-f", "json")
    assert done.returncode == 0, done.stderr
    assert "高州市 2020年 法治政府建设年度报告（定稿）" in done.stdout


def test_a_fifty_megabyte_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(2700):
            fh.write(SEED)
    assert path.stat().st_size > 50_000_000
    done = _run("check", path)
    assert done.returncode == 3
    assert "文本过长" in done.stderr and "Traceback" not in done.stderr


def test_decoded_text_over_the_limit_is_refused_whatever_the_format(tmp_path: Path) -> None:
    import pytest

    from checker.text.decode import MAX_CHARS, InputError, checked

    with pytest.raises(InputError, match="文本过长"):
        checked("法" * (MAX_CHARS + 1), "utf-8", "0" * 64, "x.docx")

import codecs
from pathlib import Path

import pytest

from checker.text.decode import InputError, decode, read_text
from tests.conftest import SEED_FILES

SEED = SEED_FILES[4].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SEED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SEED.encode("utf-8"), "utf-8-bom"),
        (SEED.encode("gbk"), "gb18030"),
        (SEED.encode("gb18030"), "gb18030"),
        (codecs.BOM_UTF16_LE + SEED.encode("utf-16-le"), "utf-16"),
        (SEED.encode("utf-16-be"), "utf-16"),
        (SEED.encode("utf-16-le"), "utf-16"),
    ],
)
def test_decodes_the_encodings_reports_arrive_in(data: bytes, encoding: str) -> None:
    decoded = decode(data, "r.txt")
    assert decoded.encoding == encoding
    assert decoded.text.lstrip("\ufeff") == SEED


@pytest.mark.parametrize(
    ("data", "cause"),
    [
        (b"", "文件为空"),
        (b"   \n\t ", "文件为空"),
        (b"\x00\x01\x02\x03PK\x05\x06" * 50, "二进制文件"),
        (b"hello world, this is English only\n" * 5, "几乎没有中文"),
    ],
)
def test_bad_bytes_give_a_chinese_cause(data: bytes, cause: str) -> None:
    with pytest.raises(InputError) as info:
        decode(data, "bad.txt")
    assert cause in info.value.cause
    assert info.value.path == "bad.txt"


def test_mostly_valid_utf8_with_broken_bytes_is_read_with_damage_marked() -> None:
    data = SEED.encode("utf-8")
    data = data[:300] + b"\xff\xfe\xfa" + data[300:]
    decoded = decode(data, "r.txt")
    assert "法治政府建设" in decoded.text


def test_missing_file_folder_and_unsupported_type(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="文件不存在"):
        read_text(tmp_path / "nope.txt")
    folder = tmp_path / "d.txt"
    folder.mkdir()
    with pytest.raises(InputError, match="文件夹"):
        read_text(folder)
    other = tmp_path / "x.xls"
    other.write_bytes(b"abc")
    with pytest.raises(InputError, match="不支持的文件类型"):
        read_text(other)


def test_sha256_is_of_the_bytes() -> None:
    import hashlib

    data = SEED.encode("gb18030")
    assert decode(data, "r.txt").sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("English text with nine Chinese characters 一二三四五六七八九 and nothing more.\n", False),
        ("English text with ten Chinese characters 一二三四五六七八九十 counts as Chinese.\n", True),
        ("Rare CJK Extension A 㐀㐁㐂㐃㐄 and 䶵 plus 鿿鿿鿿鿿 (U+3400…U+9FFF) count too.\n", True),
        ("Kana ぁぃぅぇぉかきくけこ and Hangul 가나다 are not Chinese.\n", False),
        ("x" * 19990 + "一二三四五六七八九十", True),  # the tenth is the 20,000th character
        ("x" * 19991 + "一二三四五六七八九十", False),  # only the first 20,000 characters are looked at
    ],
)
def test_a_report_needs_ten_chinese_characters_in_its_first_20000(text: str, accepted: bool) -> None:
    """The boundary of "几乎没有中文": ten characters of U+3400–U+9FFF among the first 20,000."""
    if accepted:
        assert decode(text.encode("utf-8"), "r.txt").text == text
    else:
        with pytest.raises(InputError, match="几乎没有中文"):
            decode(text.encode("utf-8"), "r.txt")

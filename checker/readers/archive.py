"""Zip archives of reports: members listed and read within the zip-bomb limits.

A member is named ``archive.zip!/folder/member.docx`` wherever a path is shown (evidence,
scorecards, summary rows); :func:`split` recognises such a name. Member names written by
Chinese Windows tools without the UTF-8 flag are GBK and are decoded as such.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from checker.readers.ziplimits import zip_names
from checker.text.decode import MAX_BYTES, InputError, read_bytes

#: Suffixes of the archives whose members are checked.
ARCHIVE_SUFFIXES = frozenset({".zip"})
#: Between an archive's path and a member's name.
SEPARATOR = "!/"
_UTF8_FLAG = 0x800


def split(path: Path | str) -> tuple[Path, str] | None:
    """(archive, member) when ``path`` names a member of a zip archive, else None."""
    text = str(path)
    at = text.lower().find(".zip" + SEPARATOR)
    if at < 0:
        return None
    return Path(text[: at + 4]), text[at + 4 + len(SEPARATOR) :]


def member_path(archive: Path, member: str) -> Path:
    """The path under which a member is checked and shown: ``archive.zip!/member``."""
    return Path(f"{archive}{SEPARATOR}{member}")


def _name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _ignored(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def _open(archive: Path) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    display = str(archive)
    data = read_bytes(archive)
    zip_names(data, display, what=".zip")
    zf = zipfile.ZipFile(io.BytesIO(data))
    infos = {_name(i): i for i in zf.infolist() if not i.is_dir()}
    return zf, infos


def members(archive: Path) -> list[str]:
    """The files in a zip archive (sorted; hidden files and __MACOSX left out). Raises InputError."""
    zf, infos = _open(archive)
    zf.close()
    found = sorted(name for name in infos if not _ignored(name))
    if not found:
        raise InputError(str(archive), "压缩包是空的，没有可检查的文件")
    return found


def read_member(archive: Path, member: str) -> bytes:
    """The bytes of one member, within the size limit. Raises InputError naming the member."""
    display = str(member_path(archive, member))
    zf, infos = _open(archive)
    with zf:
        info = infos.get(member)
        if info is None:
            raise InputError(display, "压缩包中没有这个文件")
        if info.file_size > MAX_BYTES:
            mb = 1024 * 1024
            raise InputError(display, f"文件过大（{info.file_size // mb} MB，上限 {MAX_BYTES // mb} MB）")
        if info.flag_bits & 0x1:
            raise InputError(display, "压缩包中的文件设置了密码，请先解压后再检查")
        try:
            with zf.open(info) as fh:
                data = fh.read(MAX_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
            raise InputError(display, "压缩包中的这个文件已损坏，无法解压") from None
    if len(data) > MAX_BYTES:
        raise InputError(display, f"文件过大（上限 {MAX_BYTES // (1024 * 1024)} MB）")
    return data

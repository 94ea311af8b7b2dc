"""Open zip containers (.docx, .odt, …) only within zip-bomb limits."""

from __future__ import annotations

import io
import zipfile

from checker.text.decode import InputError

#: Zip-bomb limits for .docx/.odt: total uncompressed size, entries, compression ratio.
MAX_UNZIPPED = 256 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_RATIO = 200


def zip_names(data: bytes, display: str, what: str = ".docx") -> set[str]:
    """Open the zip container and refuse zip bombs before anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise InputError(display, f"文件已损坏或不完整（无法作为 {what} 压缩包打开）") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise InputError(display, f"压缩包内文件过多（{len(infos)} 个），疑似恶意文件，已拒绝读取")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    mb = 1024 * 1024
    if total > MAX_UNZIPPED:
        limit = f"{total // mb} MB，上限 {MAX_UNZIPPED // mb} MB"
        raise InputError(display, f"解压后体积过大（{limit}），疑似压缩炸弹，已拒绝读取")
    for info in infos:
        ratio = info.file_size // max(1, info.compress_size)
        if info.file_size > mb and ratio > MAX_ZIP_RATIO:
            raise InputError(display, f"压缩比异常（{info.filename} 压缩了 {ratio} 倍），疑似压缩炸弹，已拒绝读取")
    if total > 16 * 1024 * 1024 and total > MAX_ZIP_RATIO * max(1, packed):
        raise InputError(display, "压缩比异常，疑似压缩炸弹，已拒绝读取")
    return {i.filename for i in infos}

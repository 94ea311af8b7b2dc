"""Convert .doc/.wps/.odt/.rtf to .docx bytes with LibreOffice (headless, in a throw-away profile).

Self-contained on purpose: running LibreOffice safely is this module's one job; finding it and
stopping it are :mod:`checker.readers.soffice`'s, reading the .docx it produces is
:mod:`checker.readers.word`'s.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from checker.readers.soffice import INSTALL_HINT, find_soffice, kill_tree, popen_options
from checker.text.decode import InputError

#: Formats LibreOffice converts to .docx for us.
CONVERT_SUFFIXES = frozenset({".doc", ".dot", ".wps", ".wpt", ".odt", ".rtf"})
#: Seconds LibreOffice may take to convert one file.
CONVERT_TIMEOUT = 120


def convert_to_docx(data: bytes, display: str, suffix: str) -> bytes:
    """The .docx bytes LibreOffice makes of ``data`` (a ``suffix`` file). Raises InputError."""
    exe = find_soffice()
    if exe is None:
        raise InputError(display, f"需要 LibreOffice 才能读取 {suffix} 文件（或先在 Word/WPS 中另存为 .docx）："
                                  f"{INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="checker-lo-") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / f"input{suffix}"
        src.write_bytes(data)
        outdir = tmpdir / "out"
        outdir.mkdir()
        cmd = [
            exe,
            f"-env:UserInstallation={(tmpdir / 'profile').as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", "docx:MS Word 2007 XML",
            "--outdir", str(outdir), str(src),
        ]  # fmt: skip
        env = {**os.environ, "HOME": str(tmpdir)}
        try:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=env, **popen_options(),  # type: ignore[call-overload]
            )  # fmt: skip
        except OSError as exc:
            raise InputError(display, f"无法启动 LibreOffice（{exc.strerror or exc}）") from None
        try:
            _, err = proc.communicate(timeout=CONVERT_TIMEOUT)
        except subprocess.TimeoutExpired:
            kill_tree(proc)
            proc.communicate()
            raise InputError(display, f"LibreOffice 转换 {suffix} 文件超时（{CONVERT_TIMEOUT} 秒）") from None
        out = outdir / "input.docx"
        if proc.returncode != 0 or not out.exists():
            detail = err.decode("utf-8", errors="replace").strip().splitlines()
            hint = next((d for d in detail if "Error" in d or "error" in d), "")
            raise InputError(
                display,
                f"LibreOffice 无法转换该 {suffix} 文件（文件可能已损坏或设置了密码）"
                + (f"：{hint[:80]}" if hint else ""),
            )
        return out.read_bytes()

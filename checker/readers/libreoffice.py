"""Convert .doc/.wps/.odt/.rtf to .docx bytes with LibreOffice (headless, in a throw-away profile).

Self-contained on purpose: running LibreOffice safely is this module's one job; finding it and
stopping it are :mod:`checker.readers.soffice`'s, reading the .docx it produces is
:mod:`checker.readers.word`'s.

A document's author chooses what LibreOffice fetches while converting: a linked image or
section makes it send requests to the author's server (issue 13: 3 OPTIONS and 3 GET to a
listener on 127.0.0.1). Three layers keep the conversion off the network:

* external references are stripped from OpenDocument files before LibreOffice sees them
  (remote ``xlink:href`` of images, objects, linked sections; hyperlinks are kept);
* the throw-away profile blocks linked resources (``BlockUntrustedRefererLinks``), never
  updates links, and disables macros;
* on Linux, LibreOffice runs in its own network namespace (``unshare -rn``: no network
  but its own loopback) when the system allows it.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
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
        src.write_bytes(strip_external_references(data))
        outdir = tmpdir / "out"
        outdir.mkdir()
        write_private_profile(tmpdir / "profile")
        cmd = [
            *network_isolation(),
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
                env=env, **popen_options(),
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


#: The profile's settings: linked resources blocked, links never updated, macros off.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks"
 oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel"
 oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution"
 oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link"
 oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Field"
 oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link"
 oor:op="fuse"><value>1</value></prop></item>
</oor:items>
"""


def write_private_profile(profile: Path) -> None:
    """A fresh LibreOffice user profile that fetches nothing a document links to."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")


#: A remote reference in an OpenDocument XML attribute (images, objects, linked sections, …).
_REMOTE_HREF = re.compile(rb"""(<(?!text:a[\s>])[\w:-]+[^>]*?\bxlink:href=)(["'])(?:[a-zA-Z][\w+.-]*:)?//[^"']*\2""")


def strip_external_references(data: bytes) -> bytes:
    """OpenDocument bytes without remote references; other formats unchanged.

    A hyperlink (``text:a``) is kept. A file that is not a readable zip is passed on as it is.
    """
    if not data.startswith(b"PK"):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as src:
            infos = src.infolist()
            if not any(i.filename == "content.xml" for i in infos):
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as dst:
                for info in infos:
                    body = src.read(info)
                    if info.filename.endswith(".xml"):
                        body = _REMOTE_HREF.sub(rb'\1\2\2', body)
                    dst.writestr(info, body)
            return out.getvalue()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return data  # LibreOffice reports what it cannot read


@functools.cache
def network_isolation() -> tuple[str, ...]:
    """A command prefix that runs a program without network access, or () where the system has none."""
    if not sys.platform.startswith("linux"):
        return ()
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    prefix = (unshare, "--net", "--map-root-user")
    try:
        probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()
    return prefix if probe.returncode == 0 else ()

"""Finding LibreOffice (``soffice``) on Linux, 统信UOS/麒麟, Windows and macOS, and stopping a conversion that hangs.

Looked for, in order: the ``CHECKER_SOFFICE`` environment variable (a path to ``soffice``), the
``PATH``, then the folders LibreOffice installs itself into on each system (LibreOffice's own
Linux packages under ``/opt/libreoffice*``, Windows' ``Program Files``, macOS' ``/Applications``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import TypedDict

ENV_VAR = "CHECKER_SOFFICE"

#: Where to get it, for the message shown when it is not found.
INSTALL_HINT = (
    "请安装 LibreOffice（https://zh-cn.libreoffice.org，统信UOS/麒麟和 Debian 系统也可用 "
    "apt install libreoffice-writer），或用环境变量 CHECKER_SOFFICE 给出 soffice 的路径"
)


def _install_folders() -> list[str]:
    """Patterns of soffice in LibreOffice's usual install folders on this kind of system."""
    if sys.platform == "win32":
        roots = [os.environ.get(v) for v in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432")]
        roots += [r"C:\Program Files", r"C:\Program Files (x86)"]
        return [str(Path(r) / "LibreOffice*" / "program" / "soffice.exe") for r in dict.fromkeys(roots) if r]
    if sys.platform == "darwin":
        return ["/Applications/LibreOffice*.app/Contents/MacOS/soffice"]
    return ["/opt/libreoffice*/program/soffice", "/usr/lib/libreoffice/program/soffice",
            "/snap/bin/libreoffice", "/var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice"]


def _version_key(path: str) -> list[tuple[int, str]]:
    """Sort key reading the digits in a path as numbers (libreoffice24.8 after libreoffice7.6)."""
    return [(int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", path)]


def find_soffice(extra_patterns: list[str] | None = None) -> str | None:
    """The path of LibreOffice's ``soffice``, or None when it is not installed anywhere we look."""
    configured = os.environ.get(ENV_VAR, "").strip().strip('"')
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for pattern in [*(extra_patterns or []), *_install_folders()]:
        anchor = Path(Path(pattern).anchor)
        found_paths = [str(p) for p in anchor.glob(str(Path(pattern).relative_to(anchor)))]
        for candidate in sorted(found_paths, key=_version_key, reverse=True):  # newest version first
            if Path(candidate).is_file():
                return candidate
    return None


class PopenOptions(TypedDict, total=False):
    """The keyword arguments of :func:`popen_options` for ``subprocess.Popen``."""

    creationflags: int
    start_new_session: bool


def popen_options() -> PopenOptions:
    """Popen options that put the converter in its own process group (session) on every system."""
    if sys.platform == "win32":
        return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    return {"start_new_session": True}


def kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """Stop a converter and the processes it started (its process group; on Windows, the process)."""
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if sys.platform == "win32" or not hasattr(os, "killpg"):
            proc.kill()
        else:
            os.killpg(proc.pid, signal.SIGKILL)

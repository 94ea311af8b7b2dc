"""A private on-disk cache of plain JSON data (issue 13: never pickle, never a shared folder).

The compiled-checklist cache lives here. A cache folder is a place other people may be
able to write (a shared ``$XDG_CACHE_HOME``, a CI cache restored from elsewhere), so:

* entries are JSON – data, which cannot run code when read (a pickle can);
* the folder is created with mode 0700; an existing one must be a real folder (not a
  symlink) owned by the current user, and is tightened to 0700 if it is not; a folder
  owned by someone else is not used at all;
* an entry is opened without following symlinks, must be a regular file owned by the
  current user and is read with a size cap; anything else is a miss;
* entries are written atomically (temporary file + rename) with mode 0600.

A miss, an unreadable entry or a cache that cannot be written only makes a run slower;
the caller validates what it reads (see :func:`checker.rules.checklist.load_checklist`).
CHECKER_NO_CACHE=1 turns the cache off.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any

#: An entry larger than this is not one of ours.
MAX_ENTRY_BYTES = 16 * 1024 * 1024


def cache_dir(create: bool = True) -> Path | None:
    """The private cache folder, created 0700 and checked; None when off or not safe to use."""
    if os.environ.get("CHECKER_NO_CACHE"):
        return None
    xdg = os.environ.get("XDG_CACHE_HOME")
    try:
        base = Path(xdg) if xdg else Path.home() / ".cache"
    except RuntimeError:  # no home folder to be found: no cache
        return None
    folder = base / "checker"
    try:
        if create:
            folder.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)
        return folder if _private(folder) else None
    except OSError:
        return None


def _private(folder: Path) -> bool:
    """The folder is a real directory of ours that only we can write (tightened if need be)."""
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode):
        return False  # a symlink or a file: someone else's idea of where our cache goes
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return False
    if stat.S_IMODE(st.st_mode) != 0o700:
        folder.chmod(0o700)
    return True


def read_json(name: str) -> Any:
    """The JSON value of entry ``name``, or None (missing, unsafe, oversized or not JSON)."""
    folder = cache_dir(create=False)
    if folder is None:
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(folder / name, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_ENTRY_BYTES + 1)
        if len(raw) > MAX_ENTRY_BYTES:
            return None
        return json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return None
    finally:
        os.close(fd)


def write_json(name: str, value: Any) -> None:
    """Store ``value`` as entry ``name`` (atomically, mode 0600); failures are ignored."""
    import tempfile

    folder = cache_dir()
    if folder is None:
        return
    try:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        fd, tmp = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=folder)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            Path(tmp).replace(folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, TypeError, ValueError):  # a cache that cannot be written is only slower
        pass

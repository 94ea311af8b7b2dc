"""A private on-disk cache of plain JSON data (issue 13: never pickle, never a shared folder).

The compiled-checklist cache lives here. A cache folder is a place other people may be
able to write (a shared ``$XDG_CACHE_HOME``, a CI cache restored from elsewhere), so:

* entries are JSON – data, which cannot run code when read (a pickle can);
* the folder is created with mode 0700; an existing one must be a real folder (not a
  symlink) owned by the current user, and is tightened to 0700 if it is not; a folder
  owned by someone else is not used at all;
* an entry is opened without following symlinks, must be a regular file owned by the
  current user and is read with a size cap; anything else is a miss;
* entries are written atomically (temporary file + rename) with mode 0600;
* an entry whose data cannot be checked before use (the compiled code of a regular
  expression, handed to the ``regex`` engine's C code) is signed with a key of this folder
  bound to the key file's device, inode and change time: a folder restored or copied from
  elsewhere has another key file, and its signed entries are misses.

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


def _read(folder: Path, name: str, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
    """The bytes of entry ``name`` (a regular file of ours, at most ``limit`` bytes), or None."""
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
            raw = fh.read(limit + 1)  # the cap holds whatever stat said
        return raw if len(raw) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def read_json(name: str) -> Any:
    """The JSON value of entry ``name``, or None (missing, unsafe, oversized or not JSON)."""
    folder = cache_dir(create=False)
    raw = None if folder is None else _read(folder, name)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


def _write(folder: Path, name: str, data: bytes) -> None:
    """Store ``data`` as entry ``name`` atomically (temporary file + rename, mode 0600); OSError passes."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=folder)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).replace(folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(name: str, value: Any) -> None:
    """Store ``value`` as entry ``name`` (atomically, mode 0600); failures are ignored."""
    folder = cache_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError, TypeError, ValueError):  # a cache that cannot be written is only slower
        _write(folder, name, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


# ---------------------------------------------------------------------------------------
# Signed entries: data that must come from this folder's own runs

_KEY_NAME = "signing.key"
_KEY_BYTES = 32


def _signing_key(folder: Path, create: bool) -> bytes | None:
    """This folder's key: its random bytes bound to the key file itself (device, inode, change time).

    A copy of the folder (a cache restored from elsewhere, another machine's files) has a key file of
    another inode and change time, so what was signed there is not accepted here.
    """
    raw = _read(folder, _KEY_NAME, _KEY_BYTES)
    if raw is None and create:
        try:
            fd = os.open(folder / _KEY_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError:  # another process made it first: read theirs
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(_KEY_BYTES))
        raw = _read(folder, _KEY_NAME, _KEY_BYTES)
    if raw is None or len(raw) != _KEY_BYTES:
        return None
    try:
        st = os.lstat(folder / _KEY_NAME)
    except OSError:
        return None
    return raw + f"|{st.st_dev}|{st.st_ino}|{st.st_ctime_ns}".encode()


def _mac(key: bytes, data: bytes) -> bytes:
    import hmac

    return hmac.digest(key, data, "sha256").hex().encode("ascii")


def read_signed(name: str) -> bytes | None:
    """The data of signed entry ``name`` when this folder's key signed it, else None (a miss).

    For data a checker run may not simply validate before use – the compiled code of a regular
    expression goes to the ``regex`` engine's C code as it is – so only what a run of this user
    on this folder wrote is read back.
    """
    import hmac

    folder = cache_dir(create=False)
    raw = None if folder is None else _read(folder, name)
    key = None if raw is None or folder is None else _signing_key(folder, create=False)
    if raw is None or key is None:
        return None
    mac, _, data = raw.partition(b"\n")
    return data if hmac.compare_digest(mac, _mac(key, data)) else None


def write_signed(name: str, data: bytes) -> None:
    """Store ``data`` as entry ``name`` signed with this folder's key (atomically, mode 0600); failures are ignored."""
    folder = cache_dir()
    key = None if folder is None else _signing_key(folder, create=True)
    if folder is None or key is None:
        return
    with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
        _write(folder, name, _mac(key, data) + b"\n" + data)

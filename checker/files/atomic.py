"""File output: atomic replacement of regular files, with the user's umask; devices and FIFOs written into.

A report, scorecard or summary is written to a temporary file beside the target and renamed over it
only when complete, so a crash never leaves half a file. The new file gets the permissions any
program of the user would create (0666 less the umask), not mkstemp's private 0600, so a nightly
dashboard can be served and shared. An existing regular file keeps its own permission bits. A
target that is not a regular file (``-o /dev/null``, a named pipe, a terminal) is opened and written
into: renaming over it would replace a device node with a plain file.

Each file is flushed to disk (fsync) before its rename, unless the caller writes many files and
passes ``durable=False``: an audit writes thousands of scorecards and makes them durable with one
:func:`sync_all` at the end (issue 17; docs/audit.md says what a system crash can then lose).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO, Any


def write_text(path: Path, text: str, encoding: str = "utf-8", *, durable: bool = True) -> None:
    """Write text to ``path`` atomically (see the module docstring)."""
    write_bytes(path, text.encode(encoding), durable=durable)


def write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write bytes to ``path`` atomically (see the module docstring)."""
    with open_atomic(path, "wb", durable=durable) as fh:
        fh.write(data)


def sync_all() -> None:
    """Flush every file written with ``durable=False`` to disk: one system-wide sync where there is one."""
    sync = getattr(os, "sync", None)
    if sync is not None:  # POSIX; on Windows the files are in the system cache and are written back by it
        sync()


@cache
def _umask() -> int:
    """The process umask, read without changing it where the system tells it (Linux /proc)."""
    with contextlib.suppress(OSError, ValueError), Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # elsewhere: the classic read-by-setting, restored at once
    os.umask(mask)
    return mask


def new_file_mode(path: Path) -> int:
    """Permission bits for a file replacing ``path``: its own if it exists, else 0666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _is_special(path: Path) -> bool:
    """True when ``path`` exists and is not a regular file (device, FIFO, socket); follows symlinks."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextlib.contextmanager
def open_atomic(path: Path, mode: str = "w", *, durable: bool = True) -> Iterator[IO[Any]]:
    """A file to stream into; it replaces ``path`` only when the block completes (fsync first if ``durable``)."""
    kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
    if _is_special(path):
        with path.open(mode, **kwargs) as special:
            yield special
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        Path(tmp).chmod(new_file_mode(path))
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise

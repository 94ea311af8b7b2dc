"""Stopping cleanly: SIGTERM behaves like Ctrl-C, and audit workers die with their parent (issue 13).

cron and systemd stop a job with SIGTERM (then SIGKILL). Python's default for SIGTERM is
to die on the spot: no message, temporary files left behind. :func:`install` turns
SIGTERM (and SIGHUP, a closed terminal) into the exception :class:`Terminated`, so the
code that handles Ctrl-C – atomic writers removing their temporary files, the audit's
"已中断 … --resume" message – runs, and the exit code is 128 + the signal number as a
shell reports it. Ctrl-C (SIGINT) takes the same path: left as KeyboardInterrupt, typer
would turn it into a silent exit 130. :class:`Terminated` derives from BaseException but
not from KeyboardInterrupt for that reason.

Audit workers run in other processes; when the parent is killed outright (SIGKILL, an
OOM kill) nothing in it runs. :func:`watch_parent` starts a thread in a worker that
ends the worker when the parent is gone, so no orphan goes on writing scorecards (the
fork server and resource tracker exit by themselves once no worker holds them).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from types import FrameType


class Terminated(BaseException):
    """The process was asked to stop by a signal (Ctrl-C, SIGTERM or SIGHUP)."""

    def __init__(self, signum: int) -> None:
        """The stop caused by signal ``signum``."""
        super().__init__(signum)
        self.signum = signum


def _raise(signum: int, _frame: FrameType | None) -> None:
    raise Terminated(signum)


def install() -> None:
    """Make Ctrl-C, SIGTERM and SIGHUP raise :class:`Terminated` in the main thread.

    Handlers someone else set, or an ignored signal, are left alone.
    """
    for name, default in (("SIGINT", signal.default_int_handler), ("SIGTERM", signal.SIG_DFL),
                          ("SIGHUP", signal.SIG_DFL)):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) is default:
            signal.signal(sig, _raise)


def exit_code(exc: BaseException) -> int:
    """The shell's exit code for an interrupted run: 128 + the signal (130 for Ctrl-C)."""
    return 128 + int(getattr(exc, "signum", signal.SIGINT))


def leave_to_parent() -> None:
    """In a worker: ignore Ctrl-C and SIGTERM – the parent decides, and shuts the pool down."""
    for name in ("SIGINT", "SIGTERM"):
        sig = getattr(signal, name, None)
        if sig is not None:
            signal.signal(sig, signal.SIG_IGN)


def _alive(pid: int) -> bool:
    if os.name == "posix":
        try:
            os.kill(pid, 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    import multiprocessing

    parent = multiprocessing.parent_process()
    return parent is None or parent.is_alive()


def watch_parent(pid: int, interval: float = 0.5) -> None:
    """In a worker: end this process soon after the process ``pid`` has gone."""
    if pid <= 0:
        return

    def watch() -> None:
        while _alive(pid) and os.getppid() != 1:
            time.sleep(interval)
        os._exit(1)  # the parent is gone: nothing will read what this worker produces

    threading.Thread(target=watch, name="checker-watch-parent", daemon=True).start()

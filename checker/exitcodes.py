"""Process exit codes: part of checker's interface, pinned by tests/test_exitcodes.py."""

from enum import IntEnum


class ExitCode(IntEnum):
    """The exit codes of every command."""

    OK = 0  #: everything read and checked (lint: nothing at or above --fail-on)
    FINDINGS = 1  #: lint: findings at or above --fail-on
    USAGE = 2  #: bad command line, or a checklist/config that cannot be loaded
    INPUT = 3  #: at least one input could not be read (the others were still checked)

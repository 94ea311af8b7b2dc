"""``python -m checker``: the command line (checker.cli)."""

from checker.cli import main

main()

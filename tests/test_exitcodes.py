from checker.exitcodes import ExitCode


def test_exit_codes_are_pinned() -> None:
    assert {c.name: c.value for c in ExitCode} == {"OK": 0, "FINDINGS": 1, "USAGE": 2, "INPUT": 3}

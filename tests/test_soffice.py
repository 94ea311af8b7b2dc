"""Finding LibreOffice: environment variable, PATH, and the install folders of Windows (faked here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from checker.readers import soffice
from tests.conftest import cli


def _fake_exe(path: Path) -> Path:
    path.parent.mkdir(parents=True)
    path.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_environment_variable_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = _fake_exe(tmp_path / "lo" / "soffice")
    monkeypatch.setenv("CHECKER_SOFFICE", str(exe))
    assert soffice.find_soffice() == str(exe)


def test_environment_variable_pointing_nowhere_means_not_found(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKER_SOFFICE", str(tmp_path / "missing" / "soffice"))
    assert soffice.find_soffice() is None


def test_windows_program_files_install_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = _fake_exe(tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe")
    monkeypatch.delenv("CHECKER_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    monkeypatch.setattr(sys, "platform", "win32")
    assert soffice.find_soffice() == str(exe)


def test_opt_style_install_is_found_newest_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _fake_exe(tmp_path / "opt" / "libreoffice7.6" / "program" / "soffice")
    new = _fake_exe(tmp_path / "opt" / "libreoffice24.8" / "program" / "soffice")
    monkeypatch.delenv("CHECKER_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    assert old.is_file()
    assert soffice.find_soffice([str(tmp_path / "opt" / "libreoffice*" / "program" / "soffice")]) == str(new)


def test_missing_libreoffice_message_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKER_SOFFICE", str(tmp_path / "missing"))
    report = tmp_path / "报告.doc"
    report.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    result = cli("check", report)
    assert result.code == 3
    assert "LibreOffice" in result.stderr and "CHECKER_SOFFICE" in result.stderr
    assert "Traceback" not in result.stderr


def test_kill_tree_stops_the_process_group() -> None:
    options = soffice.popen_options()
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], **options)
    soffice.kill_tree(proc)
    assert proc.wait(timeout=10) != 0

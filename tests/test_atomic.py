"""Output files behave: the user's umask, devices and FIFOs written into and never replaced."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_FILES


def _checker(*args: str | Path, umask: int | None = None) -> subprocess.CompletedProcess[bytes]:
    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], capture_output=True, timeout=120,
                          check=False, cwd=ROOT, preexec_fn=set_umask)


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_output_file_gets_the_users_umask(tmp_path: Path, umask: int, mode: int) -> None:
    out = tmp_path / "card.json"
    done = _checker("check", SEED_FILES[0], "--format", "json", "-o", out, umask=umask)
    assert done.returncode == 0, done.stderr.decode()
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_audit_outputs_get_the_users_umask(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(SEED_FILES[0].read_bytes())
    out = tmp_path / "out"
    done = _checker("audit", src, "--out", out, "--html", out / "看板.html", umask=0o022)
    assert done.returncode == 0, done.stderr.decode()
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) >= 4
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o644}


def test_replacing_a_file_keeps_its_permissions(tmp_path: Path) -> None:
    out = tmp_path / "card.json"
    out.write_text("{}", encoding="utf-8")
    out.chmod(0o664)
    done = _checker("check", SEED_FILES[0], "--format", "json", "-o", out, umask=0o077)
    assert done.returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o664
    assert out.read_text(encoding="utf-8").startswith("{\n")


def test_output_onto_dev_null_writes_into_the_device(tmp_path: Path) -> None:
    before = Path("/dev/null").stat()
    done = _checker("check", SEED_FILES[0], "--format", "json", "-o", "/dev/null")
    assert done.returncode == 0, done.stderr.decode()
    after = Path("/dev/null").stat()
    assert stat.S_ISCHR(after.st_mode), "/dev/null was replaced by a regular file"
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_output_into_a_fifo_is_streamed_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = _checker("check", SEED_FILES[0], "--format", "json", "-o", fifo)
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith(b"{") and b'"items"' in received[0]


@pytest.mark.parametrize(("durable", "fsyncs"), [(True, 1), (False, 0)])
def test_durable_write_fsyncs_and_a_batch_write_does_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         durable: bool, fsyncs: int) -> None:
    from checker.files.atomic import write_text

    calls: list[int] = []
    monkeypatch.setattr(os, "fsync", calls.append)
    target = tmp_path / "card.json"
    write_text(target, "{}\n", durable=durable)
    assert target.read_text(encoding="utf-8") == "{}\n"
    assert len(calls) == fsyncs
    assert not list(tmp_path.glob(".*.tmp"))

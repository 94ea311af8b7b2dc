"""checker as a user installs it: a wheel in a fresh virtual environment, run from another folder;
and our pre-commit hook installed the way pre-commit installs it.

These tests build and install for real (pip resolves the dependencies, from its cache when it has
them), so they are marked slow; they are what proves the bundled checklists travel in the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SEED_FILES

pytestmark = pytest.mark.slow

_SKIP = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".mypy_cache",
                               ".ruff_cache", ".pytest_cache", ".hypothesis", "corpus", "results", "out")


def _run(cmd: list[str], cwd: Path, timeout: int = 900, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False,
                          env=env, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the ``checker`` script of a fresh virtual environment with that wheel installed)."""
    base = tmp_path_factory.mktemp("install")
    source = base / "src"
    shutil.copytree(ROOT, source, ignore=_SKIP)  # a clean copy: no stale build/ from earlier builds
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(base / "dist"), "."],
                 cwd=source)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((base / "dist").glob("checker-*.whl"))
    venv = base / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)], cwd=base)
    assert made.returncode == 0, made.stderr
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    done = _run([str(bindir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], cwd=base)
    assert done.returncode == 0, done.stderr[-3000:]
    return wheel, bindir / "checker"


def test_wheel_carries_the_bundled_checklists(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "checker/data/checklists/gangyao-2021.yaml" in names
    assert "checker/data/checklists/report-structure.yaml" in names
    # the default build is pure Python (no C compiler needed; CHECKER_MYPYC=1 compiles, see tests/test_compiled.py)
    assert not [n for n in names if n.endswith((".so", ".pyd"))] and wheel.name.endswith("-py3-none-any.whl")


def test_installed_check_from_another_folder_has_every_item(installed: tuple[Path, Path],
                                                            tmp_path: Path) -> None:
    wheel, exe = installed
    elsewhere = tmp_path / "别的文件夹"
    elsewhere.mkdir()
    report = elsewhere / "报告.txt"
    shutil.copy(SEED_FILES[1], report)
    rich = _run([str(exe), "check", report.name], cwd=elsewhere)
    assert rich.returncode == 0, rich.stderr
    assert "LD01" in rich.stdout
    card = _run([str(exe), "check", report.name, "--format", "json"], cwd=elsewhere)
    assert card.returncode == 0, card.stderr
    got = {item["id"] for item in yaml.safe_load(card.stdout)["items"]}
    expected: set[str] = set()
    with zipfile.ZipFile(wheel) as archive:
        for name in ("gangyao-2021", "report-structure"):
            data = yaml.safe_load(archive.read(f"checker/data/checklists/{name}.yaml"))
            expected |= {item["id"] for item in data["items"]}
    assert len(expected) > 50
    assert got == expected


def test_installed_checklists_lists_both_bundled(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, exe = installed
    listing = _run([str(exe), "checklists"], cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert "gangyao-2021" in listing.stdout and "report-structure" in listing.stdout
    tested = _run([str(exe), "checklists", "test"], cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout[-2000:]
    assert "个不符合" in tested.stdout


def test_installed_version_comes_from_the_package_metadata(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, exe = installed
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    shown = _run([str(exe), "--version"], cwd=tmp_path)
    assert shown.returncode == 0
    assert shown.stdout.strip() == f"checker {version}"


@pytest.mark.skipif(shutil.which("pre-commit") is None and not (Path(sys.executable).parent / "pre-commit").exists(),
                    reason="pre-commit 未安装（pip install pre-commit）")
def test_pre_commit_installs_and_runs_our_hook(tmp_path: Path) -> None:
    exe = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    draft = drafts / "草稿.txt"
    draft.write_text("某某县2023年法治政府建设工作总结\n今年我们做了很多工作。\n", encoding="utf-8")
    for cmd in (["git", "init", "-q"], ["git", "add", "草稿.txt"]):
        assert _run(cmd, cwd=drafts, env=env).returncode == 0
    # try-repo installs the hook from our repository exactly as a `repos:` entry would (a clone of it,
    # pip-installed into pre-commit's own environment), with any uncommitted change of ours included.
    run = _run([exe, "try-repo", str(ROOT), "checker-lint", "--files", "草稿.txt"], cwd=drafts, env=env)
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    assert "草稿.txt:2:" in run.stdout and "error DC01" in run.stdout, run.stdout[-3000:]

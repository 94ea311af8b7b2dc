"""The optional compiled build (issue 17): ``CHECKER_MYPYC=1 pip wheel .`` compiles the hot modules with mypyc,
and the compiled checker gives byte for byte the outputs of the pure one; without a C compiler the same command
falls back to the pure-Python package and says so.

These tests build for real (pip's isolated build fetches mypy, mypyc writes C, the C compiler compiles it), so
they are slow and skipped, with the reason, where the machine has no C compiler or no Python headers.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT, SEED_FILES
from tests.scripts import load_script

pytestmark = pytest.mark.slow


def _bench() -> ModuleType:
    return load_script(ROOT / "benchmarks" / "bench.py", "checker_bench_compiled")


def _no_compiler() -> str | None:
    cc = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        return f"没有 C 编译器（{cc}），无法测试 mypyc 编译版本"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file():
        return "没有 Python 头文件（Python.h），无法测试 mypyc 编译版本"
    return None


needs_compiler = pytest.mark.skipif(_no_compiler() is not None, reason=_no_compiler() or "")

BENCH = _bench()


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The compiled wheel, installed into a fresh virtual environment (see bench.build_compiled)."""
    info: dict[str, Any] = BENCH.build_compiled(tmp_path_factory.mktemp("compiled"))
    assert info["returncode"] == 0, info["log_tail"]
    return info


@needs_compiler
def test_the_compiled_wheel_carries_an_extension_for_every_listed_module(compiled: dict[str, Any]) -> None:
    modules = BENCH.mypyc_modules()
    assert "checker.engine" in modules and len(modules) >= 5
    names = zipfile.ZipFile(compiled["wheel"]).namelist()
    for module in modules:
        path = module.replace(".", "/")
        assert any(n.startswith(path + ".") and n.endswith((".so", ".pyd")) for n in names), module
        assert f"{path}.py" in names, module  # the source stays beside it
    assert any(n.startswith("checker__mypyc.") for n in names)
    assert "checker/data/checklists/gangyao-2021.yaml" in names
    # ... and the installed checker really imports them compiled, not the .py beside them
    files = compiled["files"]
    assert set(files) == {*modules, "checker__mypyc"}
    assert BENCH.is_compiled(files), files
    assert any("mypyc" in m for m in compiled["messages"]), compiled["messages"]


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False,
                          stdin=subprocess.DEVNULL)


@needs_compiler
def test_compiled_and_pure_outputs_are_byte_identical(compiled: dict[str, Any], tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    made = BENCH.make_corpus(corpus, 40, seed=11)
    assert made["reports"] == 40
    builds = {"pure": BENCH.Build.pure(), "compiled": BENCH.Build.installed(Path(compiled["venv"]))}
    for name, build in builds.items():
        work = tmp_path / name
        work.mkdir()
        shutil.copytree(corpus, work / "corpus")
        (work / "seeds").mkdir()
        for seed in SEED_FILES:
            shutil.copy(seed, work / "seeds" / seed.name)
        env = {**build.env, "XDG_CACHE_HOME": str(tmp_path / f"cache-{name}")}
        seeds = sorted(str(Path("seeds") / p.name) for p in SEED_FILES)
        for cmd in (["check", *seeds, "-f", "json", "-o", "out/seeds.json"],
                    ["check", *seeds, "-o", "out/seeds.txt"],
                    ["audit", "corpus", "--out", "out/audit", "--jobs", "2"]):
            done = _run([*build.cmd, *cmd], cwd=work, env=env)
            assert done.returncode in (0, 1), f"{name} {cmd}: {done.stderr[-2000:]}"
    pure, comp = tmp_path / "pure" / "out", tmp_path / "compiled" / "out"
    same = BENCH.same_tree(pure, comp)
    assert same["files"] >= 40 + 3, same
    assert same["identical"], same
    assert (pure / "seeds.json").read_bytes() == (comp / "seeds.json").read_bytes()
    assert len(list((pure / "audit").rglob("*.json"))) >= 40


@needs_compiler
def test_without_a_c_compiler_the_build_falls_back_to_pure_python(tmp_path: Path) -> None:
    info = BENCH.build_compiled(tmp_path, env={"CC": str(tmp_path / "no-such-cc")})
    assert info["returncode"] == 0, info["log_tail"]
    names = zipfile.ZipFile(info["wheel"]).namelist()
    assert not [n for n in names if n.endswith((".so", ".pyd"))]
    assert "checker/engine.py" in names
    assert any("纯 Python" in m for m in info["messages"]), info["messages"]
    assert not info["compiled"] and info["files"]["checker.engine"].endswith(".py")
    done = _run([*BENCH.Build.installed(Path(info["venv"])).cmd, "check", str(SEED_FILES[0]), "-f", "json"],
                cwd=tmp_path, env=BENCH.Build.installed(Path(info["venv"])).env)
    assert done.returncode in (0, 1) and '"items"' in done.stdout, done.stderr[-2000:]


@needs_compiler
def test_the_benchmark_compares_pure_and_compiled_in_one_run(compiled: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    code = BENCH.main(["--reports", "12", "--quick", "--corpus", str(tmp_path / "corpus"), "--out", str(out),
                       "--compiled", str(Path(compiled["venv"]).parent)])
    assert code == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["compiled"]["reused"] and result["compiled"]["compiled"]
    assert result["compiled"]["modules"] == BENCH.mypyc_modules()
    audit = result["compiled"]["audit"]
    assert audit["build"] == "compiled" and result["audit"]["build"] == "pure"
    assert audit["returncode"] == 0 and audit["checked"] == 12, audit["stderr_tail"]
    assert audit["speedup_cpu"] == round(result["audit"]["cpu_s"] / audit["cpu_s"], 2)
    assert audit["speedup_cpu_min"] == round(min(result["audit"]["cpu_s_all"]) / min(audit["cpu_s_all"]), 2)
    outputs = result["compiled"]["outputs"]
    assert outputs["identical"] and outputs["files"] >= 12, outputs
    assert result["targets"]["compiled_outputs_identical"]["met"]

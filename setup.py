"""Build script: the package metadata is in pyproject.toml; this file only adds the optional compiled build.

By default checker installs as pure Python (users on Windows or 信创 machines need no C compiler). With
``CHECKER_MYPYC=1`` in the environment (``CHECKER_MYPYC=1 pip install .``) the hot modules listed in
MYPYC_MODULES are compiled to C extensions by mypyc (mypy is then added to the build requirements); the .py
files stay in the package, so when mypyc or a working C compiler is missing the build says so and installs the
pure-Python package instead. See docs/scale.md for what compiling gains.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_ext import build_ext
from setuptools.errors import CCompilerError, CompileError, ExecError, LinkError, PlatformError

HERE = Path(__file__).resolve().parent

#: The modules compiled with CHECKER_MYPYC=1, chosen by profile (the per-sentence and per-match Python of an
#: audit). Modules that define pydantic models do not compile (mypyc's C refers to ``pydantic.main``), and a
#: compiled dataclass must not declare a ClassVar with a value (mypyc hands it to dataclasses as a field).
MYPYC_MODULES = [
    "checker/text/normalize.py",
    "checker/document/model.py",
    "checker/document/profile.py",
    "checker/rules/scanner.py",
    "checker/rules/patterns.py",
    "checker/rules/matching.py",
    "checker/rules/runtime.py",
    "checker/engine.py",
    "checker/cards.py",
]

#: Besides mypy, what mypyc's type check of those modules (under the project's strict mypy configuration,
#: with the pydantic plugin) needs in the build environment: the typed libraries they import.
MYPYC_BUILD_REQUIRES = ["mypy>=1.10", "pydantic>=2.6", "orjson>=3.9", "types-PyYAML", "types-regex"]

#: Commands that build extensions (pip's wheel and editable builds, and the legacy ones); metadata commands such
#: as egg_info, which setuptools runs first to learn the build requirements, need no compiling.
BUILD_COMMANDS = {"bdist_wheel", "build", "build_ext", "install"}

#: Editable installs stay pure Python: compiled modules beside the sources would hide every later edit of them.
EDITABLE_COMMANDS = {"editable_wheel", "develop"}


def _log(message: str) -> None:
    print(f"checker: {message}", file=sys.stderr, flush=True)


def wanted() -> bool:
    """True when the environment asks for the compiled build (CHECKER_MYPYC=1, true, yes or on)."""
    return os.environ.get("CHECKER_MYPYC", "").strip().lower() in {"1", "true", "yes", "on"}


class OptionalBuildExt(build_ext):
    """build_ext that falls back to the pure-Python package when the C compiler is missing or fails."""

    def run(self) -> None:
        try:
            super().run()
        except (CCompilerError, CompileError, ExecError, LinkError, PlatformError) as exc:
            _log(f"无法编译 mypyc 扩展（{exc}），改为安装纯 Python 版本 "
                 f"(the compiled build failed; installing pure Python instead)")
            for ext in self.extensions:  # no half-built set: a module without its group library cannot import
                Path(self.get_ext_fullpath(ext.name)).unlink(missing_ok=True)
            self.extensions = []


def ext_modules() -> list[Any]:
    """The mypyc extensions when the compiled build is wanted and possible, else none (pure Python)."""
    commands = set(sys.argv[1:])
    if not wanted() or not commands & (BUILD_COMMANDS | EDITABLE_COMMANDS):
        return []
    if commands & EDITABLE_COMMANDS:
        _log("可编辑安装（pip install -e）不编译，仍为纯 Python (editable installs are not compiled)")
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _log("CHECKER_MYPYC=1 但没有 mypyc（pip install mypy），改为安装纯 Python 版本 "
             "(mypyc is not installed; installing pure Python instead)")
        return []
    _log(f"CHECKER_MYPYC=1：用 mypyc 编译 {len(MYPYC_MODULES)} 个模块 (compiling {len(MYPYC_MODULES)} modules)")
    old = os.getcwd()
    os.chdir(HERE)  # mypy reads [tool.mypy] of pyproject.toml from the working directory
    try:
        return list(mypycify(MYPYC_MODULES, opt_level="3", group_name="checker"))
    finally:
        os.chdir(old)


setup(
    # setuptools' build backend passes setup_requires to pip as extra build requirements: mypy (mypyc) is
    # fetched only when the compiled build is asked for.
    setup_requires=MYPYC_BUILD_REQUIRES if wanted() else [],
    ext_modules=ext_modules(),
    cmdclass={"build_ext": OptionalBuildExt},
)

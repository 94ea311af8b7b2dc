"""checker.text.regexcode: patterns rebuilt from cached code match exactly like freshly compiled ones."""

from __future__ import annotations

import binascii
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import regex

from checker.text import regexcode
from tests.conftest import SEED_FILES

ROOT = Path(__file__).resolve().parent.parent


def _run_check(cache: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}
    env.pop("CHECKER_NO_CACHE", None)
    return subprocess.run([sys.executable, "-m", "checker", "check", "-f", "json", *extra, *map(str, SEED_FILES)],
                          capture_output=True, text=True, timeout=300, check=False, env=env)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A cache folder after one check of every seed, and that check's JSON."""
    cache = tmp_path_factory.mktemp("cache")
    done = _run_check(cache)
    assert done.returncode in (0, 1), done.stderr
    return cache, done.stdout


def _stored(cache: Path) -> dict[str, Any]:
    mac, _, body = (cache / "checker" / regexcode.cache_name()).read_bytes().partition(b"\n")
    assert len(mac) == 64  # the folder key's signature
    data = json.loads(body)
    assert data["format"] == 1
    patterns: dict[str, Any] = data["patterns"]
    return patterns


def _spans(pattern: regex.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


def test_a_check_stores_the_code_of_the_patterns_it_compiled(filled: tuple[Path, str]) -> None:
    cache, _ = filled
    stored = _stored(cache)
    assert len(stored) > 80  # the document model's, the checklists' and the hedges' patterns
    assert any("\\p{Han}" in key for key in stored)
    assert all(key.split(":", 1)[1] == entry[0] for key, entry in stored.items())


def test_every_stored_pattern_matches_like_a_fresh_compile(filled: tuple[Path, str]) -> None:
    cache, _ = filled
    texts = [path.read_text(encoding="utf-8") for path in SEED_FILES]
    for key, entry in _stored(cache).items():
        flags = int(key.split(":", 1)[0])
        rebuilt = regexcode.from_data(entry)
        fresh = regex.compile(entry[0], flags)
        assert rebuilt is not None, key
        assert (rebuilt.pattern, rebuilt.flags, rebuilt.groupindex, rebuilt.groups) == (
            fresh.pattern, fresh.flags, fresh.groupindex, fresh.groups), key
        for text in texts:
            assert _spans(rebuilt, text) == _spans(fresh, text), key


def test_a_second_check_compiles_nothing_and_prints_the_same(filled: tuple[Path, str], tmp_path: Path) -> None:
    cache, first = filled
    assert _compiles(_probe(tmp_path), cache) == (first, 0)


def test_without_the_cache_nothing_is_stored_and_the_output_is_the_same(filled: tuple[Path, str],
                                                                          tmp_path: Path) -> None:
    _, first = filled
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path), "CHECKER_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-m", "checker", "check", "-f", "json", *map(str, SEED_FILES)],
                          capture_output=True, text=True, timeout=300, check=False, env=env)
    assert done.stdout == first
    assert not (tmp_path / "checker").exists()


def _entry() -> list[Any]:
    data = regexcode.to_data(regex.compile(r"(?P<unit>\p{Han}{2,8}?)(?:局|厅)(?!长)|[一二三]是"))
    assert data is not None
    return data


@pytest.mark.parametrize("spoil", [
    lambda e: e[:-1],  # a field short
    lambda e: [*e[:2], binascii.b2a_base64(binascii.a2b_base64(e[2])[:-3], newline=False).decode(), *e[3:]],
    lambda e: [*e[:2], "not base64 ☃", *e[3:]],
    lambda e: [*e[:2], e[2], {"unit": "1"}, *e[4:]],  # a group number as text
    lambda e: [e[0], "8224", *e[2:]],  # flags as text
    lambda e: {"pattern": e[0]},
    lambda e: None,
])
def test_a_malformed_entry_is_rebuilt_as_nothing(spoil: Any) -> None:
    assert regexcode.from_data(spoil(_entry())) is None


def _probe(tmp_path: Path) -> Path:
    """A script that runs ``check -f json`` on the seeds and prints how many patterns the regex module compiled."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import sys, regex\n"
        "calls = []\n"
        "real = regex._main._compile\n"
        "regex._main._compile = lambda *a: (calls.append(a[0]), real(*a))[1]\n"
        "from checker.cli import main\n"
        f"sys.argv = ['checker', 'check', '-f', 'json', *{[str(p) for p in SEED_FILES]!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(f'compiled {len(calls)}\\n')\n",
        encoding="utf-8",
    )
    return probe


def _compiles(probe: Path, cache: Path) -> tuple[str, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}
    env.pop("CHECKER_NO_CACHE", None)
    done = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True, timeout=300, check=False,
                          env=env)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout, int(done.stderr.rsplit("compiled ", 1)[1])


def test_a_cache_copied_from_elsewhere_is_not_trusted(filled: tuple[Path, str], tmp_path: Path) -> None:
    cache, first = filled
    copy = tmp_path / "copy"
    shutil.copytree(cache, copy)  # the key file too: another inode, another change time
    output, compiled = _compiles(_probe(tmp_path), copy)
    assert output == first
    assert compiled > 80  # every pattern compiled again, none taken from the copied code
    output, compiled = _compiles(_probe(tmp_path), copy)  # that run signed its own file
    assert (output, compiled) == (first, 0)


def test_spoilt_code_never_reaches_the_engine(filled: tuple[Path, str], tmp_path: Path) -> None:
    cache, first = filled
    copy = tmp_path / "spoilt"
    shutil.copytree(cache, copy)
    entry = copy / "checker" / regexcode.cache_name()
    mac, _, body = entry.read_bytes().partition(b"\n")
    data = json.loads(body)
    for stored in data["patterns"].values():  # code that would crash the engine's C code
        stored[2] = binascii.b2a_base64(b"\x00\x01\x02", newline=False).decode()
    entry.write_bytes(mac + b"\n" + json.dumps(data).encode())
    output, compiled = _compiles(_probe(tmp_path), copy)
    assert output == first
    assert compiled > 80

"""Issue 13: hostile inputs and faults, each reproduced through the command line.

Nothing outside the output folder changes, no planted file runs code, nothing runs past
a bound of seconds, no traceback, and the good files of the same run keep their output.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_FILES
from tests.pdf_maker import assemble

ROOT = Path(__file__).resolve().parent.parent
SEED = SEED_FILES[0]


def run(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 120,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh interpreter, as a user (or cron) would run it."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("CHECKER_NO_CACHE", None)
    if env and "CHECKER_NO_CACHE" in env:
        full_env["CHECKER_NO_CACHE"] = env["CHECKER_NO_CACHE"]
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, check=False, env=full_env, cwd=cwd)


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr


# ---------------------------------------------------------------------------------------
# 2. The compiled-checklist cache cannot run code


class _Boom:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_cache_file_runs_no_code(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache)}
    first = run("check", SEED, "-f", "json", env=env)
    assert first.returncode == 0, first.stderr
    folder = cache / "checker"
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    assert entries, "the first run fills the cache"
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Boom(marker))
    for entry in entries:  # overwrite every entry, and plant pickles under every plausible name
        entry.write_bytes(payload)
        entry.with_suffix(".pickle").write_bytes(payload)
    second = run("check", SEED, "-f", "json", env=env)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert not marker.exists()


def test_the_cache_folder_is_private(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    done = run("check", SEED, "-f", "json", env={"XDG_CACHE_HOME": str(cache)})
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE((cache / "checker").stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_cache_folder_others_can_write_is_tightened_or_unused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    folder = cache / "checker"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    done = run("check", SEED, "-f", "json", env={"XDG_CACHE_HOME": str(cache)})
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_tampered_cache_entry_cannot_change_the_verdicts(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache)}
    first = run("check", SEED, "-f", "json", env=env)
    for entry in (cache / "checker").iterdir():
        if not entry.name.startswith("."):
            entry.write_text('{"format": 2, "checklist": {"id": "x"', encoding="utf-8")  # truncated
    second = run("check", SEED, "-f", "json", env=env)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout


def test_a_cache_entry_rebuilds_the_same_checklist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.rules.checklist import bundled, load_checklist

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CHECKER_NO_CACHE", raising=False)
    for path in bundled().values():
        fresh = load_checklist(path)  # a miss: parsed, validated, written
        again = load_checklist(path)  # a hit: rebuilt from JSON
        assert "compiled" in again.__dict__
        assert again.checklist == fresh.checklist
        assert again.compiled.to_data() == fresh.compiled.to_data()
        assert "pydantic" not in type(again.checklist).__module__  # the runtime form, not the schema model
        assert again.model == fresh.model  # the schema model, validated again from the cached data


def test_a_signed_entry_is_read_back_only_in_the_folder_that_signed_it(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from checker.files.cache import read_signed, write_signed

    monkeypatch.delenv("CHECKER_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "mine"))
    write_signed("entry.json", b'{"code": "AAEC"}')
    assert read_signed("entry.json") == b'{"code": "AAEC"}'
    entry = tmp_path / "mine" / "checker" / "entry.json"
    signature, _, data = entry.read_bytes().partition(b"\n")
    entry.write_bytes(signature + b"\n" + data.replace(b"AAEC", b"AAED"))  # one byte changed
    assert read_signed("entry.json") is None
    write_signed("entry.json", b'{"code": "AAEC"}')
    shutil.copytree(tmp_path / "mine", tmp_path / "copy")  # the key file comes along, as a new file
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "copy"))
    assert read_signed("entry.json") is None


# ---------------------------------------------------------------------------------------
# 1. Nothing outside the output folder is written or deleted


def _seed_folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return src


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_symlinked_scorecards_folder_is_refused(tmp_path: Path) -> None:
    src = _seed_folder(tmp_path)
    out, victim = tmp_path / "out", tmp_path / "victim"
    out.mkdir()
    victim.mkdir()
    (victim / "keep.json").write_text("{}\n", encoding="utf-8")
    (victim / ".keep.tmp").write_text("x", encoding="utf-8")
    (out / "scorecards").symlink_to(victim)
    done = run("audit", src, "--out", out)
    no_traceback(done)
    assert done.returncode == 2
    assert "scorecards" in done.stderr and "符号链接" in done.stderr
    assert sorted(p.name for p in victim.iterdir()) == [".keep.tmp", "keep.json"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_symlinked_folder_inside_scorecards_is_refused(tmp_path: Path) -> None:
    src = _seed_folder(tmp_path)
    (src / "sub").mkdir()
    (src / "sub" / "b.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out, victim = tmp_path / "out", tmp_path / "victim"
    (out / "scorecards").mkdir(parents=True)
    victim.mkdir()
    (victim / "old.json").write_text("{}\n", encoding="utf-8")
    (out / "scorecards" / "sub").symlink_to(victim)
    done = run("audit", src, "--out", out)
    no_traceback(done)
    assert done.returncode == 2
    assert "符号链接" in done.stderr
    assert sorted(p.name for p in victim.iterdir()) == ["old.json"]


# ---------------------------------------------------------------------------------------
# 5. CSV cells cannot become formulas


def test_summary_csv_cells_cannot_be_formulas(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (src / "=2+3&\"x\"报告.txt").write_text('=2+3&"紫阳县2023年法治政府建设工作总结"\n' + text, encoding="utf-8")
    (src / "=cmd|' -C calc'!A0.txt").write_text(text, encoding="utf-8")
    (src / "@SUM(A1).txt").write_text("-1+1\n" + text, encoding="utf-8")
    out = tmp_path / "out"
    done = run("audit", src, "--out", out)
    no_traceback(done)
    import csv

    with (out / "summary.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 4
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=cmd|' -C calc'!A0.txt" in cells


# ---------------------------------------------------------------------------------------
# 6, 11. Terminal and XML output carry no control characters from documents or file names

_ESC_TITLE = "\x1b[2J\x1b[31m紫阳县2023年法治\x01政府建设工作\x0b总结\x9b0m\n"
_CONTROLS = [chr(c) for c in (*range(0, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0))]


def _hostile_files(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    body = "".join(SEED.read_text(encoding="utf-8").splitlines(keepends=True)[1:])
    (src / "title.txt").write_text(_ESC_TITLE + body, encoding="utf-8")
    (src / "n\x1b[31mame\x01\x0b.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return src


def _no_controls(text: str) -> None:
    bad = sorted({repr(c) for c in text if c in _CONTROLS})
    assert not bad, bad


def test_check_prints_no_escape_sequences(tmp_path: Path) -> None:
    src = _hostile_files(tmp_path)
    cases: tuple[tuple[str | Path, ...], ...] = (("check", src), ("check", *sorted(src.iterdir())),
                                                 ("lint", src, "-f", "text"))
    for args in cases:
        done = run(*args, env={"COLUMNS": "100"})
        no_traceback(done)
        assert ("name.txt" if args[0] == "lint" else "紫阳县2023年法治政府建设工作总结") in done.stdout
        _no_controls(done.stdout)
        _no_controls(done.stderr)


def test_audit_progress_prints_no_escape_sequences(tmp_path: Path) -> None:
    src = _hostile_files(tmp_path)
    (src / "bad\x1b]0;title\x07.txt").write_bytes(b"\x00\x01binary")
    done = run("audit", src, "--out", tmp_path / "out")
    no_traceback(done)
    assert done.returncode == 3
    _no_controls(done.stdout)
    _no_controls(done.stderr)


def test_summary_csv_and_dashboard_show_hostile_file_names_as_escapes(tmp_path: Path) -> None:
    src = _hostile_files(tmp_path)
    (src / "b\u202etxt.exe.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    done = run("audit", src, "--out", out, "--html", out / "dashboard.html")
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    for name in ("summary.csv", "dashboard.html"):
        text = (out / name).read_text(encoding="utf-8-sig")
        _no_controls(text)
        assert "\u202e" not in text, name  # a bidi override would show 'exe.txt' reversed
        assert "n\\x1b[31mame\\x01\\x0b.txt" in text, name  # still recognisable, still distinct
        assert "b\\u202etxt.exe.txt" in text, name


def test_scorecard_titles_hold_no_control_characters(tmp_path: Path) -> None:
    import json

    src = _hostile_files(tmp_path)
    done = run("check", src / "title.txt", "-f", "json")
    card = json.loads(done.stdout)
    assert card["document"]["title"] == "紫阳县2023年法治政府建设工作总结"


def test_junit_is_well_formed_with_control_characters(tmp_path: Path) -> None:
    from xml.etree import ElementTree as ET

    src = _hostile_files(tmp_path)
    junit = tmp_path / "lint.xml"
    done = run("lint", src, "-f", f"junit:{junit}")
    no_traceback(done)
    root = ET.fromstring(junit.read_bytes())  # raises on characters XML 1.0 forbids
    names = [s.get("name") or "" for s in root.iter("testsuite")]
    assert any(n.endswith("ame.txt") for n in names), names


# ---------------------------------------------------------------------------------------
# 4. Patterns from a user checklist: refused when catastrophic, bounded in time otherwise


def _checklist(tmp_path: Path, detector: str, extra: str = "", name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(f"""id: mine
title: 测试清单
version: 1
source: 测试
{extra}
items:
  - id: X01
    title: 测试条目
    part: 测试
    ref: 测试
    severity: required
    hint: 写明测试。
    detectors:
      - {detector}
    examples:
      covered: ["开展法治培训3次。"]
      missing: ["没有相关内容。"]
""", encoding="utf-8")
    return path


@pytest.mark.parametrize(("detector", "extra"), [
    ("{kind: regex, pattern: '(\\d+)+次'}", ""),
    ("{kind: title, pattern: '(\\w|\\w\\w)+[!?]'}", ""),
    ("{kind: keywords, any: [法治培训]}", "extra_hedges: ['(\\w|\\w\\w)+[!?]']"),
    ("{kind: regex, pattern: '(?:培训\\p{Han}*)*考试'}", ""),
])
def test_catastrophic_patterns_are_refused_at_load(tmp_path: Path, detector: str, extra: str) -> None:
    mine = _checklist(tmp_path, detector, extra)
    done = run("check", SEED, "-c", mine, "-f", "json", timeout=60)
    no_traceback(done)
    assert done.returncode == 2
    assert "mine.yaml:" in done.stderr and "回溯" in done.stderr


# Slow (polynomial: four nested tries over a 6,000-character clause) but not refused at
# load: only the time budget stops it. (A title is too short for a pattern that passes
# the load-time check to run long; title patterns share the same budget code path.)
_SLOW = "\\p{Han}*\\p{Han}*\\p{Han}*\\p{Han}*[!?]"
_LONG = "紫阳县人民政府关于二〇二三年度法治政府建设工作情况的报告全文及其附件说明材料汇编目录索引" * 150


@pytest.mark.parametrize(("detector", "extra"), [
    (f"{{kind: regex, pattern: '{_SLOW}'}}", ""),
    ("{kind: keywords, any: [法治培训]}", f"extra_hedges: ['{_SLOW}']"),
])
def test_slow_user_patterns_end_in_a_per_item_error(tmp_path: Path, detector: str, extra: str) -> None:
    import json
    import time

    report = tmp_path / "report.txt"
    report.write_text(f"{_LONG[:40]}\n一、工作成效\n开展法治培训3次{_LONG}。\n", encoding="utf-8")
    mine = _checklist(tmp_path, detector, extra)
    started = time.monotonic()
    done = run("check", report, SEED, "-c", mine, "-f", "json", timeout=120)
    assert time.monotonic() - started < 60
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    cards = json.loads(done.stdout)
    assert len(cards) == 2  # the other report of the run keeps its output
    item = next(i for i in cards[0]["items"] if i["id"] == "X01")
    assert "条目 X01 的规则运行超时" in item["reason"]


def test_only_the_bundled_checklists_run_without_a_time_budget(tmp_path: Path) -> None:
    from checker.rules.loader import load_many

    assert all(lc.bundled for lc in load_many([]))
    mine = _checklist(tmp_path, "{kind: keywords, any: [法治培训]}")
    assert not load_many([str(mine)])[0].bundled


# ---------------------------------------------------------------------------------------
# 7, 8, 10. One way to open input files: regular files only, a size cap that does not trust stat


def _good_and(tmp_path: Path, make_bad: object) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert callable(make_bad)
    make_bad(src)
    return src


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
@pytest.mark.parametrize("command", ["check", "audit", "lint"])
def test_a_fifo_named_like_a_report_does_not_hang(tmp_path: Path, command: str) -> None:
    import json

    src = _good_and(tmp_path, lambda d: os.mkfifo(d / "pipe.txt"))
    extra = ["--out", str(tmp_path / "out")] if command == "audit" else ["-f", "json"]
    for target in ([src], [src / "pipe.txt", src / "good.txt"]):
        done = run(command, *target, *extra, timeout=60)
        no_traceback(done)
        assert done.returncode in (1, 3) if command == "lint" else done.returncode == 3, done.stderr
        assert "pipe.txt" in done.stderr + done.stdout and "不是普通文件" in done.stderr + done.stdout
        if command == "check":
            assert [Path(c["document"]["path"]).name for c in json.loads(done.stdout)] == ["good.txt"]
        if command == "audit":
            assert (tmp_path / "out" / "scorecards" / "good.txt.json").is_file()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_a_device_is_refused_without_reading_it(tmp_path: Path) -> None:
    import json

    src = _good_and(tmp_path, lambda d: (d / "zero.txt").symlink_to("/dev/zero"))
    done = run("check", src / "zero.txt", src / "good.txt", "-f", "json", timeout=60)
    no_traceback(done)
    assert done.returncode == 3
    assert "zero.txt" in done.stderr and "不是普通文件" in done.stderr
    assert [Path(c["document"]["path"]).name for c in json.loads(done.stdout)] == ["good.txt"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
@pytest.mark.parametrize("command", ["check", "audit"])
def test_symlink_loops_and_dangling_links_are_reported_not_fatal(tmp_path: Path, command: str) -> None:
    def make(d: Path) -> None:
        (d / "loop.txt").symlink_to(d / "loop.txt")
        (d / "dangling.txt").symlink_to(d / "nowhere.txt")
        (d / "sub").mkdir()
        (d / "sub" / "up").symlink_to(d)  # a folder loop

    src = _good_and(tmp_path, make)
    extra = ["--out", str(tmp_path / "out")] if command == "audit" else ["-f", "json"]
    done = run(command, src, *extra, timeout=60)
    no_traceback(done)
    assert done.returncode == 3, done.stderr
    assert "loop.txt" in done.stderr and "dangling.txt" in done.stderr
    if command == "audit":
        assert (tmp_path / "out" / "summary.json").is_file()


def test_an_unreadable_file_on_the_command_line_is_exit_3_and_the_others_are_checked(tmp_path: Path) -> None:
    import json

    # /proc/self/mem is a regular file that even root cannot read from offset 0 (EIO);
    # chmod 000 would not do when the tests run as root.
    if not Path("/proc/self/mem").exists():
        pytest.skip("needs /proc")
    src = _good_and(tmp_path, lambda d: (d / "mem.txt").symlink_to("/proc/self/mem"))
    done = run("check", src / "mem.txt", src / "good.txt", "-f", "json", timeout=60)
    no_traceback(done)
    assert done.returncode == 3
    assert "mem.txt" in done.stderr and "无法读取" in done.stderr
    assert "Invalid value" not in done.stderr
    assert [Path(c["document"]["path"]).name for c in json.loads(done.stdout)] == ["good.txt"]


# ---------------------------------------------------------------------------------------
# 12. diff validates its inputs against our own output schemas


def _audit_folder(tmp_path: Path) -> Path:
    src = _seed_folder(tmp_path)
    out = tmp_path / "audit"
    done = run("audit", src, "--out", out)
    assert done.returncode == 0, done.stderr
    return out


def _one_chinese_line(done: subprocess.CompletedProcess[str], name: str) -> None:
    no_traceback(done)
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert name in lines[0] and "错误" in lines[0]


@pytest.mark.parametrize("mutate", ["no_path", "scorecard_5", "deep", "huge_number"])
def test_diff_says_in_one_line_what_is_wrong(tmp_path: Path, mutate: str) -> None:
    import json

    good = _audit_folder(tmp_path)
    bad = tmp_path / "bad"
    import shutil

    shutil.copytree(good, bad)
    summary = bad / "summary.json"
    data = json.loads(summary.read_text(encoding="utf-8"))
    if mutate == "no_path":
        del data["reports"][0]["path"]
        summary.write_text(json.dumps(data), encoding="utf-8")
    elif mutate == "scorecard_5":
        data["reports"][0]["scorecard"] = 5
        summary.write_text(json.dumps(data), encoding="utf-8")
    elif mutate == "deep":
        summary.write_text('{"reports": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    else:
        card = next((bad / "scorecards").rglob("*.json"))
        card.write_text(card.read_text(encoding="utf-8").replace('"score": ', '"score": 1' + "0" * 5000, 1),
                        encoding="utf-8")
    for args in ((good, bad), (bad, good)):
        done = run("diff", *args)
        _one_chinese_line(done, str(bad))


def test_diff_of_a_deep_scorecard_file(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    done = run("diff", deep, deep)
    _one_chinese_line(done, "deep.json")


# ---------------------------------------------------------------------------------------
# 13. Signals: a killed parent takes its workers along; SIGTERM behaves like Ctrl-C


def _corpus(tmp_path: Path, n: int = 300) -> Path:
    src = tmp_path / "corpus"
    src.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in SEED_FILES]
    for k in range(n):
        (src / f"r{k:04d}.txt").write_text(texts[k % len(texts)] + f"\n（第{k}份）\n", encoding="utf-8")
    return src


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _reap(session: int) -> None:
    """Kill whatever a failed test left running in the audit's session."""
    import signal

    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(session, signal.SIGKILL)


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _start_audit(tmp_path: Path) -> tuple[subprocess.Popen[str], Path, set[int]]:
    import time

    src = _corpus(tmp_path)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "checker", "audit", str(src), "--out", str(out), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((out / "scorecards").glob("*.json")):
        time.sleep(0.1)
    assert list((out / "scorecards").glob("*.json")), "the audit started writing scorecards"
    time.sleep(0.5)
    family = _descendants(proc.pid)
    assert family, "the audit runs worker processes"
    return proc, out, family


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux /proc")
def test_killing_the_audit_parent_takes_its_workers_along(tmp_path: Path) -> None:
    import signal
    import time

    proc, out, family = _start_audit(tmp_path)
    try:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(family) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(family), "workers, fork server or resource tracker outlived the audit"
        written = len(list((out / "scorecards").glob("*.json")))
        time.sleep(1.5)
        assert len(list((out / "scorecards").glob("*.json"))) == written, "scorecards were still being written"
    finally:
        _reap(proc.pid)
        proc.communicate(timeout=30)  # closes the pipes


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux /proc")
def test_sigterm_stops_an_audit_like_ctrl_c(tmp_path: Path) -> None:
    import signal
    import time

    proc, out, family = _start_audit(tmp_path)
    try:
        proc.send_signal(signal.SIGTERM)
        _stdout, stderr = proc.communicate(timeout=30)
        assert "Traceback" not in stderr, stderr
        assert proc.returncode == 128 + signal.SIGTERM
        assert "已中断" in stderr and "--resume" in stderr
        deadline = time.monotonic() + 10
        while _alive(family) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(family)
        assert not [p.name for p in out.rglob("*.tmp")]
    finally:
        _reap(proc.pid)


@pytest.mark.skipif(os.name != "posix", reason="signals")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_sigterm_and_ctrl_c_stop_check_cleanly(tmp_path: Path, signame: str) -> None:
    import signal
    import time

    signum = getattr(signal, signame)

    src = _corpus(tmp_path, 1000)  # still being checked 2.5 s in (200 reports took less once check got faster)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "checker", "check", str(src), "-f", "json", "-o",
                             str(tmp_path / "cards.json")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)
    time.sleep(2.5)
    proc.send_signal(signum)
    try:
        _stdout, stderr = proc.communicate(timeout=30)
    finally:
        _reap(proc.pid)
    assert "Traceback" not in stderr, stderr
    assert proc.returncode == 128 + signum
    assert "已中断" in stderr  # Ctrl-C too: typer alone would exit 130 without a word
    assert not (tmp_path / "cards.json").exists()
    assert not list(tmp_path.glob(".*.tmp"))


# ---------------------------------------------------------------------------------------
# 13. A UTF-16 byte-order mark in front of UTF-8 text


def test_a_utf16_bom_before_utf8_bytes_is_not_mojibake(tmp_path: Path) -> None:
    import codecs
    import json

    plain = json.loads(run("check", SEED, "-f", "json").stdout)
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        path = tmp_path / "bom.txt"
        path.write_bytes(bom + SEED.read_bytes())
        done = run("check", path, "-f", "json")
        no_traceback(done)
        assert done.returncode == 0, done.stderr
        card = json.loads(done.stdout)
        assert card["document"]["encoding"].startswith("utf-8")
        assert card["document"]["chars"] == plain["document"]["chars"]
        assert [(i["id"], i["status"]) for i in card["items"]] == [(i["id"], i["status"]) for i in plain["items"]]


# ---------------------------------------------------------------------------------------
# 9. A PDF decompression bomb


def _pdf_bomb(megabytes: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``megabytes`` MB of spaces."""
    import zlib

    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    body = b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"]
    return assemble(objs)


def test_a_pdf_decompression_bomb_is_refused_within_the_budget(tmp_path: Path) -> None:
    import json
    import time

    src = _good_and(tmp_path, lambda d: (d / "bomb.pdf").write_bytes(_pdf_bomb(400)))
    assert (src / "bomb.pdf").stat().st_size < 1_000_000
    started = time.monotonic()
    done = run("check", src / "bomb.pdf", src / "good.txt", "-f", "json", timeout=120)
    assert time.monotonic() - started < 60
    no_traceback(done)
    assert done.returncode == 3
    assert "bomb.pdf" in done.stderr and "解压后超过" in done.stderr
    assert [Path(c["document"]["path"]).name for c in json.loads(done.stdout)] == ["good.txt"]


# ---------------------------------------------------------------------------------------
# 3. LibreOffice converts without reaching the network


def _odt_with_remote_links(port: int) -> bytes:
    """An .odt with a seed's text, a linked image and a linked section on 127.0.0.1:``port``."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    url = f"http://127.0.0.1:{port}"
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in SEED.read_text(encoding="utf-8").splitlines())
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2">
<office:body><office:text>
<text:p><draw:frame draw:name="img" svg:width="2cm" svg:height="2cm"><draw:image xlink:href="{url}/logo.png"
 xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
<text:section text:name="linked"><text:section-source xlink:href="{url}/part.odt" xlink:type="simple"/></text:section>
{paragraphs}
</office:text></office:body></office:document-content>"""
    manifest = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_conversion_does_not_reach_the_network(tmp_path: Path) -> None:
    import http.server
    import json
    import threading

    requests: list[str] = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def _any(self) -> None:
            requests.append(f"{self.command} {self.path}")
            self.send_response(404)
            self.end_headers()

        do_GET = do_HEAD = do_OPTIONS = do_PROPFIND = _any

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        report = tmp_path / "linked.odt"
        report.write_bytes(_odt_with_remote_links(server.server_address[1]))
        done = run("check", report, "-f", "json", timeout=300)
    finally:
        server.shutdown()
        server.server_close()
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["document"]["chars"] > 1000
    assert requests == []

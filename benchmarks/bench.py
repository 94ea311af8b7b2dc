"""Benchmark for issues 7 and 17 (speed and scale): a measurement, not a timed test.

Run from the project root::

    .venv/bin/python benchmarks/bench.py                      # 2,000 reports
    .venv/bin/python benchmarks/bench.py --scale 20000        # + streaming check (peak memory)
    .venv/bin/python benchmarks/bench.py --reports 20 --quick # tiny smoke run (the test does this)

It generates a realistic corpus from ``seeds/*.txt`` (paragraphs shuffled and recombined,
3–20 thousand characters per report, UTF-8 / UTF-8 with BOM / GB18030 / UTF-16, a fraction
converted to traditional characters with OpenCC ``s2t``, CRLF on some, in nested folders;
deterministic for a given ``--seed``), then measures in one run:

* ``checker audit CORPUS --out TMP --jobs 2`` (or, where ``audit`` does not exist,
  ``checker check CORPUS -f json -o TMPFILE``): wall and CPU time of the whole process
  tree, reports/s, characters/s, peak RSS of the process tree (the sum over all live
  processes, sampled from /proc every 20 ms) and the largest single process's RSS;
* ripgrep over the same files: every literal term of every ``keywords`` detector of the
  default checklists (normalised as checker normalises them) is written to a file, one per
  line, and counted with ``rg -c -F -f terms.txt -j 2 CORPUS`` – the floor for "read every
  file and look for every keyword" (rg reads GB18030 files as bytes and traditional text
  as is, so its counts are lower than checker's; only the time is compared). rg runs before
  and after every audit (``--audit-runs``), interleaved, and the audit's time is reported as a
  ratio to rg's best, beside the absolute figures;
* cold start of ``checker check seeds/000_53e87cc2c0a26054.txt`` (rich, and ``-f json``, each
  written to a temporary file) and ``checker --help``, interleaved round by round with
  ``python -c pass``: best and median wall time, best CPU time, and each as a ratio to the
  bare interpreter's best; then, in a fresh process, the phases of that check:
  imports, loading checklists, checking, importing rich, rendering (render/check_rich.py);
* linearity: one 200,000-character report against one 20,000-character report;
* with ``--scale N``: a second corpus of N reports, whose audit's peak memory is compared
  with the first run's (streaming: memory must not grow with the number of reports).

The load average (1, 5, 15 minutes) is recorded at the start and the end of the run and around
every measurement: on a shared machine the ratios of interleaved runs are the steadier figures.
Prints a rich table and writes JSON (``--out``, default benchmarks/results/latest.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
COLD_SEED = SEEDS / "000_53e87cc2c0a26054.txt"
DEFAULT_CORPUS = ROOT / "benchmarks" / "corpus"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "latest.json"

#: Encodings of the generated files and their shares.
ENCODINGS = (("utf-8", 0.55), ("utf-8-sig", 0.10), ("gb18030", 0.25), ("utf-16", 0.10))
TRADITIONAL_SHARE = 0.10
CRLF_SHARE = 0.20

TARGETS = {  # issue 17: cold start and audit speed as ratios measured in the same run
    "cold_json_factor": 8.0,  # check --format json, best of interleaved runs, against python -c pass
    "cold_rich_factor": 10.0,  # the rich check, likewise
    "reports_per_s": 200.0,  # audit --jobs 2
    "rg_factor": 150.0,  # audit wall time against rg over the same files, interleaved
    "peak_rss_mb": 300.0,
    "scale_memory_ratio": 1.10,
    "linearity_ratio": 10.0,
}


def checker_cmd() -> list[str]:
    """The installed ``checker`` script beside this Python, else ``python -m checker`` of this tree."""
    exe = Path(sys.executable).parent / "checker"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "checker"]


def _env() -> dict[str, str]:
    """The environment of measured runs: this tree importable, bytecode cached as in an installed copy."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _installed_env() -> dict[str, str]:
    """The environment of an installed copy's runs (the compiled build): nothing of this tree on the path."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def load_average() -> list[float]:
    """The 1, 5 and 15-minute load averages (empty where the system has none)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


# ---------------------------------------------------------------------------------------
# Corpus


def _seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _split(text: str) -> tuple[list[str], list[str], list[str]]:
    """A seed as (head lines, body lines, tail lines); blank lines dropped."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    head_n = 1 if len(lines[0]) <= 50 else 0
    tail_n = sum(1 for ln in lines[-3:] if len(ln) <= 40)
    return lines[:head_n], lines[head_n : len(lines) - tail_n], lines[len(lines) - tail_n :]


class CorpusMaker:
    """Realistic reports made of the seeds' paragraphs, deterministically."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seeds = [_split(t) for t in _seed_texts()]
        # Pool of body paragraphs (not headings) to shuffle in.
        self.pool = [ln for _, body, _ in self.seeds for ln in body if len(ln) > 60]
        self._s2t: Any = None

    def s2t(self, text: str) -> str:
        if self._s2t is None:
            import opencc

            self._s2t = opencc.OpenCC("s2t")
        out: str = self._s2t.convert(text)
        return out

    def report(self, target: int) -> str:
        rng = self.rng
        head, body, tail = self.seeds[rng.randrange(len(self.seeds))]
        body = [rng.choice(self.pool) if len(ln) > 60 and rng.random() < 0.4 else ln for ln in body]
        # Paragraphs are inserted into the first two thirds (the account of the year's work),
        # so the problems and plans parts stay at the end.
        size = sum(len(ln) + 1 for ln in head + body + tail)
        while size < target:
            para = rng.choice(self.pool)
            body.insert(rng.randrange(max(1, len(body) * 2 // 3)), para)
            size += len(para) + 1
        while size > target and len(body) > 8:
            k = rng.randrange(1, len(body) - 1)
            if len(body[k]) > 60:
                size -= len(body[k]) + 1
                del body[k]
        return "\n".join(head + body + tail) + "\n"

    def encode(self, text: str) -> tuple[bytes, str, bool]:
        rng = self.rng
        traditional = rng.random() < TRADITIONAL_SHARE
        if traditional:
            text = self.s2t(text)
        if rng.random() < CRLF_SHARE:
            text = text.replace("\n", "\r\n")
        r, acc = rng.random(), 0.0
        encoding = ENCODINGS[-1][0]
        for enc, share in ENCODINGS:
            acc += share
            if r < acc:
                encoding = enc
                break
        return text.encode(encoding), encoding, traditional


def make_corpus(root: Path, reports: int, seed: int, min_chars: int = 3000, max_chars: int = 20000) -> dict[str, Any]:
    """Write ``reports`` files under ``root`` (nested folders); reuse it if already made alike."""
    stamp = root / ".corpus.json"
    wanted = {"reports": reports, "seed": seed, "min_chars": min_chars, "max_chars": max_chars, "version": 1}
    if stamp.exists():
        try:
            info: dict[str, Any] = json.loads(stamp.read_text(encoding="utf-8"))
            if info.get("params") == wanted:
                info["reused"] = True
                return info
        except (OSError, ValueError):
            pass
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    t0 = time.perf_counter()
    maker = CorpusMaker(seed)
    chars = size = traditional = 0
    encodings: dict[str, int] = {}
    dirs: set[str] = set()
    for i in range(reports):
        text = maker.report(maker.rng.randint(min_chars, max_chars))
        data, enc, trad = maker.encode(text)
        rel = Path(f"p{i % 31:02d}") / f"c{(i // 31) % 17:02d}" / f"report-{i:06d}.txt"
        (root / rel.parent).mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
        dirs.add(str(rel.parent))
        chars += len(text)
        size += len(data)
        traditional += trad
        encodings[enc] = encodings.get(enc, 0) + 1
    info = {
        "params": wanted,
        "path": str(root),
        "reports": reports,
        "chars": chars,
        "bytes": size,
        "mean_chars": round(chars / max(1, reports)),
        "encodings": dict(sorted(encodings.items())),
        "traditional": traditional,
        "folders": len(dirs),
        "generate_s": round(time.perf_counter() - t0, 2),
        "reused": False,
    }
    stamp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    return info


# ---------------------------------------------------------------------------------------
# Measuring a process tree


def _proc_table() -> dict[int, tuple[int, int, float]]:
    """pid -> (ppid, rss bytes, cpu seconds) for every process."""
    page = os.sysconf("SC_PAGE_SIZE")
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, tuple[int, int, float]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        # fields[0] is state (field 3); ppid is field 4, utime 14, stime 15, rss 24.
        out[int(entry.name)] = (int(fields[1]), int(fields[21]) * page, (int(fields[11]) + int(fields[12])) / tick)
    return out


class TreeSampler:
    """Samples the RSS sum and CPU time of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_rss = 0
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            table = _proc_table()
            tree = {self.pid}
            grew = True
            while grew:
                grew = False
                for pid, (ppid, _, _) in table.items():
                    if ppid in tree and pid not in tree:
                        tree.add(pid)
                        grew = True
            rss = sum(table[p][1] for p in tree if p in table)
            self.peak_rss = max(self.peak_rss, rss)
            for p in tree:
                if p in table:
                    self.cpu[p] = max(self.cpu.get(p, 0.0), table[p][2])
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(cmd: list[str], env: dict[str, str] | None = None, **kwargs: Any) -> dict[str, Any]:
    """Run ``cmd`` (in ``env``, default :func:`_env`); wall, CPU (rusage of children and sampled tree), peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or _env(), **kwargs)
    with TreeSampler(proc.pid) as sampler:
        _, err = proc.communicate()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rusage_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "command": " ".join(cmd),
        "returncode": proc.returncode,
        "loadavg_before": round(load_before, 2),
        "loadavg_after": round(os.getloadavg()[0], 2),
        "wall_s": round(wall, 3),
        # Processes reaped by a grandparent (forkserver workers) are missing from rusage:
        # the sampled CPU of the whole tree is the better figure where it is larger.
        "cpu_s": round(max(rusage_cpu, sum(sampler.cpu.values())), 3),
        "cpu_rusage_s": round(rusage_cpu, 3),
        "peak_tree_rss_mb": round(sampler.peak_rss / 2**20, 1),
        # ru_maxrss of children: the largest single process (kB on Linux).
        "max_process_rss_mb": round(after.ru_maxrss / 1024, 1),
        "stderr_tail": err.decode("utf-8", "replace")[-400:],
    }


def has_audit() -> bool:
    """True when this tree's checker has the audit command."""
    probe = subprocess.run([*checker_cmd(), "audit", "--help"], capture_output=True, env=_env())
    return probe.returncode == 0


def run_checker(corpus: Path, work: Path, jobs: int, build: Build | None = None, keep: Path | None = None
                ) -> dict[str, Any]:
    """One audit of ``corpus`` by ``build`` (default: this tree, pure Python), measured; its output is kept in
    ``keep`` when given (to compare builds), else removed."""
    build = build or Build.pure()
    if has_audit():
        out = keep or work / "audit-out"
        shutil.rmtree(out, ignore_errors=True)
        result = measure([*build.cmd, "audit", str(corpus), "--out", str(out), "--jobs", str(jobs)], env=build.env)
        result["mode"] = "audit"
        result["build"] = build.name
        try:
            summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
            totals = summary.get("totals", {})
            result["checked"] = totals.get("checked")
            result["errors"] = totals.get("errors")
        except (OSError, ValueError):
            result["checked"] = result["errors"] = None
        if keep is None:
            shutil.rmtree(out, ignore_errors=True)
    else:
        with tempfile.TemporaryDirectory(prefix="checker-bench-") as scratch:  # never -o /dev/null (a device)
            target = str(Path(scratch) / "out.json")
            result = measure([*build.cmd, "check", str(corpus), "-f", "json", "-o", target], env=build.env)
        result["mode"] = "check (audit not available)"
        result["build"] = build.name
        result["checked"] = result["errors"] = None
    return result


# ---------------------------------------------------------------------------------------
# The compiled build (CHECKER_MYPYC=1, setup.py)

#: What a clean copy of this tree leaves out (as tests/test_install.py does).
_COPY_SKIP = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__",
                                    ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis", "corpus", "results",
                                    "out", "*.so")


class Build:
    """A way of running checker: this tree as pure Python (``python -m checker``), or an installed build."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], python: str) -> None:
        self.name = name
        self.cmd = cmd
        self.env = env
        self.python = python

    @classmethod
    def pure(cls) -> Build:
        """This tree, pure Python."""
        return cls("pure", checker_cmd(), _env(), sys.executable)

    @classmethod
    def installed(cls, venv: Path, name: str = "compiled") -> Build:
        """The checker installed in the virtual environment ``venv`` (nothing of this tree on the path)."""
        bindir = venv / ("Scripts" if os.name == "nt" else "bin")
        return cls(name, [str(bindir / "checker")], _installed_env(), str(bindir / "python"))


def mypyc_modules() -> list[str]:
    """The dotted names of the modules setup.py compiles with CHECKER_MYPYC=1 (its MYPYC_MODULES list)."""
    import ast

    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "MYPYC_MODULES" for t in node.targets):
            paths: list[str] = ast.literal_eval(node.value)
            return [p.removesuffix(".py").replace("/", ".") for p in paths]
    raise ValueError("setup.py has no MYPYC_MODULES")


_PROBE = r"""
import importlib, json, sys
out = {}
for name in sys.argv[1:] + ["checker__mypyc"]:
    try:
        out[name] = importlib.import_module(name).__file__
    except ImportError as exc:
        out[name] = "ImportError: " + str(exc)
print(json.dumps(out))
"""


def compiled_files(build: Build) -> dict[str, str]:
    """Module -> the file it is imported from in ``build`` (an .so / .pyd when compiled)."""
    done = subprocess.run([build.python, "-c", _PROBE, *mypyc_modules()], capture_output=True, text=True,
                          env=build.env, cwd=tempfile.gettempdir(), check=True)
    files: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return files


def is_compiled(files: dict[str, str]) -> bool:
    """True when every module of :func:`compiled_files` is an extension module."""
    return bool(files) and all(f.endswith((".so", ".pyd")) for f in files.values())


def build_compiled(dest: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Build the wheel of a clean copy of this tree with CHECKER_MYPYC=1 (``pip wheel``, isolated build: mypyc and
    a C compiler) and install it into a new virtual environment ``dest/venv``; the other packages come from this
    interpreter's environment (a .pth file), so only checker differs from the pure runs. Returns the wheel, the
    venv, the build's time and log tail, and where each compiled module was imported from."""
    source = dest / "src"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(ROOT, source, ignore=_COPY_SKIP)
    build_env = {**_installed_env(), **(env or {}), "CHECKER_MYPYC": "1"}
    t0 = time.perf_counter()
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(dest / "dist"), "."],
                           cwd=source, capture_output=True, text=True, env=build_env, stdin=subprocess.DEVNULL)
    info: dict[str, Any] = {"build_s": round(time.perf_counter() - t0, 1), "returncode": built.returncode,
                            "log_tail": (built.stdout + built.stderr)[-3000:],
                            "messages": [ln.strip() for ln in (built.stdout + built.stderr).splitlines()
                                         if ln.strip().startswith("checker:")]}
    if built.returncode != 0:
        return info
    wheel = next((dest / "dist").glob("checker-*.whl"))
    venv = dest / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    build = Build.installed(venv)
    purelib = subprocess.run([build.python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # This interpreter's package folders (site-packages, and any added by .pth files), not their .pth files: an
    # editable checker there stays out of the new environment.
    deps = list(dict.fromkeys(p for p in sys.path if p.endswith(("site-packages", "dist-packages"))
                              and Path(p).is_dir()))
    (Path(purelib) / "checker-bench-deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    subprocess.run([build.python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True,
                   capture_output=True, env=_installed_env())
    files = compiled_files(build)
    info.update({"wheel": str(wheel), "venv": str(venv), "files": files, "compiled": is_compiled(files)})
    return info


def prepare_compiled(dest: Path) -> dict[str, Any]:
    """The compiled build in ``dest`` (built now unless ``dest/venv`` has it already): its Build and build info."""
    build = Build.installed(dest / "venv")
    if Path(build.python).exists() and is_compiled(files := compiled_files(build)):
        info: dict[str, Any] = {"venv": str(dest / "venv"), "files": files, "compiled": True, "reused": True}
    else:
        info = build_compiled(dest)
        if info["returncode"] != 0 or not info["compiled"]:
            raise SystemExit(f"compiled build failed: {info.get('messages')}\n{info['log_tail']}")
    info["modules"] = mypyc_modules()
    return {"build": build, "info": info}


def summarise_compiled(runs: list[dict[str, Any]], pure: dict[str, Any], rg: dict[str, Any], reports: int
                       ) -> dict[str, Any]:
    """The best audit of the compiled build, with its speed-up over the pure build's best and its ratio to rg."""
    best = min(runs, key=lambda a: a["wall_s"])
    best["runs"] = len(runs)
    best["wall_s_all"] = [a["wall_s"] for a in runs]
    best["cpu_s_all"] = [a["cpu_s"] for a in runs]
    best["cpu_s_min"] = min(best["cpu_s_all"])
    best["reports_per_s"] = round(reports / best["wall_s"], 1)
    best["cpu_ms_per_report"] = round(1000 * best["cpu_s"] / reports, 2)
    best["speedup_wall"] = round(pure["wall_s"] / max(best["wall_s"], 1e-9), 2)
    best["speedup_cpu"] = round(pure["cpu_s"] / max(best["cpu_s"], 1e-9), 2)
    # Under load CPU time swells with contention: the least CPU of each build's runs is the steadier comparison.
    best["speedup_cpu_min"] = round(pure["cpu_s_min"] / max(best["cpu_s_min"], 1e-9), 2)
    if "wall_s" in rg:
        best["rg_factor"] = round(best["wall_s"] / max(rg["wall_s"], 1e-9), 1)
    return best


def same_tree(a: Path, b: Path) -> dict[str, Any]:
    """Compare two output folders byte for byte: files compared, and those that differ or exist in one only."""
    fa = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    differ = sorted(n for n in fa & fb if (a / n).read_bytes() != (b / n).read_bytes())
    return {"files": len(fa & fb), "differ": differ, "only_one": sorted(fa ^ fb), "identical": not differ and fa == fb}


# ---------------------------------------------------------------------------------------
# ripgrep


def keyword_terms() -> list[str]:
    """Every literal term of every keywords detector of the default checklists (normalised)."""
    sys.path.insert(0, str(ROOT))
    from checker.rules.loader import load_many
    from checker.rules.matching import KeywordsRule

    terms: set[str] = set()
    for lc in load_many([]):
        for item in lc.checklist.items:  # the runtime form: groups and unless terms already normalised
            for det in item.detectors:
                if isinstance(det, KeywordsRule):
                    terms.update(t for group in det.groups for t in group)
                    terms.update(det.unless)
    return sorted(terms)


def prepare_rg(corpus: Path, work: Path, jobs: int) -> dict[str, Any]:
    """The rg command over the corpus (``cmd``, None without rg), its terms file and what it counts."""
    rg = shutil.which("rg")
    terms = keyword_terms()
    info: dict[str, Any] = {
        "available": rg is not None,
        "terms": len(terms),
        "terms_how": "every literal term (all groups, any/all, and unless terms) of every keywords detector of the "
        "default checklists, normalised like checker, one per line in terms.txt",
    }
    if rg is None:
        info["note"] = "ripgrep (rg) is NOT installed: no rg comparison. Install: apt-get install -y ripgrep"
        info["cmd"] = None
        return info
    terms_file = work / "terms.txt"
    terms_file.write_text("\n".join(terms) + "\n", encoding="utf-8")
    version = subprocess.run([rg, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    cmd = [rg, "-c", "-F", "-f", str(terms_file), "-j", str(jobs), "--no-messages", str(corpus)]
    counted = subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()  # also warms the page cache
    info["cmd"] = cmd
    info["version"] = version
    info["files_matched"] = len(counted)
    info["lines_matched"] = sum(int(line.rsplit(":", 1)[1]) for line in counted if ":" in line)
    return info


# ---------------------------------------------------------------------------------------
# Cold start, phases, linearity

_PHASES = r"""
import io, sys, time
t0 = time.perf_counter(); marks = {}
def mark(name):
    global t0
    t = time.perf_counter(); marks[name] = round(t - t0, 4); t0 = t
import checker.cli
mark("import_cli")
from checker.rules.loader import load_many
loaded = load_many([])
for lc in loaded: lc.compiled
mark("load_checklists")
from pathlib import Path
from checker.pipeline import check_file
report = check_file(Path(sys.argv[1]), loaded)
mark("check_file")
from rich.console import Console
from checker.render.check_rich import render_all
mark("import_rich_renderer")
render_all([report], Console(file=io.StringIO(), width=100, highlight=False))
mark("render_terminal")
import json; print(json.dumps(marks))
"""

_LINEAR = r"""
import json, sys, time
from pathlib import Path
from checker.rules.loader import load_many
from checker.pipeline import check_file
loaded = load_many([])
for lc in loaded: lc.compiled
out = {}
for name in sys.argv[1:]:
    check_file(Path(name), loaded)
    best = min((lambda t: (check_file(Path(name), loaded), time.perf_counter() - t)[1])(time.perf_counter())
               for _ in range(3))
    out[name] = best
print(json.dumps(out))
"""


def _run_once(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU (user + system of the child) seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or _env(), cwd=ROOT,
                   check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cold_start(runs: int, compiled: Build | None = None) -> dict[str, Any]:
    """Cold starts interleaved with ``python -c pass`` (one of each per round): best, median and ratios; with
    ``compiled``, that build's ``check`` (rich and JSON) in the same rounds."""
    exe = checker_cmd()
    subprocess.run([*exe, "check", str(COLD_SEED)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=_env())  # warm the checklist cache and the bytecode
    with tempfile.TemporaryDirectory(prefix="checker-bench-") as scratch:  # never -o /dev/null (a device)
        card = str(Path(scratch) / "card.json")
        text = str(Path(scratch) / "check.txt")
        cmds = {
            "python": [sys.executable, "-c", "pass"],
            "check": [*exe, "check", str(COLD_SEED), "-o", text],
            "check_json": [*exe, "check", str(COLD_SEED), "-f", "json", "-o", card],
            "help": [*exe, "--help"],
        }
        envs: dict[str, dict[str, str] | None] = dict.fromkeys(cmds)
        if compiled is not None:
            cmds["check_compiled"] = [*compiled.cmd, "check", str(COLD_SEED), "-o", text]
            cmds["check_json_compiled"] = [*compiled.cmd, "check", str(COLD_SEED), "-f", "json", "-o", card]
            envs["check_compiled"] = envs["check_json_compiled"] = compiled.env
            subprocess.run([*compiled.cmd, "check", str(COLD_SEED)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=compiled.env)
        load_before = load_average()
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in cmds}
        for _ in range(runs):
            for key, cmd in cmds.items():
                times[key].append(_run_once(cmd, envs[key]))
        load_after = load_average()
    out: dict[str, Any] = {"runs": runs, "interleaved": True, "loadavg_before": load_before,
                           "loadavg_after": load_after}
    base_wall = min(w for w, _ in times["python"])
    base_cpu = min(c for _, c in times["python"])
    for key, cmd in cmds.items():
        walls = [w for w, _ in times[key]]
        cpus = [c for _, c in times[key]]
        out[key] = {"command": " ".join(cmd), "runs": runs, "best_s": round(min(walls), 4),
                    "median_s": round(statistics.median(walls), 4), "best_cpu_s": round(min(cpus), 4),
                    "factor": round(min(walls) / base_wall, 2), "cpu_factor": round(min(cpus) / max(base_cpu, 1e-9), 2)}
    phases = []
    for _ in range(max(3, runs // 2)):
        done = subprocess.run([sys.executable, "-c", _PHASES, str(COLD_SEED)], capture_output=True, text=True,
                              cwd=ROOT, env=_env())
        if done.returncode == 0:
            phases.append(json.loads(done.stdout.strip().splitlines()[-1]))
    if phases:
        out["phases_median_s"] = {k: round(statistics.median(p[k] for p in phases), 4) for k in phases[0]}
    return out


def linearity(work: Path, seed: int) -> dict[str, Any]:
    """Check time of a 200,000- against a 20,000-character report (in one process)."""
    maker = CorpusMaker(seed + 1)
    files = {}
    for chars in (20_000, 200_000):
        path = work / f"linear-{chars}.txt"
        path.write_text(maker.report(chars), encoding="utf-8")
        files[chars] = path
    done = subprocess.run([sys.executable, "-c", _LINEAR, *(str(p) for p in files.values())],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        return {"error": done.stderr[-400:]}
    times = json.loads(done.stdout.strip().splitlines()[-1])
    small, large = times[str(files[20_000])], times[str(files[200_000])]
    return {
        "small_chars": len(files[20_000].read_text(encoding="utf-8")),
        "large_chars": len(files[200_000].read_text(encoding="utf-8")),
        "small_s": round(small, 4),
        "large_s": round(large, 4),
        "ratio": round(large / small, 2),
    }


# ---------------------------------------------------------------------------------------
# Report


def machine() -> dict[str, Any]:
    """Cores, CPU model, memory, Python and platform of this machine."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = int(line.split()[1]) / 2**20
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu_model": model, "ram_gb": round(ram, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def evaluate_targets(result: dict[str, Any]) -> dict[str, Any]:
    """Issue 17's targets (ratios measured in this run) and issue 7's memory and linearity targets."""
    audit = result["audit"]
    targets: dict[str, Any] = {}
    if "cold_start" in result:
        cold = result["cold_start"]
        targets["cold_json_le_8x_python"] = {"value": cold["check_json"]["factor"],
                                             "met": cold["check_json"]["factor"] <= TARGETS["cold_json_factor"]}
        targets["cold_rich_le_10x_python"] = {"value": cold["check"]["factor"],
                                              "met": cold["check"]["factor"] <= TARGETS["cold_rich_factor"]}
    targets["reports_per_s_ge_200"] = {"value": audit["reports_per_s"],
                                       "met": audit["reports_per_s"] >= TARGETS["reports_per_s"]}
    if "rg_factor" in audit:
        targets["within_150x_of_rg"] = {"value": audit["rg_factor"], "met": audit["rg_factor"] <= TARGETS["rg_factor"]}
    targets["peak_rss_lt_300mb"] = {"value": audit["peak_tree_rss_mb"],
                                    "met": audit["peak_tree_rss_mb"] < TARGETS["peak_rss_mb"]}
    if "scale" in result:
        ratio = result["scale"]["memory_ratio"]
        targets["scale_memory_within_10pct"] = {"value": ratio, "met": ratio <= TARGETS["scale_memory_ratio"]}
    if "compiled" in result and "outputs" in result["compiled"]:
        same = result["compiled"]["outputs"]
        targets["compiled_outputs_identical"] = {"value": f"{same['files']} files", "met": same["identical"]}
    if "linearity" in result and "ratio" in result["linearity"]:
        ratio = result["linearity"]["ratio"]
        targets["linear_200k_vs_20k_le_10x"] = {"value": ratio, "met": ratio <= TARGETS["linearity_ratio"]}
    return targets


def print_table(result: dict[str, Any]) -> None:
    """The results as a rich table on the terminal."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    if not console.is_terminal:  # a log file: one row per line rather than 80 columns
        console = Console(highlight=False, width=160)
    m, c, a, rg = result["machine"], result["corpus"], result["audit"], result["rg"]
    table = Table(title=f"checker benchmark – {m['nproc']} × {m['cpu_model']}, {m['ram_gb']} GB RAM",
                  title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("corpus", f"{c['reports']} reports, {c['chars']:,} chars (mean {c['mean_chars']:,}), "
                            f"{c['folders']} folders, {c['traditional']} traditional")
    table.add_row("encodings", ", ".join(f"{k} {v}" for k, v in c["encodings"].items()))
    table.add_row(f"checker {a['mode']}", f"{a['wall_s']:.2f} s wall, {a['cpu_s']:.2f} s CPU")
    table.add_row("  reports/s", f"{a['reports_per_s']:.0f} (CPU-bound on {a['jobs']} idle cores: "
                                 f"{a['cpu_bound_reports_per_s']:.0f}; {a['cpu_ms_per_report']:.1f} ms CPU/report)")
    table.add_row("load average (1/5/15 min) at start / end",
                  f"{result.get('loadavg_start')} / {result.get('loadavg_end')}")
    table.add_row("  load average before / after the best audit", f"{a['loadavg_before']} / {a['loadavg_after']}")
    table.add_row("  characters/s", f"{a['chars_per_s']:,.0f}")
    table.add_row("  peak RSS (process tree / largest process)",
                  f"{a['peak_tree_rss_mb']:.0f} MB / {a['max_process_rss_mb']:.0f} MB")
    if rg.get("available"):
        table.add_row(f"rg -F, {rg['terms']} keywords (best of {rg['runs']}, interleaved)",
                      f"{rg['wall_s']:.2f} s wall, {rg['cpu_s']:.2f} s CPU "
                      f"(checker = {a['rg_factor']:.1f}× rg wall, {a['rg_cpu_factor']:.1f}× rg CPU)")
    else:
        table.add_row("rg", "[red]NOT INSTALLED – apt-get install -y ripgrep[/red]")
    if "compiled" in result and "audit" in result["compiled"]:
        ca, same = result["compiled"]["audit"], result["compiled"]["outputs"]
        table.add_row(f"compiled build ({len(result['compiled']['modules'])} modules, mypyc) audit",
                      f"{ca['wall_s']:.2f} s wall, {ca['cpu_s']:.2f} s CPU, {ca['reports_per_s']:.0f} reports/s, "
                      f"{ca['cpu_ms_per_report']:.1f} ms CPU/report; {ca['speedup_wall']:.2f}× pure wall, "
                      f"{ca['speedup_cpu']:.2f}× pure CPU (least CPU of the runs: {ca['speedup_cpu_min']:.2f}×)"
                      + (f", {ca['rg_factor']:.1f}× rg" if "rg_factor" in ca else ""))
        table.add_row("  outputs pure vs compiled", f"{same['files']} files, " + (
            "[green]byte-identical[/green]" if same["identical"] else
            f"[red]{len(same['differ'])} differ, {len(same['only_one'])} in one only[/red]"))
    if "cold_start" in result:
        cs = result["cold_start"]
        labels = {"python": "python -c pass", "check": "checker check SEED (rich)",
                  "check_json": "checker check SEED -f json", "help": "checker --help",
                  "check_compiled": "compiled: checker check SEED (rich)",
                  "check_json_compiled": "compiled: checker check SEED -f json"}
        table.add_row("cold start", f"{cs['runs']} interleaved rounds, load {cs['loadavg_before']} → "
                                    f"{cs['loadavg_after']}")
        for key, label in labels.items():
            if key not in cs:
                continue
            r = cs[key]
            table.add_row(f"  {label}", f"best {r['best_s']:.3f} s ({r['factor']:.1f}× python), median "
                                        f"{r['median_s']:.3f} s; CPU {r['best_cpu_s']:.3f} s ({r['cpu_factor']:.1f}×)")
        for k, v in cs.get("phases_median_s", {}).items():
            table.add_row(f"  phase {k}", f"{v * 1000:.0f} ms")
    if "linearity" in result and "ratio" in result["linearity"]:
        li = result["linearity"]
        table.add_row("linearity", f"{li['large_chars']:,} chars {li['large_s']:.3f} s vs {li['small_chars']:,} chars "
                                   f"{li['small_s']:.3f} s = {li['ratio']:.1f}×")
    if "scale" in result:
        s = result["scale"]
        table.add_row(f"scale: {s['reports']} reports", f"peak {s['peak_tree_rss_mb']:.0f} MB "
                                                        f"({s['memory_ratio']:.2f}× the {c['reports']}-report run), "
                                                        f"{s['reports_per_s']:.0f} reports/s")
    for name, t in result["targets"].items():
        table.add_row(f"target {name}", f"{t['value']}  {'[green]met[/green]' if t['met'] else '[red]NOT met[/red]'}")
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, measure, print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--reports", type=int, default=2000, help="reports in the corpus (default 2000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the corpus (default 7)")
    parser.add_argument("--jobs", type=int, default=2, help="checker audit --jobs (default 2)")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default benchmarks/corpus/N-SEED)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results (default %(default)s)")
    parser.add_argument("--scale", type=int, default=0, help="also audit a corpus of this many reports and compare "
                                                             "peak memory (streaming check), e.g. 20000")
    parser.add_argument("--runs", type=int, default=7, help="runs for cold-start timings (default 7)")
    parser.add_argument("--audit-runs", type=int, default=1, help="audits of the corpus, each between two rg runs "
                                                                     "(default 1; the best is reported)")
    parser.add_argument("--quick", action="store_true", help="skip cold start and linearity (smoke runs)")
    parser.add_argument("--compiled", type=Path, default=None, metavar="DIR",
                        help="also measure the compiled build (CHECKER_MYPYC=1, setup.py), built into DIR (reused "
                             "when DIR/venv exists), in the same rounds as the pure one, and compare their audit "
                             "outputs byte for byte")
    args = parser.parse_args(argv)

    corpus = args.corpus or DEFAULT_CORPUS / f"{args.reports}-{args.seed}"
    result: dict[str, Any] = {"schema": "checker.bench/1", "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                              "machine": machine()}
    result["corpus"] = make_corpus(corpus, args.reports, args.seed)
    result["loadavg_start"] = load_average()
    with tempfile.TemporaryDirectory(prefix="checker-bench-") as tmp:
        work = Path(tmp)
        # rg and the audit interleaved (rg, audit, rg, …, rg) so both see the same machine load; best of each.
        compiled = prepare_compiled(args.compiled) if args.compiled else None
        if compiled is not None:
            result["compiled"] = compiled.pop("info")
        rg = prepare_rg(corpus, work, args.jobs)
        rg_runs: list[dict[str, Any]] = []
        audits: list[dict[str, Any]] = []
        compiled_audits: list[dict[str, Any]] = []
        for i in range(max(1, args.audit_runs)):
            if rg["cmd"] is not None:
                rg_runs.append(measure(rg["cmd"]))
            # With the compiled build, the two alternate which goes first, round by round.
            order = ["pure", "compiled"] if compiled is not None else ["pure"]
            for name in order if i % 2 == 0 else order[::-1]:
                if name == "pure":
                    audits.append(run_checker(corpus, work, args.jobs, keep=work / "out-pure" if i == 0 else None))
                else:
                    compiled_audits.append(run_checker(corpus, work, args.jobs, compiled["build"],
                                                       keep=work / "out-compiled" if i == 0 else None))
        if rg["cmd"] is not None:
            rg_runs.append(measure(rg["cmd"]))
        audit = min(audits, key=lambda a: a["wall_s"])
        audit["runs"] = len(audits)
        audit["wall_s_all"] = [a["wall_s"] for a in audits]
        audit["cpu_s_all"] = [a["cpu_s"] for a in audits]
        audit["cpu_s_min"] = min(audit["cpu_s_all"])
        chars = result["corpus"]["chars"]
        audit["reports_per_s"] = round(args.reports / audit["wall_s"], 1)
        audit["chars_per_s"] = round(chars / audit["wall_s"])
        audit["cpu_ms_per_report"] = round(1000 * audit["cpu_s"] / args.reports, 2)
        # On a shared machine other processes take CPU: what the jobs would do on idle cores.
        audit["jobs"] = args.jobs
        audit["cpu_bound_reports_per_s"] = round(min(args.jobs, os.cpu_count() or 1) * args.reports / audit["cpu_s"], 1)
        if rg_runs:
            best = min(rg_runs, key=lambda r: r["wall_s"])
            rg.update(best)
            rg["runs"] = len(rg_runs)
            rg["wall_s_all"] = [r["wall_s"] for r in rg_runs]
            audit["rg_factor"] = round(audit["wall_s"] / max(best["wall_s"], 1e-9), 1)
            audit["rg_cpu_factor"] = round(audit["cpu_s"] / max(best["cpu_s"], 1e-9), 1)
        rg.pop("cmd", None)
        result["audit"] = audit
        result["rg"] = rg
        if compiled is not None:
            result["compiled"]["audit"] = summarise_compiled(compiled_audits, audit, rg, args.reports)
            result["compiled"]["outputs"] = same_tree(work / "out-pure", work / "out-compiled")
        if not args.quick:
            result["cold_start"] = cold_start(args.runs, compiled["build"] if compiled else None)
            result["linearity"] = linearity(work, args.seed)
        if args.scale:
            big = DEFAULT_CORPUS / f"{args.scale}-{args.seed}" if args.corpus is None else \
                args.corpus.with_name(f"{args.corpus.name}-scale{args.scale}")
            big_info = make_corpus(big, args.scale, args.seed)
            scaled = run_checker(big, work, args.jobs)
            scaled["reports"] = args.scale
            scaled["chars"] = big_info["chars"]
            scaled["reports_per_s"] = round(args.scale / scaled["wall_s"], 1)
            scaled["memory_ratio"] = round(scaled["peak_tree_rss_mb"] / max(audit["peak_tree_rss_mb"], 1e-9), 3)
            result["scale"] = scaled
    result["loadavg_end"] = load_average()
    result["targets"] = evaluate_targets(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_table(result)
    print(f"JSON: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

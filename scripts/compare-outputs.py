"""Record every output of checker for a fixed set of inputs, and compare two such records byte for byte.

A refactoring must not change behaviour. Run this on the commit before and on the commit after, then
compare the two folders::

    python scripts/compare-outputs.py record --tree /work/main  /tmp/outputs-before
    python scripts/compare-outputs.py record --tree .           /tmp/outputs-after
    python scripts/compare-outputs.py compare /tmp/outputs-before /tmp/outputs-after

``record`` runs the checker found in ``--tree`` (``PYTHONPATH=TREE python -m checker``) over the seeds,
the test fixtures (lint, excerpts, unseen sets, a saved web page), ../shared/devset when present and a
generated slice of the benchmark corpus (benchmarks/bench.py ``make_corpus``, ``--reports`` reports,
default 300, always the same for a given ``--seed``). The inputs are the ones of the tree running this
script, so both records read the same files. It writes:

* ``check --format json`` (one scorecard per report) and the rich ``check`` text at width 100, no colour;
* ``lint`` in text, json, sarif, junit and github;
* ``audit`` outputs: every scorecard, summary.json, summary.csv and the HTML dashboard;
* the reviewer's files on the seeds: ``check --xlsx``, ``audit --xlsx --letters`` and ``letter``
  (Excel and Word files are compared member by member, without their creation time: see ``compare``);
* ``diff`` between two audits (json and rich), and ``eval --format json`` against every labelled set;
* ``checklists``, ``checklists show`` and ``checklists test`` text;
* the exit code and stderr of every command.

``compare`` lists every file that is missing on one side or differs, and exits 1 if any does. A .xlsx or
.docx file is a zip: it is the same when every member is byte-identical, except ``docProps/core.xml`` (the
creation time) – the zip's own timestamps are not compared either.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SHARED = HERE.parent / "shared"


def _inputs(root: Path, reports: int, seed: int, shared: Path) -> dict[str, Path]:
    """Copy the fixed inputs under ROOT (stable relative paths) and generate the corpus slice."""
    sets: dict[str, Path] = {}
    seeds = root / "seeds"
    shutil.copytree(HERE / "seeds", seeds)
    sets["seeds"] = seeds
    for name in ("lint", "excerpts", "unseen", "unseen2", "unseen3"):
        src = HERE / "tests" / "fixtures" / name
        if src.is_dir():
            shutil.copytree(src, root / name)
            sets[name] = root / name
    page = HERE / "tests" / "fixtures" / "saved_page_001.html"
    if page.exists():
        (root / "pages").mkdir()
        shutil.copy2(page, root / "pages" / page.name)
        sets["pages"] = root / "pages"
    devset = shared / "devset"
    if (devset / "docs").is_dir():
        shutil.copytree(devset / "docs", root / "devset")
        shutil.copy2(devset / "labels.yaml", root / "devset-labels.yaml")
        sets["devset"] = root / "devset"
    sys.path.insert(0, str(HERE / "benchmarks"))
    import bench  # type: ignore[import-not-found]

    corpus = root / "corpus"
    bench.make_corpus(corpus, reports, seed)
    sets["corpus"] = corpus
    return sets


def record(tree: Path, out: Path, reports: int, seed: int, python: str, shared: Path) -> int:
    """Run every command of the checker in TREE over the fixed inputs and write the outputs under OUT."""
    out.mkdir(parents=True, exist_ok=False)
    env = dict(os.environ, PYTHONPATH=str(tree.resolve()), CHECKER_NO_CACHE="1", COLUMNS="100", NO_COLOR="1",
               TERM="dumb", LC_ALL="C.UTF-8", PYTHONHASHSEED="0")
    with tempfile.TemporaryDirectory(prefix="compare-inputs-") as tmp:
        work = Path(tmp)
        inputs = work / "in"
        inputs.mkdir()
        sets = _inputs(inputs, reports, seed, shared)
        failures = 0

        def run(name: str, *args: str, stdout_name: str | None = None) -> None:
            nonlocal failures
            proc = subprocess.run([python, "-m", "checker", *args], cwd=inputs, env=env, capture_output=True,
                                  check=False)
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            (target.parent / f"{target.name}.{stdout_name or 'stdout'}").write_bytes(proc.stdout)
            (target.parent / f"{target.name}.stderr").write_bytes(proc.stderr)
            (target.parent / f"{target.name}.rc").write_text(f"{proc.returncode}\n")
            print(f"{name}: exit {proc.returncode}", file=sys.stderr)
            if proc.returncode not in (0, 1, 3):
                failures += 1

        for name, folder in sets.items():
            rel = str(folder.relative_to(inputs))
            run(f"check-json/{name}", "check", rel, "--format", "json")
            run(f"check-rich/{name}", "check", rel, "-o", str(out / "check-rich" / f"{name}.txt"))
            for fmt in ("text", "json", "sarif", "junit", "github"):
                run(f"lint-{fmt}/{name}", "lint", rel, "--no-config", "-f", fmt)
            audit_dir = work / "audits" / name
            run(f"audit-run/{name}", "audit", rel, "--out", str(audit_dir), "--jobs", "1",
                "--html", str(audit_dir / "dashboard.html"))
            shutil.copytree(audit_dir, out / "audit" / name)
        # lint with a configuration file and per-format files
        run("lint-level/seeds", "lint", "seeds", "--no-config", "--level", "county", "--year", "2023",
            "--fail-on", "warning", "--min-level", "warning", "-f", "json")
        run("check-level/seeds", "check", "seeds", "--level", "city", "--year", "2022", "--format", "json")
        # audit --resume over an unchanged folder must reuse everything
        resume_dir = work / "audits" / "seeds"
        run("audit-resume/seeds", "audit", "seeds", "--out", str(resume_dir), "--jobs", "1", "--resume")
        shutil.copytree(resume_dir, out / "audit-resume" / "seeds")
        # diff: seeds audited twice with different levels, and two different folders
        level_dir = work / "audits" / "seeds-city"
        run("audit-run/seeds-city", "audit", "seeds", "--out", str(level_dir), "--jobs", "1", "--level", "city")
        for fmt in ("json", "rich"):
            run(f"diff-{fmt}/seeds-vs-city", "diff", str(work / "audits" / "seeds"), str(level_dir), "-f", fmt)
            run(f"diff-{fmt}/unseen-vs-unseen2", "diff", str(work / "audits" / "unseen"),
                str(work / "audits" / "unseen2"), "-f", fmt)
        seed_cards = sorted((work / "audits" / "seeds").rglob("*.json"))
        cards = [c for c in seed_cards if c.name not in ("summary.json",)]
        if len(cards) >= 2:
            run("diff-json/two-cards", "diff", str(cards[0]), str(cards[1]), "-f", "json")
        # eval against every labelled set
        labelled = [("seeds", "seeds/gold.yaml", "seeds")]
        labelled += [(n, f"{n}/gold.yaml", n) for n in ("unseen", "unseen2", "unseen3") if n in sets]
        if "devset" in sets:
            labelled.append(("devset", "devset-labels.yaml", "devset"))
        for name, gold, folder in labelled:
            run(f"eval-json/{name}", "eval", "--gold", gold, folder, "--format", "json")
        run("eval-rich/seeds", "eval", "--gold", "seeds/gold.yaml", "seeds")
        # the reviewer's files (Excel workbooks, Word letters) on the seeds
        files = out / "files"
        run("files/check-xlsx", "check", "seeds", "--xlsx", str(files / "check.xlsx"), "-o", str(files / "check.txt"))
        run("files/audit", "audit", "seeds", "--out", str(work / "audits" / "seeds-files"), "--jobs", "1",
            "--xlsx", str(files / "audit.xlsx"), "--letters", str(files / "audit-letters"))
        run("files/letter", "letter", "seeds", "-o", str(files / "letters"))
        run("checklists/list", "checklists")
        run("checklists/show-EN03", "checklists", "show", "EN03")
        run("checklists/test", "checklists", "test")
        run("schema/schema", "schema")
        run("help/main", "--help")
        for command in ("check", "lint", "audit", "diff", "eval", "letter", "checklists"):
            run(f"help/{command}", command, "--help")
    _scrub(out, {work: b"<WORK>", tree: b"<TREE>", out: b"<OUT>"})
    return failures


def _scrub(out: Path, folders: dict[Path, bytes]) -> None:
    """Replace the temporary folder's and the tree's paths (different on every run) by fixed placeholders.

    Excel and Word files are zips (compressed, with offsets): they are left alone; the paths in them are
    relative to the inputs folder.
    """
    # Absolute paths only, longest first: a relative --tree "." must not turn every "." into <TREE>.
    needles = sorted({(str(p).encode(), tag) for folder, tag in folders.items() for p in (folder, folder.resolve())
                      if p.is_absolute()}, key=lambda nt: -len(nt[0]))
    for path in out.rglob("*"):
        if path.is_file() and path.suffix not in (".xlsx", ".docx"):
            data = path.read_bytes()
            new = data
            for needle, tag in needles:
                new = new.replace(needle, tag)
            if new != data:
                path.write_bytes(new)


def _without(data: object, keys: frozenset[str]) -> object:
    """JSON data with ``keys`` removed from every checker.scorecard/1 object in it."""
    if isinstance(data, dict):
        drop = keys if data.get("schema") == "checker.scorecard/1" else frozenset()
        return {k: _without(v, keys) for k, v in data.items() if k not in drop}
    if isinstance(data, list):
        return [_without(v, keys) for v in data]
    return data


#: Members of an Office file that hold its creation time (different on every run).
_TIMESTAMPED = frozenset({"docProps/core.xml"})


def _same_office_file(left: Path, right: Path) -> bool:
    """Two .xlsx/.docx files with the same members, byte for byte, but for their creation time."""
    try:
        with zipfile.ZipFile(left) as a, zipfile.ZipFile(right) as b:
            if a.namelist() != b.namelist():
                return False
            return all(a.read(n) == b.read(n) for n in a.namelist() if n not in _TIMESTAMPED)
    except (OSError, zipfile.BadZipFile):
        return False


def _same(left: Path, right: Path, keys: frozenset[str]) -> bool:
    if filecmp.cmp(left, right, shallow=False):
        return True
    if left.suffix in (".xlsx", ".docx"):
        return _same_office_file(left, right)
    if not keys:
        return False
    try:
        a, b = json.loads(left.read_bytes()), json.loads(right.read_bytes())
    except ValueError:
        return False
    return bool(_without(a, keys) == _without(b, keys))


def compare(left: Path, right: Path, keys: frozenset[str] = frozenset()) -> int:
    """Print every file that differs between two records; return the number of differences.

    ``keys``: scorecard keys a change is known to add (compared without them; every other byte must match).
    """
    lfiles = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    rfiles = {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    problems = 0
    for rel in sorted(lfiles - rfiles):
        print(f"only in {left}: {rel}")
        problems += 1
    for rel in sorted(rfiles - lfiles):
        print(f"only in {right}: {rel}")
        problems += 1
    for rel in sorted(lfiles & rfiles):
        if not _same(left / rel, right / rel, keys):
            print(f"differs: {rel}")
            problems += 1
    print(f"{len(lfiles & rfiles)} files compared, {problems} differences")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command line: ``record`` or ``compare``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="run checker over the fixed inputs and write every output")
    rec.add_argument("out", type=Path)
    rec.add_argument("--tree", type=Path, default=HERE, help="checkout whose checker runs (default: this one)")
    rec.add_argument("--reports", type=int, default=300, help="reports in the benchmark slice (default 300)")
    rec.add_argument("--seed", type=int, default=7)
    rec.add_argument("--python", default=sys.executable)
    rec.add_argument("--shared", type=Path, default=SHARED, help="shared data folder with devset/ (default ../shared)")
    cmp_ = sub.add_parser("compare", help="compare two records byte for byte")
    cmp_.add_argument("left", type=Path)
    cmp_.add_argument("right", type=Path)
    cmp_.add_argument("--scorecard-key", action="append", default=[],
                      help="a key the change adds to every scorecard: JSON files are compared without it")
    args = parser.parse_args(argv)
    if args.command == "record":
        return 2 if record(args.tree, args.out, args.reports, args.seed, args.python, args.shared) else 0
    return 1 if compare(args.left, args.right, frozenset(args.scorecard_key)) else 0


if __name__ == "__main__":
    raise SystemExit(main())

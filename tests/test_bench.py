"""The benchmark script (benchmarks/bench.py) runs on a tiny corpus and writes its JSON.

Not a timed test: it checks that the corpus generator and the measuring code work and
that the JSON has the keys docs/scale.md quotes, whatever the figures are.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.scripts import load_script

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "bench.py"


def _bench() -> ModuleType:
    return load_script(BENCH, "checker_bench")


def test_corpus_is_deterministic_mixed_and_nested(tmp_path: Path) -> None:
    bench = _bench()
    a = bench.make_corpus(tmp_path / "a", 30, seed=3)
    b = bench.make_corpus(tmp_path / "b", 30, seed=3)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.txt"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.txt"))
    assert files_a == files_b and len(files_a) == 30
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    assert a["chars"] == b["chars"] and a["folders"] > 1
    assert all(len(f.parts) == 3 for f in files_a)  # nested: pNN/cNN/report-NNNNNN.txt
    assert set(a["encodings"]) <= {"utf-8", "utf-8-sig", "gb18030", "utf-16"} and len(a["encodings"]) >= 2
    assert 3000 * 30 * 0.9 <= a["chars"] <= 20000 * 30


@pytest.mark.slow
def test_tiny_benchmark_run_writes_the_json(tmp_path: Path) -> None:
    bench = _bench()
    out = tmp_path / "bench.json"
    code = bench.main(["--reports", "20", "--quick", "--corpus", str(tmp_path / "corpus"), "--out", str(out)])
    assert code == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert {"schema", "machine", "corpus", "audit", "rg", "targets"} <= set(result)
    assert {"nproc", "cpu_model", "ram_gb"} <= set(result["machine"])
    audit = result["audit"]
    for key in ("mode", "wall_s", "cpu_s", "reports_per_s", "chars_per_s", "peak_tree_rss_mb", "max_process_rss_mb",
                "cpu_ms_per_report"):
        assert key in audit, key
    assert audit["returncode"] == 0, audit["stderr_tail"]
    assert audit["wall_s"] > 0 and audit["peak_tree_rss_mb"] > 0
    if audit["mode"] == "audit":
        assert audit["checked"] == 20 and audit["errors"] == 0
    assert "available" in result["rg"] and result["rg"]["terms"] > 100
    assert len(result["loadavg_start"]) == 3 and len(result["loadavg_end"]) == 3
    assert {"reports_per_s_ge_200", "peak_rss_lt_300mb"} <= set(result["targets"])
    if result["rg"]["available"]:  # rg before and after the audit, and the ratio beside the times
        assert result["rg"]["runs"] == 2 and audit["rg_factor"] > 0
        assert audit["rg_factor"] == round(audit["wall_s"] / result["rg"]["wall_s"], 1)
    if result["rg"]["available"]:
        assert result["rg"]["files_matched"] > 0
    else:
        assert "NOT installed" in result["rg"]["note"]
    assert "peak_rss_lt_300mb" in result["targets"]


@pytest.mark.slow
def test_cold_start_is_interleaved_with_python_and_given_as_ratios() -> None:
    bench = _bench()
    cold = bench.cold_start(2)
    assert cold["interleaved"] and len(cold["loadavg_before"]) == 3
    assert set(cold) >= {"python", "check", "check_json", "help"}
    assert cold["python"]["factor"] == 1.0
    for key in ("check", "check_json"):
        assert cold[key]["factor"] == pytest.approx(cold[key]["best_s"] / cold["python"]["best_s"], rel=0.01)
        assert cold[key]["factor"] > 1 and cold[key]["best_cpu_s"] > 0
        assert "/dev/null" not in cold[key]["command"]

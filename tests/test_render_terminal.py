"""The terminal report as a reviewer reads it: full width, readable evidence wrapped rather than cut,
--evidence full, a line per report after several, a progress bar, titles never cut mid-word."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.render.check_rich import TITLE_BREAKS
from tests.conftest import SEED_FILES, SEEDS, cli

ZIYANG = SEEDS / "001_335ed3547a572491.txt"


def _run(*args: object, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _flat(text: str) -> str:
    """The output with line breaks and the hanging indent removed (wrapped text joined again)."""
    return re.sub(r"\n *", "", text)


def test_full_width_when_columns_says_so_and_100_when_piped() -> None:
    _, narrow, _ = _run("check", ZIYANG)
    assert max(len(line) for line in narrow.splitlines()) <= 100
    _, wide, _ = _run("check", ZIYANG, env={"COLUMNS": "160"})
    widths = [len(line) for line in wide.splitlines()]
    assert max(widths) > 100 and max(widths) <= 160


def test_evidence_is_wrapped_not_cut_with_forty_characters_of_context() -> None:
    card = cli("check", ZIYANG, "-f", "json").json()
    _, out, _ = _run("check", ZIYANG)
    flat = _flat(out)
    contexts = []
    for item in card["items"]:
        if not item["evidence"]:
            continue
        ev = next((e for e in item["evidence"] if e["quantified"]), item["evidence"][0])
        a, b = ev["highlight"]
        shown = ev["quote"]
        assert shown in flat, (item["id"], "the whole quote, wrapped")
        contexts.append(len(shown) - (b - a))
    assert sum(1 for c in contexts if c >= 40) >= len(contexts) // 2, contexts  # the rest: the sentence is shorter


def test_evidence_full_prints_every_quote_with_its_section() -> None:
    card = cli("check", ZIYANG, "-f", "json").json()
    _, out, _ = _run("check", ZIYANG, "--evidence", "full", env={"COLUMNS": "200"})
    flat = _flat(out)
    for item in card["items"]:
        for ev in item["evidence"]:
            section = f"〔{ev['section']}〕" if ev["section"] else ""
            assert f"{section}{ev['quote']}".replace(" ", "") in flat.replace(" ", ""), (item["id"], ev)


def test_several_reports_end_with_a_line_per_report() -> None:
    code, out, _ = _run("check", SEEDS, env={"COLUMNS": "160"})
    assert code == 0
    tail = out[out.rindex("共 5 份报告"):].splitlines()
    assert len(tail) == 1 + 1 + 5  # title, column heads, one line per report
    for path, line in zip(SEED_FILES, tail[2:], strict=True):
        assert line.endswith(path.name) and len(line) <= 160
    assert next(line for line in tail if "紫阳县" in line).split()[:3] == ["61.2", "29/5/22", "紫阳县"]
    _, single, _ = _run("check", ZIYANG)
    assert "共 1 份报告" not in single


def test_titles_are_never_cut_mid_word() -> None:
    _, out, _ = _run("check", SEEDS)
    titles = re.findall(r"^[✔◐✘–] ([A-Z]{2}\d\d)\s+(\S+)", out, flags=re.M)
    assert titles
    cards = cli("check", SEEDS, "-f", "json").json()
    assert isinstance(cards, list)
    full: dict[str, set[str]] = {}  # id -> titles as shown uncut (recommended items end with （建议）)
    for card in cards:
        for i in card["items"]:
            full.setdefault(i["id"], set()).add(i["title"] + ("（建议）" if i["severity"] == "recommended" else ""))
    for item_id, title in titles:
        if title.endswith("…"):
            shown = title[:-1]
            # cut right before a break (the break itself not shown): 立法工作机制（公众参与… is cut before 、
            assert any(f.startswith(shown) and len(f) > len(shown) and f[len(shown)] in TITLE_BREAKS
                       for f in full[item_id]), title


def test_progress_bar_on_a_terminal_for_many_files_only() -> None:
    _, _, err = _run("check", SEEDS, SEEDS / ".." / "seeds", env={"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"})
    assert "检查" in err and "10/10" in err
    _, _, err = _run("check", ZIYANG, env={"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"})
    assert "检查" not in err


def test_in_colour_each_highlighted_quote_is_one_run_not_one_escape_per_character() -> None:
    """The matched words of an evidence line are one styled run: the terminal gets them in one colour sequence."""
    card = cli("check", ZIYANG, "-f", "json").json()
    _, out, _ = _run("check", ZIYANG, env={"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1", "COLUMNS": "400"})
    highlighted = [ev["quote"][ev["highlight"][0]:ev["highlight"][1]] for item in card["items"]
                   for ev in [next((e for e in item["evidence"] if e["quantified"]), None) or
                              (item["evidence"] or [None])[0]] if ev is not None]
    assert highlighted
    bold_magenta = "\x1b[1;35m"
    for words in highlighted:
        assert f"{bold_magenta}{words}\x1b[0m" in out, words
    assert out.count(bold_magenta) == len(highlighted)


@pytest.mark.parametrize("width", [12, 20, 40, 61, 100, 160])
def test_lines_already_within_the_width_are_printed_as_rich_would_wrap_them(width: int,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """When every line fits, the report skips rich's second wrapping (and, into a plain buffer as for ``-o``, rich
    itself): the output must be what rich's wrapping gives, in colour and without."""
    import io

    from checker.pipeline import check_file
    from checker.render import check_rich
    from checker.render.console import SafeConsole
    from checker.rules.loader import load_many

    loaded = load_many([])
    reports = [check_file(path, loaded) for path in SEED_FILES[:4]]

    def printed(mode: str, colour: bool) -> str:
        out = io.StringIO()
        console = SafeConsole(file=out, width=width, highlight=False, force_terminal=colour,
                              color_system="truecolor" if colour else None)
        check_rich.render_all(reports, console, evidence=mode)  # type: ignore[arg-type]
        return out.getvalue()

    cases = [(mode, colour) for mode in ("snippet", "full") for colour in (True, False)]
    fast = {case: printed(*case) for case in cases}
    monkeypatch.setattr(check_rich, "_within", lambda _line, _width: False)  # always let rich wrap
    for case, text in fast.items():
        assert text == printed(*case), (width, case)

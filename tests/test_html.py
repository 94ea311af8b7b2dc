"""The audit dashboard (`checker audit --html`): self-contained, escaped, and working in a
real headless browser (Debian's chromium driven by Playwright; marker ``browser``)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED_FILES, cli
from tests.test_audit import CL

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE_NAME = '<b>&"q.txt'
HOSTILE_TITLE = "<img src=x onerror=alert(1)>紫阳县2023年法治政府建设工作总结"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    base = tmp_path_factory.mktemp("html")
    src = base / "reports"
    for k, seed in enumerate(SEED_FILES):
        (src / f"set{k % 2}").mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, src / f"set{k % 2}" / seed.name)
    ziyang = next(p for p in SEED_FILES if p.name.startswith("001")).read_text(encoding="utf-8")
    (src / HOSTILE_NAME).write_text(HOSTILE_TITLE + "\n" + ziyang.split("\n", 1)[1], encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    out = base / "out"
    page = base / "dashboard.html"
    result = cli("audit", src, "--out", out, "--jobs", "1", "--html", page, *CL)
    assert result.code == 3, result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return page, summary


def test_the_page_is_self_contained_and_escaped(dashboard: tuple[Path, dict[str, Any]]) -> None:
    page, summary = dashboard
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert "Noto Sans CJK SC" in html and "WenQuanYi" in html and "sans-serif" in html
    inert = html.replace("img src=x", "")  # the hostile title (escaped: no "<img" in the page, see below)
    assert not re.search(r"https?://|<link\b|\bsrc=|@import|url\(", inert), "the page must not load anything"
    # Escaped wherever it appears: as text in the table, as JSON in the data script.
    assert "&lt;b&gt;&amp;&quot;q.txt" in html
    assert HOSTILE_NAME not in html and "<img" not in html
    assert html.count("</script>") == html.count("<script")
    assert html.count('<tr class="report"') == summary["totals"]["checked"]
    assert "empty.txt" in html and "文件为空" in html  # the error list


def test_the_page_is_deterministic(dashboard: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    page, _ = dashboard
    again = tmp_path / "again.html"
    src = page.parent / "reports"
    assert cli("audit", src, "--out", page.parent / "out", "--resume", "--html", again, *CL).code == 3
    assert again.read_bytes() == page.read_bytes()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                    "(apt-get install -y chromium fonts-noto-cjk; pip install playwright)")
def test_in_a_headless_browser(dashboard: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    from playwright.sync_api import Dialog, sync_playwright

    page_path, summary = dashboard
    checked = [r for r in summary["reports"] if r["status"] == "checked"]
    # Seed 003 is on 2020: its group (gangyao-2015) has a heat map of its own, before the 2021 one.
    groups = [g["checklist"] for g in summary["groups"]]
    assert groups == ["gangyao-2015", "gangyao-2021"]
    in_page = [r for g in groups for r in checked if r["checklist"] == g]
    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

            def on_dialog(dialog: Dialog) -> None:
                problems.append(f"dialog: {dialog.message}")
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_path.as_uri())
            rows = page.locator("table.heat tbody tr.report")
            assert rows.count() == len(checked), problems
            assert page.locator("table.heat").count() == 2
            assert page.locator("#shown").inner_text() == f"显示 {len(checked)} / {len(checked)} 份报告"
            for n, group in enumerate(summary["groups"]):
                cells = page.locator("table.heat").nth(n).locator("tbody tr.report").first.locator("td.cell")
                assert cells.count() == len(group["parts"])

            def column(attr: str, table: int = 1) -> list[str]:  # the second heat map: four reports
                return [r.get_attribute(attr) or "" for r in page.locator("table.heat").nth(table).locator(
                    "tbody tr.report").all()]

            assert [r.get_attribute("data-path") for r in rows.all()] == [r["path"] for r in in_page]
            page.click("button[data-sort=score]")
            scores = [float(s) for s in column("data-score")]
            assert len(scores) > 2 and scores == sorted(scores, reverse=True), scores
            assert column("data-path", 0) == [in_page[0]["path"]]  # sorting keeps each group in its table
            page.click("button[data-sort=score]")
            assert [float(s) for s in column("data-score")] == sorted(scores)
            page.click("button[data-sort=body]")
            bodies = column("data-body")
            assert page.evaluate(
                "b => b.every((x, i) => i === 0 || b[i - 1].localeCompare(x, 'zh-Hans-CN') <= 0)", bodies)

            # Filter by level.
            level = checked[0]["level"]
            page.select_option("#level-filter", level)
            visible = [r for r in rows.all() if r.is_visible()]
            assert len(visible) == sum(1 for r in checked if r["level"] == level)
            assert {r.get_attribute("data-level") for r in visible} == {level}
            page.select_option("#level-filter", "")
            assert sum(1 for r in rows.all() if r.is_visible()) == len(checked)

            # Drill-down: the report's items with the evidence quotes.
            target = next(r for r in checked if r["path"] == HOSTILE_NAME)
            card = json.loads((page_path.parent / "out" / target["scorecard"]).read_text(encoding="utf-8"))
            assert page.locator("#detail").is_hidden()
            page.locator(f"table.heat tr.report[data-path='{HOSTILE_NAME.replace(chr(34), chr(92) + chr(34))}']").click()
            detail = page.locator("#detail")
            assert detail.is_visible()
            assert detail.locator("tr[data-item]").count() == len(card["items"])
            text = detail.inner_text()
            quotes = [e["quote"] for i in card["items"] for e in i["evidence"]]
            assert quotes and all(q in text for q in quotes[:5])
            assert HOSTILE_NAME in text
            assert detail.locator("mark").count() == len(quotes)
            statuses = {i["id"]: i["status"] for i in card["items"]}
            for item_id, status in list(statuses.items())[:5]:
                assert detail.locator(f"tr[data-item='{item_id}']").get_attribute("data-status") == status
            assert page.locator("img").count() == 0  # the hostile title stayed text
            shot = tmp_path / "dashboard.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
    assert problems == [], problems
    assert requests == [page_path.as_uri()], f"the page must load nothing else: {requests}"

"""Saved web pages whose parts are <h2>/<h3>/<h4> headings (issue 14, point 5).

The extractor drops short headings; checker.readers.web puts back those whose following
text is in the article, so a report saved as a web page keeps its parts (the next-year
plans among them), while the site's navigation and footer stay out.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from checker.readers import read_report
from tests.conftest import SEED_FILES, cli
from tests.test_readers import assert_same_verdicts

NAV = ["网站首页", "无障碍浏览", "网站地图", "走进本县"]
FOOTER = "主办单位：某县人民政府办公室　网站标识码：6109000001"


def web_page(seed: Path, path: Path, *, h4: bool = False) -> Path:
    """The seed as a government site's page: parts as <h2>, sub-parts as <h3> (or <h4>), with a
    navigation bar, a sidebar with its own <h2> and a footer."""
    lines = [ln.strip() for ln in seed.read_text(encoding="utf-8").splitlines() if ln.strip()]
    body = []
    for ln in lines[1:]:
        if re.match(r"^[一二三四五六七八九十]{1,3}、", ln) and len(ln) < 40:
            body.append(f"<h2>{html.escape(ln)}</h2>")
        elif re.match(r"^[（(][一二三四五六七八九十]{1,3}[)）]", ln) and len(ln) < 40:
            tag = "h4" if h4 else "h3"
            body.append(f"<{tag}>{html.escape(ln)}</{tag}>")
        else:
            body.append(f"<p>{html.escape(ln)}</p>")
    nav = "".join(f'<li><a href="/{i}">{name}</a></li>' for i, name in enumerate(NAV))
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{html.escape(lines[0])}_某县人民政府</title></head><body>
<div class="nav"><ul>{nav}</ul></div>
<div class="side"><h2>热点专题</h2><ul><li><a href="/a">优化营商环境专题报道</a></li></ul></div>
<div class="article"><h1>{html.escape(lines[0])}</h1>
{chr(10).join(body)}
</div>
<div class="footer"><p>{FOOTER}</p><p>联系电话：0915-0000000</p></div></body></html>"""
    path.write_text(page, encoding="utf-8")
    return path


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem[:3])
def test_h2_h3_parts_give_the_verdicts_of_the_text(seed: Path, tmp_path: Path) -> None:
    page = web_page(seed, tmp_path / "report.html")
    decoded = read_report(page)
    assert_same_verdicts(seed, decoded)
    for word in [*NAV, "热点专题", "主办单位", "联系电话"]:
        assert word not in decoded.text
    headings = re.findall(r"<h[23]>(.*?)</h[23]>", page.read_text(encoding="utf-8"))
    lines = decoded.text.splitlines()
    for heading in headings:
        if heading != "热点专题":
            assert html.unescape(heading) in lines, heading


def test_h4_subparts_and_plans_heading_kept(tmp_path: Path) -> None:
    seed = SEED_FILES[1]
    page = web_page(seed, tmp_path / "report.htm", h4=True)
    decoded = read_report(page)
    assert_same_verdicts(seed, decoded)
    assert "三、下一步工作打算" in decoded.text.splitlines()


def test_plans_part_through_the_cli(tmp_path: Path) -> None:
    page = web_page(SEED_FILES[1], tmp_path / "report.html")
    card = cli("check", page, "-f", "json").json()
    assert isinstance(card, dict)
    roles = {ev["role"] for item in card["items"] for ev in item["evidence"]}
    assert "plans" in roles
    statuses = {item["id"]: item["status"] for item in card["items"]}
    text_card = cli("check", SEED_FILES[1], "-f", "json").json()
    assert isinstance(text_card, dict)
    assert statuses == {item["id"]: item["status"] for item in text_card["items"]}

"""The audit dashboard: ONE self-contained HTML page (no network; inline CSS and JS).

A heat map of reports × 纲要 parts coloured by coverage, sortable by score and by body,
filterable by level; a click on a report shows its items with the evidence quotes.
The table is rendered here (escaped with :func:`html.escape`); the drill-down data is
embedded as JSON and put on the page by the script with ``textContent`` only.

The page is written as a stream – one scorecard read at a time – to a temporary file that
is renamed into place, so memory does not grow with the number of reports.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from html import escape
from pathlib import Path
from typing import IO, TYPE_CHECKING

from checker.scorecard import Scorecard
from checker.text.sanitize import visible
from checker.vocabulary import LEVEL_LABELS, SEVERITY_LABELS, STATUS_LABELS, Level, Severity, Status

if TYPE_CHECKING:
    from checker.audit.summary import AuditSummary, Row
    from checker.render.registry import AuditResult

FONTS = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", '
         '"WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", sans-serif')

CSS = """
*{box-sizing:border-box}
body{font-family:%FONTS%;margin:0;padding:16px 24px;color:#1f2328;background:#fff;font-size:14px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:20px 0 8px}
.meta{color:#57606a;margin:0 0 12px}
.controls{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin:8px 0 12px}
.controls button,.controls select{font:inherit;padding:4px 10px;border:1px solid #d0d7de;border-radius:6px;
 background:#f6f8fa;cursor:pointer}
.controls button[aria-pressed=true]{background:#0969da;color:#fff;border-color:#0969da}
#shown{color:#57606a}
.wrap{overflow-x:auto}
table.heat{border-collapse:collapse}
table.heat th,table.heat td{border:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:middle}
table.heat th{background:#f6f8fa;position:sticky;top:0;font-weight:600}
table.heat th.part{writing-mode:vertical-rl;text-orientation:mixed;font-weight:500;white-space:nowrap;
 vertical-align:bottom}
table.heat td.cell{text-align:center;min-width:42px;font-variant-numeric:tabular-nums}
table.heat td.score{font-weight:700;text-align:right;font-variant-numeric:tabular-nums}
table.heat tr.report{cursor:pointer}
table.heat tr.report:hover td,table.heat tr.report:focus td{outline:1px solid #0969da}
table.heat tr.selected td{box-shadow:inset 0 0 0 2px #0969da}
td.na{background:#eaeef2;color:#8c959f}
.warn{color:#bc4c00}
#detail{margin-top:16px;border:1px solid #d0d7de;border-radius:8px;padding:12px 16px}
#detail h2{margin-top:0}
table.items{border-collapse:collapse;width:100%}
table.items td,table.items th{border-top:1px solid #eaeef2;padding:6px;vertical-align:top;text-align:left}
.st{white-space:nowrap;font-weight:600}
.st-covered{color:#1a7f37}.st-partial{color:#9a6700}.st-missing{color:#cf222e}.st-not_applicable{color:#8c959f}
.quote{margin:2px 0;color:#24292f}
.quote .ln{color:#0969da;margin-right:4px}
mark{background:#fff1a8;padding:0 1px}
.reason{color:#9a6700}.hint{color:#57606a}
#errors li{color:#cf222e}
.badge{display:inline-block;margin-left:4px;padding:0 4px;border-radius:4px;background:#ddf4ff;color:#0969da;
 font-size:12px;font-weight:500}
.badge.waived{background:#fff8c5;color:#9a6700}
.review{color:#0969da}.waiver{color:#9a6700}
tr.reviewed td{background:#f6fbff}
""".replace("%FONTS%", FONTS)

SCRIPT = r"""
(function(){
'use strict';
var data = JSON.parse(document.getElementById('report-data').textContent);
var labels = JSON.parse(document.getElementById('labels').textContent);
var rows = Array.prototype.slice.call(document.querySelectorAll('table.heat tbody tr.report'));
var order = {key: 'path', dir: 1};
function cmp(a, b){
  var k = order.key, x, y;
  if (k === 'score'){ x = parseFloat(a.dataset.score); y = parseFloat(b.dataset.score);
    if (x !== y) return (x - y) * order.dir; }
  else if (k === 'body'){ x = a.dataset.body; y = b.dataset.body;
    var c = x.localeCompare(y, 'zh-Hans-CN'); if (c) return c * order.dir; }
  return a.dataset.path < b.dataset.path ? -1 : a.dataset.path > b.dataset.path ? 1 : 0;
}
function sortBy(key){
  if (order.key === key) order.dir = -order.dir; else { order.key = key; order.dir = key === 'score' ? -1 : 1; }
  rows.sort(cmp);
  rows.forEach(function(r){ r.parentNode.appendChild(r); });
  document.querySelectorAll('[data-sort]').forEach(function(b){
    b.setAttribute('aria-pressed', b.dataset.sort === key ? 'true' : 'false');
    if (b.tagName === 'TH') b.setAttribute('aria-sort',
      b.dataset.sort === key ? (order.dir > 0 ? 'ascending' : 'descending') : 'none');
  });
}
function filter(){
  var level = document.getElementById('level-filter').value, n = 0;
  rows.forEach(function(r){ var show = !level || r.dataset.level === level; r.hidden = !show; if (show) n++; });
  document.getElementById('shown').textContent = labels.shown.replace('{n}', n).replace('{total}', rows.length);
}
function el(tag, cls, text){ var e = document.createElement(tag); if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text; return e; }
function show(row){
  rows.forEach(function(r){ r.classList.remove('selected'); });
  row.classList.add('selected');
  var d = data[row.dataset.id], box = document.getElementById('detail');
  box.textContent = '';
  box.appendChild(el('h2', null, d.title || d.path));
  box.appendChild(el('p', 'meta', [d.path, d.body || labels.unknown, d.level, d.year || labels.unknown,
    labels.score + ' ' + d.score].join(' · ')));
  if (!d.annual) box.appendChild(el('p', 'warn', labels.not_annual));
  if (d.stale) box.appendChild(el('p', 'warn', labels.stale));
  var t = el('table', 'items'), head = el('tr');
  labels.columns.forEach(function(c){ head.appendChild(el('th', null, c)); });
  t.appendChild(head);
  d.items.forEach(function(it){
    var tr = el('tr'); tr.dataset.item = it.id; tr.dataset.status = it.status;
    var st = el('td', 'st st-' + it.status, labels.status[it.status]);
    if (it.review) st.appendChild(el('span', 'badge', labels.badge));
    if (it.waiver && !it.waiver.expired) st.appendChild(el('span', 'badge waived', labels.waived));
    tr.appendChild(st);
    tr.appendChild(el('td', null, it.id));
    var what = el('td'); what.appendChild(el('div', null, it.title));
    what.appendChild(el('div', 'hint', it.part + ' · ' + labels.severity[it.severity]));
    tr.appendChild(what);
    var ev = el('td');
    it.evidence.forEach(function(e){
      var q = el('div', 'quote'); q.appendChild(el('span', 'ln', labels.line.replace('{n}', e.line)));
      q.appendChild(document.createTextNode(e.quote.slice(0, e.hl[0])));
      q.appendChild(el('mark', null, e.quote.slice(e.hl[0], e.hl[1])));
      q.appendChild(document.createTextNode(e.quote.slice(e.hl[1])));
      ev.appendChild(q);
    });
    if (it.reason) ev.appendChild(el('div', 'reason', '→ ' + it.reason));
    if (it.review) {
      tr.classList.add('reviewed');
      ev.appendChild(el('div', 'review', labels.reviewed.replace('{machine}', labels.status[it.machine])
        .replace('{reviewer}', it.review.reviewer).replace('{date}', it.review.date) +
        (it.review.reason ? labels.because + it.review.reason : '')));
    }
    if (it.waiver) ev.appendChild(el('div', 'waiver', (it.waiver.expired ? labels.waiver_expired : labels.waiver)
      + it.waiver.reason + labels.approver + it.waiver.approver + labels.expires + it.waiver.expires));
    if (it.status === 'missing' || it.status === 'partial') ev.appendChild(el('div', 'hint', labels.hint + it.hint));
    tr.appendChild(ev);
    t.appendChild(tr);
  });
  box.appendChild(t);
  box.hidden = false;
  box.scrollIntoView({block: 'nearest'});
}
rows.forEach(function(r){
  r.addEventListener('click', function(){ show(r); });
  r.addEventListener('keydown', function(ev){
    if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); show(r); }
  });
});
document.querySelectorAll('[data-sort]').forEach(function(b){
  b.addEventListener('click', function(){ sortBy(b.dataset.sort); });
});
document.getElementById('level-filter').addEventListener('change', filter);
filter();
})();
"""

LABELS = {
    "shown": "显示 {n} / {total} 份报告",
    "unknown": "未识别",
    "score": "得分",
    "not_annual": "⚠ 这可能不是法治政府建设年度报告",
    "columns": ["状态", "条目", "要求", "证据"],
    "line": "第{n}行",
    "hint": "应写明：",
    "status": {s.value: STATUS_LABELS[s] for s in Status},
    "severity": {s.value: SEVERITY_LABELS[s] for s in Severity},
    "badge": "已复核",
    "reviewed": "复核：机器判定为“{machine}”，{reviewer} 于 {date} 复核改定",
    "because": "；说明：",
    "stale": "⚠ 复核意见针对的是此报告的另一版本，本次未采用，请重新复核",
    "waived": "已豁免",
    "waiver": "豁免：",
    "waiver_expired": "豁免（已过期，不再有效）：",
    "approver": "；批准：",
    "expires": "；有效至 ",
}


def _escape(text: str) -> str:
    """HTML-escaped text whose control characters and bidi overrides (from file names) show as escapes."""
    return escape(visible(text))


def _script_json(data: object) -> str:
    """JSON safe inside a <script> element (no '<', '>' or '&' that could end or confuse it)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _colour(score: float | None) -> str:
    if score is None:
        return ""
    hue = round(score * 1.2)  # 0 red … 120 green
    return f"background:hsl({hue},70%,{78 if score < 100 else 72}%)"


def _level(value: str | None) -> str:
    return LEVEL_LABELS[Level(value)] if value else "未识别"


def _row_html(k: int, row: Row, parts: list[str]) -> str:
    e = _escape
    cells = []
    for part in parts:
        score = row.part_scores.get(part)
        if part not in row.part_scores or score is None:
            cells.append(f'<td class="cell na" title="{e(part)}：不适用">–</td>')
        else:
            cells.append(f'<td class="cell" style="{_colour(score)}" title="{e(part)}：{score:.1f}">{score:.0f}</td>')
    warn = "" if row.is_annual_report else ' <span class="warn" title="可能不是法治政府建设年度报告">⚠</span>'
    if row.reviewed:
        warn += f' <span class="badge" title="{row.reviewed} 个条目以复核结论为准">已复核 {row.reviewed}</span>'
    if row.reviews_stale:
        warn += ' <span class="warn" title="报告已修改，原复核结论未采用">复核已过时</span>'
    return (
        f'<tr class="report" tabindex="0" data-id="r{k}" data-path="{e(row.path)}" data-body="{e(row.body or "")}"'
        f' data-level="{e(row.level or "")}" data-score="{row.score or 0.0:.1f}">'
        f"<td>{e(row.path)}{warn}</td><td>{e(row.body or '未识别')}</td><td>{e(_level(row.level))}</td>"
        f"<td>{e(str(row.year or '未识别'))}</td>"
        f'<td class="score" style="{_colour(row.score)}">{row.score or 0.0:.1f}</td>{"".join(cells)}</tr>\n'
    )


def _card_data(card: Scorecard, row: Row) -> dict[str, object]:
    doc = card.document
    return {
        "path": visible(row.path),
        "title": doc.title,
        "body": doc.body,
        "level": _level(doc.level),
        "year": doc.year,
        "score": card.summary.score,
        "annual": doc.is_annual_report,
        "stale": doc.reviews_stale,
        "items": [
            {
                "id": i.id, "title": i.title, "part": i.part, "severity": i.severity, "status": i.status,
                "reason": i.reason, "hint": i.hint, "machine": i.machine_status,
                "review": i.review.model_dump() if i.review else None,
                "waiver": {"reason": i.waiver.reason, "approver": i.waiver.approver, "expires": i.waiver.expires,
                           "expired": i.waiver.expired} if i.waiver else None,
                "evidence": [{"quote": ev.quote, "hl": list(ev.highlight), "line": ev.line} for ev in i.evidence],
            }
            for i in card.items
        ],
    }


def _write_page(fh: IO[str], summary: AuditSummary, out_dir: Path) -> None:
    e = _escape
    def checked() -> Iterator[Row]:  # the rows are streamed from disk, never held as a list
        return (r for r in summary.reports if r.status == "checked")

    t = summary.totals
    fh.write('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
             '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             "<title>法治政府建设年度报告审计</title>\n<style>" + CSS + "</style>\n</head>\n<body>\n")
    fh.write("<h1>法治政府建设年度报告审计</h1>\n")
    mean = f"，平均得分 {t.mean_score:.1f}" if t.mean_score is not None else ""
    lists = "、".join(f"{c.id} v{c.version}" for c in summary.checklists)
    fh.write(f'<p class="meta">共 {t.files} 个文件，已检查 {t.checked} 份，错误 {t.errors} 个{e(mean)}。'
             f"清单：{e(lists)}。颜色表示各部分的覆盖程度（0 红 – 100 绿）；点击一行查看条目和证据。</p>\n")
    fh.write('<div class="controls"><label>层级 <select id="level-filter"><option value="">全部</option>')
    levels = sorted({r.level for r in checked() if r.level}, key=lambda v: list(Level).index(Level(v)))
    for lv in levels:
        fh.write(f'<option value="{e(lv)}">{e(_level(lv))}</option>')
    fh.write("</select></label>"
             '<button type="button" data-sort="score" aria-pressed="false">按得分排序</button>'
             '<button type="button" data-sort="body" aria-pressed="false">按单位排序</button>'
             '<button type="button" data-sort="path" aria-pressed="true">按文件排序</button>'
             '<span id="shown"></span></div>\n')
    # Reports of several 纲要 periods: one heat map per checklist, each with its own parts.
    groups = summary.groups if len(summary.groups) > 1 else []
    if groups:
        fh.write(f'<p class="meta">报告分属 {len(groups)} 个纲要时期，按各自的清单分组显示；'
                 "不同时期的条目和部分不同，得分只宜在同一组内比较。</p>\n")
    for n, group in enumerate(groups or [None]):
        parts = group.parts if group is not None else summary.parts
        if group is not None:
            years = f"，{group.years}的报告" if group.years else ""
            fh.write(f'<h2 class="group">{e(group.checklist)}：{e(group.title)}（{group.reports} 份{e(years)}）</h2>\n')
        fh.write(f'<div class="wrap"><table class="heat" id="{"heatmap" if n == 0 else f"heatmap-{n + 1}"}">'
                 '<thead><tr><th data-sort="path" aria-sort="ascending">文件</th><th data-sort="body">单位</th>'
                 '<th>层级</th><th>年度</th><th data-sort="score">得分</th>')
        for part in parts:
            fh.write(f'<th class="part" title="{e(part)}">{e(part)}</th>')
        fh.write("</tr></thead>\n<tbody>\n")
        for k, row in enumerate(checked()):  # k: the row's place in the report data, whatever its group
            if group is None or row.checklist == group.checklist:
                fh.write(_row_html(k, row, parts))
        fh.write("</tbody></table></div>\n")
    fh.write('<section id="detail" hidden></section>\n')
    if summary.errors:
        fh.write(f'<section id="errors"><h2>无法检查的文件（{len(summary.errors)} 个）</h2><ul>')
        for err in summary.errors:
            fh.write(f"<li>{e(err.path)}：{e(err.cause)}</li>")
        fh.write("</ul></section>\n")
    fh.write(f'<script type="application/json" id="labels">{_script_json(LABELS)}</script>\n')
    fh.write('<script type="application/json" id="report-data">{')
    for k, (row, card) in enumerate(_cards(checked(), out_dir)):
        item = _script_json(_card_data(card, row)) if card is not None else _script_json(
            {"path": visible(row.path), "title": row.title, "body": row.body, "level": _level(row.level),
             "year": row.year, "score": row.score, "annual": row.is_annual_report, "items": []})
        fh.write(("," if k else "") + f'"r{k}":{item}')
    fh.write("}</script>\n<script>" + SCRIPT + "</script>\n</body>\n</html>\n")


def _cards(rows: Iterable[Row], out_dir: Path) -> Iterator[tuple[Row, Scorecard | None]]:
    for row in rows:
        card = None
        if row.scorecard:
            with contextlib.suppress(OSError, ValueError):
                card = Scorecard.model_validate_json((out_dir / row.scorecard).read_bytes())
        yield row, card


def write_dashboard(path: Path, summary: AuditSummary, out_dir: Path) -> None:
    """Write the dashboard atomically (streamed into a temporary file, then renamed)."""
    from checker.files.atomic import open_atomic

    with open_atomic(path) as fh:
        _write_page(fh, summary, out_dir)


def write(result: AuditResult, path: Path) -> None:
    """Write the dashboard of an audit to ``path`` (the registry's signature)."""
    write_dashboard(path, result.summary, result.opts.out)

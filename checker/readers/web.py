"""A saved web page (.html/.htm …): trafilatura extracts the article body.

The page title and publication date come first so the title block is recognised; the
site's navigation and footer are left out.
"""

from __future__ import annotations

import re
from typing import Any

from checker.readers.common import HAN, Source, finish
from checker.readers.sniff import SNIFF_LABELS
from checker.text.decode import DecodedText, InputError

#: Every suffix this reader is chosen for.
SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GOV_TITLE_META = ("ArticleTitle", "articletitle", "title", "og:title", "dc.title", "DC.Title")
_GOV_SOURCE_META = ("ContentSource", "contentsource", "source")
_GOV_DATE_META = ("PubDate", "pubdate", "publishdate", "firstpublishedtime", "article:published_time", "dc.date")


def _decode_html(data: bytes, display: str) -> str:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    m = _META_CHARSET.search(data[:8192])
    declared = m.group(1).decode("ascii").lower() if m else None
    if declared in {"gb2312", "gbk", "gb_2312-80", "x-gbk"}:
        declared = "gb18030"  # a superset: pages labelled gb2312 routinely use GBK characters
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 50):
        raise InputError(display, "无法识别网页的文字编码")
    return text


def _meta(tree: Any, names: tuple[str, ...]) -> str | None:
    for name in names:
        for attr in ("name", "property"):
            found = tree.xpath(f"//meta[@{attr}=$n]/@content", n=name)
            for value in found:
                value = str(value).strip()
                if value:
                    return value
    return None


def _clean_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    # "XX县2023年法治政府建设年度报告_XX县人民政府" -> the article's own title
    for sep in ("_", " - ", "-", "|", "｜", "——"):
        if sep in title:
            head = title.split(sep)[0].strip()
            if len(HAN.findall(head)) >= 6:
                return head
    return title


_HEADING_TAGS = ("h2", "h3", "h4")
_SPACE = re.compile(r"\s+")
#: Characters of the text after a heading that must begin an extracted line to place it.
_ANCHOR = 12


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def _next_text(heading: Any) -> str:
    """The text that follows ``heading`` in document order, outside any other heading."""
    out = ""
    for node in heading.xpath("following::text()[normalize-space()]"):
        parent = node.getparent()
        if parent is not None and (
            parent.tag in _HEADING_TAGS or parent.xpath("ancestor::h2|ancestor::h3|ancestor::h4")
        ):
            if out:
                break
            continue
        out += _squash(str(node))
        if len(out) >= _ANCHOR:
            break
    return out[:_ANCHOR]


def _restore_headings(tree: Any, lines: list[str]) -> list[str]:
    """Put back the <h2>–<h4> headings the extractor dropped.

    Each goes before the article line that follows it. A heading whose following text is not in the article (navigation,
    sidebars, footer) stays out.
    """
    keys = [_squash(ln) for ln in lines]
    present = set(keys)
    before: dict[int, list[str]] = {}
    at = 0
    for heading in tree.iter(*_HEADING_TAGS):
        text = _SPACE.sub(" ", heading.text_content()).strip()
        key = _squash(text)
        if not key or key in present or len(key) > 80 or not HAN.search(key):
            continue
        anchor = _next_text(heading)
        if len(anchor) < 4:
            continue
        found = next((j for j in range(at, len(keys)) if keys[j].startswith(anchor)), None)
        if found is None:
            continue
        before.setdefault(found, []).append(text)
        at = found
    if not before:
        return lines
    out: list[str] = []
    for j, line in enumerate(lines):
        out.extend(before.get(j, ()))
        out.append(line)
    return out


def read(src: Source) -> DecodedText:
    """Read the article of a saved web page; a file that is not a web page inside is refused."""
    if src.sniffed in {"zip", "ole", "pdf"}:
        raise src.fail(f"扩展名是 {src.suffix}，但文件内容不是网页（{SNIFF_LABELS[src.sniffed]}）")
    return _read_html(src.data, src.digest, src.display)


def _read_html(data: bytes, digest: str, display: str) -> DecodedText:
    return read_markup(_decode_html(data, display), digest, display)


def read_markup(
    html: str, digest: str, display: str, *, kind: str = "html", label: str = "html", notes: tuple[str, ...] = ()
) -> DecodedText:
    """Extract the article of a decoded web page (also used for the page inside a .mht archive)."""
    import lxml.html
    import trafilatura

    if not html.strip():
        raise InputError(display, "网页为空")
    try:
        tree = lxml.html.document_fromstring(
            html.encode("utf-8", errors="replace"), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
    except Exception:
        raise InputError(display, "网页无法解析（HTML 已损坏）") from None
    try:
        result = trafilatura.bare_extraction(
            html, include_comments=False, include_tables=True, include_images=False,
            include_links=False, with_metadata=True, deduplicate=False, favor_recall=True,
        )  # fmt: skip
        if result is not None and not isinstance(result, dict):
            result = result.as_dict()
    except Exception:  # the extractor failing on a malformed page means: no article found
        result = None
    body = str(result.get("text") or "") if isinstance(result, dict) else ""
    if len(HAN.findall(body)) < 10:
        raise InputError(display, "网页中没有找到正文内容（可能是目录页、需要脚本加载的页面或附件下载页）")
    lines = [re.sub(r"[ \t\u00a0\u3000]+", " ", ln).strip() for ln in body.splitlines()]
    lines = _restore_headings(tree, [ln for ln in lines if ln])
    title = _meta(tree, _GOV_TITLE_META[:1]) or (str(result.get("title") or "") if isinstance(result, dict) else "")
    if not title:
        t = tree.find(".//title")
        title = t.text_content() if t is not None else ""
    title = _clean_title(title)
    date = _meta(tree, _GOV_DATE_META) or (str(result.get("date") or "") if isinstance(result, dict) else "")
    head: list[str] = []
    if title:
        key = title.replace(" ", "")
        # the article repeats its title in its first lines: keep one, at the top
        for k in range(min(3, len(lines))):
            if lines[k].replace(" ", "") == key:
                del lines[k]
                break
        head.append(title)
    source = _meta(tree, _GOV_SOURCE_META)
    meta = [f"发布时间：{date.strip()[:16]}"] if date and date[:10] not in "".join(lines[:3]) else []
    if source and meta and source not in "".join(lines[:3]):
        meta.append(f"来源：{source.strip()[:30]}")
    if meta:
        head.append("　".join(meta))
    notes = (*notes, "已从网页中提取正文（去除导航、页脚等）")
    return finish("\n".join([*head, *lines]), label, digest, display, kind=kind, locator="line", notes=notes)

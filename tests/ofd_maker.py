"""Build report-sized OFD files (GB/T 33190) for tests: a zip of XML parts.

Each report line becomes a paragraph typeset on A4 like a 公文: 16 pt (5.6 mm) characters,
28 to a line, the first line of a paragraph indented two characters, 22 lines a page, a
page number "- N -" in the footer. Every typeset line is one ofd:TextObject whose
ofd:TextCode carries the characters with their advances (DeltaX).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
SIZE = 5.6
LEFT = 28.0
PER_LINE = 28
TOP = 37.0
PITCH = 10.0
PER_PAGE = 22


def _cut(text: str, room: int) -> int:
    """Where a line of at most ``room`` characters ends: never inside a run of Latin letters or digits."""
    if len(text) <= room:
        return len(text)
    cut = room
    while cut > room // 2 and text[cut - 1].isascii() and text[cut - 1].isalnum() and text[cut].isascii() and text[cut].isalnum():
        cut -= 1
    return cut


def _typeset(lines: list[str]) -> list[tuple[float, str]]:
    """(x, text) of each typeset line: paragraphs wrapped at PER_LINE characters."""
    out: list[tuple[float, str]] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        x, room = LEFT + 2 * SIZE, PER_LINE - 2
        while line:
            cut = _cut(line, room)
            out.append((x, line[:cut]))
            line = line[cut:]
            x, room = LEFT, PER_LINE
    return out


def _text_object(oid: int, x: float, y: float, text: str) -> str:
    width = len(text) * SIZE
    deltas = f"g {len(text) - 1} {SIZE}" if len(text) > 1 else ""
    delta_attr = f' DeltaX="{deltas}"' if deltas else ""
    return (
        f'<ofd:TextObject ID="{oid}" Boundary="{x:.2f} {y - SIZE:.2f} {width + 1:.2f} {SIZE * 1.5:.2f}" Font="2" Size="{SIZE}">'
        f'<ofd:TextCode X="0" Y="{SIZE:.2f}"{delta_attr}>{escape(text)}</ofd:TextCode></ofd:TextObject>'
    )


def make_ofd(lines: list[str], path: Path, *, text: bool = True, scan: list[Any] | None = None) -> Path:
    """An OFD of ``lines``. ``text=False``: pages with no text objects (only a path); ``scan``: page
    images (PIL) instead of text, each page one ImageObject, as a scanner that writes OFD makes it."""
    typeset = _typeset(lines)
    pages = [typeset[i : i + PER_PAGE] for i in range(0, len(typeset), PER_PAGE)] or [[]]
    if scan is not None:
        pages = [[] for _ in scan]
    parts: dict[str, str | bytes] = {}
    parts["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0c1d4f7e</ofd:DocID></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    page_refs = "".join(
        f'<ofd:Page ID="{100 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages))
    )
    parts["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        "<ofd:MaxUnitID>99999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
        "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
        "</ofd:CommonData>"
        f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>"
    )
    parts["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="2" FontName="仿宋_GB2312" FamilyName="仿宋"/></ofd:Fonts></ofd:Res>'
    )
    media = "".join(
        f'<ofd:MultiMedia ID="{500 + n}" Type="Image" Format="PNG"><ofd:MediaFile>page_{n}.png</ofd:MediaFile></ofd:MultiMedia>'
        for n in range(len(scan or ()))
    )
    parts["Doc_0/DocumentRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
        f"<ofd:MultiMedias>{media}</ofd:MultiMedias></ofd:Res>"
    )
    oid = 1000
    for n, page in enumerate(pages):
        objects = []
        if scan is not None:
            buf = io.BytesIO()
            scan[n].save(buf, "PNG")
            parts[f"Doc_0/Res/page_{n}.png"] = buf.getvalue()
            objects.append(f'<ofd:ImageObject ID="{oid}" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="{500 + n}"/>')
            oid += 1
        elif text:
            for k, (x, line) in enumerate(page):
                objects.append(_text_object(oid, x, TOP + k * PITCH, line))
                oid += 1
            number = f"- {n + 1} -"
            objects.append(_text_object(oid, 105 - len(number) * SIZE / 4, 280.0, number))
            oid += 1
        else:
            objects.append(f'<ofd:PathObject ID="{oid}" Boundary="0 0 210 297"><ofd:AbbreviatedData>M 0 0 L 210 297</ofd:AbbreviatedData></ofd:PathObject>')
            oid += 1
        parts[f"Doc_0/Pages/Page_{n}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
            f'<ofd:Layer ID="{oid}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
        )
        oid += 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            zf.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return path

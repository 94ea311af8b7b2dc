"""Web archives (.mht/.mhtml, issue 14 point 4), also saved under a .doc name.

The archives are made here the way browsers save them: a multipart/related MIME message
whose text/html part is quoted-printable in the page's charset, with an image part.
"""

from __future__ import annotations

import email.charset
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from pathlib import Path

import pytest

from checker.readers import read_report
from checker.text.decode import InputError
from tests.conftest import SEED_FILES, cli
from tests.test_readers import assert_same_verdicts
from tests.test_readers_web import NAV, web_page

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def mht(seed: Path, path: Path, *, charset: str = "gbk") -> Path:
    """The seed's web page (<h2>/<h3> parts, navigation, footer) saved as a web archive."""
    page = web_page(seed, path.with_suffix(".src.html")).read_text(encoding="utf-8")
    page = page.replace('<meta charset="utf-8">', f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">')
    message = MIMEMultipart("related", type="text/html")
    message["From"] = "<由 Microsoft Internet Explorer 11 保存>"
    message["Subject"] = "report"
    cs = email.charset.Charset(charset)
    cs.body_encoding = email.charset.QP
    html = MIMENonMultipart("text", "html", charset=charset)
    html.set_payload(page, cs)
    html["Content-Location"] = "http://www.example.gov.cn/art/2024/3/4/art_1.html"
    message.attach(html)
    image = MIMEImage(PNG, "png")
    image["Content-Location"] = "http://www.example.gov.cn/images/logo.png"
    message.attach(image)
    path.write_bytes(message.as_bytes())
    return path


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem[:3])
def test_mht_gives_the_verdicts_of_the_text(seed: Path, tmp_path: Path) -> None:
    decoded = read_report(mht(seed, tmp_path / "report.mht"))
    assert decoded.kind == "mht"
    assert decoded.notes[0] == "已从网页存档（.mht）中取出网页"
    assert_same_verdicts(seed, decoded)
    assert not any(word in decoded.text for word in NAV)


def test_mhtml_in_utf8(tmp_path: Path) -> None:
    decoded = read_report(mht(SEED_FILES[2], tmp_path / "report.mhtml", charset="utf-8"))
    assert_same_verdicts(SEED_FILES[2], decoded)


def test_mht_saved_as_doc_is_read_by_its_content(tmp_path: Path) -> None:
    path = mht(SEED_FILES[1], tmp_path / "report.doc")
    card = cli("check", path, "-f", "json").json()
    assert isinstance(card, dict)
    assert card["document"]["kind"] == "mht"
    assert "已从网页存档（.mht）中取出网页" in card["document"]["notes"]
    text_card = cli("check", SEED_FILES[1], "-f", "json").json()
    assert isinstance(text_card, dict)
    assert {i["id"]: i["status"] for i in card["items"]} == {i["id"]: i["status"] for i in text_card["items"]}


def test_mht_without_a_page_is_refused(tmp_path: Path) -> None:
    message = MIMEMultipart("related")
    message["Subject"] = "only an image"
    message.attach(MIMEImage(PNG, "png"))
    path = tmp_path / "empty.mht"
    path.write_bytes(message.as_bytes())
    with pytest.raises(InputError, match="没有网页"):
        read_report(path)

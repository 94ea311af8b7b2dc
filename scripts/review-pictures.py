"""Make the pictures of docs/review.md with the project's own commands (run from the project folder).

The reviewer's workflow on the seed reports: audit with --xlsx; a verdict typed into 明细 (as a
reviewer does in Excel, here with openpyxl); `checker reviews import`; the audit again with
--reviews, --html, --xlsx and --letters. Then:

* the dashboard, drilled down to the reviewed report, by headless Chromium (/usr/bin/chromium
  driven by Playwright);
* the workbook and a letter turned into PDF by LibreOffice (headless, its own profile), and the
  first page of each into PNG by pdftoppm.

Needs: /usr/bin/chromium, soffice, pdftoppm and CJK fonts (scripts/system-deps.sh installs them).
Usage: python scripts/review-pictures.py [OUTDIR]   (default docs/review)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REVIEWED = "001_335ed3547a572491.txt"  # 紫阳县
TOWNSHIP = "002_43717beec33bc72e"  # 莲塘镇
CHROMIUM = "/usr/bin/chromium"


def checker(*args: object) -> None:
    """Run a checker command as a user would; stop on failure."""
    cmd = [sys.executable, "-m", "checker", *map(str, args)]
    print("$ checker", " ".join(map(str, args)))
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})


def type_verdict(book: Path, target: Path) -> None:
    """What a reviewer does in Excel: 复核结论, 复核说明, 复核人 on the LD05 row of 紫阳县."""
    from openpyxl import load_workbook

    wb = load_workbook(book)
    sheet = wb["明细"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in header}
    for row in sheet.iter_rows(min_row=2):
        if row[col["文件"]].value == REVIEWED and row[col["条目编号"]].value == "LD05":
            row[col["复核结论"]].value = "已覆盖"
            row[col["复核说明"]].value = "第9段“县委依法治县办对各镇、各部门开展法治建设督察”"
            row[col["复核人"]].value = "张三"
    wb.save(target)


def pdf_to_png(pdf: Path, png: Path, page: int = 1, dpi: int = 70,
               crop: tuple[int, int, int, int] | None = None) -> None:
    """One page of ``pdf`` as PNG; ``crop`` = (x, y, width, height) in pixels at ``dpi``."""
    stem = png.with_suffix("")
    area = ["-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]), "-H", str(crop[3])] if crop else []
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), *area, "-singlefile",
                    str(pdf), str(stem)], check=True)


def to_pdf(source: Path, outdir: Path, profile: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(source)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    return outdir / (source.stem + ".pdf")


def dashboard(page_path: Path, png: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else route.abort())
        page.goto(page_path.as_uri())
        page.click(f'tr.report[data-path="{REVIEWED}"]')
        page.locator('#detail tr[data-item="LD05"]').scroll_into_view_if_needed()
        page.screenshot(path=str(png), full_page=False)
        browser.close()


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "review"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="review-pictures.") as tmp:
        work = Path(tmp)
        checker("audit", SEEDS, "--out", work / "审计结果", "--xlsx", work / "汇总表.xlsx", "--jobs", "1")
        type_verdict(work / "汇总表.xlsx", work / "汇总表-已复核.xlsx")
        checker("reviews", "import", work / "汇总表-已复核.xlsx", "-o", work / "reviews.yaml", "--date", "2026-12-02")
        checker("audit", SEEDS, "--out", work / "审计结果", "--reviews", work / "reviews.yaml", "--resume",
                "--html", work / "看板.html", "--xlsx", work / "汇总表.xlsx", "--letters", work / "意见书",
                "--jobs", "1")
        dashboard(work / "看板.html", target / "dashboard.png")
        profile = work / "lo-profile"
        book_pdf = to_pdf(work / "汇总表.xlsx", work, profile)
        # 汇总 (one page wide: the table at the top of page 1) and the top left of 明细 (page 2)
        pdf_to_png(book_pdf, target / "workbook.png", dpi=160, crop=(60, 90, 1720, 170))
        # 明细 of the reviewed report alone, its first rows across the whole width (LD05 reviewed)
        checker("check", Path("seeds") / REVIEWED, "--reviews", work / "reviews.yaml", "--xlsx", work / "紫阳县.xlsx",
                "--format", "json")
        one_pdf = to_pdf(work / "紫阳县.xlsx", work, profile)
        pdf_to_png(one_pdf, target / "workbook-detail.png", page=2, dpi=200, crop=(50, 80, 2240, 300))
        letter_pdf = to_pdf(work / "意见书" / f"{TOWNSHIP}.txt-审查意见书.docx", work, profile)
        pdf_to_png(letter_pdf, target / "letter.png")
    for name in ("dashboard.png", "workbook.png", "workbook-detail.png", "letter.png"):
        print("wrote", target / name)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Make tests/formats/headed.pdf, the fixture of tests/test_pdf_furniture.py, with Debian's
Chromium (Playwright's page.pdf): the Ganzhou seed printed as tests/formats/make_pdfs.py prints
it, with the page furniture official PDFs carry on every page: a running header (the document's
short title) and a running footer with the issuer and the page number (“赣州市委办公室 第 3 页”).
Measures run over page breaks, so the furniture stands inside them in the text layer.

Usage: python tests/formats/make_headed_pdf.py [OUT_DIR]   (default: tests/formats/)
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from make_pdfs import SOURCE, page_html

HERE = Path(__file__).resolve().parent
FONT = "font-family:'Noto Serif CJK SC',serif"
HEADER = f"<div style=\"{FONT};font-size:10pt;width:100%;text-align:center\">赣州市降低企业成本优化发展环境专项行动</div>"
FOOTER = (f"<div style=\"{FONT};font-size:10pt;width:100%;text-align:center\">"
          "赣州市委办公室　第 <span class='pageNumber'></span> 页</div>")


def make(out: Path, chromium: str = "/usr/bin/chromium") -> Path:
    target = out / "headed.pdf"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium)
        page = browser.new_page()
        page.set_content(page_html(SOURCE.read_text(encoding="utf-8")))
        page.pdf(path=str(target), format="A4", display_header_footer=True,
                 header_template=HEADER, footer_template=FOOTER,
                 margin={"top": "37mm", "bottom": "35mm", "left": "28mm", "right": "26mm"})
        browser.close()
    return target


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)

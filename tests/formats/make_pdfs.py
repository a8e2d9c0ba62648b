#!/usr/bin/env python3
"""Make the PDF fixtures of tests/test_formats.py with Debian's Chromium (Playwright's page.pdf):

- ganzhou.pdf: content/sources/ganzhou-2016-cost-reduction-campaign.txt printed as a PDF with a
  text layer, laid out as official documents are (GB/T 9704: A4, margins 37/35/28/26 mm, 16 pt
  serif, paragraphs indented by two characters, page numbers “— 1 —” at the foot), so that
  paragraphs are broken over several printed lines and pages;
- scanned.pdf: the same text's first lines as a picture only (a screenshot put in a page), as a
  scanner makes it: no text layer.

Usage: python tests/formats/make_pdfs.py [OUT_DIR]   (default: tests/formats/)
"""
from __future__ import annotations

import base64
import html
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "content" / "sources" / "ganzhou-2016-cost-reduction-campaign.txt"
STYLE = "body{font-family:'Noto Serif CJK SC',serif;font-size:16pt} p{margin:0;text-indent:2em}"
FOOTER = "<div style='font-size:12pt;width:100%;text-align:center'>— <span class='pageNumber'></span> —</div>"


def page_html(text: str, style: str = STYLE) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return f"<html><head><meta charset='utf-8'><style>{style}</style></head><body>{body}</body></html>"


def make(out: Path, chromium: str = "/usr/bin/chromium") -> None:
    text = SOURCE.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium)
        page = browser.new_page()
        page.set_content(page_html(text))
        page.pdf(path=str(out / "ganzhou.pdf"), format="A4", display_header_footer=True,
                 header_template="<span></span>", footer_template=FOOTER,
                 margin={"top": "37mm", "bottom": "35mm", "left": "28mm", "right": "26mm"})
        page.set_viewport_size({"width": 600, "height": 200})
        page.set_content(page_html("\n".join(text.split("\n")[:6]), "body{font-size:12pt}"))
        picture = base64.b64encode(page.screenshot(type="png")).decode()
        page.set_content(f"<html><body style='margin:0'><img src='data:image/png;base64,{picture}'></body></html>")
        page.pdf(path=str(out / "scanned.pdf"), width="200mm", height="100mm")
        browser.close()


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)

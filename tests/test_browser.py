"""In a real browser (Debian's Chromium via Playwright): the served handbook reads as it should."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(seed_site):
    """`build.py serve` on a free loopback port, as a reader meets it."""
    port = free_port()
    log = open(seed_site.root / f"serve-{port}.log", "w")  # a file: an unread pipe would fill and block the server
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--config",
                             str(seed_site.root / "config.yaml"), "serve", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    # A reader arrives at a settled server: pages served and the preview's first background
    # search refresh done (tests of search while it refreshes are in test_preview.py).
    while "搜索索引已更新" not in (seed_site.root / f"serve-{port}.log").read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"serve did not settle: {(seed_site.root / f'serve-{port}.log').read_text()}")
        time.sleep(0.1)
    urllib.request.urlopen(base + "/", timeout=10)
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (make test does)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def open_page(browser, url: str, viewport: dict, shot: str):
    page = browser.new_page(viewport=viewport)
    page.goto(url)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)
    return page


@pytest.mark.parametrize("viewport, name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_home_lists_the_documents(server, browser, viewport, name):
    page = open_page(browser, server + "/", viewport, f"home-{name}")
    assert page.locator("h1").inner_text() == "政策知识卡片手册"
    links = page.locator(".doc-link")
    assert links.count() == 5
    assert links.filter(has_text="忻州市“十四五”“六最”营商环境建设规划").is_visible()
    # Nothing is wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.close()


@pytest.mark.parametrize("viewport, name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_series_card_is_readable_and_leads_on(server, browser, viewport, name):
    page = open_page(browser, server + "/cards/pianguan-48-measures-2-3/", viewport, f"card-{name}")
    assert page.locator(".card-series").inner_text().replace(" ", "") == "市场主体倍增工作知识点"
    assert page.locator(".card-issue").inner_text() == "“48条”之促进市场主体开办经营便利化 第三期"
    assert page.locator("h1").inner_text() == "推行涉企经营许可承诺制"
    body = page.locator(".card-body")
    assert body.is_visible() and "深化“证照分离”改革" in body.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.locator("a[rel=next]").click()
    page.wait_for_url("**/cards/pianguan-48-measures-2-4/")
    assert page.locator("h1").inner_text() == "提升涉企经营审批效能"
    page.close()


def test_citation_leads_to_the_highlighted_measure_in_the_full_text(server, browser):
    page = open_page(browser, server + "/cards/shuozhou-private-economy-2019-19/", PHONE, "citation")
    who = page.locator(".fact", has_text="谁负责")
    who.scroll_into_view_if_needed()
    # a body renamed since (content/successors.yaml) shows whom to contact today
    assert who.is_visible() and ("牵头单位朔州市经信委（现为：朔州市工业和信息化局）、朔州市发改委、朔州市电力公司"
                                 in who.inner_text().replace("\n", ""))
    page.get_by_role("link", name="查看原文中的这一条").click()
    page.wait_for_url("**/documents/shuozhou-private-economy-2019/#shuozhou-private-economy-2019-19")
    measure = page.locator("#shuozhou-private-economy-2019-19")
    assert measure.is_visible()
    assert "19.降低企业用电成本。" in measure.inner_text()
    assert measure.inner_text().endswith("(市经信委、市发改委、市电力公司牵头负责)")
    assert page.evaluate("window.scrollY") > 0
    page.screenshot(path=str(ARTIFACTS / "document-anchor-phone.png"))
    page.close()


def test_missing_page_shows_the_handbooks_404(server, browser):
    page = browser.new_page(viewport=PHONE)
    response = page.goto(server + "/cards/no-such-card/")
    assert response.status == 404
    assert "找不到这个页面" in page.locator("h1").inner_text()
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_a_printed_card_has_no_site_header_at_any_width(server, browser, viewport):
    page = browser.new_page(viewport=viewport)
    page.goto(server + "/cards/pianguan-48-measures-2-3/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("h1").is_visible()
    page.close()

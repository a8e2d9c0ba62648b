"""On a phone and on a desktop, in Chromium: axe-core finds nothing on any kind of page, the header's
links all fit or wrap at 320 px, every focus ring stands out from what is behind it, and the small
links (breadcrumbs, footer) are large enough to tap.

axe-core comes from the axe-playwright-python dev dependency (requirements-dev.txt); it is injected
into the page by the test and never shipped with the site."""
from __future__ import annotations

import functools
import http.server
import threading

import pytest

from conftest import Project
from test_browser import browser  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

PHONE_320 = {"width": 320, "height": 640}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NO_TOPIC = "shuozhou-private-economy-2019-90"

# One page of each kind a reader can land on.
PAGES = {
    "home": "/",
    "card": "/cards/pianguan-48-measures-2-3/",
    "card without topic": f"/cards/{NO_TOPIC}/",
    "document": "/documents/xinzhou-business-environment-2021/",
    "documents": "/documents/",
    "agency": "/agencies/shan-xi-sheng-cai-zheng-ting/",
    "agencies": "/agencies/",
    "topic": "/topics/rong-zi/",
    "topics": "/topics/",
    "region": "/regions/pian-guan-xian/",
    "series": "/series/pianguan-48-measures/",
    "deadlines": "/deadlines/",
    "beneficiaries": "/beneficiaries/",
    "search with results": "/search/?q=融资担保",
    "recent": "/recent/",
    "data": "/data/",
    "404": "/404.html",
    "print compilation": "/print/documents/pianguan-48-measures/",
    "matcher with an answer": "/match/?region=偏关县&type=小微企业&need=融资",
    "card with application details": "/cards/pianguan-48-measures-6-2/",
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def a11y_site(tmp_path_factory) -> Project:
    """The bundled handbook and a card that names no topic, agency or deadline, built with search."""
    proj = Project(tmp_path_factory.mktemp("a11y") / "project", seed_content=True)
    proj.card("90", "本条原文没有写明主题、责任单位和时限。", doc_id="shuozhou-private-economy-2019",
              title="没有主题的措施")
    result = proj.run("build")
    assert result.returncode == 0, result.stderr
    return proj


@pytest.fixture(scope="module")
def site_url(a11y_site):
    """The built site/ served as it is published (a static file server)."""
    handler = functools.partial(QuietHandler, directory=str(a11y_site.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def axe_script() -> str:
    axe = pytest.importorskip("axe_playwright_python.base",
                              reason="axe-playwright-python (requirements-dev.txt) is not installed")
    return axe.AXE_SCRIPT


def open_page(browser, url: str, viewport: dict):
    page = browser.new_page(viewport=viewport)
    response = page.goto(url)
    assert response.ok, f"{url}: {response.status}"
    if "/search/" in url:  # the results are the page: wait until they are final
        page.wait_for_selector("#results .result")
        page.wait_for_selector("#search:not([aria-busy='true'])")
    page.wait_for_load_state("networkidle")
    return page


def run_axe(page, axe_script: str) -> list[dict]:
    """axe-core's violations on the page: its default rules (WCAG 2.x A and AA, best practices) and
    WCAG 2.2's target size (24 by 24 CSS px, or that much room around a smaller target)."""
    page.evaluate(axe_script)
    return page.evaluate("axe.run(document, {resultTypes: ['violations'],"
                         " rules: {'target-size': {enabled: true}}}).then(r => r.violations)")


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", [PHONE_320, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_violation(site_url, browser, axe_script, kind, viewport):
    page = open_page(browser, site_url + PAGES[kind], viewport)
    violations = run_axe(page, axe_script)
    page.close()
    assert not violations, f"{kind} at {viewport['width']} px:\n" + describe(violations)


def test_axe_reports_what_it_finds(browser, axe_script):
    """The check above can fail: a picture without text and two tiny adjacent links are reported."""
    page = browser.new_page(viewport=PHONE_320)
    page.set_content('<!doctype html><html lang="zh-CN"><head><title>样例</title></head><body><main>'
                     '<h1>样例</h1><img src="data:,">'
                     '<a href="#a" style="display:inline-block;width:12px;height:12px;overflow:hidden">甲</a>'
                     '<a href="#b" style="display:inline-block;width:12px;height:12px;overflow:hidden">乙</a>'
                     '</main></body></html>')
    violations = run_axe(page, axe_script)
    page.close()
    assert {v["id"] for v in violations} == {"image-alt", "target-size"}, describe(violations)
    assert "image-alt (critical)" in describe(violations)


# The header's links: on the narrowest phone every one of them is on screen, none behind an edge.
@pytest.mark.parametrize("viewport", [PHONE_320, PHONE, DESKTOP], ids=["320", "390", "desktop"])
def test_every_header_link_is_on_screen(site_url, browser, viewport):
    page = open_page(browser, site_url + PAGES["card"], viewport)
    hidden = page.evaluate("""() => [...document.querySelectorAll('.site-header nav a')].filter(a => {
        const r = a.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        return r.left < 0 || r.right > innerWidth || !a.contains(document.elementFromPoint(x, y));
      }).map(a => a.textContent.trim())""")
    count = page.locator(".site-header nav a").count()
    wide = page.evaluate("document.documentElement.scrollWidth")
    page.close()
    assert count >= 6
    assert not hidden, f"at {viewport['width']} px these header links are off screen: {hidden}"
    assert wide <= viewport["width"]


# Focus: a ring of at least 2 px whose colour has a contrast of 3:1 or more with what is behind it
# (the red header, a card's red head, the page, a white box), and that nothing clips.
FOCUS_PROBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgba = (s) => { const n = (s.match(/[\\d.]+/g) || []).map(Number);
                         return n.length < 3 ? [0, 0, 0, 0] : [n[0], n[1], n[2], n.length > 3 ? n[3] : 1]; };
  const behind = (node) => {  // the colour painted behind a node, its ancestors' backgrounds composited
    const layers = [];
    for (let e = node; e && e.nodeType === 1; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let out = [255, 255, 255];
    for (const c of layers.reverse()) out = out.map((v, i) => c[i] * c[3] + v * (1 - c[3]));
    return out;
  };
  const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                       return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const cs = getComputedStyle(el);
  const width = parseFloat(cs.outlineWidth) || 0, offset = parseFloat(cs.outlineOffset) || 0;
  const ring = rgba(cs.outlineColor);
  const r = el.getBoundingClientRect(), grow = offset + width;
  const box = {left: r.left - grow, right: r.right + grow, top: r.top - grow, bottom: r.bottom + grow};
  let clippedBy = '';
  for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
    const c = a.getBoundingClientRect();
    if (box.left < c.left - 0.5 || box.right > c.right + 0.5 || box.top < c.top - 0.5 || box.bottom > c.bottom + 0.5) {
      clippedBy = a.tagName.toLowerCase() + (a.className ? '.' + a.className : ''); break;
    }
  }
  // What the ring is painted on: the element itself for a ring drawn inside it, else whatever lies
  // under the middle of the ring's top (or bottom) edge: the header, a card, the page.
  let ground = behind(el);
  if (offset >= 0) {
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const ys = [r.top - offset - width / 2, r.bottom + offset + width / 2].filter((y) => y >= 0 && y < innerHeight);
    const under = ys.length ? document.elementsFromPoint(x, ys[0]).find((e) => e !== el && !el.contains(e)) : null;
    ground = behind(under || el.parentElement || el);
  }
  return {what: el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + ' ' + (el.textContent || el.placeholder || '').trim().slice(0, 12),
          kind: el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : ''),
          style: cs.outlineStyle, width, contrast: contrast(ring.slice(0, 3), ground), clippedBy,
          key: el.outerHTML.slice(0, 200) + r.top + ',' + r.left};
}"""


def focus_problems(page, presses: int) -> tuple[list[str], set[str]]:
    problems, kinds, seen = [], set(), set()
    for _ in range(presses):
        page.keyboard.press("Tab")
        probe = page.evaluate(FOCUS_PROBE)
        if probe is None and seen:  # past the last control: focus left the page
            break
        if probe is None or probe["key"] in seen:
            continue
        seen.add(probe["key"])
        kinds.add(probe["kind"])
        if probe["style"] in ("none", "hidden") or probe["width"] < 2:
            problems.append(f"{probe['what']}: no focus ring ({probe['style']} {probe['width']}px)")
        elif probe["contrast"] < 3:
            problems.append(f"{probe['what']}: focus ring contrast {probe['contrast']:.2f}:1")
        if probe["clippedBy"]:
            problems.append(f"{probe['what']}: focus ring clipped by {probe['clippedBy']}")
    return problems, kinds


@pytest.mark.parametrize("viewport", [PHONE_320, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("kind", ["home", "card", "series", "document", "agency", "data", "print compilation",
                                  "search with results"])
def test_focus_ring_stands_out(site_url, browser, kind, viewport):
    page = open_page(browser, site_url + PAGES[kind], viewport)
    # every disclosure open, so that its summary and check boxes are reached too
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    if kind == "search with results":  # the filters' values load when their panel opens
        page.wait_for_selector(".facet-value input", state="attached")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    problems, kinds = focus_problems(page, 300 if kind == "search with results" else 45)
    page.close()
    assert not problems, f"{kind} at {viewport['width']} px:\n" + "\n".join(problems)
    assert {"a", "input[search]", "button[submit]"} <= kinds, kinds
    if kind == "search with results":
        assert {"summary", "select[select-one]", "input[checkbox]"} <= kinds, kinds


def test_the_skip_link_shows_its_focus(site_url, browser):
    page = open_page(browser, site_url + PAGES["card"], PHONE_320)
    page.keyboard.press("Tab")
    probe = page.evaluate(FOCUS_PROBE)
    assert probe["what"].startswith("a 跳到正文")
    assert page.locator(".skip-link").is_visible()
    assert probe["style"] == "solid" and probe["width"] >= 2 and probe["contrast"] >= 3, probe
    page.close()


# Tap targets: the breadcrumbs and the footer's links are 44 px high on a phone, 24 by 24 at least on a desktop.
@pytest.mark.parametrize("viewport, least", [(PHONE_320, 44), (PHONE, 44), (DESKTOP, 24)], ids=["320", "390", "desktop"])
@pytest.mark.parametrize("kind", ["card", "agency", "document"])
def test_small_links_are_large_enough_to_tap(site_url, browser, kind, viewport, least):
    page = open_page(browser, site_url + PAGES[kind], viewport)
    sizes = page.evaluate("""() => [...document.querySelectorAll('.breadcrumbs a, .site-footer a')].map(a => {
        const r = a.getBoundingClientRect(); return [a.textContent.trim(), Math.round(r.width), Math.round(r.height)]; })""")
    page.close()
    assert len(sizes) >= 4
    small = [s for s in sizes if s[2] < least - 0.5 or s[1] < 24]
    assert not small, f"{kind} at {viewport['width']} px: smaller than 24 wide or {least} high: {small}"

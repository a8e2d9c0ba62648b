"""The matcher (适用于我吗) in Chromium, as a business owner on a phone meets it: the answers give
the measures library/eligibility.match gives, the address keeps them, print makes a checklist."""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import REPO, Project
from policy_handbook.library.eligibility import Answers, match
from test_browser import ARTIFACTS, DESKTOP, PHONE, browser  # noqa: F401  (the browser fixture)
from test_matcher import library_of, small_project

pytestmark = pytest.mark.browser

IN_FORCE = dt.datetime(2025, 6, 1, 10, 0)  # 忻州's 十四五 plan is in force until 2025-12-31
LATER = dt.datetime(2026, 12, 3, 10, 0)
PIANGUAN = "山西省 › 忻州市 › 偏关县"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def static_server(folder: Path):
    """The built site on a plain static server: the matcher needs nothing more."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def site(seed_site):
    server, base = static_server(seed_site.site)
    yield base
    server.shutdown()


def open_matcher(browser, url: str, viewport: dict, now: dt.datetime, **context):  # noqa: F811
    ctx = browser.new_context(viewport=viewport, **context)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.clock.set_fixed_time(now)
    page.goto(url)
    return page, errors


def listed(page, part: str) -> list[tuple[str, str]]:
    """(need, card id) of every measure a part of the result lists, in order."""
    return [(item.evaluate("e => e.closest('.match-need') ? e.closest('.match-need').querySelector('h4').textContent : ''"),
             item.get_attribute("data-id")) for item in page.locator(f"#match-{part} .match-item").all()]


def need_names(pairs):
    return [(re.sub(r"（\d+）$", "", need), card) for need, card in pairs]


def expected(answers: Answers, day: dt.datetime):
    """The reference verdict, each part grouped by need as the page shows it (needs in the
    taxonomy's order, measures in reading order within each)."""
    library, _ = library_of(REPO)
    found = match(library, answers, day.date())
    order = {t.name: i for i, t in enumerate(library.taxonomy.topics)}
    by_need = lambda pairs: sorted(pairs, key=lambda pair: order[pair[0]])  # noqa: E731 (stable)
    return library, type(found)(tuple(by_need(found.applies)), tuple(by_need(found.maybe)), found.ended, found.other)


def test_a_pianguan_business_on_a_phone_sees_what_applies_and_the_address_keeps_it(site, browser):  # noqa: F811
    page, errors = open_matcher(browser, site + "/match/", PHONE, IN_FORCE)
    page.get_by_label("注册地").select_option(label=PIANGUAN)
    page.get_by_label("民营企业", exact=True).check()
    page.get_by_label("小微企业", exact=True).check()
    page.get_by_role("button", name="查看适用的措施").click()
    page.wait_for_selector("#match-result[data-ready]")
    applies, maybe = need_names(listed(page, "applies")), need_names(listed(page, "maybe"))
    # what the reference rules give, in the same order under the same needs
    library, found = expected(Answers("偏关县", frozenset({"民营企业", "小微企业"})), IN_FORCE)
    assert applies == list(found.applies) and maybe == list(found.maybe)
    documents = {library.cards[c].document for _, c in applies}
    assert documents == {"pianguan-48-measures", "xinzhou-business-environment-2021", "shanxi-cost-reduction-2016"}
    assert not [c for _, c in applies + maybe if c.startswith(("shuozhou-", "ganzhou-"))]
    assert page.get_by_role("heading", name=re.compile(r"^适用的措施（\d+ 条）$")).is_visible()
    # each measure says whom to call and by when
    for item in page.locator("#match-applies .match-item").all():
        who = item.locator("div", has=page.locator("dt", has_text="找谁")).locator("dd").inner_text()
        when = item.locator("div", has=page.locator("dt", has_text="时限")).locator("dd").inner_text()
        assert who.strip() and when.strip()
        assert re.search(r"牵头单位|责任单位|可咨询发文机关", who)
    first = page.locator("#match-applies .match-item").first
    assert "偏关县优化营商环境促进市场主体倍增工作专班" in first.inner_text()  # the issuer: no contact in the registry
    shanxi = page.locator("#match-applies .match-item", has_text="山西省 ·").first
    assert "牵头单位：" in shanxi.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "match-phone.png"), full_page=True)
    # the answers are in the address: a fresh tab with it shows the same form and the same list
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"region": ["偏关县"], "type": ["民营企业", "小微企业"]}
    fresh, fresh_errors = open_matcher(browser, page.url, PHONE, IN_FORCE)
    fresh.wait_for_selector("#match-result[data-ready]")
    assert fresh.get_by_label("注册地").input_value() == "偏关县"
    assert fresh.get_by_label("民营企业", exact=True).is_checked() and fresh.get_by_label("小微企业", exact=True).is_checked()
    assert not fresh.get_by_label("个体工商户", exact=True).is_checked()
    assert need_names(listed(fresh, "applies")) == applies and need_names(listed(fresh, "maybe")) == maybe
    assert not errors and not fresh_errors
    page.context.close()
    fresh.context.close()


def test_an_expired_plan_is_listed_apart_and_needs_narrow_the_list(site, browser):  # noqa: F811
    url = site + "/match/?region=%E5%81%8F%E5%85%B3%E5%8E%BF&type=%E5%B0%8F%E5%BE%AE%E4%BC%81%E4%B8%9A&need=%E8%9E%8D%E8%B5%84"
    page, errors = open_matcher(browser, url, DESKTOP, LATER)  # 偏关县, 小微企业, 融资; after 2025
    page.wait_for_selector("#match-result[data-ready]")
    _, found = expected(Answers("偏关县", frozenset({"小微企业"}), ("融资",)), LATER)
    assert need_names(listed(page, "applies")) == list(found.applies)
    assert {need for need, _ in need_names(listed(page, "applies") + listed(page, "maybe"))} == {"融资"}
    ended = [item.get_attribute("data-id") for item in page.locator(".match-ended .match-item").all()]
    assert ended == list(found.ended) and ended and all(c.startswith("xinzhou-") for c in ended)
    assert not [c for _, c in listed(page, "applies") + listed(page, "maybe") if c.startswith("xinzhou-")]
    assert page.locator(".match-ended summary").inner_text().startswith("已失效的措施")
    page.screenshot(path=str(ARTIFACTS / "match-desktop.png"), full_page=True)
    # changing an answer updates the list and the address at once
    page.locator("input[name=need][value=用地]").check()
    page.wait_for_function("location.search.includes('need=%E7%94%A8%E5%9C%B0')")
    assert "用地" in {n for n, _ in need_names(listed(page, "applies") + listed(page, "maybe"))}
    # printed, the result is a checklist of one page: no form, no header
    page.locator("input[name=need][value=用地]").uncheck()
    page.emulate_media(media="print")
    assert not page.locator("#match-form").is_visible() and not page.locator(".site-header").is_visible()
    assert page.locator("#match-applies .match-item").first.is_visible()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    assert not errors
    page.context.close()


def test_without_javascript_the_form_and_the_explanation_remain(site, browser):  # noqa: F811
    page, _ = open_matcher(browser, site + "/match/?region=%E5%81%8F%E5%85%B3%E5%8E%BF", PHONE, LATER,
                           java_script_enabled=False)
    assert page.locator("#match-form").is_visible() and page.locator("#match-noscript").is_visible()
    assert page.get_by_role("heading", name="怎样判断是否适用").is_visible()
    assert not page.locator("#match-result").is_visible()
    assert page.get_by_role("link", name="按适用对象").is_visible()
    page.context.close()


def test_contacts_show_and_content_stays_text(project: Project, browser):  # noqa: F811
    small_project(project)
    project.write("content/agencies.yaml", "- name: 示例市财政局\n  region: 示例市\n"
                  "  contact: {phone: '0350-1234567', address: 示例路1号}\n- name: 示例市商务局\n  region: 示例市\n")
    project.card("1", title='<img src=x onerror="document.title=1">担保', agencies={"lead": ["示例市财政局"]},
                 beneficiaries=["小微企业"], topics=["融资"], deadlines=[{"kind": "due", "date": "2030-06-30", "text": "2030年6月底前"}])
    project.card("2", agencies={"lead": ["示例市商务局"]}, beneficiaries=["小微企业"], topics=["融资"])
    result = project.run("build", "--no-search")
    assert result.returncode == 0, result.stderr
    server, base = static_server(project.site)
    try:
        page, errors = open_matcher(browser, base + "/match/?region=%E7%A4%BA%E4%BE%8B%E5%B8%82&type=%E5%B0%8F%E5%BE%AE%E4%BC%81%E4%B8%9A",
                                    PHONE, LATER)
        page.wait_for_selector("#match-result[data-ready]")
        first, second = page.locator("#match-applies .match-item").all()
        assert first.locator(".match-title").inner_text() == '<img src=x onerror="document.title=1">担保'
        assert page.locator("#match-result img").count() == 0
        assert first.get_by_role("link", name="0350-1234567").get_attribute("href") == "tel:03501234567"
        assert "地址 示例路1号" in first.inner_text() and "2030年6月30日前" in first.inner_text()
        assert "牵头单位：示例市商务局" in second.inner_text()
        assert "暂无联系方式，可咨询发文机关示例市人民政府" in second.inner_text()
        assert "原文未写明时限" in second.inner_text()
        assert not errors
        page.context.close()
    finally:
        server.shutdown()

"""Search in a real browser: Chinese queries find their measures; facets narrow; state lives in the URL."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from test_browser import PHONE, browser, open_page, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def search(page, base: str, query: str = "", **filters) -> list[str]:
    """Open the search page for a query and filters; the card ids of the results, in order."""
    params = [f"q={quote(query)}"] + [f"{k}={quote(v)}" for k, vs in filters.items() for v in vs]
    page.goto(f"{base}/search/?{'&'.join(params)}")
    return results(page)


def results(page) -> list[str]:
    """The card ids on screen, once the page says its results are final (aria-busy cleared)."""
    page.wait_for_function("document.getElementById('status').textContent.trim().length > 0"
                           " && !document.getElementById('search').hasAttribute('aria-busy')")
    hrefs = page.locator(".result-title").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [re.search(r"/cards/([^/]+)/", h).group(1) for h in hrefs]


def total(page) -> int:
    """The number of results the page reports (only the first 10 are rendered at once)."""
    found = re.search(r"找到 (\d+) 条", page.locator("#status").inner_text())
    return int(found.group(1)) if found else 0


def test_typing_a_query_shows_matching_measures_with_the_terms_highlighted(server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(server + "/search/")
    results(page)  # the page has loaded its index and shown its empty state, as a reader sees it
    page.locator("#q").fill("融资担保")
    page.wait_for_url(re.compile(r"q=%E8%9E%8D"))
    found = results(page)
    assert "shuozhou-private-economy-2019-24" in found[:5]  # 提高政策性融资担保水平
    assert page.locator(".result").count() == total(page) == len(set(found))  # each result once
    first = page.locator(".result").first
    assert first.locator("mark").count() > 0
    assert "牵头：朔州市" in page.locator(".result", has_text="提高政策性融资担保水平").first.inner_text()
    page.screenshot(path="tests/artifacts/search-phone.png", full_page=True)
    page.close()


def test_a_filter_narrows_the_list_and_clearing_it_restores_it(server, browser):
    page = browser.new_page(viewport=PHONE)
    everything = search(page, server, "融资")
    all_count = total(page)
    page.locator("#facets-box > summary").click()
    page.locator("details.facet[data-key=region] > summary").click()  # each facet is a collapsed group
    page.locator("input[name=region][value=朔州市]").click()  # facets re-render on change: click, as a reader does
    page.wait_for_url(re.compile(r"region="))
    narrowed = results(page)
    assert 0 < total(page) < all_count  # the counts: only the first ten of each are on screen
    assert all(card.startswith("shuozhou-") for card in narrowed)
    page.go_back()  # the back button returns to the unfiltered list
    page.wait_for_function("!location.search.includes('region=')")
    assert len(results(page)) == len(everything)
    page.close()


def test_values_combine_with_or_within_a_facet_and_and_across_facets(server, browser):
    page = browser.new_page(viewport=PHONE)
    search(page, server, "", region=["朔州市"])
    one = total(page)
    search(page, server, "", region=["朔州市", "忻州市"])
    assert one == 48 and total(page) == 48 + 51 + 48  # 忻州市 includes 偏关县's series
    both = search(page, server, "", region=["朔州市"], topic=["融资"])
    assert 0 < total(page) < one and all(card.startswith("shuozhou-") for card in both)
    page.close()


def test_following_a_result_opens_its_card(server, browser):
    page = browser.new_page(viewport=PHONE)
    search(page, server, "证照分离")
    page.locator(".result-title").first.click()
    page.wait_for_url(re.compile(r"/cards/"))
    assert "证照分离" in page.locator("article.card").inner_text()
    page.close()


def test_the_header_search_box_on_every_page_leads_to_results(server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(server + "/cards/shanxi-cost-reduction-2016-4/")
    page.locator("#site-q").fill("用地")
    page.locator("#site-q").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert len(results(page)) >= 5
    page.close()


def test_without_javascript_the_search_page_points_to_the_indexes(server, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(server + "/search/?q=用地")
    assert page.locator("#no-script").is_visible()
    assert page.get_by_role("link", name="按主题").is_visible()
    context.close()


def test_clear_removes_every_filter(server, browser):
    page = browser.new_page(viewport=PHONE)
    search(page, server, "融资", topic=["融资"], region=["朔州市"])
    narrowed = total(page)
    assert "已选 2 项" in page.locator("#facets-box > summary").inner_text()
    page.locator("#facets-box > summary").click()
    page.locator("#clear").click()
    page.wait_for_function("!location.search.includes('topic=') && !location.search.includes('region=')")
    results(page)
    assert total(page) > narrowed
    page.close()


def test_sorting_by_deadline_keeps_cards_without_one_and_puts_the_earliest_first(server, browser):
    page = browser.new_page(viewport=PHONE)
    search(page, server, "宣传")
    unsorted = total(page)
    page.select_option("#sort", "deadline")
    page.wait_for_url(re.compile(r"sort=deadline"))
    first = results(page)[0]
    assert total(page) == unsorted  # every card has a sort key, so none drops out
    assert first.startswith("ganzhou-cost-reduction-2016-")  # May 2016 is the earliest deadline
    page.close()


def test_search_works_from_the_keyboard_with_visible_focus(server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(server + "/search/")
    page.wait_for_function("document.getElementById('status').textContent.length > 0")
    page.locator("#q").focus()
    page.keyboard.type("小升规")
    page.keyboard.press("Enter")
    results(page)
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert page.evaluate("document.activeElement.id") == "q" and outline != "none"
    page.locator("#facets-box > summary").focus()
    page.keyboard.press("Enter")  # open the filters
    page.wait_for_selector("details.facet > summary")  # the values load when the panel opens
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("地区")  # the first group
    page.keyboard.press("Enter")  # open it
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "checkbox"
    page.keyboard.press("Space")
    page.wait_for_function("location.search.split('=').length > 2")  # q and the chosen filter
    assert len(results(page)) >= 1
    page.close()

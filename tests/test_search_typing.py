"""Search as people type, in Chromium: short and traditional forms, full-width digits, honest
"no result", a typo offered as a question, title matches first, live results, the phone page."""
from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from conftest import REPO, Project
from test_browser import ARTIFACTS, DESKTOP, PHONE, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
BUSY = "!document.getElementById('search').hasAttribute('aria-busy')"


def cards(where) -> dict[str, dict]:
    """The bundled cards' front matter, by id, for the cards `where(front matter, body)` keeps."""
    out = {}
    for path in sorted((REPO / "content" / "cards").rglob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        data = yaml.safe_load(front)
        if where(data, body):
            out[data["id"]] = data
    return out


def type_query(page, query: str) -> None:
    """Type into the page's box as a reader does (fill: one input event, as a paste or an
    input method's chosen word) and wait until the results for it are final."""
    page.locator("#q").fill(query)
    page.wait_for_function(f"q => new URLSearchParams(location.search).get('q') === q && {BUSY}", arg=query)


def shown(page, every: bool = False) -> list[str]:
    """Card ids of the results (not of the nearest matches); with `every`, all of them."""
    while every and page.locator("#more").is_visible():
        count = page.locator("#results .result").count()
        page.locator("#more").click()
        page.wait_for_function(f"document.querySelectorAll('#results .result').length > {count}")
    hrefs = page.locator("#results .result-title").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [re.search(r"/cards/([^/]+)/", h).group(1) for h in hrefs]


@pytest.fixture(scope="module")
def page(server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(server + "/search/")
    page.wait_for_function(BUSY)
    yield page
    page.close()


@pytest.mark.parametrize("query", ["发改委", "發改委"])
def test_a_short_agency_name_finds_the_cards_of_its_full_name(page, query):
    full = cards(lambda d, _: "山西省发展改革委" in str(d.get("agencies")))
    assert len(full) == 24
    type_query(page, query)
    found = shown(page, every=True)
    assert set(full) <= set(found), sorted(set(full) - set(found))
    # Every card shown names some 发展改革委 / 发改委, as written or through the registry.
    named = cards(lambda d, body: any(w in str(d.get("agencies")) + body for w in ("发改委", "发展改革委")))
    assert set(found) <= set(named), sorted(set(found) - set(named))


def test_traditional_characters_find_what_their_simplified_form_finds(page):
    type_query(page, "营商环境")
    simplified = shown(page, every=True)
    type_query(page, "營商環境")
    assert shown(page, every=True) == simplified
    first = page.locator("#results .result").first
    assert "营商环境" in first.locator(".result-title").inner_text()  # its title has it: rank 1
    assert first.locator("mark").count() > 0


def test_full_width_digits_find_the_half_width_number(page):
    type_query(page, "１２３４５")
    found = shown(page)
    assert {"pianguan-48-measures-8-1", "xinzhou-business-environment-2021-18"} <= set(found)
    type_query(page, "12345")
    assert shown(page) == found


@pytest.mark.parametrize("query", ["新能源汽车", "区块链金融", "营改增汽车"])
def test_a_query_no_card_contains_says_so_and_shows_no_result(page, query):
    assert not cards(lambda d, body: query in d["title"] + body)
    type_query(page, query)
    assert page.locator("#status").inner_text() == f"没有找到包含“{query}”的卡片。"
    assert page.locator("#results .result").count() == 0
    if page.locator("#near .result").count():  # nearest matches, if any, are labelled as such
        assert f"最接近的卡片（不完全包含“{query}”）" in page.locator("#near").inner_text()


def test_a_typo_inside_a_word_is_offered_as_a_question(page):
    type_query(page, "证照份离")
    assert page.locator("#results .result").count() == 0
    offer = page.locator("#near .did-you-mean")
    assert page.locator("#near .near-heading").inner_text() == "您是不是要找：证照分离"
    offer.click()
    page.wait_for_function(f"new URLSearchParams(location.search).get('q') === '证照分离' && {BUSY}")
    assert "xinzhou-business-environment-2021-3" in shown(page)


@pytest.mark.parametrize("query", ["融资担保", "用地", "营商环境", "降成本"])
def test_a_card_whose_title_holds_the_query_is_never_below_one_that_merely_mentions_it(page, query):
    titled = cards(lambda d, _: query in d["title"])
    type_query(page, query)
    found = shown(page, every=True)
    titles = page.locator("#results .result-title").all_inner_texts()
    ranks = [query in t for t in titles]
    assert ranks == sorted(ranks, reverse=True), titles
    assert set(found[:len(titled)]) == set(titled)


@pytest.mark.parametrize("query", ["容缺受理", "优化营商环境", "降低企业用地成本", "融资担保"])
def test_excerpts_start_at_the_matching_passage_not_the_document_title(page, query):
    type_query(page, query)
    documents = {d["title"] for d in (yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1])
                                      for p in (REPO / "content" / "documents").glob("*.md"))}
    for excerpt in page.locator("#results .result-excerpt").all()[:5]:
        text = excerpt.inner_text()
        assert query in text and excerpt.locator("mark").count(), text
        assert not any(text.startswith(title) for title in documents), text
        assert "谁负责" not in text and "何时完成" not in text  # the card's own text, not its facts


def test_results_follow_each_keystroke_and_the_last_one_wins(page):
    page.locator("#q").fill("")
    page.wait_for_function(BUSY)
    times = []
    for query in ["融", "融资", "融资担", "融资担保"]:
        started = page.evaluate("performance.now()")
        page.locator("#q").fill(query)  # no Enter: every keystroke searches
        page.wait_for_function(f"q => new URLSearchParams(location.search).get('q') === q && {BUSY}", arg=query)
        times.append(page.evaluate("performance.now()") - started)
    assert all("融资担保" in t for t in page.locator("#results .result").all_inner_texts()[:2])
    # Typed faster than searches finish: only the last query's results stay on screen.
    page.locator("#q").press_sequentially("用地", delay=0)
    page.locator("#q").fill("证照分离")
    page.wait_for_function(f"new URLSearchParams(location.search).get('q') === '证照分离' && {BUSY}")
    page.wait_for_timeout(300)
    assert all("证照分离" in t for t in page.locator("#results .result").all_inner_texts())
    ARTIFACTS.mkdir(exist_ok=True)  # the times are a figure to read, not to assert (scripts/search_figures.py)
    (ARTIFACTS / "search-keystroke-ms.txt").write_text(" ".join(f"{t:.0f}" for t in times) + "\n")


def test_the_header_box_searches_as_you_type_on_the_search_page(page):
    page.locator("#site-q").fill("用地")
    page.wait_for_function(f"new URLSearchParams(location.search).get('q') === '用地' && {BUSY}")
    assert page.locator("#q").input_value() == "用地"
    assert len(shown(page)) >= 5


def test_a_query_fetches_its_index_chunks_and_shown_fragments_and_no_search_program(server, browser):
    """Before the first keystroke the page loads the index's table of contents, not Pagefind's
    program (its JS, worker and WebAssembly: for filters only); a query then fetches the chunks
    holding its tokens and the fragments of the results it shows, nothing else."""
    page = browser.new_page(viewport=PHONE)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.removeprefix(server)))
    page.goto(server + "/search/")
    page.wait_for_function(BUSY)
    page.wait_for_load_state("networkidle")
    program = re.compile(r"/pagefind/(pagefind\.js|pagefind-worker\.js|wasm\.)")
    assert not [u for u in fetched if program.search(u)], fetched
    assert [u for u in fetched if u.endswith(".pf_meta")]
    fetched.clear()
    type_query(page, "营商环境")
    assert len(shown(page)) == 10
    assert not [u for u in fetched if program.search(u)], fetched
    fragments = [u for u in fetched if "/pagefind/fragment/" in u]
    chunks = [u for u in fetched if "/pagefind/index/" in u]
    assert len(fragments) == 10 and 1 <= len(chunks) <= 3, fetched  # 3 pairs: at most 3 chunks
    assert set(fetched) <= {*fragments, *chunks, "/pagefind/validity.json"}, fetched
    page.close()


def test_filter_values_and_sort_orders_load_only_when_used(server, browser):
    page = browser.new_page(viewport=PHONE)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(server + "/search/")
    page.wait_for_function(BUSY)
    type_query(page, "融资")
    assert not [u for u in fetched if "/pagefind/filter/" in u or "sort.json" in u]
    page.select_option("#sort", "date")
    page.wait_for_function(f"location.search.includes('sort=date') && {BUSY}")
    assert [u for u in fetched if u.endswith("/pagefind/sort.json.gz")]
    newest = shown(page)
    assert newest[0].startswith("pianguan-48-measures-")  # the newest document of the five
    page.locator("#facets-box > summary").click()
    page.wait_for_selector("details.facet[data-key=region] > summary")
    assert [u for u in fetched if "/pagefind/filter/" in u]
    keys = page.locator("details.facet").evaluate_all("els => els.map(e => e.dataset.key)")
    assert keys[:2] == ["region", "beneficiary"] and keys[-1] == "agency"  # agencies last
    assert page.locator("details.facet[open]").count() == 0  # every group starts collapsed
    page.close()


@pytest.mark.parametrize("viewport, name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_results_start_right_under_the_box(server, browser, viewport, name):
    page = browser.new_page(viewport=viewport)
    page.goto(server + "/search/?q=" + "融资担保")
    page.wait_for_function(BUSY)
    box = page.locator("#q").bounding_box()
    first = page.locator("#results .result").first.bounding_box()
    # On a phone the keyboard covers the lower half: the first result must be above it.
    assert first["y"] - (box["y"] + box["height"]) < 120 and first["y"] < viewport["height"] / 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"search-typing-{name}.png"))
    page.locator("#facets-box > summary").click()
    page.wait_for_selector("details.facet > summary")
    page.screenshot(path=str(ARTIFACTS / f"search-filters-{name}.png"), full_page=True)
    assert page.locator("#facets-box").bounding_box()["height"] < 600  # groups, collapsed
    page.close()



def test_an_index_file_that_cannot_be_read_is_said_and_fetched_again_next_time(server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(server + "/search/")
    page.wait_for_function(BUSY)
    page.route("**/pagefind/index/**", lambda route: route.abort())  # as when the site was just replaced
    type_query(page, "融资担保")
    assert page.locator("#status").inner_text() == "暂时读不到搜索索引（网站可能刚刚更新），请刷新页面再试。"
    page.unroute("**/pagefind/index/**")
    type_query(page, "融资")
    assert page.locator("#status").inner_text().startswith("找到") and shown(page)
    page.close()


def test_search_works_on_a_site_published_under_a_sub_path(tmp_path, browser):
    """The page reads the index, fragments and result links under the site's base path."""
    project = Project(tmp_path / "p", seed_content=True)
    assert project.run("--base-url", "/handbook/", "build").returncode == 0
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "handbook").symlink_to(project.site)
    handler = functools.partial(Quiet, directory=str(tmp_path / "www"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    page = browser.new_page(viewport=PHONE)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    try:
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/handbook/search/")
        page.wait_for_function(BUSY)
        type_query(page, "融资担保")
        hrefs = page.locator("#results .result-title").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert hrefs and all(h.startswith("/handbook/cards/") for h in hrefs), hrefs
        page.locator("#results .result-title").first.click()
        page.wait_for_url("**/handbook/cards/**")
        assert "融资担保" in page.locator("h1").inner_text() and not failed, failed
    finally:
        page.close()
        httpd.shutdown()


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

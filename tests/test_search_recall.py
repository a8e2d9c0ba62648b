"""The recall suite: every query in search_queries.yaml, typed into the search page in Chromium."""
from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
import yaml

from test_browser import ARTIFACTS, PHONE, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
SUITE = yaml.safe_load((Path(__file__).parent / "search_queries.yaml").read_text(encoding="utf-8"))


def run_query(page, query: str) -> tuple[list[str], list[str], float]:
    """Type the query as a reader does; (card ids, result texts) of the first 10, and seconds
    from the last keystroke to final results on screen."""
    page.locator("#q").fill("")
    page.wait_for_function("!document.getElementById('search').hasAttribute('aria-busy')")
    started = page.evaluate("performance.now()")
    page.locator("#q").fill(query)
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q"
                           " && !document.getElementById('search').hasAttribute('aria-busy')", arg=query)
    elapsed = (page.evaluate("performance.now()") - started) / 1000
    hrefs = page.locator(".result-title").evaluate_all("els => els.map(e => e.getAttribute('href'))")[:10]
    texts = page.locator(".result").all_inner_texts()[:10]
    return [re.search(r"/cards/([^/]+)/", h).group(1) for h in hrefs], texts, elapsed


def missing(case: dict, top: list[str], texts: list[str]) -> list[str]:
    if "expect" in case:
        return [card for card in case["expect"] if card not in top]
    if len(top) < 10:
        return [f"only {len(top)} results"]
    if "top_all" in case:
        return [card for card in top if not card.startswith(case["top_all"])]
    return [card for card, text in zip(top, texts) if case["top_all_name"] not in text]


def test_suite_has_at_least_40_queries_of_every_kind():
    assert len(SUITE) >= 40
    assert {case["group"] for case in SUITE} == {"terms (2–6 characters)", "agency names",
                                                 "numbers and dates", "phrases across word boundaries"}


def test_every_query_returns_its_expected_cards_in_the_top_10(server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(server + "/search/")
    failures, precision, times = {}, [], []
    for case in SUITE:
        top, texts, elapsed = run_query(page, case["query"])
        times.append(elapsed)
        if lost := missing(case, top, texts):
            failures[case["query"]] = lost
        if top:
            precision.append(sum(case["query"] in text for text in texts) / len(texts))
    report = (f"{len(SUITE) - len(failures)}/{len(SUITE)} queries return their expected cards in the top 10; "
              f"precision (top results showing the phrase) {statistics.mean(precision):.3f}; "
              f"last keystroke to results: median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "search-recall.txt").write_text(report + "\n" + "\n".join(
        f"FAIL {q}: {lost}" for q, lost in failures.items()) + "\n", encoding="utf-8")
    print(report)
    assert not failures, failures
    page.close()

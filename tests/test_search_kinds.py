"""The recall suite per kind (alias, traditional, full-width, typo, no-match), typed into the
search page in Chromium: tests/search_queries_typed.yaml."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from test_browser import ARTIFACTS, PHONE, browser, server  # noqa: F401  (fixtures)
from test_search_typing import BUSY, cards, shown, type_query

pytestmark = pytest.mark.browser
SUITE = yaml.safe_load((Path(__file__).parent / "search_queries_typed.yaml").read_text(encoding="utf-8"))


def failure(page, case: dict) -> str:
    """What is wrong with the page's answer to the case's query ("" when nothing is)."""
    type_query(page, case["query"])
    found = shown(page, every=case["kind"] in ("traditional", "full-width"))
    kind = case["kind"]
    if kind == "alias":
        if "expect" in case:
            lost = [c for c in case["expect"] if c not in found[:10]]
            return f"not in the top 10: {lost}" if lost else ""
        stray = [c for c in found[:10] if c not in case["top_all_in"]]
        return f"in the top 10 but not expected: {stray}" if stray or len(found) < 10 else ""
    if kind in ("traditional", "full-width"):
        type_query(page, case["same_as"])
        plain = shown(page, every=True)
        return "" if found == plain and plain else f"{len(found)} results, {len(plain)} for {case['same_as']}"
    status = page.locator("#status").inner_text()
    if found or status != f"没有找到包含“{case['query']}”的卡片。":
        return f"results shown: {found[:5]}; {status}"
    if kind == "typo":
        offer = page.locator("#near .near-heading").all_inner_texts()
        near = page.locator("#near .result-title").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        if offer != [f"您是不是要找：{case['suggest']}"] or not any(f"/{case['near']}/" in h for h in near):
            return f"offered {offer}, nearest {near}"
    return ""


def test_suite_covers_every_kind_and_its_no_match_queries_are_in_no_card():
    assert Counter(c["kind"] for c in SUITE).keys() == {"alias", "traditional", "full-width", "typo", "no-match"}
    for case in SUITE:
        if case["kind"] in ("typo", "no-match"):
            assert not cards(lambda d, body, q=case["query"]: q in d["title"] + body), case["query"]


def test_every_kind_of_query_finds_what_its_plain_form_finds(server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(server + "/search/")
    page.wait_for_function(BUSY)
    failures = {case["query"]: wrong for case in SUITE if (wrong := failure(page, case))}
    kinds = Counter(c["kind"] for c in SUITE)
    failed = Counter(c["kind"] for c in SUITE if c["query"] in failures)
    report = "; ".join(f"{k} {kinds[k] - failed[k]}/{kinds[k]}" for k in kinds)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "search-kinds.txt").write_text(report + "\n" + "\n".join(
        f"FAIL {q}: {why}" for q, why in failures.items()) + "\n", encoding="utf-8")
    print(report)
    page.close()
    assert not failures, failures

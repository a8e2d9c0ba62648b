#!/usr/bin/env python3
"""Search figures in Chromium, on a built site served locally: for each query, on a fresh page
(nothing cached), the bytes fetched from typing it to its results on screen and the time that
took; then, on one page, the time from the last keystroke to results for each query typed
after the others; and what the first ten results are.

Usage: python scripts/search_figures.py [site-dir]            (default: site)
       python scripts/search_figures.py --n 10000 --out DIR    (generates and builds the
       benchmark corpus first: ../shared/bench/gen_corpus_ph.py, then build.py)."""
from __future__ import annotations

import argparse
import functools
import statistics
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from policy_handbook.pages.searchterms import normalise  # noqa: E402
QUERIES = ["融资担保", "用地", "营商环境", "營商環境", "发改委", "１２３４５", "新能源汽车", "证照份离"]
BUSY = "!document.getElementById('search').hasAttribute('aria-busy')"
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus_ph.py"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build_corpus(n: int, out: Path) -> Path:
    subprocess.run([sys.executable, str(GENERATOR), "--n", str(n), "--out", str(out), "--project", str(REPO)], check=True)
    subprocess.run([sys.executable, str(REPO / "build.py"), "--config", str(out / "ph" / "config.yaml"), "build"], check=True)
    return out / "ph" / "site"


def type_and_wait(page, query: str) -> float:
    """Milliseconds from the query typed (one input event) to its final results on screen."""
    started = page.evaluate("performance.now()")
    page.locator("#q").fill(query)
    page.wait_for_function(f"q => new URLSearchParams(location.search).get('q') === q && {BUSY}", arg=query)
    return page.evaluate("performance.now()") - started


def first_query(browser, base: str, query: str) -> tuple[int, int, float, list[tuple[str, int]]]:
    """(bytes at page load, bytes for the first query, its milliseconds, what it fetched)."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    fetched: list[tuple[str, int]] = []
    page.on("requestfinished", lambda r: fetched.append((r.url, r.sizes()["responseBodySize"])))
    page.goto(base + "/search/")
    page.wait_for_function(BUSY)
    page.wait_for_load_state("networkidle")
    load = sum(size for _, size in fetched)
    fetched.clear()
    ms = type_and_wait(page, query)
    got = list(fetched)
    page.close()
    return load, sum(size for _, size in got), ms, got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site")
    parser.add_argument("--n", type=int, help="generate and build a corpus of this many cards")
    parser.add_argument("--out", type=Path, help="where to generate it")
    parser.add_argument("--verbose", action="store_true", help="list every file a first query fetched")
    args = parser.parse_args()
    site = build_corpus(args.n, args.out) if args.n else Path(args.site)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        firsts = []
        for query in QUERIES:
            load, size, ms, got = first_query(browser, base, query)
            firsts.append(size)
            print(f"first query {query}: {size / 1024:.1f} KiB in {len(got)} requests, {ms:.0f} ms "
                  f"(page load before typing: {load / 1024:.1f} KiB)")
            if args.verbose:
                for url, n in got:
                    print(f"    {n / 1024:7.1f} KiB  {url.removeprefix(base)}")
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + "/search/")
        page.wait_for_function(BUSY)
        type_and_wait(page, "用")  # the index's runtime warm, as after a reader's first keystroke
        times = []
        for query in QUERIES:
            times.append(type_and_wait(page, query))
            titles = page.locator("#results .result-title").all_inner_texts()[:10]
            status = page.locator("#status").inner_text()
            near = page.locator("#near .near-heading").all_inner_texts()
            print(f"{query}: {times[-1]:.0f} ms; {status} top 10 with the query in the title: "
                  f"{sum(normalise(query) in t for t in titles)}/{len(titles)}{' · ' + near[0] if near else ''}")
        print(f"last keystroke to results: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms; "
              f"first query: median {statistics.median(firsts) / 1024:.1f} KiB, max {max(firsts) / 1024:.1f} KiB")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()

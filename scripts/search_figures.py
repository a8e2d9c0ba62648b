#!/usr/bin/env python3
"""Search figures in Chromium, on built sites served locally. Per query:
  first KiB   everything fetched from typing the query on a fresh search page (nothing cached)
              to its final results on screen (uncompressed bytes, as served);
  first ms    the time that took (median of --rounds fresh pages);
  pasted ms   the query in one input event (pasted, or an input method's chosen word) on a page
              that has searched 用 and the queries before it in this list (as the figures of
              earlier versions of this script): to its final results;
  typed ms    the query typed a character at a time (each character one input event, 120 ms
              apart) on a page already used for other queries: last keystroke to final
              results (the last two: median of --rounds pages);
and what the page loads before the first keystroke, the number of results and how many of the
first ten hold the query in their title (or the word offered for a typo).

Usage: python scripts/search_figures.py [site-dir]            (default: site)
       python scripts/search_figures.py --n 10000 --out DIR    (generates and builds the
       benchmark corpus first: ../shared/bench/gen_corpus_ph.py, then build.py; and measures the
       bundled handbook too, built into site/)."""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from policy_handbook.pages.searchterms import normalise  # noqa: E402

QUERIES = ["融资担保", "用地", "营商环境", "營商環境", "发改委", "１２３４５", "新能源汽车", "证照份离", "营"]
BUSY = "!document.getElementById('search').hasAttribute('aria-busy')"
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus_ph.py"


def build_corpus(n: int, out: Path) -> Path:
    subprocess.run([sys.executable, str(GENERATOR), "--n", str(n), "--out", str(out), "--project", str(REPO)], check=True)
    subprocess.run([sys.executable, str(REPO / "build.py"), "--config", str(out / "ph" / "config.yaml"), "build"], check=True)
    return out / "ph" / "site"


def wait_for(page, query: str) -> float:
    page.wait_for_function(f"q => new URLSearchParams(location.search).get('q') === q && {BUSY}", arg=query)
    return page.evaluate("performance.now()")


def fresh_page(browser, base: str, fetched: list[tuple[str, int]]):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.on("requestfinished", lambda r: fetched.append((r.url, r.sizes()["responseBodySize"])))
    page.goto(base + "/search/")
    page.wait_for_function(BUSY)
    page.wait_for_load_state("networkidle")
    return page


def first_query(browser, base: str, query: str) -> tuple[int, int, float, list[tuple[str, int]]]:
    """(bytes at page load, bytes for the first query, its milliseconds, what it fetched)."""
    fetched: list[tuple[str, int]] = []
    page = fresh_page(browser, base, fetched)
    load = sum(size for _, size in fetched)
    fetched.clear()
    started = page.evaluate("performance.now()")
    page.locator("#q").fill(query)
    ms = wait_for(page, query) - started
    page.wait_for_load_state("networkidle")  # every request it made has been counted
    got = list(fetched)
    page.close()
    return load, sum(size for _, size in got), ms, got


def typed(page, query: str) -> float:
    """Milliseconds from the last keystroke of the query, typed a character at a time, to its
    final results on screen."""
    page.locator("#q").fill("")
    page.wait_for_function(BUSY)
    box = page.locator("#q")
    for i in range(1, len(query)):
        box.fill(query[:i])
        page.wait_for_timeout(120)
    started = page.evaluate("performance.now()")
    box.fill(query)
    return wait_for(page, query) - started


def measure(browser, base: str, label: str, rounds: int, verbose: bool) -> None:
    rows = []
    for query in QUERIES:
        firsts = [first_query(browser, base, query) for _ in range(rounds)]
        load, size, _, got = max(firsts, key=lambda f: f[1])  # the round that fetched most
        rows.append([query, size, statistics.median(f[2] for f in firsts), len(got), load])
        if verbose:
            for url, n in got:
                print(f"    {query} {n / 1024:7.1f} KiB  {url.removeprefix(base)}")
    pasted = {query: [] for query in QUERIES}
    for _ in range(rounds):
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + "/search/")
        page.wait_for_function(BUSY)
        page.locator("#q").fill("用")  # a reader's first keystroke: the page's first results drawn
        wait_for(page, "用")
        for query in QUERIES:
            started = page.evaluate("performance.now()")
            page.locator("#q").fill(query)
            pasted[query].append(wait_for(page, query) - started)
        page.close()
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + "/search/")
    page.wait_for_function(BUSY)
    times = {query: [] for query in QUERIES}
    for _ in range(rounds):
        for query in QUERIES:
            times[query].append(typed(page, query))
    print(f"\n{label}: page load before the first keystroke {rows[0][4] / 1024:.1f} KiB")
    print(f"{'query':<8}{'first KiB':>10}{'requests':>9}{'first ms':>9}{'pasted ms':>10}{'typed ms':>9}  results")
    for row in rows:
        query = row[0]
        page.locator("#q").fill(query)
        wait_for(page, query)
        titles = page.locator("#results .result-title").all_inner_texts()[:10]
        status = page.locator("#status").inner_text()
        near = page.locator("#near .near-heading").all_inner_texts()
        what = (f"{status} {sum(normalise(query) in t for t in titles)}/{len(titles)} of the top 10 titled"
                if titles else status + (" " + near[0] if near else ""))
        row += [statistics.median(times[query]), statistics.median(pasted[query])]
        print(f"{query:<8}{row[1] / 1024:>10.1f}{row[3]:>9}{row[2]:>9.0f}{row[6]:>10.0f}{row[5]:>9.0f}  {what}")
    page.close()
    print(f"first query: max {max(r[1] for r in rows) / 1024:.1f} KiB ({max(r[1] for r in rows) / 1000:.1f} kB); "
          f"last keystroke to results: median {statistics.median(r[5] for r in rows):.0f} ms, "
          f"max {max(r[5] for r in rows):.0f} ms (pasted: max {max(r[6] for r in rows):.0f} ms; "
          f"first query on a fresh page: max {max(r[2] for r in rows):.0f} ms)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(site: Path) -> tuple[subprocess.Popen, str]:
    """A static server in a process of its own: one in this process's threads would wait for
    Playwright's client here (the interpreter runs one thread at a time) and slow every fetch."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/search/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site")
    parser.add_argument("--n", type=int, help="generate and build a corpus of this many cards")
    parser.add_argument("--out", type=Path, help="where to generate it")
    parser.add_argument("--rounds", type=int, default=3, help="measure each query this many times (median)")
    parser.add_argument("--verbose", action="store_true", help="list every file a first query fetched")
    args = parser.parse_args()
    sites = [(f"site {args.site}", Path(args.site))]
    if args.n:
        subprocess.run([sys.executable, str(REPO / "build.py"), "build"], check=True, cwd=REPO)
        sites = [("bundled handbook (209 cards)", REPO / "site"),
                 (f"{args.n:,} cards", build_corpus(args.n, args.out))]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for label, site in sites:
            server, base = serve(site)
            measure(browser, base, label, args.rounds, args.verbose)
            server.terminate()
            server.wait()
        browser.close()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Search figures in Chromium: bytes fetched for a first query and for a later one, on a built
site served locally. Usage: python scripts/search_figures.py [site-dir] (default: site)."""
from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

from playwright.sync_api import sync_playwright

QUERIES = ["融资担保", "用地"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    site = sys.argv[1] if len(sys.argv) > 1 else "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        fetched: list[tuple[str, int]] = []
        page.on("requestfinished", lambda r: fetched.append((r.url, r.sizes()["responseBodySize"])))
        page.goto(base + "/search/")
        page.wait_for_function("document.getElementById('status').textContent.length > 0")
        load = sum(size for url, size in fetched)
        for query in QUERIES:
            fetched.clear()
            page.locator("#q").fill(query)
            page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q && "
                                   "!document.getElementById('search').hasAttribute('aria-busy')", arg=query)
            index = sum(s for u, s in fetched if "/pagefind/" in u)
            print(f"query {query!r}: {len(fetched)} requests, {index / 1024:.1f} KiB of index and fragments")
        print(f"search page load (HTML, CSS, script, Pagefind runtime and entry): {load / 1024:.1f} KiB")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()

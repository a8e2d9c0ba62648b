"""A large handbook is indexed in shards (one Pagefind run each, so that no run holds every card's
words): every card is in exactly one shard, the shards are listed for the search page, and the
sort orders cover all of them."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from conftest import Project
from test_browser import browser, server  # noqa: F401  (fixtures)

from policy_handbook.outputs.search import SHARDS, SORTS, index_site


def _fragment_urls(folder: Path) -> dict[str, str]:
    """fragment id -> page URL, for one bundle (its own fragments only)."""
    out = {}
    for path in sorted((folder / "fragment").glob("*.pf_fragment")):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        out[path.name.removesuffix(".pf_fragment")] = data["url"]
    return out


@pytest.fixture(scope="module")
def seed_pages(tmp_path_factory) -> Path:
    """The bundled handbook's pages, built without a search index."""
    project = Project(tmp_path_factory.mktemp("shards") / "p", seed_content=True)
    done = project.run("build", "--no-search")
    assert done.returncode == 0, done.stderr
    return project.site


def test_a_large_site_is_indexed_in_shards_that_together_hold_every_card_once(seed_pages, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(seed_pages, site)
    cards = sorted("/" + p.parent.relative_to(site).as_posix() + "/" for p in site.glob("cards/*/index.html"))
    assert len(cards) > 200
    index_site(site, shard_cards=80)  # 209 cards: three shards of 70
    bundle = site / "pagefind"
    names = json.loads((bundle / SHARDS).read_text(encoding="utf-8"))
    assert names == ["shard-2", "shard-3"]
    per_shard = [_fragment_urls(bundle)] + [_fragment_urls(bundle / n) for n in names]
    assert all(60 <= len(shard) <= 80 for shard in per_shard)
    urls = [url for shard in per_shard for url in shard.values()]
    assert sorted(urls) == cards  # each card once, under its own URL
    for folder in [bundle, *(bundle / n for n in names)]:
        assert (folder / "pagefind-entry.json").is_file() and not (folder / "pagefind.js").exists()
    assert not list(bundle.glob(".pages-*"))  # the shards' page folders are gone
    orders = json.loads(gzip.decompress((bundle / SORTS).read_bytes()))
    ids = {i for shard in per_shard for i in shard}
    assert sorted(orders["deadline"]) == sorted(ids) == sorted(orders["date"])


def test_a_site_below_the_shard_size_is_one_bundle(seed_pages, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(seed_pages, site)
    index_site(site)
    bundle = site / "pagefind"
    assert json.loads((bundle / SHARDS).read_text(encoding="utf-8")) == []
    assert len(_fragment_urls(bundle)) == len(list(site.glob("cards/*/index.html")))
    assert not [p for p in bundle.iterdir() if p.is_dir() and p.name.startswith(("shard-", ".pages-"))]


@pytest.mark.browser
def test_the_search_page_reads_a_sharded_index_as_one(seed_site, server, browser, tmp_path):  # noqa: F811
    """The same queries and filters find the same cards, whether the index is one bundle or three."""
    import functools
    import http.server
    import threading

    from test_search import search, total

    site = tmp_path / "site"
    shutil.copytree(seed_site.site, site)
    shutil.rmtree(site / "pagefind")
    index_site(site, shard_cards=80)
    assert json.loads((site / "pagefind" / SHARDS).read_text(encoding="utf-8")) == ["shard-2", "shard-3"]

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    sharded = f"http://127.0.0.1:{httpd.server_address[1]}"
    page = browser.new_page()
    try:
        for query, filters in [("融资", {}), ("融资担保", {}), ("营商环境", {}), ("發改委", {}),
                               ("融资", {"region": ["朔州市"]}), ("新能源汽车", {})]:
            one = search(page, server, query, **filters), total(page)
            many = search(page, sharded, query, **filters), total(page)
            assert many[1] == one[1], (query, filters)
            assert sorted(many[0]) == sorted(one[0]) or many[0][:3] == one[0][:3], (query, filters)
        assert one[1] == 0  # 新能源汽车: in no card, in no shard
    finally:
        page.close()
        httpd.shutdown()

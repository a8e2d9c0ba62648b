"""Search tokens: text and query read the same way; short agency names indexed with the full ones."""
from __future__ import annotations

import gzip
import json
import re

from policy_handbook.pages.searchterms import LEAD, TEXT, TITLE, normalise, search_tokens, short_forms, token


def holds(text: str, query: str) -> bool:
    """What search.js asks of a card (a quoted search): the query's pairs, adjacent, in order."""
    want = [token(query[i:i + 2]) for i in range(len(query) - 1)]
    tokens = search_tokens(text)
    return any(tokens[i:i + len(want)] == want for i in range(len(tokens)))


def test_traditional_full_width_and_upper_case_read_as_their_plain_forms():
    assert normalise("營商環境") == "营商环境"
    assert normalise("融資擔保") == "融资担保"
    assert normalise("１２３４５") == "12345"
    assert normalise("ＰＰＰ模式") == "ppp模式"
    assert search_tokens("營商環境，１２３４５") == search_tokens("营商环境，12345")


def test_a_query_is_held_exactly_by_the_texts_that_contain_it():
    text = "深化“证照分离”改革，开通12345热线"
    assert holds(text, "证照分离") and holds(text, "12345") and holds(text, "改革")
    assert not holds(text, "证照份离") and not holds(text, "新能源汽车") and not holds(text, "123456")
    # Every pair of the query is in this text, but not the query itself.
    assert not holds("合理降低企业用电成本，保障企业用地", "降低企业用地成本")


def test_every_character_starts_a_pair_so_a_single_character_is_a_prefix():
    tokens = search_tokens("用地，税")
    for char in "用地税":
        prefix = token(char + "x")[:-4]
        assert [t for t in tokens if t.startswith(prefix)], char


def test_each_field_marks_its_tokens_and_a_fields_tokens_sort_beside_the_others():
    text, title, lead = (search_tokens("融资", f) for f in (TEXT, TITLE, LEAD))
    assert len({*text, *title, *lead}) == 3 * len(text)
    assert all(re.fullmatch(r"x[0-9a-z]{6}[tab]", t) for t in [*text, *title, *lead])
    # Sorted, the three fields' tokens for one pair are neighbours (in one index chunk), in
    # every text: no other token sorts between them.
    everything = sorted({t for f in (TEXT, TITLE, LEAD) for t in search_tokens("融资担保，优化营商环境，融资租赁；融融", f)})
    for pair in ("融资", "资担", "营商", "融融"):
        at = everything.index(token(pair, TITLE))
        assert everything[at:at + 3] == [token(pair, TITLE), token(pair, LEAD), token(pair, TEXT)]


def test_the_registrys_aliases_teach_shortenings_applied_to_other_agencies():
    pairs = [("山西省发展改革委", "山西省发改委"), ("山西省人力资源社会保障厅", "山西省人社厅"),
             ("山西省住房城乡建设厅", "山西省住建厅"), ("朔州市发改委", "朔州市发展和改革委员会")]
    forms = short_forms(["忻州市发展改革委", "忻州市人力资源社会保障局", "忻州市住房城乡建设局", "忻州市财政局"], pairs)
    assert forms["忻州市发展改革委"] == ["忻州市发改委"]
    assert forms["忻州市人力资源社会保障局"] == ["忻州市人社局"]
    assert forms["忻州市住房城乡建设局"] == ["忻州市住建局"]
    assert forms["忻州市财政局"] == []


def test_a_card_is_found_by_its_agencies_short_names_and_the_browser_gets_the_same_table(seed_site):
    page = (seed_site.site / "cards" / "shanxi-cost-reduction-2016-7" / "index.html").read_text(encoding="utf-8")
    text = re.search(r'data-pagefind-meta="t:([^"]*)"', page).group(1).split()
    assert "山西省发展改革委" in page and token("发改", TEXT) in text  # 山西省发改委, its alias
    table = json.loads((seed_site.site / "search" / "terms.json").read_bytes())
    mapping = dict(zip(table["from"], table["to"]))
    assert len(table["from"]) == len(table["to"]) > 100
    assert "".join(mapping.get(c, c) for c in "營商環境融資擔保") == "营商环境融资担保"
    assert all(normalise(t) == s for t, s in mapping.items())


def test_pagefinds_interfaces_and_search_program_are_not_shipped(seed_site):
    """The search page reads Pagefind's index files itself: its UI, JS API, worker and
    WebAssembly would be files no page loads."""
    bundle = seed_site.site / "pagefind"
    shipped = {p.name for p in bundle.iterdir()}
    assert {"pagefind-entry.json", "index", "fragment", "filter"} <= shipped
    assert not shipped & {"pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-component-ui.js",
                          "pagefind-highlight.js", "pagefind.js", "pagefind-worker.js"}, shipped
    assert not [name for name in shipped if name.startswith("wasm.")], shipped


def test_the_fragments_a_result_loads_hold_no_search_token(seed_site):
    """A result loads its page's fragment: what the page shows (url, text, meta), not the tokens
    it was found by (those are read from the index chunks), its filter values or the zero-width
    spaces Pagefind puts between words."""
    fragments = sorted((seed_site.site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert len(fragments) == 209
    for path in fragments:
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        assert data["meta"]["title"] and data["meta"]["document"] and data["content"]
        assert not {TEXT, TITLE, LEAD} & data["meta"].keys(), path.name
        assert data.keys() == {"url", "content", "meta"} and "\u200b" not in data["content"], path.name
        assert not re.search(r"\bx[0-9a-z]{6}[tab]\b", json.dumps(data)), path.name
    # …while the index still holds them: the chunks name every token of a card's title.
    chunks = b"".join(gzip.decompress(p.read_bytes()) for p in (seed_site.site / "pagefind" / "index").iterdir())
    assert all(t.encode() in chunks for t in search_tokens("降低企业用地成本", TITLE))

"""Atom feeds of cards, sitemap.xml and robots.txt (policy_handbook/outputs/feeds.py)."""
from __future__ import annotations

import re
from dataclasses import replace
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import Project
from policy_handbook import paths
from policy_handbook.library.bodies import render_bodies
from policy_handbook.config import Config, load_config
from policy_handbook.content.load import load_content
from policy_handbook.errors import Diagnostics
from policy_handbook.outputs.feeds import FEED_LIMIT, feed_files, site_files
from policy_handbook.pipeline import link_library
from policy_handbook.pages.render import plan_site

A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "https://example.org/handbook/"


def library_of(project: Project, base_url: str | None = None):
    """The library and config of a project, as the build's first stages make them."""
    config = load_config(project.root / "config.yaml", Diagnostics(), base_url=base_url)
    diagnostics = Diagnostics()
    content = load_content(config.content_path, config.project_dir, diagnostics)
    assert not diagnostics, diagnostics.report()
    return link_library(content), config


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """The bundled handbook with a full-URL base, and its feeds."""
    library, config = library_of(Project(tmp_path_factory.mktemp("feeds") / "p", seed_content=True), BASE)
    return library, config, feed_files(library, config)


def parse(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == f"{A}feed"
    return root


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{A}entry")


def card_of(entry: ET.Element, base: str) -> str:
    """The card id an entry links to; fails unless the link is a card page."""
    href = entry.find(f"{A}link[@rel='alternate']").get("href")
    assert href.startswith(f"{base}cards/") and href.endswith("/"), href
    return href[len(f"{base}cards/"):-1]


def text(element: ET.Element, tag: str) -> str:
    found = element.find(f"{A}{tag}")
    assert found is not None and found.text, f"missing atom:{tag}"
    return found.text


def test_the_handbook_every_topic_and_every_agency_with_cards_have_a_feed(seed):
    library, config, files = seed
    urls = paths.Urls(config.base_url)
    expected = {"feeds/cards.xml"}
    expected |= {f"feeds/topics/{library.slugs['topics'][t.name]}.xml" for t in library.taxonomy.topics}
    expected |= {f"feeds/agencies/{library.slugs['agencies'][name]}.xml" for name in library.indexes.agencies}
    assert set(files) == expected
    assert paths.url_output(urls.feed("topics", library.slugs["topics"]["融资"]), urls.base) in files


def test_every_feed_is_atom_with_what_readers_need(seed):
    library, config, files = seed
    for path, data in files.items():
        root = parse(data)
        assert root.get(LANG) == "zh-CN"
        assert text(root, "id").startswith("urn:uuid:")
        assert text(root, "title").startswith("政策知识卡片手册")
        assert root.find(f"{A}link[@rel='self']").get("href") == BASE + path  # absolute: a full-URL base
        assert root.find(f"{A}link[@rel='alternate']").get("href").startswith(BASE)
        found = entries(root)
        assert len(found) <= FEED_LIMIT and (found or path.startswith("feeds/topics/"))
        assert text(root, "updated") == (text(found[0], "updated") if found else "1970-01-01T00:00:00+08:00")
        for entry in found:
            for tag in ("id", "title", "updated", "summary"):
                text(entry, tag)
            assert entry.find(f"{A}author/{A}name").text or root.find(f"{A}author/{A}name").text
            assert card_of(entry, BASE) in library.cards
            assert not re.search(r"</?[a-z]+[ >]|\[\[|\*\*", text(entry, "summary"))  # (<市、区> is text)
        ids = [text(e, "id") for e in found]
        assert len(ids) == len(set(ids)), path


def test_the_handbook_feed_is_the_newest_cards_first(seed):
    library, config, files = seed
    found = entries(parse(files["feeds/cards.xml"]))
    assert len(found) == FEED_LIMIT < len(library.cards)
    # The newest document of the seed is the 偏关 series (2022, 48 cards), then 忻州 (2021-10-21).
    ids = [card_of(e, BASE) for e in found]
    assert ids[:48] == list(library.cards_by_document["pianguan-48-measures"])
    assert ids[48:] == list(library.cards_by_document["xinzhou-business-environment-2021"][:2])
    assert [text(e, "updated") for e in found[47:49]] == ["2022-01-01T00:00:00+08:00", "2021-10-21T00:00:00+08:00"]
    first = found[0]
    assert text(first, "title") == "坚持“法无禁止即可入”｜“48条”之大幅放宽市场准入 第一期"
    assert text(first, "author/" + A + "name") == "偏关县优化营商环境促进市场主体倍增工作专班"
    assert first.find(f"{A}link[@rel='related']").get("title") == "市场主体倍增工作知识点"
    assert text(first, "summary").startswith("严格执行全国统一的市场准入负面清单")
    assert [c.get("term") for c in first.findall(f"{A}category")] == ["市场准入"]


def test_a_published_date_comes_before_the_document_date(seed):
    library, config, files = seed
    # 赣州 is dated 2016-05-06 but was published on 2016-06-02
    feed = parse(files[f"feeds/agencies/{library.slugs['agencies']['赣州市发改委']}.xml"])
    assert [text(e, "updated") for e in entries(feed)] == ["2016-06-02T00:00:00+08:00"]


def test_a_topic_or_agency_feed_holds_only_its_own_cards(seed):
    library, config, files = seed
    for topic in library.taxonomy.topics:
        mine = library.indexes.topics.get(topic.name, ())
        root = parse(files[f"feeds/topics/{library.slugs['topics'][topic.name]}.xml"])
        ids = [card_of(e, BASE) for e in entries(root)]
        assert set(ids) <= set(mine) and len(ids) == min(len(mine), FEED_LIMIT)
        assert text(root, "title") == f"政策知识卡片手册 · {topic.name}"
        assert all(topic.name in [c.get("term") for c in e.findall(f"{A}category")] for e in entries(root))
        assert root.find(f"{A}link[@rel='alternate']").get("href") == \
            f"{BASE}topics/{library.slugs['topics'][topic.name]}/"
    for name, cards in library.indexes.agencies.items():
        root = parse(files[f"feeds/agencies/{library.slugs['agencies'][name]}.xml"])
        ids = {card_of(e, BASE) for e in entries(root)}
        assert ids <= set(cards.lead + cards.shared)
        assert len(ids) == min(len(set(cards.lead + cards.shared)), FEED_LIMIT)


def test_feeds_are_the_same_bytes_from_another_build(seed, tmp_path):
    library, config, files = seed
    again, config_again = library_of(Project(tmp_path / "other", seed_content=True), BASE)
    assert feed_files(again, config_again) == files


def test_entry_ids_stay_when_the_site_moves(seed, tmp_path):
    """A reader subscribed before a move must not see every card again as new."""
    library, config, files = seed
    moved, moved_config = library_of(Project(tmp_path / "moved", seed_content=True), "/elsewhere/")
    moved_files = feed_files(moved, moved_config)
    for path, data in files.items():
        assert [text(e, "id") for e in entries(parse(data))] == \
               [text(e, "id") for e in entries(parse(moved_files[path]))]
    root = parse(moved_files["feeds/cards.xml"])  # a path base: links are root paths, ids still URIs
    assert root.find(f"{A}link[@rel='self']").get("href") == "/elsewhere/feeds/cards.xml"
    assert card_of(entries(root)[0], "/elsewhere/") in moved.cards


def small_project(root: Path) -> Project:
    project = Project(root)
    project.write("content/regions.yaml", "- name: 示例市\n  level: 市\n")
    project.write("content/agencies.yaml", "- name: 示例市财政局\n  level: 市\n  region: 示例市\n")
    project.write("content/taxonomy/topics.yaml", "- name: 税费\n  keywords: [税]\n- name: 融资\n  keywords: [贷款]\n")
    project.write("content/taxonomy/beneficiaries.yaml", "- name: 企业\n  keywords: [企业]\n")
    return project


def test_dates_known_to_the_year_or_month_and_the_cap(tmp_path):
    project = small_project(tmp_path / "p")
    project.document("old", title="旧文件", date="2015")
    project.document("new", title="新文件", date="2016-05")
    project.document("late", title="后发布的文件", date="2014-03-01", published="2017-02-01")
    for n in range(1, 31):
        project.card(str(n), doc_id="old")
        project.card(str(n), doc_id="new")
    project.card("1", doc_id="late")
    library, config = library_of(project)
    found = entries(parse(feed_files(library, config)["feeds/cards.xml"]))
    assert len(found) == FEED_LIMIT
    assert [card_of(e, "/") for e in found] == \
        ["late-1"] + [f"new-{n}" for n in range(1, 31)] + [f"old-{n}" for n in range(1, 20)]
    assert [text(found[i], "updated")[:10] for i in (0, 1, 31)] == ["2017-02-01", "2016-05-01", "2015-01-01"]
    assert text(found[1], "title") == "措施1｜新文件 1."


def test_a_summary_is_plain_text(tmp_path):
    project = small_project(tmp_path / "p")
    project.document("demo", date="2020-01-02")
    project.card("1", "**重点**支持[[demo-2|另一条措施]]，见《示例文件》。\n\n- 第一项\n- 第二项", topics=["税费"],
                 agencies={"lead": ["示例市财政局"]})
    project.card("2", "正文。", topics=["融资"])
    library, config = library_of(project)
    files = feed_files(library, config)
    entry = entries(parse(files["feeds/topics/shui-fei.xml"]))[0]
    assert text(entry, "summary") == "重点支持另一条措施，见《示例文件》。 第一项 第二项"
    assert [card_of(e, "/") for e in entries(parse(files["feeds/topics/rong-zi.xml"]))] == ["demo-2"]
    assert [card_of(e, "/") for e in entries(parse(files["feeds/agencies/shi-li-shi-cai-zheng-ju.xml"]))] == ["demo-1"]


def test_the_sitemap_lists_every_page_once(seed):
    library, config, _ = seed
    pages = plan_site(library, config, render_bodies(library, paths.Urls(config.base_url), Diagnostics()))
    files = site_files([*pages, *pages], config)  # a page given twice is listed once
    root = ET.fromstring(files["sitemap.xml"])
    assert root.tag == f"{SM}urlset"
    locs = [loc.text for loc in root.iter(f"{SM}loc")]
    assert len(locs) == len(pages) - 1 and locs == sorted(set(locs))  # 404.html is no page to list
    assert f"{BASE}" in locs and f"{BASE}cards/shanxi-cost-reduction-2016-11/" in locs
    assert not any(loc.endswith(".html") for loc in locs)
    for page in pages:
        if page != "404.html":
            assert BASE + page.removesuffix("index.html") in locs
    robots = files["robots.txt"].decode("utf-8")
    assert "User-agent: *" in robots and f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()


def test_robots_names_no_sitemap_without_a_full_url():
    files = site_files(["index.html", "cards/a/index.html", "404.html", "static/style.css"], Config(base_url="/handbook/"))
    assert "Sitemap" not in files["robots.txt"].decode("utf-8")
    assert [loc.text for loc in ET.fromstring(files["sitemap.xml"]).iter(f"{SM}loc")] == \
        ["/handbook/", "/handbook/cards/a/"]


CONTROL = "\x01\x08\x0b\x0c\x1b\x1f\ufffe\uffff"  # none of them may appear in XML 1.0, not even as &#…;


def test_control_characters_in_content_never_make_a_feed_or_the_sitemap_ill_formed(tmp_path):
    project = small_project(tmp_path / "p")
    project.write("content/agencies.yaml", '- name: "示例市\\x01财政局"\n  level: 市\n  region: 示例市\n')
    project.write("content/taxonomy/topics.yaml", '- name: "税\\x1b费"\n  description: "说\\uFFFE明"\n  keywords: [税]\n')
    project.document("demo", title=f"示例{CONTROL}文件", issuer=f"示例市{CONTROL}人民政府", date="2020-01-02")
    project.card("1", f"第一段{CONTROL}正文。\n\n第二段\x0c。", title=f"措施{CONTROL}一", topics=["税\x1b费"],
                 agencies={"lead": ["示例市\x01财政局"]})
    library, config = library_of(project, BASE)
    config = replace(config, title=f"手册{CONTROL}", description=f"说明{CONTROL}")
    files = {**feed_files(library, config), **site_files(["index.html", "cards/demo-1/index.html"], config)}
    assert len(files) == 5  # the handbook, the topic, the agency; the sitemap and robots.txt
    for name, data in files.items():
        if name.endswith(".xml"):
            ET.fromstring(data)  # well-formed, or it raises
            assert not any(c.encode("utf-8") in data for c in CONTROL), name
    entry = entries(parse(files["feeds/cards.xml"]))[0]
    assert text(entry, "title") == "措施一｜示例文件 1."  # the rest of the text as it was
    assert "".join(text(entry, "summary").split()) == "第一段正文。第二段。"  # some count as blanks there
    assert entry.find(f"{A}author/{A}name").text == "示例市人民政府"
    assert text(parse(files["feeds/cards.xml"]), "title") == "手册"


def test_feeds_from_the_bodies_the_link_stage_rendered_are_the_same_bytes(seed):
    """The build hands the feeds the card bodies it rendered once; the summaries read the same."""
    library, config, files = seed
    bodies = render_bodies(library, paths.Urls(config.base_url), Diagnostics())
    assert feed_files(library, config, bodies=bodies.cards) == files
    with_links = [c for c in library.cards.values() if "[[" in c.body or "《" in c.body]
    assert with_links  # summaries of bodies with editor links are among those compared

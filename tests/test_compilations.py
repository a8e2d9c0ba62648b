"""Printable compilations (汇编): one page per document and per topic with every measure in full,
a contents list, and a contact table; in Chromium it prints as A4 pages, a measure to a page."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import Project
from policy_handbook.config import load_config
from policy_handbook.errors import Diagnostics
from policy_handbook.paths import Urls, url_output
from policy_handbook.pipeline import Builder

SHUOZHOU = "shuozhou-private-economy-2019"
SHUOZHOU_PRINT = f"print/documents/{SHUOZHOU}/index.html"
PIANGUAN_PRINT = "print/documents/pianguan-48-measures/index.html"
URLS = Urls("/")


class Compilation(HTMLParser):
    """What a compilation page holds: its ids, the contents links, the measures in page order,
    and the contact table's rows as {agency: [cell texts]}."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.contents: list[str] = []
        self.measures: list[str] = []
        self.rows: dict[str, list[str]] = {}
        self._in_contents = self._in_tbody = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "nav" and "comp-contents" in classes:
            self._in_contents = True
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
            if self._in_contents:
                self.contents.append(attrs["href"])
        if tag == "section" and "measure" in classes:
            self.measures.append(attrs["id"])
        if tag == "tbody":
            self._in_tbody = True
        if self._in_tbody and tag == "tr":
            self._row = []
        if self._row is not None and tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_contents = False
        if tag == "tbody":
            self._in_tbody = False
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr" and self._row:
            self.rows[re.sub(r"（(?:泛指|现为：[^）]*)）$", "", self._row[0])] = self._row[1:]
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> Compilation:
    parser = Compilation()
    parser.feed(html)
    return parser


def read(site: Project, rel: str) -> str:
    return (site.site / rel).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    """The seed handbook built in memory (no search index): its library and pages."""
    proj = Project(tmp_path_factory.mktemp("compilations") / "project", seed_content=True)
    result = Builder(load_config(proj.root / "config.yaml", Diagnostics())).build()
    assert result.ok, result.diagnostics.report()
    return result


def test_every_document_and_every_topic_has_a_compilation(seed_site, seed_build):
    library = seed_build.library
    expected = [url_output(URLS.compilation("documents", d), "/") for d in library.documents]
    expected += [url_output(URLS.compilation("topics", library.slugs["topics"][t.name]), "/")
                 for t in library.taxonomy.topics]
    assert len(expected) == len(library.documents) + len(library.taxonomy.topics) > 5
    for rel in expected:
        assert (seed_site.site / rel).is_file(), rel
    assert URLS.compilation("documents", SHUOZHOU) == f"/print/documents/{SHUOZHOU}/"
    html = read(seed_site, SHUOZHOU_PRINT)
    assert "《朔州市促进民营经济发展的若干措施》措施汇编" in html
    for text in ("发文机关", "朔州市人民政府", "成文日期", "目录", "咨询联系表", "打印", "政策知识卡片手册"):
        assert text in html, text
    assert f'href="/documents/{SHUOZHOU}/"' in html  # back to the document
    topic = read(seed_site, "print/topics/yong-neng/index.html")
    assert "主题汇编：用能" in topic and 'href="/topics/yong-neng/"' in topic


def test_a_document_compilation_shows_every_card_in_reading_order(seed_build):
    library = seed_build.library
    for doc_id, cards in library.cards_by_document.items():
        page = parse(seed_build.site[f"print/documents/{doc_id}/index.html"].decode("utf-8"))
        assert page.measures == list(cards), doc_id
    # Each measure in full: its text, its lead agencies; series cards under their group.
    html = seed_build.site[SHUOZHOU_PRINT].decode("utf-8")
    assert "深化电力体制改革，为民营企业开辟绿色通道" in html
    assert "朔州市电力公司" in html
    series = seed_build.site[PIANGUAN_PRINT].decode("utf-8")
    assert series.index("“48条”之大幅放宽市场准入</h2>") < series.index('id="pianguan-48-measures-1-1"') \
        < series.index("“48条”之促进市场主体开办经营便利化</h2>") < series.index('id="pianguan-48-measures-2-1"')


def test_a_topic_compilation_groups_its_cards_by_document_in_home_page_order(seed_build):
    library = seed_build.library
    cards = library.indexes.topics["用能"]
    page = parse(seed_build.site["print/topics/yong-neng/index.html"].decode("utf-8"))
    assert sorted(page.measures) == sorted(cards)
    documents = [library.cards[c].document for c in page.measures]
    assert documents == sorted(documents, key=list(library.documents).index)
    assert page.measures == sorted(page.measures, key=library.position)


def test_the_contents_list_links_to_every_measure_on_the_page(seed_build):
    for rel, html in seed_build.site.items():
        if not rel.startswith("print/"):
            continue
        page = parse(html.decode("utf-8"))
        assert page.contents == [f"#{m}" for m in page.measures] + ["#contacts"], rel
        for href in page.hrefs:
            if href.startswith("#"):
                assert href[1:] in page.ids, f"{rel}: {href} has no anchor"


def test_the_contact_table_lists_every_agency_involved_with_its_phone(tmp_path):
    proj = Project(tmp_path / "project", seed_content=True)
    registry = proj.root / "content/agencies.yaml"
    text = registry.read_text(encoding="utf-8")
    entry = re.search(r"- name: 朔州市经信委\n(?:  .*\n)*?  contact: \{phone: '', address: '', website: ''\}\n", text)
    assert entry, "the seed registry changed: pick another agency"
    filled = entry.group(0).replace("{phone: '', address: '', website: ''}",
                                    "{phone: 0349-2021234, address: 朔州市开发区民福东街1号, website: ''}")
    registry.write_text(text.replace(entry.group(0), filled), encoding="utf-8")
    result = Builder(load_config(proj.root / "config.yaml", Diagnostics())).build()
    assert result.ok, result.diagnostics.report()
    library = result.library
    html = result.site[SHUOZHOU_PRINT].decode("utf-8")
    rows = parse(html).rows
    involved = {name for c in library.cards_by_document[SHUOZHOU]
                for _, names in library.cards[c].agencies for name in names}
    assert set(rows) == involved
    roles, phone, address, website = rows["朔州市经信委"]
    assert roles.startswith("牵头") and phone == "0349-2021234" and address == "朔州市开发区民福东街1号"
    assert website == "—"
    assert 'href="tel:0349-2021234"' in html
    # no contact: the row says so, and the note under the table says whom to ask instead
    assert rows["朔州市财政局"][1:] == ["未公布联系方式，可按表后的办法咨询"]
    assert "content/agencies.yaml" not in html and "向发文机关咨询：朔州市人民政府" in html
    # The topic compilations read the same registry.
    assert "0349-2021234" in result.site["print/topics/yong-neng/index.html"].decode("utf-8")


def test_an_edit_to_a_card_rerenders_its_compilations(tmp_path):
    proj = Project(tmp_path / "project", seed_content=True)
    builder = Builder(load_config(proj.root / "config.yaml", Diagnostics()))
    assert builder.build().ok
    card = proj.root / f"content/cards/{SHUOZHOU}/19.md"
    card.write_text(card.read_text(encoding="utf-8").replace("深化电力体制改革", "全面深化电力体制改革"),
                    encoding="utf-8")
    result = builder.build()
    assert result.ok
    for rel in (SHUOZHOU_PRINT, "print/topics/yong-neng/index.html"):
        assert rel in result.changed and "全面深化电力体制改革" in result.changed[rel].decode("utf-8")
    full = Builder(load_config(proj.root / "config.yaml", Diagnostics())).build()
    assert {k: v for k, v in full.site.items() if k.startswith("print/")} == \
        {k: v for k, v in result.site.items() if k.startswith("print/")}


# --- In Chromium ---------------------------------------------------------------------------------

from test_browser import ARTIFACTS, DESKTOP, PHONE, browser, server  # noqa: E402,F401  (fixtures)

TOPIC_URL = "/print/topics/yong-neng/"


def shot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


@pytest.mark.browser
@pytest.mark.parametrize("viewport, name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_compilation_reads_on_screen_and_prints_without_the_site_chrome(server, browser, viewport, name):
    page = browser.new_page(viewport=viewport)
    page.goto(server + TOPIC_URL)
    shot(page, f"compilation-{name}")
    assert page.locator("h1").inner_text() == "主题汇编：用能"
    assert page.locator(".comp-print").is_visible()  # shown by the script
    assert page.locator(".site-header").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.locator(f".toc-item a[href=\"#{SHUOZHOU}-19\"]").click()
    page.wait_for_url(f"**{TOPIC_URL}#{SHUOZHOU}-19")
    assert page.locator(f"#{SHUOZHOU}-19").is_visible()

    page.emulate_media(media="print")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"compilation-{name}-print")
    for chrome in (".site-header", ".site-search", ".site-nav", ".breadcrumbs", ".site-footer", ".comp-print",
                   ".comp-back", ".measure-link"):
        assert not page.locator(chrome).first.is_visible(), chrome
    style = "(el, prop) => getComputedStyle(el).getPropertyValue(prop)"
    measures = page.locator(".measure")
    assert measures.count() == page.locator(".toc-item a[href^='#']:not([href='#contacts'])").count() > 3
    for i in range(measures.count()):
        measure = measures.nth(i)
        first_of_part = measure.evaluate("el => el.previousElementSibling === null || "
                                         "!el.previousElementSibling.classList.contains('measure')")
        breaks = measure.evaluate(f"el => getComputedStyle({'el.parentElement' if first_of_part else 'el'})"
                                  ".breakBefore")
        assert breaks == "page", f"measure {i} does not start a page"
    contents = page.locator(".comp-contents")
    assert contents.evaluate(style, "break-before") == "page" and contents.evaluate(style, "break-after") == "page"
    assert page.locator(".comp-contacts").evaluate(style, "break-before") == "page"
    assert page.locator(".contact-table tbody tr").first.evaluate(style, "break-inside") == "avoid"
    assert page.locator(".measure-body").first.evaluate(style, "color") == "rgb(0, 0, 0)"
    assert page.locator(".measure-facts a").first.evaluate(style, "text-decoration-line") == "none"
    page.close()


@pytest.mark.browser
def test_a_document_compilation_prints_to_a_page_per_measure(server, browser):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(server + f"/print/documents/{SHUOZHOU}/")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "compilation-shuozhou.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    # A cover, the contents, 48 measures each on a page of its own, the contact table.
    assert pages >= 1 + 1 + 48 + 1, pages
    page.emulate_media(media="print")
    page.set_viewport_size(PHONE)
    page.locator(".contact-table").scroll_into_view_if_needed()
    shot(page, "compilation-contacts-phone-print", full_page=False)
    page.emulate_media(media="screen")
    page.locator(".contact-table").scroll_into_view_if_needed()
    shot(page, "compilation-contacts-phone", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()

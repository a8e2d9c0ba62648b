"""No page shows a label with nothing after it: a card without a topic, a number or a contact, an
agency whose contact holds only a note, still read as finished pages."""
from __future__ import annotations

import re

import pytest
from lxml import html

from conftest import Project

# Things a reader sees as a label, a badge or a pill: empty, they are a coloured box with nothing in it.
PILLS = ("card-issue", "tag", "badge", "status", "role-label", "history-label", "recent-kind", "validity",
         "deadline-kind")


def text_of(node) -> str:
    return re.sub(r"\s+", "", node.text_content())


def empty_labels(page) -> list[str]:
    """Every label on a page that has nothing to say."""
    found = []
    for dl in page.iter("dl"):
        items = [c for c in dl if c.tag in ("dt", "dd", "div")]
        if not items:
            found.append("an empty list of particulars (<dl>)")
    for dt in page.iter("dt"):
        dd = dt.getnext()
        if dd is None or dd.tag != "dd" or not text_of(dd):
            found.append(f"{text_of(dt)} (<dt> with nothing after it)")
    for node in page.iter():
        if not isinstance(node.tag, str) or node.get("hidden") is not None:
            continue
        classes = (node.get("class") or "").split()
        if node.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "th", "summary", "label") and not text_of(node):
            found.append(f"an empty <{node.tag}>")
        elif any(c in PILLS for c in classes) and not text_of(node):
            found.append(f"an empty .{' .'.join(classes)}")
    for crumb in page.xpath("//*[contains(@class, 'breadcrumbs')]//li"):
        if not text_of(crumb):
            found.append("an empty step in the breadcrumbs")
    return found


@pytest.fixture(scope="module")
def sparse_site(tmp_path_factory) -> Project:
    """The bundled handbook, and cards and an agency with as little as content may hold."""
    proj = Project(tmp_path_factory.mktemp("labels") / "project", seed_content=True)
    doc = "shuozhou-private-economy-2019"
    proj.card("90", "没有主题、责任单位和时限的措施。", doc_id=doc, title="没有主题的措施")
    proj.write(f"content/cards/{doc}/nonumber.md",
               "---\nid: shuozhou-private-economy-2019-nonumber\ntitle: 没有编号的措施\n"
               f"document: {doc}\ntopics: [融资]\n---\n没有编号。\n")
    registry = proj.root / "content" / "agencies.yaml"
    text = registry.read_text(encoding="utf-8")
    entry = "- name: 太原海关\n  level: ''\n  region: 山西省\n  contact: {phone: '', address: '', website: ''}\n"
    assert entry in text
    registry.write_text(text.replace(entry, entry.replace("{phone: '', address: '', website: ''}",
                                                          "{note: 请先电话预约}")), encoding="utf-8")
    result = proj.run("build", "--no-search")
    assert result.returncode == 0, result.stderr
    return proj


def test_the_sparse_content_is_built(sparse_site):
    site = sparse_site.site
    assert "没有主题的措施" in (site / "cards/shuozhou-private-economy-2019-90/index.html").read_text(encoding="utf-8")
    assert "没有编号的措施" in (site / "cards/shuozhou-private-economy-2019-nonumber/index.html").read_text(encoding="utf-8")
    assert (site / "agencies/tai-yuan-hai-guan/index.html").exists()


def test_a_card_without_topic_shows_no_topic_label(sparse_site):
    page = html.parse(str(sparse_site.site / "cards/shuozhou-private-economy-2019-90/index.html"))
    assert [text_of(dt) for dt in page.iter("dt")][:2] == ["谁负责", "何时完成全部时限"]
    assert "主题" not in [text_of(dt) for dt in page.iter("dt")]


def test_a_card_without_number_shows_no_empty_issue_pill(sparse_site):
    page = html.parse(str(sparse_site.site / "cards/shuozhou-private-economy-2019-nonumber/index.html"))
    assert not page.xpath("//*[contains(@class, 'card-issue')]")
    assert text_of(page.xpath("//h1")[0]) == "没有编号的措施"


def test_an_agency_contact_of_only_a_note_shows_the_note(sparse_site):
    for slug in ("tai-yuan-hai-guan", "shan-xi-chu-ru-jing-jian-yan-jian-yi-ju"):  # and its predecessor's page
        page = html.parse(str(sparse_site.site / f"agencies/{slug}/index.html"))
        rows = {text_of(dt): text_of(dt.getnext()) for dt in page.xpath("//section[@class='contact-block']//dt")}
        assert rows == {"备注": "请先电话预约"}, slug


@pytest.mark.parametrize("folder", ["cards", "documents", "agencies", "topics", "regions", "beneficiaries",
                                    "deadlines", "series", "recent", "data", "search", "print"])
def test_no_page_shows_an_empty_label(sparse_site, folder):
    pages = sorted((sparse_site.site / folder).rglob("index.html"))
    assert pages
    problems = {str(p.relative_to(sparse_site.site)): found for p in pages
                if (found := empty_labels(html.parse(str(p))))}
    assert not problems, "\n".join(f"{page}: {'; '.join(found)}" for page, found in problems.items())


def test_home_and_404_show_no_empty_label(sparse_site):
    for name in ("index.html", "404.html"):
        assert not empty_labels(html.parse(str(sparse_site.site / name))), name


def test_a_card_contact_of_only_spaces_shows_no_empty_phone(project):
    project.document()
    project.card("1", contact={"phone": " ", "address": "示例路1号"})
    result = project.run("build", "--no-search")
    assert result.returncode == 0, result.stderr
    page = (project.site / "cards/demo-1/index.html").read_text(encoding="utf-8")
    assert "电话：" not in page and "地址：示例路1号" in page

"""Starting from any question (who leads? what is due? everything on 融资?) a reader reaches the card."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest


class Sections(HTMLParser):
    """The links under each <h2>, and the links in the header navigation."""

    def __init__(self):
        super().__init__()
        self.current, self.links, self.nav, self._in_nav, self._text = "", {}, [], False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("class") == "site-nav":
            self._in_nav = True
        if tag in ("h2", "h3"):
            self._text = []
        if tag == "a" and "href" in attrs:
            (self.nav if self._in_nav else self.links.setdefault(self.current, [])).append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav = False
        if tag in ("h2", "h3") and self._text is not None:
            self.current, self._text = "".join(self._text).strip(), None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def sections(site, rel: str) -> Sections:
    parser = Sections()
    parser.feed((site.site / rel).read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory):
    from conftest import Project
    proj = Project(tmp_path_factory.mktemp("dated") / "project", seed_content=True)
    proj.config(as_of="2016-06-15")
    assert proj.run("build").returncode == 0
    return proj


def test_an_agency_page_lists_the_measures_it_leads(seed_site):
    page = sections(seed_site, "agencies/shuo-zhou-shi-cai-zheng-ju/index.html")
    lead = page.links["牵头的措施（13）"] + page.links["朔州市促进民营经济发展的若干措施 13 条"]
    assert "/cards/shuozhou-private-economy-2019-14/" in lead
    assert "/cards/shuozhou-private-economy-2019-16/" in lead


def test_shanxi_finance_department_leads_items_four_to_six(seed_site):
    html = (seed_site.site / "agencies/shan-xi-sheng-cai-zheng-ting/index.html").read_text(encoding="utf-8")
    lead = html[html.index('id="lead-heading"'):html.index('id="shared-heading"')]
    for n in (4, 5, 6):
        assert f'href="/cards/shanxi-cost-reduction-2016-{n}/"' in lead
    assert "（四）" in lead and "（六）" in lead


def test_agency_directory_groups_by_region_with_counts(seed_site):
    html = (seed_site.site / "agencies/index.html").read_text(encoding="utf-8")
    assert "<h2>山西省</h2>" in html and "<h2>朔州市</h2>" in html and "<h2>赣州市</h2>" in html
    assert re.search(r'>朔州市财政局</a> <span class="count">牵头 13 · 参与 0</span>', html)


def test_ganzhou_may_20_items_are_in_may_2016_and_past(dated_site):
    html = (dated_site.site / "deadlines/index.html").read_text(encoding="utf-8")
    may = html[html.index('id="d-2016-05"'):html.index('id="d-2016-12"')]
    item = may[may.index("编制惠企政策文件汇编") - 400:may.index("编制惠企政策文件汇编")]
    assert '<span class="status status-past" data-date="2016-05-20" data-kind="due">已过</span>' in item
    assert '<time datetime="2016-05-20">2016年5月20日前</time>' in item
    assert "原文：5月20日前" in may


def test_coming_up_on_home_lists_the_next_dated_items(dated_site):
    html = (dated_site.site / "index.html").read_text(encoding="utf-8")
    block = html[html.index('id="coming-heading"'):html.index("查看全部时限")]
    assert '<time datetime="2016-12-30">' in block  # the next dated item after 2016-06-15


def test_the_48_series_page_has_48_cards_in_order(seed_site):
    html = (seed_site.site / "series/pianguan-48-measures/index.html").read_text(encoding="utf-8")
    cards = re.findall(r'href="/cards/(pianguan-48-measures-\d+-\d+)/"', html)
    assert len(cards) == 48
    expected = [f"pianguan-48-measures-{g}-{i}" for g, n in enumerate([7, 4, 7, 7, 6, 4, 3, 5, 5], start=1)
                for i in range(1, n + 1)]
    assert cards == expected


def test_a_group_page_lists_its_issues_and_leads_to_the_next_group(seed_site):
    html = (seed_site.site / "series/pianguan-48-measures/7/index.html").read_text(encoding="utf-8")
    assert "“48条”之加大融资支持力度" in html
    assert re.findall(r'href="/cards/(pianguan-48-measures-7-\d)/"', html) == [
        "pianguan-48-measures-7-1", "pianguan-48-measures-7-2", "pianguan-48-measures-7-3"]
    assert 'rel="next" href="/series/pianguan-48-measures/8/"' in html


def test_topic_page_lists_its_measures_grouped_by_document(seed_site):
    page = sections(seed_site, "topics/rong-zi/index.html")
    shanxi = page.links["山西省降低实体经济企业成本实施方案 " + next(
        k.split(" ")[-2] + " 条" for k in page.links if k.startswith("山西省降低"))]
    assert "/cards/shanxi-cost-reduction-2016-7/" in shanxi
    topics = (seed_site.site / "topics/index.html").read_text(encoding="utf-8")
    assert "信贷、担保、直接融资与资金周转。" in topics


def test_region_and_beneficiary_pages(seed_site):
    region = (seed_site.site / "regions/xin-zhou-shi/index.html").read_text(encoding="utf-8")
    assert "忻州市“十四五”“六最”营商环境建设规划" in region and "市场主体倍增工作知识点" in region
    assert 'href="/regions/pian-guan-xian/"' in region  # 偏关县 is below 忻州市
    small = (seed_site.site / "beneficiaries/xiao-wei-qi-ye/index.html").read_text(encoding="utf-8")
    assert 'href="/cards/shuozhou-private-economy-2019-24/"' in small


@pytest.mark.parametrize("rel", ["index.html", "cards/shanxi-cost-reduction-2016-4/index.html",
                                 "agencies/index.html", "deadlines/index.html", "404.html"])
def test_every_page_header_reaches_every_section(seed_site, rel):
    nav = sections(seed_site, rel).nav
    for target in ("/", "/documents/", "/series/pianguan-48-measures/", "/agencies/", "/topics/",
                   "/deadlines/", "/search/"):
        assert target in nav, (rel, target)


def related_of(site, card_id: str) -> list[str]:
    html = (site.site / f"cards/{card_id}/index.html").read_text(encoding="utf-8")
    if 'id="related-heading"' not in html:
        return []
    block = html[html.index('id="related-heading"'):html.index("</section>", html.index('id="related-heading"'))]
    return re.findall(r'href="/cards/([^/"]+)/"', block)


def test_related_measures_come_from_other_documents_only(seed_site):
    assert "shuozhou-private-economy-2019-19" in related_of(seed_site, "shanxi-cost-reduction-2016-21")
    checked = 0
    for card in (seed_site.root / "content/cards").rglob("*.md"):
        card_id = f"{card.parent.name}-{card.stem}"
        related = related_of(seed_site, card_id)
        assert len(related) <= 5
        assert not any(r.startswith(card.parent.name + "-") for r in related), card_id
        checked += bool(related)
    assert checked > 100  # most cards have related measures


def test_an_editor_link_renders_and_its_target_shows_the_backlink(project_with_seed):
    card = project_with_seed.root / "content/cards/shuozhou-private-economy-2019/20.md"
    card.write_text(card.read_text(encoding="utf-8").rstrip("\n")
                    + "\n\n另见[[shuozhou-private-economy-2019-19]]和《山西省降低实体经济企业成本实施方案》。\n",
                    encoding="utf-8")
    result = project_with_seed.run("build")
    assert result.returncode == 0, result.stderr
    site = project_with_seed.site
    html = (site / "cards/shuozhou-private-economy-2019-20/index.html").read_text(encoding="utf-8")
    assert '另见<a href="/cards/shuozhou-private-economy-2019-19/">降低企业用电成本</a>' in html
    assert '<a href="/documents/shanxi-cost-reduction-2016/">《山西省降低实体经济企业成本实施方案》</a>' in html
    target = (site / "cards/shuozhou-private-economy-2019-19/index.html").read_text(encoding="utf-8")
    backlinks = target[target.index('id="backlinks-heading"'):]
    assert 'href="/cards/shuozhou-private-economy-2019-20/"' in backlinks
    document = (site / "documents/shanxi-cost-reduction-2016/index.html").read_text(encoding="utf-8")
    assert 'id="backlinks-heading"' in document and "降低企业用气成本" in document


def test_a_broken_editor_link_fails_the_build_with_its_file_line_and_a_suggestion(project_with_seed):
    card = project_with_seed.root / "content/cards/shuozhou-private-economy-2019/20.md"
    lines = card.read_text(encoding="utf-8").rstrip("\n").split("\n")
    card.write_text("\n".join(lines + ["", "另见[[shuozhou-private-econmy-2019-19]]。", ""]), encoding="utf-8")
    result = project_with_seed.run("build")
    assert result.returncode == 1
    assert (f"content/cards/shuozhou-private-economy-2019/20.md:{len(lines) + 2}: 错误："
            "卡片“shuozhou-private-econmy-2019-19”不存在") in result.stderr
    assert "是不是“shuozhou-private-economy-2019-19”" in result.stderr  # the first suggestion
    assert not project_with_seed.site.exists()


def test_a_broken_markdown_link_fails_the_build_naming_the_card_line(project_with_seed):
    assert project_with_seed.run("build").returncode == 0
    before = project_with_seed.read_site()
    card = project_with_seed.root / "content/cards/xinzhou-business-environment-2021/3.md"
    text = card.read_text(encoding="utf-8").rstrip("\n")
    card.write_text(text + "\n\n详见[办事指南](/cards/no-such-card/)。\n", encoding="utf-8")
    result = project_with_seed.run("build")
    assert result.returncode == 1
    line = len(text.split("\n")) + 2
    assert f"content/cards/xinzhou-business-environment-2021/3.md:{line}: 错误：失效的链接 /cards/no-such-card/" in result.stderr
    assert project_with_seed.read_site() == before


def test_coming_up_shows_a_recurring_item_at_its_next_occurrence(project_with_seed):
    """Once every dated item is past, the annual item still comes up, at its next date."""
    project_with_seed.config(as_of="2026-11-22")
    assert project_with_seed.run("build").returncode == 0
    html = (project_with_seed.site / "index.html").read_text(encoding="utf-8")
    block = html[html.index('id="coming-heading"'):html.index("查看全部时限")]
    assert "每年6月20日前" in block and '<time datetime="2027-06-20">2027年6月20日</time>' in block
    assert '<li class="coming-up-empty" hidden>' in block  # there for the page script, not shown
    assert "每年 每年" not in block and "定期" in block

"""Editor links: [[card-id]], [[card-id|text]], [[《title》]] and 《title》 in running text."""
from __future__ import annotations

import re

import pytest
from conftest import REPO

from policy_handbook.content.frontmatter import parse
from policy_handbook.library.links import BrokenLink, LinkTarget, OutLink, render_body
from markdown_it import MarkdownIt

# The oracle: plain markdown-it with the handbook's settings and no editor-link rules.
render_markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).render
from policy_handbook.paths import Urls

URLS = Urls("/handbook/")
PLAN = "山西省降低实体经济企业成本实施方案"
TARGET = LinkTarget(
    cards={"shanxi-1": "指导思想", "shanxi-2": "降低税费<负担>", "ganzhou-1": "指导思想"},
    documents={PLAN: "shanxi", "关于印发《示例办法》的通知": "demo"},
    card_url=URLS.card, document_url=URLS.document)


def render(text: str, first_line: int = 1):
    return render_body(text, TARGET, first_line)


def test_card_link_has_the_card_url_and_title():
    out = render("见[[shanxi-1]]。")
    assert out.html == '<p>见<a href="/handbook/cards/shanxi-1/">指导思想</a>。</p>\n'
    assert out.links == (OutLink("card", "shanxi-1", 1),)
    assert out.broken == ()


def test_card_link_with_its_own_text():
    out = render("[[shanxi-2|第二条]]与[[shanxi-2 | 税费 ]]")
    assert out.html == ('<p><a href="/handbook/cards/shanxi-2/">第二条</a>与'
                        '<a href="/handbook/cards/shanxi-2/">税费</a></p>\n')


def test_card_titles_are_escaped():
    assert '<a href="/handbook/cards/shanxi-2/">降低税费&lt;负担&gt;</a>' in render("[[shanxi-2]]").html


def test_document_link_by_title():
    out = render(f"依据[[《{PLAN}》]]。")
    assert out.html == f'<p>依据<a href="/handbook/documents/shanxi/">《{PLAN}》</a>。</p>\n'
    assert out.links == (OutLink("document", "shanxi", 1),)


def test_a_handbook_title_in_running_text_becomes_a_link():
    out = render(f"为落实《{PLAN}》，制定本办法。", first_line=7)
    assert out.html == f'<p>为落实<a href="/handbook/documents/shanxi/">《{PLAN}》</a>，制定本办法。</p>\n'
    assert out.links == (OutLink("document", "shanxi", 7),)


def test_a_title_not_in_the_handbook_stays_text():
    out = render("依照国家《反垄断法》《价格法》的有关规定。")
    assert out.html == "<p>依照国家《反垄断法》《价格法》的有关规定。</p>\n"
    assert out.links == () and out.broken == ()


def test_a_title_with_nested_brackets_is_matched_whole():
    out = render("见《关于印发《示例办法》的通知》。")
    assert '<a href="/handbook/documents/demo/">《关于印发《示例办法》的通知》</a>' in out.html


def test_no_auto_link_inside_code_or_an_existing_link():
    out = render(f"`《{PLAN}》` 和 [原文《{PLAN}》](https://example.org/plan) 和 <https://example.org/《{PLAN}》>")
    assert "/handbook/documents/" not in out.html
    assert f"<code>《{PLAN}》</code>" in out.html
    assert out.links == ()


def test_no_auto_link_inside_a_code_block():
    out = render(f"```\n《{PLAN}》\n```\n\n    《{PLAN}》\n")
    assert "<a " not in out.html and out.links == ()


def test_unknown_card_is_plain_text_and_reported_with_its_file_line():
    out = render("第一段。\n\n第二段，\n见[[shanxi-3]]。", first_line=12)
    assert out.html == "<p>第一段。</p>\n<p>第二段，\n见shanxi-3。</p>\n"
    assert out.links == ()
    (broken,) = out.broken
    assert broken.line == 15
    assert broken.message == "卡片“shanxi-3”不存在"
    assert "是不是“shanxi-1”" in broken.hint or "是不是“shanxi-2”" in broken.hint


def test_unknown_card_shows_its_text_when_it_has_one():
    out = render("[[nope|这条措施]]")
    assert out.html == "<p>这条措施</p>\n"
    assert len(out.broken) == 1


def test_a_card_title_written_as_an_id_suggests_the_ids():
    (broken,) = render("[[指导思想]]").broken
    assert broken.hint == "是不是“ganzhou-1”或“shanxi-1”？"


def test_a_document_id_written_as_a_card_suggests_the_title_form():
    (broken,) = render("[[shanxi]]").broken
    assert broken.hint == f"“shanxi”是文件，不是卡片，要写成 [[《{PLAN}》]]"


def test_unknown_document_title_is_reported_with_a_did_you_mean():
    out = render("依据[[《山西省降低企业成本实施方案》]]。", first_line=3)
    assert out.html == "<p>依据《山西省降低企业成本实施方案》。</p>\n"
    assert out.broken == (BrokenLink(3, "文件《山西省降低企业成本实施方案》不在本手册中",
                                     f"是不是《{PLAN}》？"),)


def test_raw_html_is_escaped_everywhere():
    out = render("<script>alert(1)</script>\n\n[[<script>x</script>]] [[shanxi-1|<b>粗</b>]]")
    assert "<script>" not in out.html and "<b>" not in out.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out.html
    assert '<a href="/handbook/cards/shanxi-1/">&lt;b&gt;粗&lt;/b&gt;</a>' in out.html


def test_hrefs_come_only_from_the_url_functions():
    out = render("[[../../etc/passwd]] [[javascript:alert(1)]] [[《javascript:alert(1)》]]")
    assert "href" not in out.html
    assert len(out.broken) == 3


def test_links_on_a_multi_line_body_carry_their_own_lines():
    body = "\n".join([
        "",  # the blank line after the front matter
        "第一行见[[shanxi-1]]，",
        "第二行见`code`与[[shanxi-2]]，",
        f"第三行见《{PLAN}》。",
        "",
        "- 列表项",
        f"- 又见《{PLAN}》与[[nope]]",
        "",
        "| 表头 | 链接 |",
        "|---|---|",
        "| 行 | [[shanxi-1\\|第一条]] |",
        "",
        "> 引文",
        f"> 《{PLAN}》",
    ])
    out = render(body, first_line=20)
    assert out.links == (
        OutLink("card", "shanxi-1", 21),
        OutLink("card", "shanxi-2", 22),
        OutLink("document", "shanxi", 23),
        OutLink("document", "shanxi", 26),
        OutLink("card", "shanxi-1", 30),
        OutLink("document", "shanxi", 33),
    )
    assert [b.line for b in out.broken] == [26]
    assert '<td><a href="/handbook/cards/shanxi-1/">第一条</a></td>' in out.html


def test_a_title_after_a_multi_line_code_span_gets_the_right_line():
    out = render(f"`《{PLAN}》\n代码` 之后《{PLAN}》", first_line=1)
    assert out.links == (OutLink("document", "shanxi", 2),)


def test_an_escaped_bracket_is_not_a_link():
    out = render("\\[[shanxi-1]]")
    assert out.html == "<p>[[shanxi-1]]</p>\n" and out.links == () and out.broken == ()


def test_a_broken_link_in_image_alt_text_is_reported_but_not_linked():
    out = render("前文\n![图 [[shanxi-1]] [[nope]]](a.png)", first_line=4)
    assert out.html == '<p>前文\n<img src="a.png" alt="图 指导思想 nope" /></p>\n'
    assert out.links == () and [b.line for b in out.broken] == [5]


def test_commonmark_otherwise_unchanged():
    text = "# 标题\n\n*强调* ~~删除~~ [普通链接](https://example.org) [方括号] [[未闭合\n\n| a |\n|---|\n| b |\n"
    assert render(text).html == render_markdown(text)


def _strip_document_links(html: str) -> str:
    return re.sub(r'<a href="/handbook/documents/[a-z0-9-]+/">(.*?)</a>', r"\1", html)


@pytest.mark.parametrize("card_file", ["shanxi-cost-reduction-2016/1.md", "shanxi-cost-reduction-2016/12.md",
                                       "ganzhou-cost-reduction-2016/2-1-1.md"])
def test_seed_cards_render_as_before_except_links(card_file):
    documents = {}
    for path in sorted((REPO / "content" / "documents").glob("*.md")):
        data = parse(path.read_text(encoding="utf-8")).data
        documents[data["title"]] = data["id"]
    target = LinkTarget({}, documents, URLS.card, URLS.document)
    parsed = parse((REPO / "content" / "cards" / card_file).read_text(encoding="utf-8"))
    out = render_body(parsed.body, target, parsed.body_line)
    assert out.broken == ()
    assert _strip_document_links(out.html) == render_markdown(parsed.body)


def test_a_seed_card_mentioning_its_own_plan_links_to_it():
    parsed = parse((REPO / "content" / "cards" / "shanxi-cost-reduction-2016" / "1.md").read_text(encoding="utf-8"))
    body = parsed.body + f"\n\n详见《{PLAN}》。\n"
    out = render_body(body, TARGET, parsed.body_line)
    assert out.links == (OutLink("document", "shanxi", parsed.body_line + body.count("\n") - 1),)


def test_titles_are_found_as_a_reader_finds_them_whatever_the_nesting():
    """The longest handbook title that fits after each 《 wins and matches never overlap — checked
    against the plain reading (try every title, longest first) on generated texts."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from policy_handbook.library.links import find_titles

    def plain(text, documents):
        found, titles = [], sorted((t for t in documents if t), key=len, reverse=True)
        pos = text.find("《")
        while pos >= 0:
            title = next((t for t in titles if text.startswith(t + "》", pos + 1)), None)
            if title is None:
                pos = text.find("《", pos + 1)
                continue
            found.append((pos, title))
            pos = text.find("《", pos + len(title) + 2)
        return found

    pieces = st.sampled_from(["《", "》", "办法", "示例", "的通知", "关于印发", "。"])
    titles = st.lists(st.lists(pieces, max_size=5).map("".join), max_size=5)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=30).map("".join), titles)
    def check(text, names):
        documents = {name: f"d{i}" for i, name in enumerate(names)}
        assert find_titles(text, documents) == plain(text, documents)

    check()


def test_text_without_a_title_mark_does_not_go_through_the_document_titles():
    """There is one title per document: going through them for every piece of text made the
    link stage grow with cards × documents (50,000 cards: 6.3 s, 3.6 s without)."""
    from policy_handbook.library.links import find_titles

    class Titles(dict):
        def __iter__(self):
            raise AssertionError("the titles were gone through")

    titles = Titles({"山西省优化营商环境条例": "shanxi"})
    assert find_titles("降低企业用电成本，没有书名号。", titles) == []
    assert find_titles("依照《山西省优化营商环境条例》办理", titles, longest=11) == [(2, "山西省优化营商环境条例")]
    target = LinkTarget({}, {"山西省优化营商环境条例": "shanxi", "短": "s"}, URLS.card, URLS.document)
    assert target.longest_title == 11

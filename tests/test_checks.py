"""Link integrity: every internal href, src and fragment resolves, or the build names its origin."""
from __future__ import annotations

from policy_handbook.pages.checks import LinkProblem, Provenance, check_site

STATIC = ["static/style.css", "static/app.js"]


def page(body: str, base: str = "/") -> bytes:
    return (f'<!doctype html><html><head><link rel="stylesheet" href="{base}static/style.css">'
            f'<script src="{base}static/app.js"></script></head>'
            f'<body><nav><a href="{base}">首页</a></nav>{body}</body></html>').encode("utf-8")


def site(base: str = "/") -> dict[str, bytes]:
    return {
        "index.html": page(f'<a href="{base}cards/demo-1/">措施1</a> <a href="{base}documents/demo/">文件</a>', base),
        "cards/demo-1/index.html": page(
            f'<h1 id="top-title">措施1</h1><p><a href="{base}documents/demo/#demo-1">原文</a> '
            f'<a href="#top-title">回到标题</a> <a href="../demo-2/">下一条</a> '
            f'<a href="mailto:office@example.org">邮件</a> <a href="tel:0350123">电话</a> '
            f'<a href="https://www.gov.cn/zhengce/">国务院</a> <a href="#">#</a></p>', base),
        "cards/demo-2/index.html": page(f'<a href="{base}cards/demo-1/#top-title">上一条</a>', base),
        "documents/demo/index.html": page('<p id="demo-1">一</p><p><a name="demo-2">二</a></p>', base),
    }


def test_a_clean_site_passes():
    assert check_site(site(), STATIC, "/", {}) == []


def test_a_clean_site_passes_under_a_path_base():
    assert check_site(site("/handbook/"), STATIC, "/handbook/", {}) == []


def test_a_clean_site_passes_under_a_full_url_base():
    base = "https://example.org/handbook/"
    pages = site(base)
    pages["cards/demo-2/index.html"] = page('<a href="/handbook/cards/demo-1/">路径形式</a>'
                                            '<a href="//example.org/handbook/">无协议</a>', base)
    assert check_site(pages, STATIC, base, {}) == []


def test_full_urls_outside_a_full_url_base_are_not_checked():
    base = "https://example.org/handbook/"
    pages = site(base)
    pages["index.html"] = page('<a href="https://example.org/">机构首页</a>'
                               '<a href="https://example.org/handbook/cards/nope/">坏</a>', base)
    (problem,) = check_site(pages, STATIC, base, {})
    assert problem.href == "https://example.org/handbook/cards/nope/"
    assert problem.hint.startswith("没有 /handbook/cards/nope/ 这个页面")


def test_a_broken_href_is_found_with_a_did_you_mean():
    pages = site()
    pages["index.html"] = page('<a href="/cards/demo-3/">措施3</a>')
    (problem,) = check_site(pages, STATIC, "/", {})
    assert problem.href == "/cards/demo-3/"
    assert problem.page == "index.html"
    assert problem.message == "失效的链接 /cards/demo-3/，出现在 index.html"
    assert problem.hint.startswith("没有 /cards/demo-3/ 这个页面，是不是 /cards/demo-")


def test_a_missing_static_file_is_found():
    provenance = {name: Provenance("page.html") for name in site()}
    (problem,) = check_site(site(), ["static/style.css"], "/", provenance)
    assert problem.path == "templates/page.html"
    assert problem.href == "/static/app.js"
    assert "没有 /static/app.js 这个文件" in problem.hint
    assert "另外 4 个页面" not in problem.message and "另外 3 个页面" in problem.message


def test_a_broken_fragment_is_found():
    pages = site()
    pages["cards/demo-2/index.html"] = page('<a href="/documents/demo/#demo-1x">原文</a>')
    (problem,) = check_site(pages, STATIC, "/", {})
    assert problem.message == "失效的页内锚点 /documents/demo/#demo-1x，出现在 cards/demo-2/index.html"
    assert problem.hint == "/documents/demo/ 里没有 id“demo-1x”，是不是“#demo-1”？"


def test_a_fragment_may_name_an_a_name():
    pages = site()
    pages["cards/demo-2/index.html"] = page('<a href="/documents/demo/#demo-2">原文</a>')
    assert check_site(pages, STATIC, "/", {}) == []


def test_a_same_page_fragment_must_exist_on_that_page():
    pages = site()
    pages["cards/demo-2/index.html"] = page('<h2 id="here">这里</h2><a href="#here">好</a><a href="#top-title">坏</a>')
    (problem,) = check_site(pages, STATIC, "/", {})
    assert problem.href == "#top-title"  # exists on demo-1, not on this page
    assert problem.page == "cards/demo-2/index.html"


def test_a_missing_trailing_slash_is_reported_with_the_fix():
    pages = site("/handbook/")
    pages["index.html"] = page('<a href="/handbook/cards/demo-1#top-title">措施1</a>', "/handbook/")
    (problem,) = check_site(pages, STATIC, "/handbook/", {})
    assert problem.message == "链接 /handbook/cards/demo-1#top-title 缺少末尾的“/”，出现在 index.html"
    assert problem.hint == "网址以“/”结尾，改成 /handbook/cards/demo-1/#top-title"


def test_under_a_base_a_root_path_outside_it_is_reported():
    pages = site("/handbook/")
    pages["index.html"] = page('<a href="/cards/demo-1/">忘了前缀</a>', "/handbook/")
    (problem,) = check_site(pages, STATIC, "/handbook/", {})
    assert problem.message == "链接 /cards/demo-1/ 不在网站的基础路径 /handbook/ 之下，出现在 index.html"
    assert problem.hint == "改成基础路径之下的地址：/handbook/cards/demo-1/"


def test_under_a_base_broken_links_and_fragments_are_found():
    pages = site("/handbook/")
    pages["cards/demo-2/index.html"] = page('<a href="/handbook/cards/demo-9/">坏</a>'
                                            '<a href="/handbook/documents/demo/#nope">坏</a>', "/handbook/")
    problems = check_site(pages, STATIC, "/handbook/", {})
    assert [p.href for p in problems] == ["/handbook/cards/demo-9/", "/handbook/documents/demo/#nope"]


def test_relative_links_resolve_against_the_page():
    pages = site()
    pages["cards/demo-2/index.html"] = page('<a href="../demo-1/">好</a><a href="../../documents/x/">坏</a>'
                                            '<a href="../../../../etc/passwd">出站</a>')
    problems = check_site(pages, STATIC, "/", {})
    assert [(p.href, p.message.split("，出现在 ")[0]) for p in problems] == [
        ("../../../../etc/passwd", "链接 ../../../../etc/passwd 超出了网站"),
        ("../../documents/x/", "失效的链接 ../../documents/x/"),
    ]


def test_javascript_links_are_always_reported():
    pages = site()
    pages["index.html"] = page('<a href="JavaScript:alert(1)">x</a><a href=" java\tscript:void(0)">y</a>')
    problems = check_site(pages, STATIC, "/", {})
    assert len(problems) == 2
    assert all(p.message.startswith("javascript: 链接") for p in problems)


def test_external_and_non_http_links_are_not_checked():
    pages = site("/handbook/")
    pages["index.html"] = page('<a href="https://example.org/nope/">外站</a><a href="mailto:x@y">邮件</a>'
                               '<a href="tel:123">电话</a><img src="data:image/png;base64,AAAA" alt="">',
                               "/handbook/")
    assert check_site(pages, STATIC, "/handbook/", {}) == []


def test_a_body_link_is_attributed_to_its_content_file_line():
    pages = site()
    pages["cards/demo-2/index.html"] = page('<main><p>见<a href="/cards/demo-9/">第九条</a>。</p></main>')
    body = "\n第一段。\n\n见[第九条](/cards/demo-9/)。\n"
    provenance = {"cards/demo-2/index.html": Provenance("card.html", "content/cards/demo/2.md", 9, body)}
    (problem,) = check_site(pages, STATIC, "/", provenance)
    assert (problem.path, problem.line) == ("content/cards/demo/2.md", 12)
    assert problem.page == "cards/demo-2/index.html"
    assert str(problem).startswith("content/cards/demo/2.md:12: 错误：失效的链接 /cards/demo-9/")


def test_a_percent_encoded_body_link_is_found_by_its_decoded_url():
    pages = site()
    pages["cards/demo-2/index.html"] = page('<a href="/cards/%E4%B9%9D/">九</a>')
    body = "第一行\n[九](/cards/九/)\n"
    provenance = {"cards/demo-2/index.html": Provenance("card.html", "content/cards/demo/2.md", 5, body)}
    (problem,) = check_site(pages, STATIC, "/", provenance)
    assert (problem.path, problem.line) == ("content/cards/demo/2.md", 6)


def test_a_template_link_is_attributed_to_the_template_once_with_a_page_count():
    pages = {f"cards/demo-{n}/index.html": page('<a href="/deadlines/">全部时限</a>') for n in range(1, 201)}
    pages["index.html"] = page("")
    provenance = {name: Provenance("card.html", f"content/cards/demo/{name.split('/')[1][5:]}.md", 8, "正文。")
                  for name in pages if name.startswith("cards/")}
    problems = check_site(pages, STATIC, "/", provenance)
    assert problems == [LinkProblem(
        page="cards/demo-1/index.html", href="/deadlines/", path="templates/card.html", line=0,
        message="失效的链接 /deadlines/，出现在 cards/demo-1/index.html 和另外 199 个页面",
        hint="没有 /deadlines/ 这个页面")]


def test_the_same_link_from_two_templates_is_reported_per_template():
    pages = site()
    pages["cards/demo-1/index.html"] = page('<a href="/topics/">主题</a>')
    pages["cards/demo-2/index.html"] = page('<a href="/topics/">主题</a>')
    pages["documents/demo/index.html"] = page('<a href="/topics/">主题</a>')
    provenance = {"cards/demo-1/index.html": Provenance("card.html"),
                  "cards/demo-2/index.html": Provenance("card.html"),
                  "documents/demo/index.html": Provenance("document.html", "content/documents/demo.md", 9, "说明。")}
    problems = check_site(pages, STATIC, "/", provenance)
    assert [(p.path, p.page, p.message.split("，出现在 ")[1]) for p in problems] == [
        ("templates/card.html", "cards/demo-1/index.html", "cards/demo-1/index.html 和另外 1 个页面"),
        ("templates/document.html", "documents/demo/index.html", "documents/demo/index.html"),
    ]


def test_results_are_sorted_and_unique():
    pages = site()
    pages["index.html"] = page('<a href="/b/">b</a><a href="/a/">a</a><a href="/a/">a again</a>')
    problems = check_site(pages, STATIC, "/", {"index.html": Provenance("home.html")})
    assert [p.href for p in problems] == ["/a/", "/b/"]

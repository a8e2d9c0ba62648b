"""Issue 18: a card's application details (申报指南). Editors write them under `application:`; every
bad field is an error at its line; the card page shows them as one block in reading order, escaped,
nothing when there are none; import proposes 支持标准 and 办理方式 from the text under
`proposed_application:` and never touches what editors wrote; the search filter 申报 (免申即享,
有资金支持) and open data follow what editors confirmed."""
from __future__ import annotations

import html
import json
import re

import pytest
from jsonschema import Draft202012Validator

from conftest import Project
from test_ownership import SOURCE, handbook, read  # noqa: F401  (handbook: a fixture)
from policy_handbook.content.frontmatter import dump

FULL = {
    "conditions": "在本市注册的小微企业<script>alert(1)</script>",
    "support": ["给予最高50万元补贴", "贴息50%"],
    "period": "每年3月1日至3月31日",
    "method": "网上办理",
    "link": "https://zwfw.example.gov.cn/apply?item=1&from=card",
    "office": "示例市工业和信息化局",
    "phone": "0349-5022222",
    "materials": ["申请表", "营业执照复印件"],
}


def page(proj: Project, card_id: str) -> str:
    return (proj.site / "cards" / card_id / "index.html").read_text(encoding="utf-8")


def block(text: str) -> str:
    m = re.search(r"<section class=\"facts application\".*?</section>", text, re.S)
    return m.group() if m else ""


# --- schema -----------------------------------------------------------------------------------

def test_every_bad_application_field_is_an_error_at_its_line_in_one_run(project):
    project.document()
    path = project.write("content/cards/demo/1.md", "\n".join([
        "---", "id: demo-1", "title: 措施一", "document: demo", "number: '1'",
        "application:",                      # line 6
        "  conditions: 小微企业",              # 7: fine
        "  method: 线下办理",                   # 8: not one of the three
        "  link: javascript:alert(1)",        # 9: not http(s)
        "  phone: 请来电",                      # 10: no number
        "  materials: []",                    # 11: empty list
        "  申报时间: 每年3月",                   # 12: the Chinese label instead of the key
        "proposed_application:",             # 13
        "  method: 自动",                       # 14
        "---", "", "正文。", ""]))
    result = project.run("check")
    assert result.returncode == 1
    rel = "content/cards/demo/1.md"
    err = result.stderr
    assert f"{rel}:8: 错误：application.method 的值“线下办理”不是 免申即享、依申请、网上办理 之一" in err
    assert f"{rel}:9: 错误：application.link 的值“javascript:alert(1)”不是网址；写完整的 http:// 或 https:// 开头的网址" in err
    assert f"{rel}:10: 错误：application.phone 的值“请来电”不是电话号码" in err
    assert f"{rel}:11: 错误：application.materials 是空列表" in err
    assert f"{rel}:12: 错误：不认识的字段“application.申报时间”；是不是“application.period”？" in err
    assert f"{rel}:14: 错误：proposed_application.method 的值“自动”不是" in err
    assert ":7:" not in err
    assert path.exists()


@pytest.mark.parametrize("link", ["http://example.org/", "https://zwfw.shanxi.gov.cn/a?b=1#c"])
def test_http_and_https_links_are_accepted(project, link):
    project.document()
    project.card("1", application={"method": "依申请", "link": link})
    assert project.run("check").returncode == 0


@pytest.mark.parametrize("link", ["ftp://example.org/", "//example.org/", "https://", "https://exa mple.org/",
                                  "data:text/html,<b>x</b>", "https://example.org/\"onmouseover=\"x"])
def test_links_a_reader_should_not_follow_are_refused(project, link):
    project.document()
    project.card("1", application={"link": link})
    result = project.run("check")
    assert result.returncode == 1
    assert "application.link 的值" in result.stderr


# --- the card page ----------------------------------------------------------------------------

def test_the_block_shows_the_fields_in_reading_order_escaped(project):
    project.document()
    project.card("1", application=FULL)
    project.card("2")  # no application details
    project.card("3", application={"support": "奖励10万元"})
    result = project.run("build", "--no-search")
    assert result.returncode == 0, result.stderr
    shown = block(page(project, "demo-1"))
    labels = re.findall(r"<dt>(.*?)</dt>", shown)
    assert labels == ["申报条件", "支持标准", "申报时间", "办理方式", "受理单位", "咨询电话", "所需材料"]
    assert "<script>alert(1)" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert 'href="https://zwfw.example.gov.cn/apply?item=1&amp;from=card"' in shown
    assert 'href="tel:03495022222"' in shown
    assert "<li>申请表</li><li>营业执照复印件</li>" in shown
    assert "<p>给予最高50万元补贴</p><p>贴息50%</p>" in shown
    assert "申报指南" not in page(project, "demo-2")
    only = block(page(project, "demo-3"))
    assert re.findall(r"<dt>(.*?)</dt>", only) == ["支持标准"]


def test_an_editors_automatic_card_says_what_it_means(project):
    project.document()
    project.card("1", application={"method": "免申即享"})
    assert project.run("build", "--no-search").returncode == 0
    shown = block(page(project, "demo-1"))
    assert "免申即享" in shown and "无需申请" in shown
    assert "href" not in shown  # no link stated, none shown


def test_proposals_are_not_shown_to_readers(project):
    project.document()
    project.card("1", body="对新认定的企业给予最高50万元补贴。", proposed_application={"support": ["给予最高50万元补贴"]})
    assert project.run("build", "--no-search").returncode == 0
    shown = page(project, "demo-1")
    assert "申报指南" not in shown and "data-pagefind-filter=\"application:" not in shown


# --- filters and open data ----------------------------------------------------------------------

def test_filters_and_open_data_list_the_right_cards(project):
    project.document()
    project.card("1", application={"method": "免申即享", "support": "减按50%征收"})
    project.card("2", application={"support": ["奖励10万元"], "method": "依申请"})
    project.card("3", application={"office": "示例市人社局"})
    project.card("4", proposed_application={"method": "免申即享", "support": ["奖励10万元"]})
    project.card("5")
    assert project.run("build", "--no-search").returncode == 0
    filters = {f"demo-{n}": set(re.findall(r'data-pagefind-filter="application:([^"]+)"', page(project, f"demo-{n}")))
               for n in range(1, 6)}
    assert filters == {"demo-1": {"免申即享", "有资金支持"}, "demo-2": {"有资金支持"}, "demo-3": set(),
                       "demo-4": set(), "demo-5": set()}
    search = (project.site / "search" / "index.html").read_text(encoding="utf-8")
    facets = json.loads(html.unescape(re.search(r'data-facets="([^"]*)"', search).group(1)))
    assert ["application", "申报"] in facets  # the filter panel offers it
    data = json.loads((project.site / "data" / "cards.json").read_text(encoding="utf-8"))
    records = {c["id"]: c["application"] for c in data["cards"]}
    assert records["demo-1"] == {"conditions": "", "support": ["减按50%征收"], "period": "", "method": "免申即享",
                                 "link": "", "office": "", "phone": "", "materials": [],
                                 "automatic": True, "funded": True}
    assert records["demo-3"]["funded"] is False and records["demo-3"]["office"] == "示例市人社局"
    assert records["demo-4"] is None and records["demo-5"] is None
    schema = json.loads((project.site / "data" / "schema" / "cards.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(data)


# --- import -----------------------------------------------------------------------------------

CARD15 = "content/cards/shuozhou-private-economy-2019/15.md"
CARD34 = "content/cards/shuozhou-private-economy-2019/34.md"


def change_source(proj: Project, old: str, new: str) -> None:
    path = proj.root / SOURCE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_import_proposes_the_support_the_text_states(handbook):
    proposal = read(handbook, CARD15).data["proposed_application"]
    assert proposal == {"support": [
        "对符合条件且努力稳定就业的参保企业，可通过减费方式返还企业及其职工缴纳的50%失业保险费。",
        "对用人单位和职工失业保险缴费比例总和从3%阶段性降至1%的现行政策,2019年4月到期后继续延续实施一年。"]}
    assert "application" not in read(handbook, CARD15).data  # proposals are not what editors confirmed


def test_a_reimport_keeps_the_editors_application_and_tells_of_a_changed_source(handbook):
    parsed = read(handbook, CARD15)
    mine = {"support": ["返还50%失业保险费"], "office": "朔州市人社局", "phone": "0349-2022222"}
    data = {k: v for k, v in parsed.data.items() if k != "proposed_application"}  # confirmed, proposal removed
    (handbook.root / CARD15).write_text(dump({**data, "application": mine}, parsed.body), encoding="utf-8")
    change_source(handbook, "缴纳的50%失业保险费", "缴纳的60%失业保险费")
    change_source(handbook, "推荐申报国家级奖励500万元", "推荐申报国家级奖励600万元")
    result = handbook.run("import")
    assert result.returncode == 0, result.stderr
    after = read(handbook, CARD15).data
    assert after["application"] == mine
    assert "proposed_application" not in after  # the editor's deletion stands …
    assert f"{CARD15}：保留了编辑的版本；原文里的 proposed_application" in result.stdout  # … and the change is told
    assert "60%失业保险费" in read(handbook, CARD15).body  # the body nobody edited follows the source
    # a card nobody edited: its proposal follows the source
    assert "600万元" in read(handbook, CARD34).data["proposed_application"]["support"][0]
    assert handbook.run("check").returncode == 0

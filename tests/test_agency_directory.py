"""The agency directory as readers see it: collectives apart and without a contact block, renamed
bodies showing the body to contact today (successors.yaml), the table's errors at their line."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import Project

from policy_handbook.content.successors import load_successors, succession
from policy_handbook.errors import Diagnostics


def page(project: Project, rel: str) -> str:
    return (project.site / rel).read_text(encoding="utf-8")


def section(html: str, start: str, end: str = "</main>") -> str:
    return html[html.index(start):html.index(end, html.index(start))]


# --- the agencies page ----------------------------------------------------------------------

def test_the_agencies_page_lists_collectives_apart_from_bodies(seed_site):
    html = page(seed_site, "agencies/index.html")
    bodies, collectives = html[:html.index('id="collectives"')], section(html, 'id="collectives"')
    assert "泛指的单位（22 个）" in collectives
    for name in ("朔州市各县（市、区）人民政府", "赣州市直各部门", "山西省各有关部门", "偏关县各级政府",
                 "山西省降低实体经济企业成本领导小组成员单位"):
        assert f">{name}</a>" in collectives and f">{name}</a>" not in bodies, name
    for name in ("朔州市财政局", "山西省发展改革委", "赣州市入企帮扶专项工作小组"):
        assert f">{name}</a>" in bodies and f">{name}</a>" not in collectives, name
    # one entry per collective and per body: the variants are not listed
    for variant in ("朔州市各县&lt;市、区&gt;", "朔州市县&lt;市、区&gt;人民政府", "赣州市各县(市、区)",
                    "赣州市直部门<", "赣州市各相关市直部门", "赣州市入企帮扶专项小组<"):
        assert variant not in html, variant
    names = re.findall(r'<li><a href="/agencies/[^"]+/">([^<]+)</a>', html)
    assert len(names) == len(set(names))


def test_a_collective_page_says_what_it_is_and_has_no_contact_block(seed_site):
    html = page(seed_site, "agencies/shuo-zhou-shi-ge-xian-shi-qu-ren-min-zheng-fu/index.html")
    main = section(html, "<main")
    assert "<h1>朔州市各县（市、区）人民政府</h1>" in main
    assert "泛指一类单位，不是某一个具体单位，没有统一的联系方式" in main
    assert "contact-block" not in main and "联系方式</h2>" not in main and "tel:" not in main
    assert "牵头的措施（9）" in main  # the cards of all its spellings
    body = page(seed_site, "agencies/shuo-zhou-shi-cai-zheng-ju/index.html")
    assert 'class="contact-block"' in body  # a body keeps its contact block
    region = page(seed_site, "regions/shuo-zhou-shi/index.html")
    bodies, collectives = section(region, 'id="agencies-heading"', "</section>"), \
        section(region, 'id="collectives-heading"', "</section>")
    assert ">朔州市财政局</a>" in bodies and ">朔州市财政局</a>" not in collectives
    assert ">朔州市各县（市、区）人民政府</a>" in collectives and "各县" not in bodies


def test_a_card_keeps_the_historical_name_and_shows_the_body_to_contact_today(seed_site):
    html = page(seed_site, "cards/shanxi-cost-reduction-2016-13/index.html")
    assert ('<a href="/agencies/shan-xi-sheng-guo-shui-ju/">山西省国税局</a><span class="successor">（现为：'
            '<a href="/agencies/guo-jia-shui-wu-zong-ju-shan-xi-sheng-shui-wu-ju/">国家税务总局山西省税务局</a>）'
            '</span>') in html
    assert "山西省发展改革委</a></span>" in html  # kept its name: no 现为
    old = section(page(seed_site, "agencies/shan-xi-yin-jian-ju/index.html"), "<main")
    assert "现为：<a href=\"/agencies/guo-jia-jin-rong-jian-du-guan-li-zong-ju-shan-xi-jian-guan-ju/\">" \
           "国家金融监督管理总局山西监管局</a>（2018年改为山西银保监局，2023年机构改革后）" in old
    assert "参与的措施（7）" in old
    new = section(page(seed_site, "agencies/guo-jia-shui-wu-zong-ju-shan-xi-sheng-shui-wu-ju/index.html"), "<main")
    assert "前身：<a href=\"/agencies/shan-xi-sheng-guo-shui-ju/\">山西省国税局</a>、" \
           "<a href=\"/agencies/shan-xi-sheng-di-shui-ju/\">山西省地税局</a>" in new


def test_a_card_of_a_renamed_lead_offers_the_present_bodys_contact(project):
    project.write("content/regions.yaml", "- {name: 示例市, level: 市, short: 示例}\n")
    project.write("content/agencies.yaml", (
        "- {name: 示例市国土局, level: 市, region: 示例市}\n"
        "- name: 示例市自然资源局\n  level: 市\n  region: 示例市\n  contact: {phone: 0349-1234567}\n"
        "- {name: 示例市各县（市、区）人民政府, level: 县, region: 示例市}\n"))
    project.write("content/successors.yaml", "- {old: 国土局, new: 自然资源局, year: 2018}\n")
    project.document("demo")
    project.card("1", agencies={"lead": ["示例市国土局", "示例市各县<市、区>人民政府"]})
    result = project.run("build")
    assert result.returncode == 0, result.stderr
    card = page(project, "cards/demo-1/index.html")
    assert "现为：<a href=\"/agencies/shi-li-shi-zi-ran-zi-yuan-ju/\">示例市自然资源局</a>" in card
    assert "<p>示例市自然资源局</p>" in card and 'href="tel:0349-1234567"' in card
    assert 'class="agency agency-collective" title="泛指多个单位"><a href="/agencies/' in card
    old = section(page(project, "agencies/shi-li-shi-guo-tu-ju/index.html"), "<main")
    assert "请向示例市自然资源局咨询" in old and 'href="tel:0349-1234567"' in old
    table = section(page(project, "print/documents/demo/index.html"), 'id="contacts"')
    row = re.search(r"<tr[^>]*>\s*<th scope=\"row\"><a [^>]*>示例市国土局</a>(.*?)</tr>", table, re.S).group(1)
    assert '<span class="successor">（现为：示例市自然资源局）</span>' in row and 'href="tel:0349-1234567"' in row
    row = re.search(r"<tr[^>]*>\s*<th scope=\"row\"><a [^>]*>示例市各县（市、区）人民政府</a>(.*?)</tr>", table, re.S)
    assert "（泛指）" in row.group(1) and "tel:" not in row.group(1)


# --- the successor table --------------------------------------------------------------------

def rules_of(tmp_path: Path, text: str):
    (tmp_path / "successors.yaml").write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    return load_successors(tmp_path, diagnostics), diagnostics


def test_successor_rules_match_whole_names_then_the_longest_ending(tmp_path):
    rules, diagnostics = rules_of(tmp_path, (
        "- {old: 银监局, new: 银保监局, year: 2018}\n- {old: 保监局, new: 银保监局, year: 2018}\n"
        "- {old: 银保监局, new: 金融监管局, year: 2023}\n- {old: 旅游局, new: 文化和旅游局, year: 2018}\n"
        "- {old: 法制办, new: 司法厅, year: 2018, level: 省}\n- {old: 法制办, new: 司法局, year: 2018, level: 市}\n"
        "- {old: 山西出入境检验检疫局, new: 太原海关, year: 2018}\n"))
    assert not diagnostics.items
    assert succession(["山西银监局"], "省", rules).steps == (("山西银保监局", 2018), ("山西金融监管局", 2023))
    assert succession(["山西保监局"], "省", rules).present == "山西金融监管局"
    assert succession(["朔州市旅游局"], "市", rules).present == "朔州市文化和旅游局"
    assert succession(["朔州市文化和旅游局"], "市", rules) is None  # already the new name
    assert succession(["山西省法制办"], "省", rules).present == "山西省司法厅"
    assert succession(["朔州市法制办"], "市", rules).present == "朔州市司法局"
    assert succession(["山西出入境检验检疫局"], "省", rules).present == "太原海关"
    assert succession(["朔州市发改委"], "市", rules) is None


def test_successor_table_errors_are_reported_at_their_line(tmp_path):
    _, diagnostics = rules_of(tmp_path, (
        "# 更名表\n"
        "- {old: 国税局, new: 税务局, year: 2018}\n"
        "- {old: 地税局, year: 2018}\n"
        "- {old: 质监局, new: 市场监督管理局, year: 二〇一八}\n"
        "- {old: 法制办, new: 司法厅, year: 2018, level: 部}\n"
        "- {old: 国税局, new: 税务总局, year: 2018}\n"
        "- {old: 甲局, new: 乙局, year: 2018}\n- {old: 乙局, new: 甲局, year: 2019}\n"
        "- {old: 环保局, new: 生态环境局, year: 2018, yaer: 1}\n"))
    found = [str(d) for d in diagnostics.items]
    shown = "content/successors.yaml"
    assert f"{shown}:3: 错误：更名记录缺少 old 或 new；写成“- {{old: 国税局, new: 税务局, year: 2018}}”" in found
    assert f"{shown}:4: 错误：“质监局”更名的年份“二〇一八”不是一个年份；写成 year: 2018（改名或合并的那一年）" in found
    assert f"{shown}:5: 错误：“法制办”的 level“部”不是省、市、县之一；level 写省、市或县，或者不写（各级都适用）" in found
    assert f"{shown}:6: 错误：“国税局”的更名登记了两次（另一条在第 2 行）；删掉其中一条" in found
    assert any(f.startswith(f"{shown}:7: 错误：从“甲局”开始的更名绕回了原处") for f in found)
    assert f"{shown}:9: 警告：“环保局”的更名记录里有不认识的字段“yaer”；是不是“year”？" in found


def test_a_broken_successor_table_fails_check_with_its_line(project):
    project.document("demo")
    project.card("1")
    project.write("content/successors.yaml", "- {old: 国税局, new: 税务局}\n")
    result = project.run("check")
    assert result.returncode == 1
    assert "content/successors.yaml:1: 错误：“国税局”的更名没有写年份；写成 year: 2018（改名或合并的那一年）" \
        in result.stderr


def test_open_data_names_each_renamed_agencys_present_body(seed_site):
    import json
    records = {r["name"]: r for r in json.loads(page(seed_site, "data/agencies.json"))["agencies"]}
    assert records["山西省国税局"]["successor"] == {"name": "国家税务总局山西省税务局", "year": 2018}
    assert records["山西银监局"]["successor"] == {"name": "国家金融监督管理总局山西监管局", "year": 2023}
    assert records["山西省财政厅"]["successor"] is None
    assert records["朔州市各县（市、区）人民政府"]["collective"] is True
    assert records["朔州市各县（市、区）人民政府"]["contact"] == {}


def test_an_edit_to_the_successor_table_reaches_every_page_in_the_preview(tmp_path):
    from policy_handbook.config import load_config
    from policy_handbook.pipeline import Builder
    proj = Project(tmp_path / "project", seed_content=True)
    builder = Builder(load_config(proj.root / "config.yaml", Diagnostics()))
    assert builder.build().ok
    path = proj.root / "content/successors.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- {old: 太原铁路局, new: 中国铁路太原局集团有限公司, year: 2017}\n",
                    encoding="utf-8")
    result = builder.build()
    assert result.ok, result.diagnostics.report()
    full = Builder(load_config(proj.root / "config.yaml", Diagnostics())).build()
    assert [p for p in full.site if full.site[p] != result.site.get(p)] == []
    assert "现为：中国铁路太原局集团有限公司" in result.site["agencies/tai-yuan-tie-lu-ju/index.html"].decode("utf-8")

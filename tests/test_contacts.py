"""Contacts: `build.py contacts import` fills the registry from a published 咨询联系表, and no
public page tells editors what to do; an agency without a contact tells the reader whom to ask."""
from __future__ import annotations

import re
import shutil
from html import unescape

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from conftest import REPO, Project

from policy_handbook.content.registry import load_registry
from policy_handbook.errors import Diagnostics
from policy_handbook.importer.contactwrite import edit_contacts

TABLE = REPO / "tests/contacts/shuozhou-contacts.csv"  # GB18030 with CRLF, as Excel saves it
SHUOZHOU_PRINT = "print/documents/shuozhou-private-economy-2019/index.html"
FAGAIWEI = "agencies/shuo-zhou-shi-fa-gai-wei/index.html"
CAIZHENGJU = "agencies/shuo-zhou-shi-cai-zheng-ju/index.html"

# What only editors need to know: files, commands, fields, and requests to fill something in.
EDITOR_WORDS = re.compile(
    r"content/|agencies\.yaml|\.yaml\b|build\.py|front.?matter|编辑可|请编辑|编者可|待补充|待填写|补充电话"
    r"|(?<![\w./-])(?:contact|aliases|issuer|doc_number|extra_topics|beneficiaries|time_limits|inferred|"
    r"distinct_from|collective)(?![\w.-])")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_no_public_page_contains_an_instruction_to_editors(seed_site):
    found = []
    for path in sorted(seed_site.site.rglob("*.html")):
        text = visible_text(path.read_text(encoding="utf-8"))
        for m in EDITOR_WORDS.finditer(text):
            found.append(f"{path.relative_to(seed_site.site)}: …{' '.join(text[max(0, m.start() - 30):m.end() + 30].split())}…")
    for path in sorted(seed_site.site.rglob("*.css")):  # text a style sheet puts on the page
        for m in re.finditer(r"content:\s*\"([^\"]+)\"", path.read_text(encoding="utf-8")):
            if EDITOR_WORDS.search(m.group(1)):
                found.append(f"{path.relative_to(seed_site.site)}: {m.group(0)}")
    assert not found, "\n".join(found[:20]) + f"\n({len(found)} in all)"


def test_an_agency_without_a_contact_tells_the_reader_whom_to_ask(seed_site):
    html = (seed_site.site / CAIZHENGJU).read_text(encoding="utf-8")
    block = html[html.index('class="contact-block"'):html.index("</section>", html.index('class="contact-block"'))]
    text = " ".join(visible_text(block).split())
    assert "本站尚未收录该单位公布的联系方式" in text
    assert "向发文机关咨询：朔州市人民政府" in text  # the issuer of the documents it is named in
    assert "拨打政务服务便民热线 12345" in text and 'href="tel:12345"' in block
    comp = (seed_site.site / SHUOZHOU_PRINT).read_text(encoding="utf-8")
    contacts = " ".join(visible_text(comp[comp.index('id="contacts"'):]).split())
    assert "未公布联系方式，可按表后的办法咨询" in contacts
    assert "表中未列联系方式的单位，可以： 向发文机关咨询：朔州市人民政府" in contacts
    assert "拨打政务服务便民热线 12345" in contacts


def registry_lines(proj: Project) -> list[str]:
    return (proj.root / "content/agencies.yaml").read_text(encoding="utf-8").split("\n")


def test_contacts_import_fills_the_agency_pages_and_the_compilations_contact_table(tmp_path):
    proj = Project(tmp_path / "project", seed_content=True)
    table = shutil.copy(TABLE, proj.root / "联系表.csv")
    before = (proj.root / "content/agencies.yaml").read_bytes()
    result = proj.run("contacts", "import", "联系表.csv")
    assert result.returncode == 0, result.stderr
    # the unit the registry lacks, at its line, with what to do; the rest are written
    assert ("联系表.csv:9: 警告：“朔州市营商环境服务局”在 content/agencies.yaml 里没有登记；"
            in result.stderr), result.stderr
    assert "读到 4 个单位，对上登记的 3 个，新填 10 项" in result.stdout, result.stdout
    assert "1 个单位没有对上（见上文）：朔州市营商环境服务局" in result.stdout
    assert "已写入 content/agencies.yaml" in result.stdout
    registry = load_registry(proj.root / "content", Diagnostics())
    bodies = sum(1 for a in registry.agencies.values() if not a.collective and not a.contact.get("phone"))
    assert f"名录里还有 {bodies} 个单位没有电话" in result.stdout  # after the three filled
    after = (proj.root / "content/agencies.yaml").read_bytes()
    old_lines, new_lines = before.decode().split("\n"), after.decode().split("\n")
    assert len(old_lines) == len(new_lines)
    changed = {i + 1: new for i, (old, new) in enumerate(zip(old_lines, new_lines)) if old != new}
    # only the contact lines of the three matched entries (by alias, short form, short form)
    assert changed == {
        221: "  contact: {phone: '0349-2021003', address: '', website: 'http://rsj.shuozhou.example/'}",
        230: "  contact: {phone: '0349-2021001', address: '朔州市开发区民福东街1号', website: '', person: '王敏', "
             "email: 'fgw@shuozhou.example', hours: '工作日 8:30-12:00 14:30-17:30'}",
        347: "  contact: {phone: '0349-2021002、0349-2021012', address: '朔州市开发区文远路2号', website: '', person: '赵强'}",
    }
    assert old_lines[216] == "- name: 朔州市人社局" and old_lines[225] == "- name: 朔州市发改委" \
        and old_lines[343] == "- name: 朔州市财政局"

    built = proj.run("build", "--no-search")
    assert built.returncode == 0, built.stderr
    page = (proj.site / FAGAIWEI).read_text(encoding="utf-8")
    assert '<a href="tel:0349-2021001">0349-2021001</a>' in page and "工作日 8:30-12:00 14:30-17:30" in page
    assert "本站尚未收录" not in page
    comp = (proj.site / SHUOZHOU_PRINT).read_text(encoding="utf-8")
    row = re.search(r'<tr>\s*<th scope="row"><a href="/agencies/shuo-zhou-shi-cai-zheng-ju/">朔州市财政局</a></th>'
                    r'(.*?)</tr>', comp, re.S)
    assert row and '<a href="tel:0349-2021002、0349-2021012">' in row.group(1) and "朔州市开发区文远路2号" in row.group(1)

    again = proj.run("contacts", "import", str(table))
    assert again.returncode == 0, again.stderr
    assert "新填 0 项，改动 0 项，已相同 10 项" in again.stdout and "content/agencies.yaml 没有改动" in again.stdout
    assert (proj.root / "content/agencies.yaml").read_bytes() == after


def test_a_different_value_is_kept_and_reported_unless_replace_is_given(tmp_path):
    proj = Project(tmp_path / "project", seed_content=True)
    path = proj.root / "content/agencies.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "- name: 朔州市财政局\n  level: 市\n  region: 朔州市\n  contact: {phone: '', address: '', website: ''}",
        "- name: 朔州市财政局\n  level: 市\n  region: 朔州市\n  contact: {phone: 0349-7000000, address: '', website: ''}"),
        encoding="utf-8")
    shutil.copy(TABLE, proj.root / "t.csv")
    kept = proj.run("contacts", "import", "t.csv")
    assert ("content/agencies.yaml:347: 警告：“朔州市财政局”的电话已是“0349-7000000”，联系表（t.csv:6）写的是"
            "“0349-2021002、0349-2021012”；保留原值；确认表中的是对的，加 --replace 再运行一次") in kept.stderr
    assert "phone: 0349-7000000, address: '朔州市开发区文远路2号'" in path.read_text(encoding="utf-8")
    replaced = proj.run("contacts", "import", "t.csv", "--replace")
    assert replaced.returncode == 0 and "改动 1 项" in replaced.stdout
    assert "phone: '0349-2021002、0349-2021012', address: '朔州市开发区文远路2号'" in path.read_text(encoding="utf-8")


def test_an_xlsx_table_with_merged_cells_and_a_title_row(tmp_path):
    from openpyxl import Workbook
    proj = Project(tmp_path / "project", seed_content=True)
    book = Workbook()
    sheet = book.active
    sheet.append(["朔州市惠企政策咨询电话"])
    sheet.merge_cells("A1:E1")
    sheet.append(["部门", "联系人", "联系电话", "办公地址", "办公时间"])
    sheet.append(["市科技局", "张三", 3492021005, "朔州市科技大厦", None])
    sheet.append([None, None, "0349-2021006", None, None])
    sheet.merge_cells("A3:A4")
    sheet.append(["朔州市不存在局", None, "0349-2021007", None, None])
    sheet.append(["朔州市各县（市、区）人民政府", None, "0349-2021008", None, None])
    book.save(proj.root / "table.xlsx")
    result = proj.run("contacts", "import", "table.xlsx")
    assert result.returncode == 0, result.stderr
    assert "table.xlsx:5: 警告：“朔州市不存在局”在 content/agencies.yaml 里没有登记" in result.stderr
    assert "table.xlsx:6: 警告：“朔州市各县（市、区）人民政府”泛指多个单位" in result.stderr
    assert "没有写入" not in result.stderr  # 联系人 is a contact field like the others
    text = (proj.root / "content/agencies.yaml").read_text(encoding="utf-8")
    assert "- name: 朔州市科技局\n  level: 市\n  region: 朔州市\n  contact: {phone: '3492021005、0349-2021006', " \
           "address: '朔州市科技大厦', website: '', person: '张三'}\n" in text


def test_a_short_name_without_a_place_asks_for_the_region(tmp_path):
    proj = Project(tmp_path / "project", seed_content=True)
    proj.write("t.csv", "单位,电话\n市财政局,0349-1\n")
    result = proj.run("contacts", "import", "t.csv")
    assert "t.csv:2: 警告：“市财政局”没有写明是哪个地区的（可能是“朔州市财政局”）；加上 --region 朔州市 再运行一次" \
        in result.stderr
    assert proj.run("contacts", "import", "t.csv", "--region", "朔州市").returncode == 0
    assert "contact: {phone: '0349-1'," in (proj.root / "content/agencies.yaml").read_text(encoding="utf-8")
    proj.write("朔州市联系表.csv", "单位,电话\n市财政局,0349-1\n")  # the file's name says where, too
    assert "已相同 1 项" in proj.run("contacts", "import", "朔州市联系表.csv").stdout
    wrong = proj.run("contacts", "import", "t.csv", "--region", "朔州")
    assert wrong.returncode == 1 and "build.py: 错误：--region“朔州”不在 content/regions.yaml 中" in wrong.stderr


@pytest.mark.parametrize("content, problem", [
    ("", "前 15 行里找不到表头"),
    ("名单\n甲,乙\n", "前 15 行里找不到表头"),
])
def test_a_table_without_a_header_is_an_error_and_writes_nothing(tmp_path, content, problem):
    proj = Project(tmp_path / "project", seed_content=True)
    proj.write("t.csv", content)
    before = (proj.root / "content/agencies.yaml").read_bytes()
    result = proj.run("contacts", "import", "t.csv")
    assert result.returncode == 1 and f"t.csv:1: 错误：{problem}" in result.stderr
    assert "联系方式没有导入；没有写入任何文件" in result.stderr
    assert (proj.root / "content/agencies.yaml").read_bytes() == before


def test_an_old_xls_file_says_to_save_it_as_xlsx(tmp_path):
    proj = Project(tmp_path / "project", seed_content=True)
    proj.write("t.xls", "x")
    result = proj.run("contacts", "import", "t.xls")
    assert result.returncode == 1 and "t.xls: 错误：不能读取旧的 .xls 格式；在 Excel 或 WPS 里把它另存为 .xlsx" in result.stderr


def test_the_registry_is_edited_in_its_own_style_and_nothing_else_changes():
    text = ("# a comment that stays\r\n"
            "- name: 甲局\r\n  contact:\r\n    phone: ''  # keep me\r\n    address: 旧地址\r\n"
            "- {name: 乙局, region: 示例市}\r\n"
            "- name: 丙局\r\n  level: 市\r\n"
            "- name: 丁局\r\n  contact:\r\n"
            "- name: 戊局\r\n  contact: {}\r\n")
    new = edit_contacts(text, {"甲局": {"phone": "0349-1", "hours": "工作日"}, "乙局": {"phone": "2"},
                               "丙局": {"phone": "3"}, "丁局": {"phone": "4"}, "戊局": {"website": "it's"}})
    assert new == ("# a comment that stays\r\n"
                   "- name: 甲局\r\n  contact:\r\n    phone: '0349-1'  # keep me\r\n    address: 旧地址\r\n"
                   "    hours: '工作日'\r\n"
                   "- {name: 乙局, region: 示例市, contact: {phone: '2'}}\r\n"
                   "- name: 丙局\r\n  level: 市\r\n  contact: {phone: '3'}\r\n"
                   "- name: 丁局\r\n  contact: {phone: '4'}\r\n"
                   "- name: 戊局\r\n  contact: {website: 'it''s'}\r\n")


def test_the_public_hotline_is_set_in_config_and_checked(tmp_path):
    proj = Project(tmp_path / "project", seed_content=True)
    proj.config(public_hotline="0349-12345", public_hotline_label="朔州市政务服务热线")
    assert proj.run("build", "--no-search").returncode == 0
    page = (proj.site / CAIZHENGJU).read_text(encoding="utf-8")
    assert '拨打朔州市政务服务热线 <a href="tel:0349-12345">0349-12345</a>' in page
    text = (proj.root / "config.yaml").read_text(encoding="utf-8")
    (proj.root / "config.yaml").write_text(re.sub(r"public_hotline: .*", "public_hotline: 12345", text),
                                           encoding="utf-8")
    result = proj.run("build", "--no-search")
    line = next(i for i, s in enumerate(text.split("\n"), 1) if s.startswith("public_hotline:"))
    assert result.returncode == 1
    assert (f"config.yaml:{line}: 错误：public_hotline 的号码没有加引号，会被读成数字（0 开头的号码会变样）；"
            "写成 public_hotline: \"12345\"") in result.stderr


_VALUES = st.text(alphabet=st.sampled_from("0349-12 ,:#'\"{}[]&*!|>%@`~\\\n\t甲乙（）：；、"), min_size=1, max_size=20) \
    .filter(lambda v: v.split())


@settings(max_examples=200, derandomize=True, deadline=None)
@given(phone=_VALUES, address=_VALUES, style=st.sampled_from(["flow", "block", "none", "flow-entry"]))
def test_any_value_is_written_as_that_text_and_nothing_else_moves(phone, address, style):
    entry = {"flow": "- name: 甲局\n  contact: {phone: '', website: x}\n",
             "block": "- name: 甲局\n  contact:\n    phone: ''\n    website: x\n",
             "none": "- name: 甲局\n  level: 市\n",
             "flow-entry": "- {name: 甲局, level: 市}\n"}[style]
    text = "# 名录\n- name: 乙局\n  contact: {phone: '1'}\n" + entry + "- name: 丙局  # 注释\n"
    new = edit_contacts(text, {"甲局": {"phone": phone, "address": address}})
    data = yaml.safe_load(new)
    assert data[1]["contact"]["phone"] == " ".join(phone.split())
    assert data[1]["contact"]["address"] == " ".join(address.split())
    assert new.startswith("# 名录\n- name: 乙局\n  contact: {phone: '1'}\n") and new.endswith("- name: 丙局  # 注释\n")


@settings(max_examples=60, derandomize=True, deadline=None)
@given(data=st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8")),
       suffix=st.sampled_from([".csv", ".xlsx"]), zipped=st.booleans())
def test_any_file_is_read_as_a_table_or_reported_never_a_crash(tmp_path_factory, data, suffix, zipped):
    import io
    import zipfile

    from policy_handbook.text.contacttable import read_contact_table
    if suffix == ".xlsx" and zipped:  # a zip with junk parts, as a damaged workbook is
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("[Content_Types].xml", data)
            z.writestr("xl/workbook.xml", data)
        data = buffer.getvalue()
    path = tmp_path_factory.mktemp("t") / f"t{suffix}"
    path.write_bytes(data)
    diagnostics = Diagnostics()
    table = read_contact_table(path, "t", diagnostics)
    assert (table is None) == bool(diagnostics.errors)


def test_the_issuing_office_s_phone_is_offered_when_the_registry_has_it(tmp_path):
    proj = Project(tmp_path / "project", seed_content=True)
    with (proj.root / "content/agencies.yaml").open("a", encoding="utf-8") as registry:
        registry.write("- name: 朔州市人民政府\n  level: 市\n  region: 朔州市\n  contact: {phone: '0349-2020000'}\n")
    result = proj.run("build", "--no-search")
    assert result.returncode == 0, result.stderr
    comp = "".join(visible_text((proj.site / SHUOZHOU_PRINT).read_text(encoding="utf-8")).split())
    assert "向发文机关咨询：朔州市人民政府（电话0349-2020000）；" in comp
    # so do the pages of the agencies its measures name, and each of its cards with no contact
    agency = "".join(visible_text((proj.site / CAIZHENGJU).read_text(encoding="utf-8")).split())
    assert "向发文机关咨询：朔州市人民政府（电话0349-2020000）；" in agency
    card = "".join(visible_text((proj.site / "cards/shuozhou-private-economy-2019-19/index.html")
                                .read_text(encoding="utf-8")).split())
    assert "咨询可向朔州市人民政府（0349-2020000）咨询，或拨打政务服务便民热线12345。" in card

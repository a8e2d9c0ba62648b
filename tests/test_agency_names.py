"""One name for one body: collectives are one entry, variants of a body are proposed as aliases,
renamed bodies lead to their present-day body (content/agencynames.py, aliases.py, successors.py,
registry.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, Project

from policy_handbook.content.agencynames import (NameEntry, clean_form, collective_key, collective_shape,
                                                 proposals)
from policy_handbook.content.registry import load_registry
from policy_handbook.errors import Diagnostics

REGIONS = "- {name: 朔州市, level: 市, short: 朔州}\n- {name: 赣州市, level: 市, short: 赣州}\n"


def registry_of(tmp_path: Path, agencies: str, successors: str = ""):
    (tmp_path / "regions.yaml").write_text(REGIONS, encoding="utf-8")
    (tmp_path / "agencies.yaml").write_text(agencies, encoding="utf-8")
    if successors:
        (tmp_path / "successors.yaml").write_text(successors, encoding="utf-8")
    diagnostics = Diagnostics()
    return load_registry(tmp_path, diagnostics), diagnostics


def entry(name: str, region: str = "赣州市", **kw) -> NameEntry:
    rest = name.removeprefix(region)
    return NameEntry(name, (rest,), region, collective_shape(name), **kw)


# --- collectives ----------------------------------------------------------------------------

def test_collective_variants_share_one_key():
    forms = ["各县(市、区)人民政府", "各县（市、区）人民政府", "各县<市、区>人民政府", "各县‹市、区>人民政府",
             "各县市区人民政府", "县<市、区>人民政府", "各縣（市、區）人民政府", "各县(市、区)"]
    assert {collective_key(f, "朔州市") for f in forms} == {"县"}
    assert collective_key("市直各部门", "赣州市") == collective_key("直部门", "赣州市") == collective_key("各市直部门", "赣州市")
    assert collective_key("各有关部门") == collective_key("各相关部门")
    # different collectives stay apart
    assert collective_key("县直相关部门", "赣州市") != collective_key("直相关部门", "赣州市")
    assert collective_key("各级政府") != collective_key("各级有关部门")


def test_collective_by_shape():
    for name in ("朔州市各县<市、区>人民政府", "赣州市直各部门", "山西省各有关部门", "赣州市县直相关部门",
                 "山西省降低实体经济企业成本领导小组成员单位", "朔州市县<市、区>人民政府", "各縣市區政府"):
        assert collective_shape(name), name
    for name in ("朔州市财政局", "赣州市入企帮扶专项小组", "太原海关", "朔州市政务服务中心"):
        assert not collective_shape(name), name


def test_collectives_written_differently_are_one_registry_entry(tmp_path):
    registry, diagnostics = registry_of(tmp_path, (
        "- {name: 朔州市各县（市、区）人民政府, level: 县, region: 朔州市}\n"
        "- {name: 朔州市各县<市、区>, level: 县, region: 朔州市, collective: true}\n"
        "- {name: 朔州市县<市、区>人民政府, level: 县, region: 朔州市}\n"
        "- {name: 朔州市财政局, level: 市, region: 朔州市}\n"))
    assert not diagnostics
    assert list(registry.agencies) == ["朔州市各县（市、区）人民政府", "朔州市财政局"]
    for written in ("朔州市各县<市、区>", "朔州市县<市、区>人民政府", "朔州市各县(市、区)人民政府",
                    "朔州市各縣（市、區）人民政府", "朔州市各县市区人民政府"):
        assert registry.resolve(written) == "朔州市各县（市、区）人民政府", written
    assert registry.agencies["朔州市各县（市、区）人民政府"].collective
    assert registry.resolve("朔州市各乡镇人民政府") is None  # another collective is not this one


def test_an_editor_can_say_a_name_of_collective_shape_is_one_body(tmp_path):
    registry, _ = registry_of(tmp_path, "- {name: 朔州市各界联合会, level: 市, region: 朔州市, collective: false}\n"
                                        "- {name: 朔州市各有关部门, level: 市, region: 朔州市}\n")
    assert not registry.agencies["朔州市各界联合会"].collective
    assert registry.agencies["朔州市各有关部门"].collective


def test_a_contact_on_a_collective_is_a_warning_at_its_line(tmp_path):
    _, diagnostics = registry_of(tmp_path, "- name: 朔州市各有关部门\n  region: 朔州市\n  contact: {phone: '0349-1'}\n")
    assert [str(d) for d in diagnostics.items] == [
        "content/agencies.yaml:3: 警告：“朔州市各有关部门”泛指多个单位，它的 contact 不会显示；"
        "把电话和地址写在具体的单位上；它若确是一个单位，写 collective: false"]


# --- variants of one body -------------------------------------------------------------------

def test_variants_of_one_body_are_proposed_keeping_the_clean_the_contacted_then_the_first_name():
    found = proposals([entry("赣州市入企帮扶专项小组", uses=1, line=10),
                       entry("赣州市入企帮扶专项工作小组", uses=3, line=20)])
    assert [(p.keep, p.fold) for p in found] == [("赣州市入企帮扶专项小组", "赣州市入企帮扶专项工作小组")]
    found = proposals([entry("赣州市入企帮扶专项小组", line=10), entry("赣州市入企帮扶专项工作小组", line=20, contact=True)])
    assert [(p.keep, p.fold) for p in found] == [("赣州市入企帮扶专项工作小组", "赣州市入企帮扶专项小组")]
    found = proposals([entry("赣州市各县<市、区>财政局", line=1), entry("赣州市各县（市、区）财政局", line=2)])
    assert [(p.keep, p.fold) for p in found] == []  # collectives: one entry by rule, never proposed
    found = proposals([entry("赣州市开发区<筹>管委会", line=1, contact=True), entry("赣州市开发区（筹）管委会", line=2)])
    assert [(p.keep, p.fold) for p in found] == [("赣州市开发区（筹）管委会", "赣州市开发区<筹>管委会")]


def test_spelling_abbreviation_and_filler_variants_are_proposed():
    pairs = [("朔州市人社局", "朔州市人力资源和社会保障局"), ("朔州市发改委", "朔州市发展和改革委员会"),
             ("朔州市財政局", "朔州市财政局"), ("朔州市政务服务中心", "朔州市政务服务中心 "),
             ("朔州市开发区管委会(筹)", "朔州市开发区管委会（筹）"), ("朔州市市场监管局", "朔州市市场监督管理局"),
             ("朔州市商务局", "朔州市商務(wù)局"), ("朔州市发改局", "朔州市发展和改革局")]
    for a, b in pairs:
        assert len(proposals([entry(a, "朔州市", line=1), entry(b, "朔州市", line=2)])) == 1, (a, b)


def test_different_bodies_are_not_proposed():
    pairs = [("赣州市降低企业成本优化发展环境专项行动领导小组", "赣州市专项行动领导小组办公室"),
             ("朔州市委办公厅", "朔州市政府办公厅"), ("朔州市政府督查室", "朔州市委督查室"),
             ("朔州市政务服务中心", "朔州市政府采购服务中心"), ("朔州市法院", "朔州市法制办"),
             ("朔州市工商联", "朔州市工商局"), ("山西省国税局", "国家税务总局山西省税务局")]
    for a, b in pairs:
        assert proposals([entry(a, "朔州市"), entry(b, "朔州市")]) == [], (a, b)
    # the same name in two regions is two bodies; an editor's distinct_from silences a pair
    assert proposals([entry("赣州市财政局"), entry("朔州市財政局", "朔州市")]) == []
    assert proposals([entry("赣州市入企帮扶专项小组", distinct_from=frozenset({"赣州市入企帮扶专项工作小组"})),
                      entry("赣州市入企帮扶专项工作小组")]) == []


def test_a_raw_bracket_has_a_clean_form():
    assert clean_form("朔州市各县<市、区>人民政府") == "朔州市各县（市、区）人民政府"
    assert clean_form("各县‹市、区>") == "各县（市、区）"
    assert clean_form("赣州市各县(市,区)") == "赣州市各县（市、区）"
    assert clean_form("《条例》实施办公室") == "《条例》实施办公室"
    assert clean_form("區(qū)商務(wù)局") == "區商務局"


def proposal_project(project: Project, distinct: str = "") -> None:
    project.write("content/regions.yaml", "- {name: 示例市, level: 市, short: 示例}\n")
    project.write("content/agencies.yaml", (
        "# 机构\n"
        "- name: 示例市入企帮扶专项小组\n  region: 示例市\n"
        "- name: 示例市财政局\n  region: 示例市\n"
        f"- name: 示例市入企帮扶专项工作小组\n  region: 示例市\n{distinct}"
        "- name: 示例市各县<市、区>人民政府\n  region: 示例市\n"))
    project.document("demo")
    project.card("1", agencies={"lead": ["示例市入企帮扶专项小组"]})
    project.card("2", agencies={"lead": ["示例市入企帮扶专项工作小组"], "support": ["示例市各县(市、区)人民政府"]})


def test_check_prints_each_proposal_with_where_the_names_occur_and_how_to_accept(project):
    proposal_project(project)
    result = project.run("check")
    assert result.returncode == 0, result.stderr
    assert ("content/agencies.yaml:6: 警告：“示例市入企帮扶专项工作小组”（见 content/cards/demo/2.md）和第 2 行的"
            "“示例市入企帮扶专项小组”（见 content/cards/demo/1.md）像是同一个单位：") in result.stderr
    assert ("如果是，删掉第 6 行这一条，在“示例市入企帮扶专项小组”那一条写上 aliases: [示例市入企帮扶专项工作小组]"
            "（卡片里的写法不用改）；如果不是，在这一条写上 distinct_from: [示例市入企帮扶专项小组]") in result.stderr
    assert ("content/agencies.yaml:8: 警告：“示例市各县<市、区>人民政府”（见 content/cards/demo/2.md）的括号是"
            "原文排版留下的写法；把 name 改成“示例市各县（市、区）人民政府”") in result.stderr
    assert "0 个错误，2 个警告" in result.stderr


def test_an_accepted_or_rejected_proposal_is_not_printed_again(project):
    proposal_project(project, distinct="  distinct_from: [示例市入企帮扶专项小组]\n")
    result = project.run("check")
    assert "像是同一个单位" not in result.stderr
    text = (project.root / "content/agencies.yaml").read_text(encoding="utf-8")
    text = text.replace("- name: 示例市入企帮扶专项工作小组\n  region: 示例市\n  distinct_from: [示例市入企帮扶专项小组]\n", "")
    text = text.replace("- name: 示例市入企帮扶专项小组\n", "- name: 示例市入企帮扶专项小组\n  aliases: [示例市入企帮扶专项工作小组]\n")
    text = text.replace("示例市各县<市、区>人民政府", "示例市各县（市、区）人民政府")
    (project.root / "content/agencies.yaml").write_text(text, encoding="utf-8")
    result = project.run("check")
    assert result.returncode == 0, result.stderr
    assert "警告" not in result.stderr


def test_the_seed_directory_has_no_duplicate_or_garbled_entry():
    """build.py check on the bundled content proposes nothing: every variant is an alias."""
    from policy_handbook.content.aliases import alias_warnings
    from policy_handbook.content.load import load_content
    loaded = load_content(REPO / "content", REPO, Diagnostics())
    assert [str(w) for w in alias_warnings(loaded.registry, loaded.cards)] == []
    assert [n for n in loaded.registry.agencies if clean_form(n) != n] == []


NOTICE = """示例市优化营商环境若干措施
1.压缩开办时间。企业开办时间压缩至3个工作日以内。（责任单位：市市场监管局）
2.推行网上办理。全面推行“一网通办”。（责任单位：市财政局）
示例市人民政府
2019年3月5日
"""


def test_add_lists_new_names_that_look_like_a_registered_body(tmp_path):
    project = Project(tmp_path / "project")
    project.write("content/regions.yaml", "- {name: 示例市, level: 市, short: 示例}\n")
    project.write("content/agencies.yaml", "- name: 示例市市场监督管理局\n  level: 市\n  region: 示例市\n"
                                           "- name: 示例市财政局\n  level: 市\n  region: 示例市\n")
    shutil.copytree(REPO / "content/taxonomy", project.root / "content/taxonomy")
    source = tmp_path / "通知.txt"
    source.write_text(NOTICE, encoding="utf-8")
    result = project.run("add", str(source))
    assert result.returncode == 0, result.stderr
    review = result.stdout[result.stdout.index("请核对："):]
    assert ("- 像是已登记单位另一种写法的新名称：1 处\n  content/agencies.yaml:7: 警告：“示例市市场监管局”"
            "（见 content/cards/shili-measures-2019/1.md）和第 1 行的“示例市市场监督管理局”（没有卡片用到）"
            "像是同一个单位：一个像是另一个的简称；如果是，删掉第 7 行这一条，在“示例市市场监督管理局”那一条写上 "
            "aliases: [示例市市场监管局]") in review


def test_the_importer_appends_a_collective_without_a_contact_to_fill_in(tmp_path):
    from policy_handbook.content.registry import Agency, append_agencies
    path = tmp_path / "agencies.yaml"
    append_agencies(path, [Agency("朔州市各有关部门", (), "市", "朔州市", collective=True),
                           Agency("朔州市能源局", (), "市", "朔州市")])
    text = path.read_text(encoding="utf-8")
    assert "- {name: 朔州市各有关部门, level: 市, region: 朔州市, collective: true}\n- name: 朔州市能源局\n" in text
    assert text.endswith("- name: 朔州市能源局\n  level: 市\n  region: 朔州市\n  contact: {phone: '', address: '', website: ''}\n")


def test_a_proposal_to_fold_an_entry_with_a_contact_says_to_move_it(tmp_path):
    from policy_handbook.content.aliases import alias_warnings
    registry, _ = registry_of(tmp_path, "- {name: 朔州市开发区（筹）管委会, region: 朔州市}\n"
                                        "- name: 朔州市开发区<筹>管委会\n  region: 朔州市\n  contact: {phone: '0349-1'}\n")
    [warning] = alias_warnings(registry, ())
    assert (warning.path, warning.line) == ("content/agencies.yaml", 2)
    assert warning.hint.startswith("如果是，删掉第 2 行这一条（联系方式移到另一条），在“朔州市开发区（筹）管委会”"
                                   "那一条写上 aliases: [朔州市开发区<筹>管委会]")

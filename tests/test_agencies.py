"""Reading agencies from measures: the seed documents' notes, headings and texts, and synthetic
measures for the conventions the seeds do not use."""
from __future__ import annotations

from pathlib import Path

import pytest

from policy_handbook.text.agencies import AgencyReader, AgencyRef, Place
from policy_handbook.importer.measures import read_measures
from policy_handbook.text.outline import read_outline

SOURCES = Path(__file__).resolve().parent.parent / "content" / "sources"
KNOWN = ("山西", "太原", "朔州", "忻州", "偏关", "赣州", "江西")
SHUOZHOU = Place("朔州市", ("朔州市", "山西省"), KNOWN)
SHANXI = Place("山西省", ("山西省",), KNOWN)
GANZHOU = Place("赣州市", ("赣州市", "江西省"), KNOWN)
XIAODIAN = Place("小店区", ("小店区", "太原市", "山西省"), KNOWN)


def read_document(source: str, place: Place) -> dict[tuple[int, ...], list[AgencyRef]]:
    """Every measure's agencies, read in document order by one reader, keyed by the measure's path."""
    text = (SOURCES / source).read_text(encoding="utf-8-sig")
    reader = AgencyReader(place)
    out = {}
    for draft in read_measures(read_outline(text)):
        measure = draft.title + "。" + "\n".join(draft.paragraphs)
        out[draft.path] = reader.read(measure, list(draft.heading))
    return out


@pytest.fixture(scope="module")
def shuozhou():
    return read_document("shuozhou-private-economy-48-measures.txt", SHUOZHOU)


@pytest.fixture(scope="module")
def shanxi():
    return read_document("shanxi-2016-cost-reduction-plan.txt", SHANXI)


@pytest.fixture(scope="module")
def ganzhou():
    return read_document("ganzhou-2016-cost-reduction-campaign.txt", GANZHOU)


def pairs(refs: list[AgencyRef]) -> list[tuple[str, str]]:
    return [(r.name, r.role) for r in refs]


def lead(*names):
    return [(n, "lead") for n in names]


def responsible(*names):
    return [(n, "responsible") for n in names]


def mentioned(*names):
    return [(n, "mentioned") for n in names]


# --- Shuozhou: (A、B牵头负责) ------------------------------------------------------------------

def test_shuozhou_every_measure_names_its_leads(shuozhou):
    assert len(shuozhou) == 48
    assert all(refs and {r.role for r in refs} == {"lead"} for refs in shuozhou.values())


def test_shuozhou_5_a_name_without_level_is_scoped_to_the_document(shuozhou):
    assert shuozhou[(5,)] == [
        AgencyRef("朔州市纪委监委", "纪委监委", "lead", "市", "朔州市", False),
        AgencyRef("朔州市发改委", "市发改委", "lead", "市", "朔州市", False),
        AgencyRef("朔州市经信委", "市经信委", "lead", "市", "朔州市", False),
    ]


def test_shuozhou_14_keeps_county_governments_whole(shuozhou):
    assert pairs(shuozhou[(14,)]) == lead("朔州市税务局", "朔州市财政局", "朔州市县<市、区>人民政府")
    county = shuozhou[(14,)][2]
    assert (county.written, county.level, county.region, county.collective) == \
        ("县<市、区>人民政府", "县", "朔州市", True)


def test_shuozhou_47_party_bodies_and_counties(shuozhou):
    assert pairs(shuozhou[(47,)]) == lead("朔州市委组织部", "朔州市考核办", "朔州市各县<市、区>")
    assert shuozhou[(47,)][2].collective


def test_shuozhou_2_all_levels_is_one_collective(shuozhou):
    assert shuozhou[(2,)] == [AgencyRef("朔州市各级各有关部门", "各级各有关部门", "lead", "", "朔州市", True)]


def test_shuozhou_23_central_bank_branch_stays_as_written(shuozhou):
    assert pairs(shuozhou[(23,)]) == lead("朔州市金融办", "人行朔州中心支行", "朔州市银监分局")
    bank = shuozhou[(23,)][1]
    assert (bank.written, bank.level, bank.region, bank.collective) == ("人行朔州中心支行", "市", "朔州市", False)


def test_shuozhou_18_and_45_mixed_lists(shuozhou):
    assert pairs(shuozhou[(18,)]) == lead("朔州市各县<市、区>人民政府", "朔州经济开发区管委会")
    # an ASCII comma separates too: 市委办公厅、市政府办公厅,各县<市、区>
    assert pairs(shuozhou[(45,)]) == lead("朔州市委办公厅", "朔州市政府办公厅", "朔州市各县<市、区>")


# --- Shanxi: 牵头单位 in chapter headings, 责任单位 notes -----------------------------------------

def test_shanxi_4_lead_from_heading_and_responsible_from_note(shanxi):
    assert pairs(shanxi[(2, 4)]) == lead("山西省财政厅") + responsible(
        "山西省财政厅", "山西省全面推开营改增试点工作领导小组成员单位")
    group = shanxi[(2, 4)][2]
    assert (group.written, group.level, group.region, group.collective) == \
        ("省全面推开营改增试点工作领导小组成员单位", "省", "山西省", True)


def test_shanxi_unordered_ranks_do_not_make_the_first_a_lead(shanxi):
    # (四) says 责任单位排名不分先后，下同: in (五) 省财政厅 is listed first, but only the heading leads
    assert pairs(shanxi[(2, 5)])[:2] == lead("山西省财政厅") + responsible("山西省财政厅")
    assert [r.role for r in shanxi[(2, 5)]].count("lead") == 1


def test_shanxi_7_bodies_named_by_place_stay_unscoped(shanxi):
    assert pairs(shanxi[(3, 7)]) == lead("山西省金融办") + responsible(
        "山西省金融办", "人行太原中心支行", "山西省发展改革委", "山西省经信委", "山西银监局", "山西保监局")
    by_name = {r.name: r for r in shanxi[(3, 7)]}
    assert (by_name["山西银监局"].region, by_name["山西银监局"].level) == ("山西省", "省")
    assert (by_name["人行太原中心支行"].region, by_name["人行太原中心支行"].level) == ("山西省", "")


def test_shanxi_41_leading_group_members(shanxi):
    assert pairs(shanxi[(11, 41)]) == responsible("山西省降低实体经济企业成本领导小组成员单位")


@pytest.mark.parametrize("path", [(11, 42), (11, 43), (11, 44)])
def test_shanxi_42_to_44_two_collectives_and_no_chapter_lead(shanxi, path):
    assert shanxi[path] == [
        AgencyRef("山西省各市、县人民政府", "各市、县人民政府", "responsible", "市", "山西省", True),
        AgencyRef("山西省各有关部门", "各有关部门", "responsible", "省", "山西省", True),
    ]


def test_shanxi_chapter_ten_and_general_requirements_have_no_agency(shanxi):
    for n in range(32, 41):
        assert shanxi[(10, n)] == [], n
    assert shanxi[(1, 1)] == shanxi[(1, 2)] == shanxi[(1, 3)] == []


def test_shanxi_every_measure_with_a_note_is_read(shanxi):
    assert sum(bool(refs) for refs in shanxi.values()) == 32  # 44 minus (一)–(三) and (三十二)–(四十)


# --- Ganzhou: no notes, units named in the text ------------------------------------------------

def test_ganzhou_2_1_2_mentions(ganzhou):
    assert pairs(ganzhou[(2, 1, 2)]) == mentioned("赣州市直各部门", "赣州市专项行动领导小组办公室")


def test_ganzhou_2_3_2_the_unit_that_the_text_says_is_responsible(ganzhou):
    # “各相关市直部门负责联系一个工业园区”: named right before 负责, it is responsible; the rest is mentioned
    assert pairs(ganzhou[(2, 3, 2)]) == responsible("赣州市各相关市直部门") + mentioned(
        "赣州市各市直部门", "赣州市入企帮扶专项工作小组", "赣州市专项行动领导小组办公室")


def test_ganzhou_3_1_mentions_not_the_issuers(ganzhou):
    # 市委、市政府 issue the notice; the group they set up and its office's host are mentioned
    assert pairs(ganzhou[(3, 1)]) == mentioned(
        "赣州市降低企业成本优化发展环境专项行动领导小组", "赣州市发改委", "赣州市各县(市、区)")
    counties = ganzhou[(3, 1)][2]
    assert (counties.written, counties.level, counties.collective) == ("各县(市、区)", "县", True)


def test_ganzhou_3_3_and_2_5_2_collectives(ganzhou):
    assert pairs(ganzhou[(3, 3)]) == mentioned("赣州市各级宣传部门", "赣州市各地各部门")
    assert pairs(ganzhou[(2, 5, 2)]) == mentioned(
        "赣州市各地各部门", "赣州市直各相关部门", "赣州市各县(市、区)", "赣州市专项行动领导小组办公室")


def test_ganzhou_media_and_plain_tasks_name_no_agency(ganzhou):
    # 赣州广播电视台 and the newspapers are media, not agencies; 2-4-1, 2-4-2, 2-5-1 name no unit
    for path in [(2, 2, 2), (2, 4, 1), (2, 4, 2), (2, 5, 1)]:
        assert ganzhou[path] == [], path


def test_mentions_skip_words_that_only_look_like_agencies():
    text = ("优化服务。全市各级政务大厅办理事项，市场主体办理登记；市其他厅级领导挂点联系，"
            "由市政务服务中心和市直单位负责，市场监管领域部门配合，报《赣州市惠企政策汇编》。")
    # 由A和B负责: both are responsible; 政务大厅, 厅级领导, 市场监管领域 are no bodies
    assert pairs(AgencyReader(GANZHOU).read(text, [])) == responsible("赣州市政务服务中心", "赣州市直单位")


# --- synthetic measures: the other conventions --------------------------------------------------

def test_lead_with_supporting_units():
    refs = AgencyReader(XIAODIAN).read(
        "推行“一窗受理”。整合政务服务窗口。(区政务服务局牵头，区发改局、区住建局配合)", [])
    assert refs == [
        AgencyRef("小店区政务服务局", "区政务服务局", "lead", "县", "小店区", False),
        AgencyRef("小店区发改局", "区发改局", "support", "县", "小店区", False),
        AgencyRef("小店区住建局", "区住建局", "support", "县", "小店区", False),
    ]


def test_first_listed_leads_from_then_on():
    reader = AgencyReader(SHUOZHOU)
    first = reader.read("降低用地成本。……[责任单位：市国土局、市财政局，排在首位的为牵头单位，下同]", [])
    later = reader.read("降低用电成本。……[责任单位：市发改委、市经信委]", [])
    assert pairs(first) == lead("朔州市国土局") + responsible("朔州市财政局")
    assert pairs(later) == lead("朔州市发改委") + responsible("朔州市经信委")


def test_first_listed_leads_only_once_without_xiatong():
    reader = AgencyReader(SHUOZHOU)
    reader.read("降低用地成本。……（责任单位：市国土局、市财政局，排在首位的为牵头单位）", [])
    later = reader.read("降低用电成本。……（责任单位：市发改委、市经信委）", [])
    assert pairs(later) == responsible("朔州市发改委", "朔州市经信委")


@pytest.mark.parametrize("open_, close", [("〔", "〕"), ("【", "】"), ("（", "）"), ("(", ")"), ("[", "]")])
def test_lead_and_responsible_labels(open_, close):
    text = f"加强督查。……{open_}牵头单位：省发展改革委；责任单位：省财政厅、太原海关{close}"
    assert pairs(AgencyReader(SHANXI).read(text, [])) == \
        lead("山西省发展改革委") + responsible("山西省财政厅", "太原海关")


def test_supporting_label_and_verbs_inside_a_list():
    text = "加强督查。……（责任单位：市财政局牵头，市税务局、市审计局配合；配合单位：各县<市、区>人民政府）"
    assert pairs(AgencyReader(SHUOZHOU).read(text, [])) == lead("朔州市财政局") + [
        ("朔州市税务局", "support"), ("朔州市审计局", "support"), ("朔州市各县<市、区>人民政府", "support")]


def test_a_county_document_scopes_each_level():
    pianguan = Place("偏关县", ("偏关县", "忻州市", "山西省"), KNOWN)
    refs = AgencyReader(pianguan).read("推进改革。（县发改局、市生态环境局偏关分局、省能源局牵头负责）", [])
    assert [(r.name, r.level, r.region) for r in refs] == [
        ("偏关县发改局", "县", "偏关县"), ("忻州市生态环境局偏关分局", "市", "忻州市"), ("山西省能源局", "省", "山西省")]


def test_a_county_level_city_is_its_own_市():
    huairen = Place("怀仁市", ("怀仁市", "朔州市", "山西省"), KNOWN)
    refs = AgencyReader(huairen).read("推进改革。（市发改委、县<市、区>人民政府、朔州市财政局牵头负责）", [])
    assert [(r.name, r.level, r.region) for r in refs] == [
        ("怀仁市发改委", "县", "怀仁市"), ("怀仁市县<市、区>人民政府", "县", "怀仁市"),
        ("朔州市财政局", "市", "朔州市")]


def test_no_agency_is_an_empty_list():
    reader = AgencyReader(SHANXI)
    assert reader.read("加强宣传引导。各地要高度重视（含12%），营造良好氛围（试行）。", []) == []
    assert reader.read("规范经营。加强行业自律（企业自主负责）。", []) == []
    assert reader.read("改善公共服务。推广政府购买服务方式。", ["十、落实降成本工作配套措施"]) == []


def test_no_duplicates_within_a_role_and_roles_in_order():
    text = "强化落实。（责任单位：市财政局、市财政局；牵头单位：市发改委）"
    assert pairs(AgencyReader(SHUOZHOU).read(text, ["一、总体要求（牵头单位：市发改委）"])) == \
        lead("朔州市发改委") + responsible("朔州市财政局")

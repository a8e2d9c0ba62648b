"""Deadlines and time limits read from measure texts, checked against sentences of the seed documents."""
from __future__ import annotations

import datetime
import re
import time
from pathlib import Path

import pytest

from policy_handbook.text.deadlines import deadline_status, extract_deadlines

SOURCES = Path(__file__).resolve().parent.parent / "content" / "sources"
SEEDS = {  # source file -> the document date in its content/documents front matter
    "ganzhou-2016-cost-reduction-campaign.txt": "2016-05-06",
    "pianguan-48-measures-knowledge-cards.txt": "2022",
    "shanxi-2016-cost-reduction-plan.txt": "2016",
    "shuozhou-private-economy-48-measures.txt": "2019",
    "xinzhou-2021-business-environment-plan.txt": "2021-10-21",
}
GANZHOU, PIANGUAN, SHANXI, SHUOZHOU, XINZHOU = SEEDS

# Sentences copied from the seed files (test_sentences_are_real checks that they still are).
G_11 = "市直各部门要对照《若干政策措施》,于5月20日之前,制定具体办法或操作细则。"
G_12 = ("市专项行动领导小组办公室要在各部门梳理政策的基础上,于5月20日前编制《赣州市惠企政策文件汇编》,"
        "使企业更加直观地了解、掌握和运用国家、省、市惠企政策。")
G_15 = ("5月15日前,召开全市降低企业成本优化发展环境专项行动动员大会,动员全市上下统一思想、凝心聚力,"
        "准确把握总体要求和目标任务,推动各项工作扎实深入开展。")
G_15B = ("5月底前,市领导带领市直相关部门,深入工业园区、重点企业宣讲《若干政策措施》,发放《赣州市惠企政策文件汇编》,"
         "各县(市、区)和赣州、龙南、瑞金经济技术开发区要同步开展宣讲活动,帮助企业更好地熟悉政策、掌握政策。")
G_20 = ("各市直部门要在5月25日前,先行赴对口园区和企业开展调研,进一步了解掌握园区、企业发展情况,"
        "摸清企业在融资、技术、用工、用地等方面存在的突出问题,提出帮扶建议,形成专题报告向挂点市领导汇报。")
G_28 = ("2016年12月30日前,市直各相关部门、各县(市、区)和赣州、龙南、瑞金经济技术开发区要形成专门的"
        "总结报告报市专项行动领导小组办公室。")
S_57 = ("研究制定《山西省国际贸易“单一窗口”建设方案》，按照国家统一部署，2017年建成“单一窗口”（一期）并上线运行，"
        "推进口岸相关管理部门信息互认、执法互助，促进贸易便利化。")
S_64 = ("从2016年5月1日起至2018年4月30日的两年内，在全省范围内阶段性降低企业职工基本养老保险缴费比例，"
        "凡参加我省企业职工基本养老保险的用人单位，基本养老保险单位缴费比例由现行的20%降至19%；同期内，"
        "再次阶段性降低失业保险费率，将失业保险单位缴费比例由现行的1.5%降至1%，进一步降低缴费单位负担，降低企业人工成本负担。")
S_66 = "从2016年起两年内，各市可结合实际，阶段性适当降低住房公积金缴存比例。"
S_73 = "2017年基本放开竞争性领域和环节价格管制，形成充分竞争的机制，使能源价格充分反映市场供求变化，提高价格灵活性。"
S_136 = ("领导小组将在2017年3月底前进行一次政策落实情况及效果评估，积极推广效果良好的政策和做法，"
         "研究解决出现的问题，及时调整相应政策。从2017年起，每年6月20日前各级、各部门向领导小组报送一次政策落实情况。")
S_12 = ("经过1-2年努力，我省降低实体经济企业成本工作取得初步成效，3年左右使实体经济企业综合成本合理下降，"
        "盈利能力明显增强。")
Z_11 = ("实现新申请开办民营企业市级手续3个工作日内完成营业执照办理、涉税办理、公章刻制等事项;查封、抵押、"
        "注销登记等民营经济关注度高的不动产登记压缩至5个工作日内完成;一般性民营工业项目从立项到竣工验收的"
        "审批时限压缩至45个工作日内,其他工程建设项目审批时限压减至100个工作日以内。")
Z_29 = "对用人单位和职工失业保险缴费比例总和从3%阶段性降至1%的现行政策,2019年4月到期后继续延续实施一年。"
Z_33 = "可享受5年内不改变用地主体和规划条件的过渡期支持政策"
Z_47 = ("充分发挥政策性融资担保公司的功能,2019年底前全市融资担保机构资本金规模力争达到5亿元,"
        "为民营企业、小微企业和“三农”融资担保金额占比达到90%以上。")
Z_57 = "从2019年起,我市设立2000万元的中小企业发展专项资金"
Z_71 = ("从2018年起,市级财政对首次上规入统的小微工业企业,上规入统后连续2年未退出规模以上工业企业库的,"
        "给予20万元的奖励;连续3年的,再给予6万元的奖励。从2018年起给予“小升规”企业3年的适应调整期,"
        "3年内保持税收负担总体不增,可继续享受相关税收优惠政策。")
Z_77 = "3年内实现全市重点民营企业董事长或总经理教育培训全覆盖,不断提高我市民营企业家素质和能力,培养领军人才。"
X_40 = "——到2021年末，全市营商环境总体制度框架体系基本形成"
X_41 = "——到2023年，市级行政审批事项压减30%以上"
X_42 = "——到2025年，“六最”目标全面实现"
X_57 = "2021年底，市、县两级推出不少于100项主题式“一件事一次办”套餐。"
X_74 = "到 2023年，12345热线与紧急热线和水电气热等公共事业服务热线的联动机制基本建立"
X_79 = ("到2023年，工程建设项目从立项到竣工验收全流程平均审批时限压缩至60天并持续优化，"
        "社会投资类简易低风险项目全流程审批时限压缩至10天内。")
X_80 = ("到2021年末，实现城市地区用电报装容量160千瓦及以下、农村地区100千瓦及以下的小微企业用电报装“零投资”；"
        "低压非居民用户、高压单电源用户、高压双电源用户供电企业办理用电报装业务环节均压缩至2个，"
        "时间分别压减至5天、15天、25天内。")
X_87 = "到2025年，完成设立破产法庭；无产可破案件和适用简易程序审理的案件压缩在4个月内办结。"
X_22 = "2018年我市获得用水用气、信用监管指标全省排名第1，办理建筑许可指标全省排名第2。"
X_22B = "2020年12月24日，《参考消息》以题为“古城忻州：世界目光中的发展热土”对我市“用绣花功打造营商环境”进行专题报道。"
X_23 = "大力推进简政放权，自2015年以来共取消87项职权事项，下放管理层级9项，承接省政府下放事项61项"
X_19 = "根据《忻州市国民经济和社会发展第十四个五年规划和2035年远景目标纲要》精神，结合《山西省“十四五”“六最”营商环境建设规划》和忻州实际，制定本规划。"
P_79 = "1万平方米以下企业投资简易低风险项目全流程审批24个工作日办结。"

QUOTED = {GANZHOU: [G_11, G_12, G_15, G_15B, G_20, G_28],
          SHANXI: [S_12, S_57, S_64, S_66, S_73, S_136],
          SHUOZHOU: [Z_11, Z_29, Z_33, Z_47, Z_57, Z_71, Z_77],
          XINZHOU: [X_19, X_22, X_22B, X_23, X_40, X_41, X_42, X_57, X_74, X_79, X_80, X_87],
          PIANGUAN: [P_79]}


def read_seed(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


def due(date: str, text: str) -> dict:
    return {"kind": "due", "date": date, "text": text}


def target(date: str, text: str) -> dict:
    return {"kind": "target", "date": date, "text": text}


def start(date: str, text: str) -> dict:
    return {"kind": "start", "date": date, "text": text}


@pytest.mark.parametrize("name", SEEDS)
def test_sentences_are_real(name):
    text = read_seed(name)
    for sentence in QUOTED[name]:
        assert sentence in text, sentence


@pytest.mark.parametrize("sentence, doc_date, entries", [
    (G_28, "2016-05-06", [due("2016-12-30", "2016年12月30日前")]),
    (Z_47, "2019", [due("2019-12-31", "2019年底前")]),
    (S_136.split("。")[0], "2016", [due("2017-03-31", "2017年3月底前")]),
    # Year-less dates take the document's year; a leading 于/在 is not part of the text.
    (G_11, "2016-05-06", [due("2016-05-20", "5月20日之前")]),
    (G_12, "2016-05-06", [due("2016-05-20", "5月20日前")]),
    (G_15, "2016-05-06", [due("2016-05-15", "5月15日前")]),
    (G_15B, "2016-05-06", [due("2016-05-31", "5月底前")]),
    (G_20, "2016-05-06", [due("2016-05-25", "5月25日前")]),
    (G_15, "2016-05", [due("2016-05-15", "5月15日前")]),
    (G_15, "2016", [due("2016-05-15", "5月15日前")]),
])
def test_due(sentence, doc_date, entries):
    assert extract_deadlines(sentence, doc_date) == (entries, [])


@pytest.mark.parametrize("sentence, doc_date, entries", [
    (X_42, "2021-10-21", [target("2025-12-31", "到2025年")]),
    (X_40, "2021-10-21", [target("2021-12-31", "到2021年末")]),
    (X_41, "2021-10-21", [target("2023-12-31", "到2023年")]),
    (X_74, "2021-10-21", [target("2023-12-31", "到 2023年")]),
    (X_57, "2021-10-21", [target("2021-12-31", "2021年底")]),
    (S_57, "2016", [target("2017-12-31", "2017年建成")]),
    (S_73, "2016", [target("2017-12-31", "2017年基本放开")]),
    (Z_57, "2019", [start("2019-01-01", "从2019年起")]),
])
def test_target_and_start(sentence, doc_date, entries):
    assert extract_deadlines(sentence, doc_date) == (entries, [])


def test_start_repeated_in_one_measure_is_one_entry():
    assert extract_deadlines(Z_71, "2019") == ([start("2018-01-01", "从2018年起")], ["3年内"])


def test_period_swallows_its_own_duration():
    entries, limits = extract_deadlines(S_64, "2016")
    assert entries == [{"kind": "period", "start": "2016-05-01", "end": "2018-04-30",
                        "text": "从2016年5月1日起至2018年4月30日"}]
    assert limits == []


def test_start_followed_by_a_duration_is_both():
    assert extract_deadlines(S_66, "2016") == ([start("2016-01-01", "从2016年起")], ["两年内"])


def test_annual_takes_first_year_from_its_clause_and_keeps_order():
    entries, limits = extract_deadlines(S_136, "2016")
    assert entries == [due("2017-03-31", "2017年3月底前"),
                       {"kind": "annual", "month_day": "06-20", "first_year": 2017, "text": "每年6月20日前"}]
    assert limits == []


def test_annual_without_a_start_and_month_end():
    assert extract_deadlines("每年6月底前报送一次。", "2016")[0] == [
        {"kind": "annual", "month_day": "06-30", "first_year": None, "text": "每年6月底前"}]
    # A start in an earlier sentence is a start of its own, not the annual's first year.
    entries, _ = extract_deadlines("从2017年起实施。每年6月20日前报送。", None)
    assert entries == [start("2017-01-01", "从2017年起"),
                       {"kind": "annual", "month_day": "06-20", "first_year": None, "text": "每年6月20日前"}]


@pytest.mark.parametrize("sentence, limits", [
    (Z_11, ["3个工作日内", "5个工作日内", "45个工作日内", "100个工作日以内"]),
    (Z_33, ["5年内"]),
    (Z_77, ["3年内"]),
    (X_79, ["10天内"]),
    (X_80, ["25天内"]),
    (X_87, ["4个月内"]),
])
def test_time_limits_are_never_dates(sentence, limits):
    entries, found = extract_deadlines(sentence, "2021-10-21")
    assert found == limits
    assert all(e["kind"] == "target" for e in entries)  # only the 到YYYY年 of X_79/X_80/X_87


@pytest.mark.parametrize("sentence", [X_19, X_22, X_22B, X_23, Z_29, S_12, P_79])
def test_not_deadlines(sentence):
    assert extract_deadlines(sentence, "2021-10-21") == ([], [])
    assert extract_deadlines(sentence, None) == ([], [])


@pytest.mark.parametrize("sentence", [
    "2019年前完成。",  # before the year begins or by its end: ambiguous, never read
    "2019年4月前完成。",
    "截至2020年底，全市共有市场主体1万户。",
    "2020年底，全市共有市场主体1万户。",  # before the document's year: background
    "2015年建成产业园。",
    "2019年内完成。",  # a calendar year, not a count of years
    "2月30日前完成。",  # no such day
    "指标达到2025年水平。",
])
def test_forms_left_out(sentence):
    assert extract_deadlines(sentence, "2021-10-21") == ([], [])


def test_without_document_date_yearless_dates_become_time_limits():
    assert extract_deadlines(G_11, None) == ([], ["5月20日之前"])
    text = G_15 + G_15B + G_28
    assert extract_deadlines(text, None) == ([due("2016-12-30", "2016年12月30日前")], ["5月15日前", "5月底前"])


def test_fullwidth_digits_are_read_and_text_kept_as_written():
    entries, limits = extract_deadlines("２０１９年底前完成，３个工作日内办结。", None)
    assert entries == [due("2019-12-31", "２０１９年底前")]
    assert limits == ["３个工作日内"]
    assert extract_deadlines("٢٠١٩年底前完成。", None) == ([], [])  # other scripts' digits are not dates


def test_entry_keys_are_in_contract_order():
    entries, _ = extract_deadlines(S_64 + S_136 + X_42 + Z_57, "2016")
    assert [list(e) for e in entries] == [
        ["kind", "start", "end", "text"], ["kind", "date", "text"],
        ["kind", "month_day", "first_year", "text"], ["kind", "date", "text"], ["kind", "date", "text"]]


AS_OF = datetime.date(2024, 1, 1)


@pytest.mark.parametrize("entry, status", [
    (due("2023-12-31", "x"), "past"),
    (due("2024-01-01", "x"), "due-soon"),
    (target("2024-01-31", "x"), "due-soon"),  # as_of + 30 days, inclusive
    (start("2024-02-01", "x"), "upcoming"),
    ({"kind": "period", "start": "2023-01-01", "end": "2024-01-15", "text": "x"}, "due-soon"),
    ({"kind": "period", "start": "2023-01-01", "end": "2023-12-31", "text": "x"}, "past"),
    ({"kind": "period", "start": "2023-01-01", "end": "2025-01-01", "text": "x"}, "upcoming"),
    ({"kind": "annual", "month_day": "01-02", "first_year": None, "text": "x"}, "recurring"),
])
def test_status(entry, status):
    assert deadline_status(entry, AS_OF) == status


def test_status_rejects_unknown_kind():
    with pytest.raises(ValueError):
        deadline_status({"kind": "soon", "date": "2024-01-01", "text": "x"}, AS_OF)


NUMBERED = re.compile(r"^\s*(?:\d{1,3}\s*[.．、]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")
SERIES_ISSUE = re.compile(r"第[一二三四五六七八九十\d]+期\s*$")


def measure_lines(text: str) -> list[str]:
    """Numbered lines, and the body line under each issue header of a card series."""
    lines = [line for line in text.splitlines() if line.strip()]
    return [line for i, line in enumerate(lines)
            if NUMBERED.match(line) or (i and SERIES_ISSUE.search(lines[i - 1]))]


def test_every_seed_measure_gives_well_formed_entries():
    kinds = set()
    for name, doc_date in SEEDS.items():
        lines = measure_lines(read_seed(name))
        assert len(lines) >= 20, name
        for line in lines:
            entries, limits = extract_deadlines(line, doc_date)
            for entry in entries:
                kinds.add(entry["kind"])
                assert entry["text"] in line
                assert list(entry)[0] == "kind" and list(entry)[-1] == "text"
                if entry["kind"] in ("due", "target", "start"):
                    assert list(entry) == ["kind", "date", "text"]
                    datetime.date.fromisoformat(entry["date"])
                elif entry["kind"] == "period":
                    assert list(entry) == ["kind", "start", "end", "text"]
                    assert (datetime.date.fromisoformat(entry["start"])
                            <= datetime.date.fromisoformat(entry["end"]))
                elif entry["kind"] in ("ongoing", "recurring"):
                    assert list(entry) == ["kind", "text"]
                else:
                    assert entry["kind"] == "annual"
                    assert list(entry) == ["kind", "month_day", "first_year", "text"]
                    datetime.date.fromisoformat(f"2000-{entry['month_day']}")
                    assert entry["first_year"] is None or isinstance(entry["first_year"], int)
                assert deadline_status(entry, AS_OF) in ("past", "due-soon", "upcoming", "recurring", "ongoing")
            assert len(entries) == len({tuple(e.items()) for e in entries})
            for limit in limits:
                assert limit in line
                assert not re.search(r"\d{4}\s*年", limit)
            assert len(limits) == len(set(limits))
    assert kinds == {"due", "target", "start", "period", "annual", "recurring"}


def test_a_yearly_item_on_29_february_comes_up_on_the_28th_in_other_years():
    import datetime as dt
    from policy_handbook.pages.views import _next_occurrence
    assert _next_occurrence({"kind": "annual", "month_day": "02-29"}, dt.date(2026, 1, 10)) == "2026-02-28"
    assert _next_occurrence({"kind": "annual", "month_day": "02-29"}, dt.date(2027, 3, 1)) == "2028-02-29"


def test_a_long_measure_is_read_in_linear_time():
    """An 80 KB measure full of start years and yearly dates: every phrase was checked against
    every claimed one, and each yearly date rescanned its clause (5.7 s; 18 s in the field)."""
    text = "从2017年起，" * 6000 + "每年6月20日前报送，" * 3000 + "3个工作日内办结。"
    started = time.monotonic()
    entries, limits = extract_deadlines(text, "2019-05-01")
    assert time.monotonic() - started < 2
    annual = {"kind": "annual", "month_day": "06-20", "text": "每年6月20日前"}
    assert entries == [start("2017-01-01", "从2017年起"), {**annual, "first_year": 2017}, {**annual, "first_year": None}]
    assert limits == ["3个工作日内"]


def test_the_start_year_of_a_yearly_date_is_the_last_one_in_its_clause():
    text = "从2016年起，从2017年起每年6月20日前报送；从2018年起。每年3月底前"
    entries, _ = extract_deadlines(text, "2019-05-01")
    assert [e.get("first_year") for e in entries if e["kind"] == "annual"] == [2017, None]
    assert [e["date"] for e in entries if e["kind"] == "start"] == ["2016-01-01", "2018-01-01"]


@pytest.mark.parametrize("sentence", ["0000年底前完成", "0000年建成", "到9999年全面完成", "9999年12月31日前",
                                      "0000年5月底前", "从1066年起", "自9999年1月1日起至9999年12月31日"])
def test_years_no_policy_can_name_are_not_deadlines(sentence):
    """Year 0 crashed the reader; year 9999 became a deadline the loader (rightly) refuses, so the
    imported card failed to build."""
    assert extract_deadlines(sentence, "2019-05-01") == ([], [])

"""The deadline forms issue 14 adds: 底完成, 年底前, 至…年底, ranges, quarters, spaced and traditional
dates, time-limit fields, year-less dates read against the sentence's year, and the two kinds
without a date (ongoing: 长期坚持, 持续推进; recurring: 每季度, 每月). Real sentences come from the
development corpus and the seeds (test_sentences_are_real checks that they still are); forms no
stored page shows yet are the issue's own phrases, in the genre's sentences."""
from __future__ import annotations

from pathlib import Path

import pytest

from policy_handbook.content.schema import deadline_list
from policy_handbook.text.deadlines import deadline_status, extract_deadlines

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "sources"
SEEDS = ROOT / "content" / "sources"

# 湘西 2020 (traditional, converter noise): a year-less month end with 完成, inside the note.
XIANGXI = ("(牽頭單位:州行政審批服務局;責任單位:州司法局、州委編辦及州直相關單位,各縣市人民政府、"
           "湘西經(jīng)開區(qū)管委會,6月底完成)")
# 厦门 2019: the time limit as a field line under the measure.
XIAMEN = "时限要求:持续推进"
# 云南 2017: year-less month ends take the year named earlier in the sentence; a quarter is a period.
YUNNAN = "全省各部门预算内专项资金须于2017年6月底前下达60%以上、9月底前下达80%以上、11月底前全部下达到位。"
YUNNAN_Q = "2017年第3季度对省预算内基建投资完成情况进行检查"
# 朔州 2019 measure 48 and 偏关 2022 9-1: reporting and meetings every quarter / half year.
SHUOZHOU_48 = "全市各级各部门每季度末将政策落实情况报市委、市政府。"
PIANGUAN_9 = "省市政府每季度召开例会调度一次，每半年专题听取工作汇报，协调解决重大问题。"
YUNYANG = "从2023年3月份起,每季度通报目标任务推进落实情况"
# Not deadlines: the same words as plain verbs, progress per quarter, a plan's years in its title.
XINZHOU_48 = "持续推进诉讼电子化，提升审判信息化、智能化水平"
SICHUAN = "实施“证照分离”改革全覆盖,持续推进“一网通办”“一日办结”"
PIANGUAN_HOTLINE = "依托12345营商环境热线，设置市场主体投诉专题板块，常态化受理归集交办市场主体反映的各类问题"
HENAN = "并于2023年3月25日、6月25日、9月25日前向省政府报告各项重点工作的每季度进展情况"
SHENZHEN_TITLE = "据《广东省供给侧结构性改革降成本行动计划(2016—2018年)》"
CAIDIAN = "从2023年第一季度开始,各责任单位要在每季度最后一个月的30日前将本季度落实各项工作目标任务进展情况报区人民政府办公室"

QUOTED = {
    CORPUS / "hunan-xiangxi-2020-work-plan-trad.txt": [XIANGXI],
    CORPUS / "fujian-xiamen-2019-business-measures.txt": [XIAMEN],
    CORPUS / "yunnan-province-2017-growth-opinions.txt": [YUNNAN, YUNNAN_Q],
    CORPUS / "hubei-yunyang-2023-task-table.txt": [YUNYANG],
    CORPUS / "sichuan-province-2022-circulation.txt": [SICHUAN],
    CORPUS / "henan-province-2023-report-tasks-oneline.txt": [HENAN],
    CORPUS / "guangdong-shenzhen-2016-cost-action-plan.txt": [SHENZHEN_TITLE],
    CORPUS / "hubei-caidian-2023-report-tasks.txt": [CAIDIAN],
    SEEDS / "shuozhou-private-economy-48-measures.txt": [SHUOZHOU_48],
    SEEDS / "pianguan-48-measures-knowledge-cards.txt": [PIANGUAN_9, PIANGUAN_HOTLINE],
    SEEDS / "xinzhou-2021-business-environment-plan.txt": [XINZHOU_48],
}


def due(date: str, text: str) -> dict:
    return {"kind": "due", "date": date, "text": text}


def period(start: str, end: str, text: str) -> dict:
    return {"kind": "period", "start": start, "end": end, "text": text}


def ongoing(text: str) -> dict:
    return {"kind": "ongoing", "text": text}


def recurring(text: str) -> dict:
    return {"kind": "recurring", "text": text}


@pytest.mark.parametrize("path", QUOTED, ids=lambda p: p.stem)
def test_sentences_are_real(path):
    text = path.read_text(encoding="utf-8")
    for sentence in QUOTED[path]:
        assert sentence in text, sentence


# --- dated forms ---------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, doc_date, entries", [
    (XIANGXI, "2020", [due("2020-06-30", "6月底完成")]),
    ("9月底完成全市政务服务事项梳理。", "2023-02-01", [due("2023-09-30", "9月底完成")]),
    ("年底完成全市政务服务事项梳理。", "2023-02-01", [due("2023-12-31", "年底完成")]),
    ("年底前实现全覆盖。", "2023", [due("2023-12-31", "年底前")]),
    ("今年年底前实现全覆盖。", "2023", [due("2023-12-31", "今年年底前")]),
    ("2023年底完成改造。", "2023", [due("2023-12-31", "2023年底完成")]),  # with 完成 a due, not a target
    (YUNNAN, "2017", [due("2017-06-30", "2017年6月底前"), due("2017-09-30", "9月底前"),
                      due("2017-11-30", "11月底前")]),
    (YUNNAN, None, [due("2017-06-30", "2017年6月底前"), due("2017-09-30", "9月底前"),
                    due("2017-11-30", "11月底前")]),  # the sentence names the year
])
def test_month_and_year_ends(sentence, doc_date, entries):
    assert extract_deadlines(sentence, doc_date) == (entries, [])


def test_a_yearless_date_without_any_year_stays_a_phrase():
    assert extract_deadlines(XIANGXI, None) == ([], ["6月底完成"])
    assert extract_deadlines("年底前实现全覆盖。", None) == ([], ["年底前"])


@pytest.mark.parametrize("sentence, doc_date, entries", [
    ("2025 年 9 月底前完成。", "2025", [due("2025-09-30", "2025 年 9 月底前")]),
    ("２０２５ 年 ９ 月底前完成。", "2025", [due("2025-09-30", "２０２５ 年 ９ 月底前")]),
    ("2025年 9月 30日前完成。", "2025", [due("2025-09-30", "2025年 9月 30日前")]),
    ("２０２５年９月底前完成，３個工作日內辦結。", "2025", [due("2025-09-30", "２０２５年９月底前")]),
])
def test_spaces_full_width_digits_and_traditional_characters(sentence, doc_date, entries):
    found, limits = extract_deadlines(sentence, doc_date)
    assert found == entries
    assert limits == (["３個工作日內"] if "個" in sentence else [])


@pytest.mark.parametrize("sentence, doc_date, entries", [
    # a policy that holds until a day ends then: 截止, as 实施期限至2021年12月31日 (东莞 2021) reads
    ("阶段性降低失业保险费率政策执行至2026年底。", "2024-01-01",
     [{"kind": "due", "date": "2026-12-31", "text": "至2026年底"}]),
    ("2021—2023年，每年安排资金1亿元。", "2021", [period("2021-01-01", "2023-12-31", "2021—2023年")]),
    ("2021-2023年，每年安排资金1亿元。", "2021", [period("2021-01-01", "2023-12-31", "2021-2023年")]),
    ("2021年至2023年，每年安排资金1亿元。", "2021", [period("2021-01-01", "2023-12-31", "2021年至2023年")]),
    ("开展清理整治专项行动，时间为2022年3月1日—12月31日。", "2022",
     [period("2022-03-01", "2022-12-31", "2022年3月1日—12月31日")]),
    ("自2023年起至2025年底，对新设企业给予补贴。", "2023",
     [period("2023-01-01", "2025-12-31", "自2023年起至2025年底")]),
    (YUNNAN_Q, "2017", [period("2017-07-01", "2017-09-30", "2017年第3季度")]),
])
def test_until_ranges_and_quarters(sentence, doc_date, entries):
    assert extract_deadlines(sentence, doc_date) == (entries, [])


@pytest.mark.parametrize("line, doc_date, entries", [
    ("完成时限：2023年12月", "2023", [due("2023-12-31", "2023年12月")]),
    ("完成时限：2023年6月30日", "2023", [due("2023-06-30", "2023年6月30日")]),
    ("完成时间：6月底", "2023-03-01", [due("2023-06-30", "6月底")]),
    ("完成时间：2024年底", "2023", [due("2024-12-31", "2024年底")]),
    ("（市发改委牵头；完成时限：2023年底前）", "2023", [due("2023-12-31", "2023年底前")]),
    ("完成时限：长期坚持", "2023", [ongoing("长期坚持")]),
    ("完成時限：長期堅持", "2023", [ongoing("長期堅持")]),
    (XIAMEN, "2019", [ongoing("持续推进")]),
    ("时限要求：常态化", "2023", [ongoing("常态化")]),
    ("完成时限：长期", "2023", [ongoing("长期")]),
    ("完成时限：每季度", "2023", [recurring("每季度")]),
    ("完成时限：2023年6月底前完成，长期坚持", "2023", [due("2023-06-30", "2023年6月底前完成"), ongoing("长期坚持")]),
])
def test_time_limit_fields(line, doc_date, entries):
    assert extract_deadlines(line, doc_date) == (entries, [])


@pytest.mark.parametrize("note, entries", [
    ("（责任单位：市财政局，2024年12月）", [due("2024-12-31", "2024年12月")]),
    ("(市发改委牵头,2023年6月底)", [due("2023-06-30", "2023年6月底")]),
    ("(市发改委牵头,2023年)", []),  # a bare year in a note is the plan's year, not a time limit
    ("(2023年6月底)", []),  # a bracket that names no unit may be a reference
    ("市人民政府\n2023年3月28日", []),  # a signing date on its own line
])
def test_a_date_alone_in_an_attribution_note_is_its_time_limit(note, entries):
    assert extract_deadlines(note, "2023") == (entries, [])


# --- ongoing and recurring -----------------------------------------------------------------------

@pytest.mark.parametrize("text, entries", [
    ("（市发改委牵头，市财政局配合，长期坚持）", [ongoing("长期坚持")]),
    ("（牵头单位：市发改委；持续推进）", [ongoing("持续推进")]),
    ("(持续推进)", [ongoing("持续推进")]),
    ("1\n★优化营商环境\n市发改委\n长期坚持\n", [ongoing("长期坚持")]),  # a table cell on its own line
    ("| 常态化推进 |", [ongoing("常态化推进")]),
    (SHUOZHOU_48, [recurring("每季度末")]),
    (PIANGUAN_9, [recurring("每季度"), recurring("每半年")]),
    (YUNYANG, [recurring("每季度")]),
    ("各责任单位每月10日前报送上月工作进展。", [recurring("每月10日前")]),
    ("每月通报一次。", [recurring("每月")]),
])
def test_ongoing_and_recurring_where_a_time_limit_is_stated(text, entries):
    assert extract_deadlines(text, "2023") == (entries, [])


def test_converter_noise_inside_labels_phrases_and_notes():
    """Traditional copies carry the converter's pinyin (發(fā), 續(xù), 區(qū)): inside a label, inside the
    phrase, and as brackets inside a note (the 湘西 note's 經(jīng)開區(qū)), which must not hide the note."""
    assert extract_deadlines("完成時(shí)限:持續(xù)推進", "2020") == ([ongoing("持續(xù)推進")], [])
    note = XIANGXI.replace("6月底完成", "長期堅持")
    assert extract_deadlines(note, "2020") == ([ongoing("長期堅持")], [])
    assert extract_deadlines("| 常態(tài)化 |", "2020") == ([ongoing("常態(tài)化")], [])


def test_every_year_with_a_date_is_annual_not_recurring():
    assert extract_deadlines("每年年底前报送年度总结。", "2021") == (
        [{"kind": "annual", "month_day": "12-31", "first_year": None, "text": "每年年底前"}], [])


# --- not deadlines -------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    XINZHOU_48, SICHUAN, PIANGUAN_HOTLINE,  # 持续推进 / 常态化 as verbs in the text
    "建立常态化入企服务机制。",
    "(长期)",  # a bare 长期 only counts after a field label
    "每年培育50家专精特新企业。",  # a quota per year
    "每年召开10场产销对接会。",
    "每月发布10条政策解读。",
    "每季度进展情况报省政府。",
    SHENZHEN_TITLE,  # a plan's years in its title
    "实施三年行动计划(2023—2025年)。",
    "2016—2020年，全市累计完成投资100亿元。",  # history: ended before the document's year
    "截至2020年底，全市共有市场主体1万户。",
    "至2020年底，全市共有市场主体1万户。",
    "降至2019年水平。",
    "2020年第四季度，全市生产总值增长5%。",  # history: a quarter before the document's year
    "2019年4月到期后继续延续实施一年。",
    "2019年-2020年度考核",
    "明年底前完成。",  # not the document's year, and no year is named
    "上半年底前完成。",
    "1月—3月开展排查。",  # a range without a year
])
def test_not_deadlines(sentence):
    assert extract_deadlines(sentence, "2021-10-21") == ([], [])


def test_a_quarter_after_from_is_no_period_and_the_day_of_each_quarter_is_not_read():
    entries, limits = extract_deadlines(CAIDIAN, "2023")
    assert entries == [] and limits == []


def test_only_the_date_with_its_own_前_is_a_due():
    entries, _ = extract_deadlines(HENAN, "2023-02-01")
    assert entries == [due("2023-09-25", "9月25日前")]  # 3月25日 and 6月25日 carry no 前 of their own


def test_history_named_in_a_sentence_does_not_lend_its_year():
    entries, _ = extract_deadlines("截至2020年12月底，全市已完成备案，6月底前完成复核。", "2021")
    assert entries == [due("2021-06-30", "6月底前")]


# --- what the importer writes, the loader accepts; statuses ---------------------------------------

@pytest.mark.parametrize("entry", [ongoing("长期坚持"), recurring("每季度"),
                                   period("2022-03-01", "2022-12-31", "2022年3月1日—12月31日")])
def test_the_card_schema_accepts_the_new_kinds(entry):
    assert deadline_list([entry]) is None


def test_the_card_schema_still_refuses_an_unknown_kind_and_names_the_new_ones():
    problem = deadline_list([{"kind": "ongoin", "text": "长期坚持"}])
    assert problem is not None
    assert "ongoing" in problem[1] and "recurring" in problem[1]
    assert deadline_list([{"kind": "ongoing"}]) is not None  # the phrase is all it has: required


def test_an_undated_kind_with_a_date_is_refused_with_the_fix():
    problem = deadline_list([{"kind": "ongoing", "date": "2023-12-31", "text": "长期坚持"}])
    assert problem == ("第 1 条（ongoing）是没有日期的时限，不能写 date",
                       "去掉 date；有具体日期的时限写成 due、target、start、period 或 annual")


def test_undated_kinds_are_never_past_or_due():
    import datetime as dt
    far = dt.date(2099, 1, 1)
    assert deadline_status(ongoing("长期坚持"), far) == "ongoing"
    assert deadline_status(recurring("每季度"), far) == "recurring"


def test_a_full_date_followed_by_起_is_a_start():
    # 东莞 2021 (tests/corpus): the date a new rate applies from, without 从/自
    sentence = "原階段性下調工傷保險費率政策實施至2021年4月30日,2021年5月1日起按照省級統籌工傷保險行業基準費率標準有關規定執行;"
    found, _ = extract_deadlines(sentence, "2021")
    assert {"kind": "start", "date": "2021-05-01", "text": "2021年5月1日起"} in found
    assert {"kind": "due", "date": "2021-04-30", "text": "至2021年4月30日"} in found
    assert extract_deadlines("2019年起实施", "2019")[0] == []  # a year alone is too loose


def test_a_task_tables_全年_cell_is_due_at_the_end_of_the_documents_year():
    # 霍山 2025 (tests/corpus): the 完成时限 column says 全年
    cell = "坚持服务跟着项目走,全力服务重大项目落地见效。 |\n叶林 |\n招商工作部、安商工作部 |\n全年 |"
    assert extract_deadlines(cell, "2025-02-10")[0] == [{"kind": "due", "date": "2025-12-31", "text": "全年"}]
    assert extract_deadlines("力争全年盘活僵尸企业10家。", "2025")[0] == []  # prose: a frame, not a limit
    assert extract_deadlines(cell, None)[0] == []  # no year to end

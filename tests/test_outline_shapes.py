"""Numbering and outline conventions read by their shape, with lines taken from the development
corpus (tests/corpus/sources/, named in each test), and the numbers they must never take."""
from __future__ import annotations

from policy_handbook.importer.measures import read_measures
from policy_handbook.text.outline import read_outline


def measures(text: str) -> list[tuple[str, str, str]]:
    return [(d.number, d.title, d.kind) for d in read_measures(read_outline(text))]


def test_numbers_followed_by_a_small_full_stop_are_items():
    # anhui-province-2022-key-tasks-stripped: `1﹒` with U+FE52
    text = ("一、确保完成全年主要预期目标\n"
            "1﹒全省生产总值增长7%以上,在实际工作中力争更好结果。\n"
            "牵头负责领导:刘惠。\n牵头责任单位:省发展改革委。\n"
            "2﹒固定资产投资力争增长10%以上,在实际工作中奋力完成得更快一些。\n"
            "牵头负责领导:刘惠。\n")
    assert measures(text) == [
        ("1", "全省生产总值增长7%以上,在实际工作中力争更好结果", "measure"),
        ("2", "固定资产投资力争增长10%以上,在实际工作中奋力完成得更快一些", "measure")]


def test_a_decimal_after_a_look_alike_stop_is_no_item():
    text = "一、稳定经济增长\n全年增长\n3﹒5个百分点，力争更好结果。\n"
    assert measures(text) == [("一", "稳定经济增长", "measure")]


def test_a_task_table_row_number_with_its_cell_border_starts_the_task_on_the_next_line():
    # anhui-huoshan-2025-task-table: one cell per line, each ending with ` |`
    text = ("2025年开发区重点工作及责任清单\n序号 |\n重点工作 |\n责任领导 |\n责任单位 |\n完成时限 |\n"
            "1 |\n坚持服务跟着项目走,优化“重点项目直通车”“无忧办”工作机 制,落实重点项目“领导+专班””“项目管家”"
            "等制度,全力服务重 大项目落地见效。 |\n叶林 |\n招商工作部、安商工作部 |\n全年 |\n"
            "2 |\n全力推进开发区“空间再造”,推动工业用地“腾笼换鸟”,力争 全年盘活僵尸企业10家,盘活存量土地400亩。 |\n"
            "马振明 |\n改革办 |\n全年 |\n")
    drafts = read_measures(read_outline(text))
    assert [(d.number, d.title[:12]) for d in drafts] == [("1", "坚持服务跟着项目走,优化"), ("2", "全力推进开发区“空间再造")]
    assert drafts[1].title.endswith("盘活存量土地400亩")
    assert drafts[0].paragraphs == ("叶林 |", "招商工作部、安商工作部 |", "全年 |")


def test_a_row_number_and_its_task_on_one_line_behind_a_cell_border():
    text = "序号 | 重点工作 | 责任单位\n1 | 盘活存量土地400亩。 | 改革办\n2 | 提升园区承载能力。 | 规划建设局\n"
    assert [(n, t) for n, t, _ in measures(text)] == [("1", "盘活存量土地400亩"), ("2", "提升园区承载能力")]

"""Numbering and outline conventions read by their shape, with lines taken from the development
corpus (tests/corpus/sources/, named in each test), and the numbers they must never take."""
from __future__ import annotations

from policy_handbook.importer.measures import read_measures, unread_numbered_lines
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


PINGDINGSHAN = (  # henan-pingdingshan-2018-river-chief-table: one line per row, cells separated by spaces
    "平顶山市全面推行河长制主要任务分解表\n\n"
    "序号 类别 主要任务 细化措施 牵头单位 参与单位 责任单位\n"
    "1 加强水资源保 护 严守水资源开发利用控制红线 实施水资源消耗总量和强度双控行动,防止不合理新增取水,"
    "切实做到以水定需、量水而行、因水制宜。到2020年,全市用水总量控制在11.88亿立方米以内。 市水利局 "
    "市发展改革委、工业和信息化委、住房和城乡建设局、农业局等 各县(市、区)党委和人民政府,城乡一体化示范区、高新区党工委和管委会\n"
    "2  严守用水 效率控制 红线 落实万元国内生产总值水耗指标等用水效率评估体系,把节水目标任务完成情况纳入市、"
    "县级政府政绩考核内容。 市水利局 市发展改革委、工业和信息化委、住房和城乡建设局等 各县(市、区)党委和人民政府\n")


def test_a_table_with_one_line_per_row_gives_the_task_cell_of_each_row():
    drafts = read_measures(read_outline(PINGDINGSHAN))
    assert [(d.number, d.title) for d in drafts] == [("1", "严守水资源开发利用控制红线"), ("2", "严守用水 效率控制 红线")]
    assert drafts[0].paragraphs[0].startswith("实施水资源消耗总量和强度双控行动")
    assert drafts[1].paragraphs[0].endswith("各县(市、区)党委和人民政府")


def test_lines_starting_with_a_number_and_a_space_are_no_rows_without_a_table_header():
    text = PINGDINGSHAN.replace("序号 类别 主要任务 细化措施 牵头单位 参与单位 责任单位\n", "")
    assert measures(text) == []
    # under a header, a row whose 序号 does not go on is no measure: it stays text, with a warning
    outline = read_outline(PINGDINGSHAN.replace("\n2  严守", "\n7  严守"))
    assert [d.number for d in read_measures(outline)] == ["1"]
    assert [line for line, _ in unread_numbered_lines(outline)] == [5]
    assert read_measures(outline)[0].paragraphs[-1].startswith("7  严守用水 效率控制 红线")


QIQIHAR = (  # heilongjiang-qiqihar-2017-environment-plan-garbled: one line, punctuation garbled
    "齐齐哈尔市城乡环境整治工程总体实施方案,为全面落实市政府 七大民生工程,总体部署,特制定本方案、"
    "一,指导思想 深入贯彻落实党的十八大和十八届三中 四中,五中。六中全会以及市委十三届一次全会精神,"
    "以保障人民群众身心健康为出发点.不断改善全市环境质量.实现经济社会发展与生态环境保护和谐共赢 "
    "通过开展.四大行动.大气、水.土壤污染防治及四季环境整治行动,全面推进燃煤小锅炉撤并整合。"
    "二,工作目标,一,大气污染防治行动 到2018年.与2015年相比。全市环境空气质量总体改善.达到国家环境空气质量标准、"
    "二,水污染防治行动.到2020年。市区集中式饮用水水源水质主要指标达到或优于、类比例高于90.建成区黑臭水体控制在10,以内,"
    "三 土壤污染防治行动 到2020年,土壤污染加重趋势得到初步遏制、土壤环境质量总体保持稳定.")


def test_garbled_punctuation_numbers_are_read_as_a_careful_reader_restores_them():
    drafts = read_measures(read_outline(QIQIHAR))
    assert [(d.number, d.title, d.kind) for d in drafts] == [
        ("一", "大气污染防治行动", "general"), ("二", "水污染防治行动", "general"), ("三", "土壤污染防治行动", "general")]
    assert drafts[0].heading == ("二、工作目标",)
    assert drafts[0].paragraphs[0].startswith("到2018年.与2015年相比。")


def test_a_comma_after_a_numeral_is_no_number_in_a_text_whose_punctuation_is_sound():
    # the same words with sound stops: 一, 二, are words of a sentence here, never items
    text = QIQIHAR.replace(".", "，")
    assert measures(text) == []
    # a text that prints 一、 numbers its parts with it: 一, stays prose there
    text = "一、总体要求\n" + QIQIHAR + "\n二、主要任务\n(一)降低用地成本。实行弹性出让。\n"
    assert [n for n, _, _ in measures(text)] == ["(一)"]


def test_a_top_level_section_with_prose_is_no_measure_over_headed_items_without_a_full_stop():
    # rule 4 of tests/corpus/README.md where every item is a heading over prose (no 。 in any)
    text = ("一、总体要求\n深入贯彻落实党的二十大精神，着力优化营商环境。\n二、主要任务\n"
            "(一)深化政务服务标准化建设\n推进政务服务事项标准化管理，动态调整事项清单。\n"
            "(二)推进政务服务规范化\n规范审批服务行为，严格执行首问负责制。\n")
    assert [(n, t) for n, t, _ in measures(text)] == [("(一)", "深化政务服务标准化建设"), ("(二)", "推进政务服务规范化")]


def test_dates_amounts_and_phone_numbers_after_the_new_shapes_stay_prose():
    text = ("序号 | 重点工作 | 责任单位\n1 | 盘活存量土地400亩。 | 改革办\n"
            "2025 | 年底前完成。\n3﹒5万元由县财政列支。\n0563﹒2345678\n2 | 13 |\n2. 5万元由县财政列支。\n")
    assert [(n, t) for n, t, _ in measures(text)] == [("1", "盘活存量土地400亩")]


def test_sections_numbered_with_a_comma_or_full_stop_where_the_text_prints_no_enumeration_comma():
    # anhui-province-2022-key-tasks-stripped's lines, its section printed 一, as copies with
    # half-width punctuation do, over items that are headings with field lines
    text = ("一,确保完成全年主要预期目标\n全省生产总值增长7%以上\n牵头责任单位:省发展改革委。\n"
            "二,扩大有效投资\n固定资产投资力争增长10%以上\n牵头责任单位:省发展改革委。\n")
    assert [(n, t) for n, t, _ in measures(text)] == [("一", "确保完成全年主要预期目标"), ("二", "扩大有效投资")]
    assert [n for n, _, _ in measures(text.replace("二,", "二."))] == ["一", "二"]


def test_a_comma_after_a_numeral_is_prose_without_a_sequence_or_beside_the_usual_numbers():
    one = "一,确保完成全年主要预期目标\n全省生产总值增长7%以上\n牵头责任单位:省发展改革委。\n"
    assert measures(one) == []  # 一, alone makes no sequence
    usual = one + "二、扩大有效投资\n固定资产投资力争增长10%以上\n牵头责任单位:省发展改革委。\n"
    assert [n for n, _, _ in measures(usual)] == ["二"]
    assert measures("一,二季度完成项目审批。\n二,三季度开工建设。\n") == []


def test_a_page_number_on_a_line_of_its_own_is_no_task_number():
    # a PDF copied as text keeps its page numbers between the lines of a measure; only below a
    # task table's 序号 header does a bare number start a task (hubei-yunyang-2023-task-table)
    text = ("一、降低企业成本\n(一)降低用地成本。实行弹性出让，\n2\n着力优化营商环境。\n"
            "(二)降低用电成本。推进直接交易。\n")
    assert [(n, t) for n, t, _ in measures(text)] == [("(一)", "降低用地成本"), ("(二)", "降低用电成本")]
    assert ("2", "着力优化营商环境") in [(n, t) for n, t, _ in measures("序号\n目标任务\n" + text)]


def test_items_of_one_kind_run_together_on_a_short_line_are_split_where_the_sequence_goes_on():
    # anhui-province-2022-key-tasks-stripped's items, their line breaks lost
    text = ("一、确保完成全年主要预期目标\n"
            "1﹒全省生产总值增长7%以上,在实际工作中力争更好结果。牵头责任单位:省发展改革委。"
            "2﹒固定资产投资力争增长10%以上,在实际工作中奋力完成得更快一些。(省发展改革委牵头)"
            "3﹒社会消费品零售总额增长9%左右。协同责任单位:省财政厅、省商务厅。\n")
    assert [(n, t) for n, t, _ in measures(text)] == [
        ("1", "全省生产总值增长7%以上,在实际工作中力争更好结果"),
        ("2", "固定资产投资力争增长10%以上,在实际工作中奋力完成得更快一些"), ("3", "社会消费品零售总额增长9%左右")]
    # a number that does not go on the line's own sequence, or of another kind, stays in the text
    inline = "1﹒全省生产总值增长7%以上。分解为:(一)一季度增长6%;(二)二季度增长7%。5﹒力争更好结果。\n"
    assert measures(inline) == [("1", "全省生产总值增长7%以上", "measure")]


def test_a_section_number_whose_opening_bracket_was_lost_is_read_as_its_level():
    # hubei-caidian-2023-report-tasks' lines, printed 一） as copies that lose the opening bracket do
    text = ("一、2023年全区经济社会发展的主要预期目标\n\n"
            "一）地区生产总值增长7%以上\n\n责任单位:区发展和改革局\n\n"
            "二）规上工业增加值增长12%以上\n\n责任单位:区科技和经信局\n")
    assert [(n, t) for n, t, _ in measures(text)] == [("一）", "地区生产总值增长7%以上"), ("二）", "规上工业增加值增长12%以上")]


def test_a_table_cell_repeated_in_every_row_is_text_not_a_running_header():
    # 霍山 2025 (tests/corpus): 全年 | in the 完成时限 column of every row
    from conftest import REPO
    text = (REPO / "tests/corpus/sources/anhui-huoshan-2025-task-table.txt").read_text(encoding="utf-8")
    drafts = read_measures(read_outline(text))
    assert len(drafts) == 3 and all("全年 |" in d.paragraphs for d in drafts)

"""Reading documents the importer has never seen: conventions recognised by their shape.

Each example is shaped like a real document of the genre (tests/corpus/ has the real ones).
"""
from __future__ import annotations

from policy_handbook.importer.measures import read_measures
from policy_handbook.text.outline import read_outline
from policy_handbook.text.reading import reading_form


def measures(text: str) -> list[tuple[str, str, str]]:
    return [(d.number, d.title, d.kind) for d in read_measures(read_outline(text))]


def test_the_reading_form_is_simplified_and_half_width_character_for_character():
    text = "第一條　總則（二）１２．"
    assert reading_form(text) == "第一条 总则(二)12."
    assert len(reading_form("區(qū)發(fā)改委")) == len("區(qū)發(fā)改委")


def test_articles_in_traditional_characters_under_a_general_chapter_are_general_cards():
    text = ("第一章 總 則\n"
            "第一條 為了全面落實鄉村振興責任制，結合我省實際，制定本實施細則。\n"
            "第二條 落實鄉村振興責任制，堅持以習近平新時代中國特色社會主義思想為指導。\n"
            "第二章 責任分工\n"
            "第三條 省委農村工作領導小組負責統籌協調。\n")
    assert measures(text) == [
        ("第一條", "為了全面落實鄉村振興責任制，結合我省實際，制定本實施細則", "general"),
        ("第二條", "落實鄉村振興責任制，堅持以習近平新時代中國特色社會主義思想為指導", "general"),
        ("第三條", "省委農村工作領導小組負責統籌協調", "measure")]


def test_full_width_digits_and_spaces_inside_labels_are_read_as_numbers():
    text = "（ 一）降低企业用电成本。深化电力体制改革。\n( 二 )降低物流成本。推进多式联运。\n"
    assert [(n, t) for n, t, _ in measures(text)] == [
        ("（ 一）", "降低企业用电成本"), ("( 二 )", "降低物流成本")]
    assert [t for _, t, _ in measures("１．减免租金。对承租国有房屋的给予减免。\n２．缓缴社保。阶段性缓缴。\n")] == [
        "减免租金", "缓缴社保"]


def test_an_excerpt_whose_numbering_starts_mid_sequence_is_read():
    text = "（四）加强金融支持。扩大信贷投放。\n（五）优化政务服务。推行一网通办。\n"
    assert [n for n, _, _ in measures(text)] == ["（四）", "（五）"]


def test_a_number_printed_twice_gives_two_measures():
    text = "1.降低用地成本。实行弹性出让。\n2.降低用电成本。推进直接交易。\n2.降低用气成本。理顺价格。\n"
    assert [t for _, t, _ in measures(text)] == ["降低用地成本", "降低用电成本", "降低用气成本"]


def test_a_heading_without_a_full_stop_followed_by_prose_is_a_measure_titled_by_that_line():
    text = ("静安区全力打响“上海服务”品牌三年行动计划\n"
            "一、 总体要求\n"
            "(一)指导思想\n"
            "深入贯彻落实党的十九大精神，以习近平新时代中国特色社会主义思想为指导。\n")
    assert measures(text) == [("(一)", "指导思想", "general")]
    text = "一、推进重大项目建设\n建立健全领导联系重点项目制度，有关部门要及时解决项目推进中的问题。\n"
    assert measures(text) == [("一", "推进重大项目建设", "measure")]


def test_a_heading_followed_by_field_lines_is_a_measure():
    text = ("一、2023年全区经济社会发展的主要预期目标\n\n"
            "(一)地区生产总值增长7%以上\n\n责任单位:区发展和改革局\n\n"
            "(二)规上工业增加值增长12%以上\n\n责任单位:区科技和经信局\n")
    assert [t for _, t, _ in measures(text)] == ["地区生产总值增长7%以上", "规上工业增加值增长12%以上"]


def test_a_top_level_section_with_prose_is_no_measure_when_the_measures_stand_below_it():
    text = ("一、总体要求\n以习近平新时代中国特色社会主义思想为指导，着力降低实体经济企业成本。\n"
            "二、主要任务\n(一)降低税费负担。全面推开营改增试点。\n(二)降低融资成本。加大信贷支持。\n")
    assert [n for n, _, _ in measures(text)] == ["(一)", "(二)"]


def test_the_numbered_requests_of_the_issuing_notice_are_not_measures():
    text = ("各街道办事处、乡人民政府，区人民政府各部门：\n"
            "《主要目标任务责任分解方案》已报经区人民政府同意，现印发给你们，并就有关事项通知如下：\n"
            "一、各责任单位要高度重视，切实加强领导，制订工作方案。\n"
            "二、区绩效考评机构要将重要目标任务纳入绩效管理考核范围。\n"
            "蔡甸区人民政府办公室\n2023年1月3日\n"
            "主要目标任务责任分解方案\n"
            "一、主要预期目标\n(一)地区生产总值增长7%以上\n责任单位：区发展和改革局\n")
    outline = read_outline(text)
    assert [t for _, t, _ in measures(text)] == ["地区生产总值增长7%以上"]
    assert [line for line, _ in outline.dropped] == [3, 4]


def test_sub_points_sharing_one_attribution_note_are_the_body_of_one_measure():
    text = ("(一)“一案三制”建设\n1.完善应急预案体系\n"
            "(1)加强应急预案管理，规范应急预案编制工作。\n(2)加强应急预案演练，完善演练管理制度。\n"
            "(责任单位：市直各有关单位、各县(市、区)人民政府)\n")
    drafts = read_measures(read_outline(text))
    assert [(d.number, d.title) for d in drafts] == [("1", "完善应急预案体系")]
    assert drafts[0].paragraphs[-1] == "(责任单位：市直各有关单位、各县(市、区)人民政府)"
    assert drafts[0].paragraphs[0].startswith("(1)加强应急预案管理")
    each = "(1)加强应急预案管理。(市应急局负责)\n(2)加强应急预案演练。(市应急局负责)\n"
    assert [n for n, _, _ in measures("1.完善应急预案体系\n" + each)] == ["(1)", "(2)"]


def test_a_task_table_flattened_to_one_cell_per_line_gives_each_numbered_task():
    text = ("序号\n\n目  标  任  务\n\n牵头单位\n\n责任单位\n\n"
            "一、主要经济社会发展指标(牵头领导:成坤)\n\n1\n\n★地区生产总值增长15%。\n\n区发改局\n\n"
            "2\n\n规模以上工业增加值增长12%。\n\n区经信局\n")
    assert [(n, t) for n, t, _ in measures(text)] == [("1", "地区生产总值增长15%"), ("2", "规模以上工业增加值增长12%")]


def test_numbered_items_of_a_page_copied_as_one_line_are_found():
    text = ("现将《政府工作报告》提出的2023年重点工作任务予以分解并明确责任单位。各责任单位要尽快制定具体落实方案，"
            "明确时间节点、责任领导、主要措施，确保重点工作如期推进。" * 3 +
            " 一、加快提振市场信心 (一)全面促进消费增长。 1.把恢复和扩大消费摆在优先位置,改善消费条件。"
            "(省商务厅、财政厅等相关部门按职责分工负责) 2.落实好提振市场信心90条措施。(省发展改革委牵头) "
            "3.激活房地产市场,满足刚性住房需求。(省住房城乡建设厅按职责分工负责)")
    assert [t for _, t, _ in measures(text)] == [
        "把恢复和扩大消费摆在优先位置,改善消费条件", "落实好提振市场信心90条措施", "激活房地产市场,满足刚性住房需求"]
    assert all(d.line == 1 for d in read_measures(read_outline(text)))


def test_a_lead_sentence_broken_by_a_line_break_is_rejoined_for_the_title():
    text = "1.降低用地成本。实行弹性出让。\n2.降低企业用电\n成本。推进电力直接交易。\n3.降低物流成本，推进多式联运和\n甩挂运输。加快建设物流园区。\n"
    drafts = read_measures(read_outline(text))
    assert [d.title for d in drafts] == ["降低用地成本", "降低企业用电成本", "降低物流成本，推进多式联运和甩挂运输"]
    assert drafts[1].paragraphs == ("推进电力直接交易。",)
    # a heading over its body is not rejoined: the body's first sentence pauses
    assert [t for _, t, _ in measures("(一)指导思想\n深入贯彻落实党的十九大精神，以新思想为指导。\n")] == ["指导思想"]


def test_numbered_lines_that_give_no_card_are_listed_with_their_line_for_a_warning():
    from policy_handbook.importer.measures import unread_numbered_lines
    text = ("各单位：\n现将方案印发给你们，请认真贯彻执行。\n一、各单位要高度重视。\n2023年1月3日\n"
            "一、主要任务\n1.降低用地成本。实行弹性出让。\n5.降低用电成本。推进直接交易。\n二、保障措施\n")
    assert [line for line, _ in unread_numbered_lines(read_outline(text))] == [3, 7, 8]


def test_an_ordinary_long_paragraph_keeps_its_inline_enumeration():
    body = ("主要包括：(一)建立健全企业服务体系，完善首问负责、限时办结制度，提升服务效率和质量水平；"
            "(二)完善企业诉求快速响应机制，推动企业反映问题及时解决；(三)加强政策宣传解读，推动惠企政策直达快享。") * 3
    text = "".join(f"{n}.第{n}项重点工作。{body}\n" for n in (1, 2, 3, 4, 5))
    assert [n for n, _, _ in measures(text)] == ["1", "2", "3", "4", "5"]


def test_circled_and_half_bracket_numbers_each_with_its_own_note_are_measures():
    text = "①加快项目审批。推行承诺制。（市发改委负责）\n②降低用电成本。推进直接交易。（市工信局负责）\n"
    assert [(n, t) for n, t, _ in measures(text)] == [("①", "加快项目审批"), ("②", "降低用电成本")]
    text = "1）加快项目审批。推行承诺制。\n2）降低用电成本。推进直接交易。\n"
    assert [(n, t) for n, t, _ in measures(text)] == [("1）", "加快项目审批"), ("2）", "降低用电成本")]


def test_a_notice_dated_in_chinese_numerals_still_ends_before_the_plan():
    text = ("各县（市、区）人民政府：\n现将《实施方案》印发给你们，请认真贯彻执行。\n一、各地要高度重视。\n"
            "二〇二三年一月三日\n一、主要任务\n(一)降低用地成本。实行弹性出让。\n")
    assert [n for n, _, _ in measures(text)] == ["(一)"]


def test_a_page_copied_as_one_line_builds_with_each_measure_anchored_on_the_document_page(tmp_path):
    from conftest import Project

    project = Project(tmp_path / "project")
    project.write("content/sources/oneline.txt",
                  "各地各部门要抓好落实。" * 30 + " 一、加快提振市场信心 (一)全面促进消费增长。 1.把恢复和扩大消费摆在优先位置,"
                  "改善消费条件。(省商务厅牵头) 2.落实好提振市场信心90条措施。(省发展改革委牵头) "
                  "3.激活房地产市场,满足刚性住房需求。(省住房城乡建设厅负责)\n")
    project.document("oneline", source="oneline.txt")
    assert project.run("import").returncode == 0
    result = project.run("build")
    assert result.returncode == 0, result.stderr  # every card's link to its place in the text resolves
    page = project.read_site()["documents/oneline/index.html"].decode("utf-8")
    for number in ("1", "2", "3"):
        anchor = page.index(f'id="oneline-{number}"')
        assert page.index("改善消费条件" if number == "1" else "90条措施" if number == "2" else "刚性住房需求", anchor)
    assert page.index('id="oneline-1"') < page.index('id="oneline-2"') < page.index('id="oneline-3"')


def test_half_width_punctuation_between_chinese_characters_is_full_width_on_cards():
    from policy_handbook.importer.cardfile import full_width_punctuation
    assert full_width_punctuation("各县(市、区)人民政府,市直各单位:认真落实;加强领导") == \
        "各县（市、区）人民政府，市直各单位：认真落实；加强领导"
    assert full_width_punctuation("(一)制定惠企政策措施") == "（一）制定惠企政策措施"  # a pair turns together
    # not between Chinese characters: numbers, times, Latin text stay as printed
    assert full_width_punctuation("达到90%, 市县 10:00 a,b (2018-2020)") == "达到90%, 市县 10:00 a,b (2018-2020)"
    # a pair holding no Chinese text (a reading in pinyin left by a converter) stays as printed
    assert full_width_punctuation("地區(qū)生產(chǎn)總值") == "地區(qū)生產(chǎn)總值"


def test_import_warns_at_each_numbered_line_that_gives_no_card(tmp_path):
    from conftest import Project

    project = Project(tmp_path / "project")
    project.write("content/sources/s.txt", "一、主要任务\n1.降低用地成本。实行弹性出让。\n5.降低用电成本。推进直接交易。\n"
                                           "2.降低物流成本。推进多式联运。\n二、保障措施\n")
    project.document("s", source="s.txt")
    result = project.run("import")
    assert result.returncode == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if "警告：这一行有编号，但没有生成卡片" in line]
    assert [line.split(":")[1] for line in warned] == ["3", "5"], warned  # 5. out of sequence; 二、 empty
    assert "接不上前面的编号" in warned[0] and "“二、保障措施”下面既没有正文" in warned[1]

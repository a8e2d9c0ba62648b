"""An editor imports a document from another province: every way the genre says who leads, who is
responsible and who supports a measure is read. The phrases are taken from real documents
(tests/corpus/sources); names come out exactly as the document writes them, scoped to its place."""
from __future__ import annotations

from policy_handbook.text.agencies import AgencyReader, Place

ANSHAN_LISHAN = Place("立山区", ("立山区", "鞍山市", "辽宁省"), ("立山", "鞍山", "辽宁"))
GUANGDONG = Place("广东省", ("广东省",), ("广东",))
HENAN = Place("河南省", ("河南省",), ("河南",))
XIANGXI = Place("湘西自治州", ("湘西自治州", "湖南省"), ("湘西", "湖南"))
HUAIAN = Place("淮安市", ("淮安市", "江苏省"), ("淮安", "江苏"))
SICHUAN = Place("四川省", ("四川省",), ("四川",))
NINGXIA = Place("寧夏回族自治區", ("寧夏回族自治區",), ("寧夏",))
WUJIANG = Place("吴江区", ("吴江区", "苏州市", "江苏省"), ("吴江", "苏州", "江苏"))
HUZHOU = Place("湖州市", ("湖州市", "浙江省"), ("湖州", "浙江"))
JIAXING = Place("嘉興市", ("嘉興市", "浙江省"), ("嘉興", "浙江"))


def roles(refs):
    return [(r.role, r.written) for r in refs]


def test_field_lines_under_the_measure():
    text = "努力实现地区生产总值增长6.2%左右。\n牵头单位:区发改局\n责任单位:立山经济开发区,全区经济运行各专班"
    refs = AgencyReader(ANSHAN_LISHAN).read(text, [])
    assert roles(refs) == [("lead", "区发改局"), ("responsible", "立山经济开发区"),
                           ("responsible", "全区经济运行各专班")]
    assert refs[0].name == "立山区发改局"
    assert refs[0].evidence == "牵头单位:区发改局"


def test_a_division_of_labour_line_with_verbs_and_a_leader_who_is_a_person():
    text = "地区生产总值增长6%以上。\n分管省领导:林克庆\n部门分工:省发展改革委牵头,各地、各部门配合。"
    assert roles(AgencyReader(GUANGDONG).read(text, [])) == [
        ("lead", "省发展改革委"), ("support", "各地"), ("support", "各部门")]


def test_names_before_a_tail_and_a_duty_phrase_are_the_agencies():
    text = ("落实好提振市场信心90条措施。(省发展改革委牵头,省商务厅、财政厅、文化和旅游厅、工业和信息化厅、"
            "住房城乡建设厅等相关部门按职责分工负责)")
    assert roles(AgencyReader(HENAN).read(text, [])) == [
        ("lead", "省发展改革委"), ("responsible", "省商务厅"), ("responsible", "财政厅"),
        ("responsible", "文化和旅游厅"), ("responsible", "工业和信息化厅"), ("responsible", "住房城乡建设厅")]


def test_traditional_labels_及_between_names_and_a_date_inside_the_note():
    text = ("加大簡政放權力度。(牽頭單位:州行政審批服務局;責任單位:州司法局、州委編辦及州直相關單位,"
            "各縣市人民政府、湘西經(jīng)開區(qū)管委會,6月底完成)")
    refs = AgencyReader(XIANGXI).read(text, [])
    assert roles(refs) == [("lead", "州行政審批服務局"), ("responsible", "州司法局"), ("responsible", "州委編辦"),
                           ("responsible", "州直相關單位"), ("responsible", "各縣市人民政府"),
                           ("responsible", "湘西經(jīng)開區(qū)管委會")]
    assert refs[0].name == "湘西自治州行政審批服務局"


def test_units_named_once_for_every_later_measure():
    reader = AgencyReader(HUAIAN)
    first = reader.read("积极争取省级专项资金。(责任单位:市工信局、市财政局等有关部门,各县区人民政府、园区管委会。"
                        "以下政策措施均需各县区人民政府、园区管委会落实,不再单独列出)", [])
    later = reader.read("成立“智改数转”工作专班。(责任单位:市工信局、市财政局)", [])
    assert roles(first) == [("responsible", n) for n in ("市工信局", "市财政局", "各县区人民政府", "园区管委会")]
    assert roles(later) == [("responsible", n) for n in ("市工信局", "市财政局", "各县区人民政府", "园区管委会")]


def test_a_sentence_inside_the_note_is_not_a_name():
    reader = AgencyReader(SICHUAN)
    refs = reader.read("加强市场体系建设。〔责任单位:省发展改革委、省市场监管局、商务厅、省大数据中心按职责分工负责。"
                       "具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕", [])
    assert roles(refs) == [("responsible", n) for n in
                           ("省发展改革委", "省市场监管局", "商务厅", "省大数据中心", "相关市(州)人民政府")]


def test_a_lead_and_a_shared_suffix_list_in_traditional_characters():
    text = ("進一步規范道路限高。(自治區交通運輸廳牽頭,自治區發展改革委、自然資源廳、銀川市、石嘴山市、"
            "吳忠市人民政府、寧東管委會配合)")
    refs = AgencyReader(NINGXIA).read(text, [])
    assert roles(refs)[:2] == [("lead", "自治區交通運輸廳"), ("support", "自治區發展改革委")]
    assert [w for _, w in roles(refs)[2:]] == ["自然資源廳", "銀川市", "石嘴山市", "吳忠市人民政府", "寧東管委會"]
    assert refs[0].name == "寧夏回族自治區交通運輸廳"  # not 寧夏回族自治區自治區…


def test_a_task_table_flattened_to_text_star_marks_the_lead():
    document = "序號\n|\n項目\n|\n重點工作目標任務\n|\n牽頭領導\n|\n責任單位\n|\n"
    reader = AgencyReader(WUJIANG, document)
    text = "地區生產總值增長5%以上。\n|\n錢 宇\n|\n★區(qū)發(fā)改委、統(tǒng)計(jì)局\n|"
    assert roles(reader.read(text, [])) == [("lead", "區(qū)發(fā)改委"), ("responsible", "統(tǒng)計(jì)局")]


def test_a_bare_name_line_outside_a_task_table_is_not_an_attribution():
    refs = AgencyReader(WUJIANG).read("地区生产总值增长5%以上。\n区发改委、统计局", [])
    assert all(r.role == "mentioned" for r in refs)


def test_a_rule_in_brackets_on_a_field_line_applies_to_that_line_and_a_gloss_stays_with_its_name():
    text = ("坚持并完善“第一议题”等学习制度。\n责任单位:市政府办公室、市级其他有关单位、"
            "各区县政府(南太湖新区、长合区管委会)(列第一位的为工作牵头单位或汇总单位,下同)")
    assert roles(AgencyReader(HUZHOU).read(text, [])) == [
        ("lead", "市政府办公室"), ("responsible", "市级其他有关单位"),
        ("responsible", "各区县政府(南太湖新区、长合区管委会)")]


def test_a_heading_names_the_lead_and_the_first_listed_rule_holds_onward():
    reader = AgencyReader(JIAXING)
    heading = ["一、推進教育科技人才一體發展(由市科技局牽頭)"]
    first = reader.read("推動高能級科創平臺提質增效。(責任單位:市科技局、市財政局。列第一位的為牽頭單位,下同)", heading)
    later = reader.read("加快建設。(責任單位:市經信局、市財政局)", ["二、加快製造業發展"])
    assert roles(first) == [("lead", "市科技局"), ("responsible", "市財政局")]
    assert roles(later) == [("lead", "市經信局"), ("responsible", "市財政局")]


def test_a_note_that_never_closes_still_names_its_units():
    refs = AgencyReader(HENAN).read("加快建设。（责任单位：省财政厅、省税务局\n下一段正文。", [])
    assert roles(refs) == [("responsible", "省财政厅"), ("responsible", "省税务局")]


def test_people_and_responsible_persons_are_not_agencies():
    text = ("宣讲活动原则上由当地党政主要领导主持,园区管理部门、各企业负责同志、县直相关部门负责同志参加。"
            "企业负责人到场。")
    assert all(r.role == "mentioned" for r in AgencyReader(HENAN).read(text, []))


def test_prose_that_says_who_is_responsible():
    text = ("在省委領導下,省委農村工作領導小組負責鞏固拓展脫貧攻堅成果、全面推進鄉村振興的牽頭抓總、統籌協調。")
    refs = AgencyReader(Place("山西省", ("山西省",), ("山西",))).read(text, [])
    assert roles(refs) == [("responsible", "省委農村工作領導小組")]
    assert "省委農村工作領導小組負責鞏固" in refs[0].evidence


def test_field_lines_of_a_page_copied_as_one_paragraph():
    # the 立山 task list as a web page gives it when its line breaks are lost (the outline has
    # already cut the page at the next number)
    text = "努力实现地区生产总值增长6.2%左右。 牵头单位:区发改局 责任单位:立山经济开发区,全区经济运行各专班 "
    assert roles(AgencyReader(ANSHAN_LISHAN).read(text, [])) == [
        ("lead", "区发改局"), ("responsible", "立山经济开发区"), ("responsible", "全区经济运行各专班")]


def test_prose_about_responsible_units_is_not_a_field():
    text = "各责任单位要高度重视。牵头单位要加强统筹,责任单位:要按月报送进展。"
    assert [r for r in AgencyReader(ANSHAN_LISHAN).read(text, []) if r.role != "mentioned"] == []


def test_compound_labels_and_a_leader_line():
    # 安徽 2022 (tests/corpus): 牵头负责领导 is a person; 牵头责任单位 leads, 协同责任单位 support
    text = "落实好稳经济一揽子政策。\n牵头负责领导:刘惠。\n牵头责任单位:省发展改革委。\n协同责任单位:省政府各部门、各直属机构。"
    assert roles(AgencyReader(Place("安徽省", ("安徽省",), ("安徽",))).read(text, [])) == [
        ("lead", "省发展改革委"), ("support", "省政府各部门"), ("support", "各直属机构")]


def test_a_table_row_on_one_line_is_read_by_its_header():
    # 平顶山 2018 (tests/corpus): one row per line, cells separated by spaces
    document = "序号 类别 主要任务 细化措施 牵头单位 参与单位 责任单位\n"
    reader = AgencyReader(Place("平顶山市", ("平顶山市", "河南省"), ("平顶山", "河南")), document)
    text = ("严守水资源开发利用控制红线。\n实施水资源消耗总量和强度双控行动。 市水利局 "
            "市发展改革委、工业和信息化委、住房和城乡建设局、农业局等 各县(市、区)党委和人民政府,城乡一体化示范区、高新区党工委和管委会")
    assert roles(reader.read(text, [])) == [
        ("lead", "市水利局"), ("responsible", "各县(市、区)党委和人民政府"), ("responsible", "城乡一体化示范区"),
        ("responsible", "高新区党工委和管委会"), ("support", "市发展改革委"), ("support", "工业和信息化委"),
        ("support", "住房和城乡建设局"), ("support", "农业局")]
    # without such a header, the same words are text
    assert all(r.role == "mentioned" for r in AgencyReader(reader.place).read(text, []))

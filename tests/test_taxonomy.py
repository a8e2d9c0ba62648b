"""Topics and beneficiaries (适用对象) as a reader of the genre assigns them (content/taxonomy.py):
the measure's own words decide, a heading confirms, generic words and attribution notes do not count.
The annotation rules are in tests/corpus/README.md; scripts/import_accuracy.py measures them."""
from __future__ import annotations

from pathlib import Path

import pytest

from policy_handbook.content.taxonomy import (Taxonomy, Term, classify_beneficiaries, classify_topics,
                                              load_taxonomy)
from policy_handbook.errors import Diagnostics

ROOT = Path(__file__).resolve().parent.parent


def term(name: str, keywords: tuple[str, ...], heading_keywords: tuple[str, ...] = (),
         exclude: tuple[str, ...] = ()) -> Term:
    return Term(name, "", heading_keywords, keywords, exclude)


SMALL = Taxonomy(
    topics=(Term("总体部署", "", ("总体要求", "预期目标"), ("指导思想", "地区生产总值"), overall=True),
            term("融资", ("贷款", "担保"), ("融资",)),
            term("用地", ("用地", "土地"), ("用地",), exclude=("土地使用税",)),
            term("税费", ("税收", "使用税"), ("税费",)),
            term("政务服务", ("审批", "一网通办"), ("政务服务", "营商环境")),
            term("科技创新", ("科技", "研发"), ("创新",)),
            term("组织保障", ("考核",), ("保障措施",))),
    beneficiaries=(term("小微企业", ("小微企业",)), term("规模以上企业", ("规模以上",)),
                   term("中小企业", ("中小企业",)),
                   term("上市与拟上市企业", ("上市公司", "挂牌"), exclude=("挂牌督办",))))


@pytest.fixture(scope="module")
def bundled() -> Taxonomy:
    diagnostics = Diagnostics()
    taxonomy = load_taxonomy(ROOT / "content", diagnostics)
    assert not diagnostics.errors
    return taxonomy


def test_a_document_wide_heading_does_not_tag_a_measure_about_something_else():
    # 忻州: every card under 第三章 …打造“六最”营商环境 was 政务服务; a measure about loans is not.
    headings = ["第三章 聚焦服务市场主体 打造“六最”营商环境"]
    assert classify_topics(SMALL, "加大贷款支持", "加大贷款支持。扩大担保规模。", headings) == ["融资"]
    # The heading still gives its topic to a measure whose own words name none …
    assert classify_topics(SMALL, "持续优化", "持续优化。对标先进。", headings) == ["政务服务"]
    # … and confirms one they name too, after the measure's own topic.
    assert classify_topics(SMALL, "加大贷款支持", "加大贷款支持。审批时限压缩。", ["三、政务服务"]) == ["融资", "政务服务"]


def test_a_heading_naming_many_subjects_gives_none():
    heading = ["一、融资、用地、税费等工作目标（牵头领导：某某）"]
    assert classify_topics(SMALL, "做好企业服务", "做好企业服务。审批提速。", heading) == ["政务服务"]


def test_the_title_weighs_more_than_a_mention_in_the_text():
    title = "降低企业用地成本"
    text = f"{title}。实行差别化地价。符合条件的给予贷款贴息。"
    assert classify_topics(SMALL, title, text, []) == ["用地"]
    # Named in two sentences of its own, a subject is the measure's too.
    text = f"{title}。实行差别化地价。扩大贷款规模。创新担保方式。"
    assert classify_topics(SMALL, title, text, []) == ["用地", "融资"]


def test_a_general_part_or_an_economic_target_is_an_overall_topic_alone():
    assert classify_topics(SMALL, "指导思想", "指导思想。推动科技研发和审批改革。", ["一、总体要求"]) == ["总体部署"]
    assert classify_topics(SMALL, "地区生产总值增长6%", "地区生产总值增长6%。", ["一、主要经济指标"]) == ["总体部署"]
    assert classify_topics(SMALL, "科技投入增长10%", "科技投入增长10%。", ["一、2024年主要预期目标"]) == ["总体部署"]


def test_the_overall_topic_is_the_one_marked_so_wherever_it_is_listed():
    reordered = Taxonomy(topics=SMALL.topics[1:] + SMALL.topics[:1], beneficiaries=())
    assert classify_topics(reordered, "指导思想", "指导思想。推动科技研发。", ["一、总体要求"]) == ["总体部署"]
    unmarked = Taxonomy(topics=(term("总体部署", ("指导思想",), ("总体要求",)),) + SMALL.topics[1:], beneficiaries=())
    # Unmarked, it is an ordinary topic: not given alone.
    assert classify_topics(unmarked, "指导思想", "指导思想。推动科技研发。加强研发投入。", ["一、总体要求"]) == ["总体部署", "科技创新"]


def test_traditional_characters_converter_pinyin_and_spaces_read_as_simplified():
    assert classify_topics(SMALL, "加大貸款支持", "加大貸款支持。擴大擔保規模。", []) == ["融资"]
    assert classify_topics(SMALL, "推進科技研發(fā)", "推進科技研發(fā)。", []) == ["科技创新"]
    assert classify_topics(SMALL, "深化改革", "深化改革。支持 科 技 研 发。加强 研发 投入。", []) == ["科技创新"]


def test_an_attribution_note_is_not_the_measure_s_subject():
    text = "做好服务工作。（牵头单位：区科技和经信局；责任单位：区中小企业服务中心）"
    assert classify_topics(SMALL, "做好服务工作", text, []) == ["组织保障"]  # the catch-all, not 科技创新
    assert classify_beneficiaries(SMALL, "做好服务工作", text, []) == []
    field = "规上工业增加值增长12%以上\n责任单位：区科技和经信局"
    assert "科技创新" not in classify_topics(SMALL, "规上工业增加值增长12%以上", field, [])


def test_an_excluded_phrase_is_not_its_keyword():
    assert classify_topics(SMALL, "下调城镇土地使用税税额", "下调城镇土地使用税税额。", []) == ["税费"]
    text = "强化督查落实。视情况采取约谈、挂牌督办等方式推进工作落实。"
    assert classify_beneficiaries(SMALL, "强化督查落实", text, []) == []
    assert classify_beneficiaries(SMALL, "支持企业挂牌", "支持企业挂牌。", []) == ["上市与拟上市企业"]


def test_a_group_in_a_statistic_is_no_beneficiary_but_one_in_a_rate_is():
    target = "到2022年，规模以上工业企业研究开发经费支出占营业收入比重达到1%以上。"
    assert classify_beneficiaries(SMALL, "发展目标", target, []) == []
    relief = "省财政对小微企业业务风险补偿标准从1%提高到2%。"
    assert classify_beneficiaries(SMALL, "强化担保", relief, []) == ["小微企业"]
    share = "为民营企业、小微企业融资担保金额占比达到90%以上。"  # a share set aside for them
    assert classify_beneficiaries(SMALL, "提高融资担保水平", share, []) == ["小微企业"]


def test_generic_words_make_no_beneficiary_and_small_businesses_are_found(bundled):
    text = "支持企业发展。为各类市场主体和企业群众提供便利。"
    assert classify_beneficiaries(bundled, "支持企业发展", text, []) == []
    text = "构建“个转企、小升规、规改股、股上市”的梯次培育机制。选一批小微工业企业重点帮扶。"
    found = classify_beneficiaries(bundled, "加快市场主体规模提升", text, [])
    assert {"个体工商户", "小微企业", "规模以上企业"} <= set(found)
    assert "创业者" not in classify_beneficiaries(bundled, "支持企业上市", "对在创业板上市的企业给予奖励。", [])
    assert "上市与拟上市企业" in classify_beneficiaries(bundled, "支持企业上市", "对在创业板上市的企业给予奖励。", [])
    # Banks told to lend are the actors; a measure that builds up small banks is for them.
    lend = "引导银行业金融机构加大对民营企业的信贷支持。各银行机构要合理确定贷款期限。"
    assert classify_beneficiaries(bundled, "加大银行业金融机构支持力度", lend, []) == ["民营企业"]
    assert "金融机构" in classify_beneficiaries(bundled, "发展中小金融机构", "推动设立民营银行。", [])


def test_the_bundled_vocabulary_covers_the_genre_beyond_business_costs(bundled):
    assert classify_topics(bundled, "稳定全年粮食播种面积和产量", "稳定全年粮食播种面积和产量。", []) == ["农业农村"]
    assert classify_topics(bundled, "推进重大项目建设", "推进重大项目建设。加快资金拨付。", []) == ["投资与项目"]
    assert classify_topics(bundled, "完善应急预案体系", "完善应急预案体系。加强应急预案演练。", []) == ["民生与公共安全"]
    # 住房公积金 is a labour cost, not housing.
    assert classify_topics(bundled, "降低住房公积金缴存比例", "降低住房公积金缴存比例。允许缓缴住房公积金。",
                           []) == ["人工与人才"]
    # A subsidy is not a tax: 税费 is taxes and fees.
    assert "税费" not in classify_topics(bundled, "创新示范奖励", "对新认定的技术创新示范企业给予50万元一次性奖补。", [])


def test_an_exclude_list_of_the_wrong_type_is_reported_at_its_line(tmp_path):
    folder = tmp_path / "content" / "taxonomy"
    folder.mkdir(parents=True)
    (folder / "topics.yaml").write_text("- name: 融资\n  keywords: [贷款]\n  exclude: 5\n  overall: 是\n",
                                        encoding="utf-8")
    (folder / "beneficiaries.yaml").write_text("- name: 小微企业\n  keywords: [小微企业]\n", encoding="utf-8")
    diagnostics = Diagnostics()
    taxonomy = load_taxonomy(tmp_path / "content", diagnostics)
    assert [(d.path, d.line) for d in diagnostics.errors] == [("content/taxonomy/topics.yaml", 3),
                                                               ("content/taxonomy/topics.yaml", 4)]
    assert "exclude" in diagnostics.errors[0].message and "overall" in diagnostics.errors[1].message
    assert taxonomy.topics[0].exclude == () and taxonomy.topics[0].keywords == ("贷款",)
    assert taxonomy.topics[0].overall is False

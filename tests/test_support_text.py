"""Issue 18: what a measure's text states about support (支持标准) and how it is claimed (办理方式),
read by text/support.py, on real measures of the development corpus and the seed documents."""
from __future__ import annotations

import pytest
import yaml

from conftest import REPO
from policy_handbook.importer.cardfile import measure_text
from policy_handbook.importer.measures import read_measures
from policy_handbook.text.outline import read_outline
from policy_handbook.text.sourcefile import read_source
from policy_handbook.text.support import application_method, propose, support_sentences


def measure(source: str, title: str) -> str:
    """The text of the measure with this title in a real source (corpus or seed)."""
    path = REPO / "tests" / "corpus" / "sources" / source
    if not path.exists():
        path = REPO / "content" / "sources" / source
    drafts = [d for d in read_measures(read_outline(read_source(path))) if d.title.startswith(title)]
    assert len(drafts) == 1, title
    return measure_text(drafts[0])


def test_each_amount_of_support_is_quoted_in_its_sentence_not_the_paragraph():
    found = support_sentences(measure("zhejiang-jiande-2025-policies.txt", "鼓励创新主体发展"))
    assert found == ["对首次认定的高新技术企业给予最高20万元奖励", "对重新认定通过的高新技术企业,给予最高10万元奖励",
                     "对首次上规模的高新技术企业,再给予 30万元奖励。", "对新认定为省级科技型中小企业的给予1万元奖励。"]


def test_a_limit_in_the_clause_after_the_giving_one_counts_and_a_pdf_line_break_is_joined():
    found = support_sentences(measure("heilongjiang-province-2025-industry-measures-pdf.txt", "支持企业技术改造"))
    assert found[0].endswith("给予 12 个月的贴息,最高不超过 800万元")
    assert found[1] == "对技术改造投资额达到 2 亿元 (含) 以上的项目, 给予 24 个月的贴息, 最高不超过 2500 万元。"
    assert not any("60%" in s for s in found)  # how the province and the cities share the cost


def test_lowered_rates_are_support():
    found = support_sentences(measure("shanxi-2016-cost-reduction-plan.txt", "降低企业社保缴费比例"))
    assert any("由现行的20%降至19%" in s for s in found)
    assert any("由现行的1.5%降至1%" in s for s in found)


def test_traditional_characters_are_read_too():
    found = support_sentences(measure("zhejiang-jiaxing-2025-policies-trad.txt", "推動高能級科創平臺提質增效"))
    assert "對新認定的國家級、省級科技企業孵化器分別給予100萬元、50萬元獎勵。" in found


@pytest.mark.parametrize("source, title", [
    ("anhui-province-2022-key-tasks-stripped.txt", "全省生产总值增长7%以上"),  # a growth target
    ("liaoning-lishan-2023-task-division.txt", "努力实现地区生产总值增长6.2%左右"),
    ("guangdong-shenzhen-2016-cost-action-plan.txt", "工作目标"),  # 预计为全市企业减负约835亿元
    ("zhejiang-binjiang-2023-policies.txt", "强化有效投资财政资金保障"),  # a budget: 安排58亿元财政资金
    ("shuozhou-private-economy-48-measures.txt", "设立中小企业发展专项资金"),  # a fund's size
    ("shuozhou-private-economy-48-measures.txt", "提高政策性融资担保水平"),  # 力争达到5亿元, 占比达到90%
])
def test_targets_budgets_and_fund_sizes_are_not_support(source, title):
    assert support_sentences(measure(source, title)) == []


def test_automatic_from_its_words_not_from_policies_reaching_firms():
    assert application_method(measure("pianguan-48-measures-knowledge-cards.txt", "完善涉企政策制定发布执行机制")) == "免申即享"
    # 纾困惠企政策直达市场主体: the policy reaches firms; they still apply
    assert application_method(measure("pianguan-48-measures-knowledge-cards.txt", "实施小微企业和个体工商户涌流行动")) == ""


def test_online_from_its_words():
    assert application_method(measure("sichuan-province-2022-circulation.txt", "优化市场准入环境")) == "网上办理"
    assert propose(measure("xinzhou-2021-business-environment-plan.txt", "提升政务服务全程网办质量")) == {"method": "网上办理"}


def test_a_measure_that_states_neither_gets_no_proposal():
    assert propose(measure("shuozhou-private-economy-48-measures.txt", "建立上报考评机制")) == {}


def test_the_annotated_amounts_are_written_in_their_measures():
    """tests/corpus/application.yaml quotes the texts: each annotated measure exists, and each amount
    is in its text (spaces aside), so a typo cannot pass unnoticed."""
    data = yaml.safe_load((REPO / "tests" / "corpus" / "application.yaml").read_text(encoding="utf-8"))
    for corpus_id, measures in data["corpus"].items():
        for title, details in measures.items():
            text = "".join(measure(f"{corpus_id}.txt", title).split())
            for amount in details.get("support", []):
                assert amount in text, (corpus_id, title, amount)
    cards = REPO / "content" / "cards"
    for card_id, details in data["seeds"].items():
        path = next(p for p in cards.glob("*/*.md") if p.read_text(encoding="utf-8").startswith(f"---\nid: {card_id}\n"))
        text = "".join(path.read_text(encoding="utf-8").split("\n---\n", 1)[1].split())
        for amount in details.get("support", []):
            assert amount in text, (card_id, amount)
        if details.get("automatic"):
            assert "即享" in text, card_id


@pytest.mark.parametrize("sentence, method", [
    # http://sme-s.com/page303?article_id=11407&pagenum=2 (a province's 惠企政策直达快享 notice, as the page prints it)
    ("对奖补范围明确、审核标准清晰、比对\n数据齐全的惠企政策实行“ 免申即享” ꎻ对暂时难以数据化的惠企政策实行“ 快申快享” ,"
     "原则上 60 个工作日内兑现", "免申即享"),
    ("各地政务服务管理机构负责牵头开展\n本地区惠企政策“ 直达快享” 工作,加强组织领导", ""),  # a programme, not a way to claim
    # http://www.hb.chinanews.com.cn/news/2022/0210/370459.html
    ("荆门市东宝区推行惠企政策\"无申请兑现\"助推企业发展", "免申即享"),
])
def test_automatic_on_sentences_the_rules_were_not_written_from(sentence, method):
    assert application_method(sentence) == method

"""Related cards, checked on the seed handbook (pairs read off the cards) and on made-up cards."""
from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from policy_handbook.library import related
from policy_handbook.content.load import load_content
from policy_handbook.errors import Diagnostics
from policy_handbook.library.related import RelatedInput, related_cards, terms

REPO = Path(__file__).resolve().parent.parent
SHANXI = "shanxi-cost-reduction-2016-"
SHUOZHOU = "shuozhou-private-economy-2019-"
PIANGUAN = "pianguan-48-measures-"
XINZHOU = "xinzhou-business-environment-2021-"

ELECTRICITY = (
    SHANXI + "21",  # 加快推进电力体制改革，合理降低企业用电成本
    SHUOZHOU + "19",  # 降低企业用电成本
    PIANGUAN + "5-4",  # 加强用能保障 (强化土地环境能耗保障支撑, 第四期)
)
CLEAR_PAIRS = [  # both cards must list each other
    (SHANXI + "21", SHUOZHOU + "19"),  # 合理降低企业用电成本 / 降低企业用电成本
    (PIANGUAN + "7-1", SHUOZHOU + "24"),  # 强化普惠性融资担保服务 / 提高政策性融资担保水平
    (SHANXI + "22", SHUOZHOU + "17"),  # 完善土地供应制度，降低企业用地成本 / 降低企业用地成本
    (PIANGUAN + "5-1", SHANXI + "22"),  # 优化涉企用地供给 / 完善土地供应制度，降低企业用地成本
    (PIANGUAN + "2-3", XINZHOU + "3"),  # 推行涉企经营许可承诺制 (证照分离) / 深化“证照分离”改革
    (PIANGUAN + "5-6", SHUOZHOU + "21"),  # 降低综合物流成本 / 降低企业物流成本
    (SHANXI + "17", SHUOZHOU + "15"),  # 降低企业社保缴费比例 / 全面落实国家降低社保费率政策
    (SHANXI + "12", XINZHOU + "49"),  # 加强公平竞争市场环境建设 / 强化市场公平竞争审查
]


def seed_inputs() -> list[RelatedInput]:
    content = load_content(REPO / "content", REPO, Diagnostics())
    return [RelatedInput(c.id, c.document, c.title, c.body, c.topics) for c in content.cards]


@pytest.fixture(scope="module")
def seeds() -> list[RelatedInput]:
    return seed_inputs()


@pytest.fixture(scope="module")
def seed_related(seeds) -> dict[str, tuple[str, ...]]:
    return related_cards(seeds)


def card(card_id: str, document: str, title: str, text: str, *topics: str) -> RelatedInput:
    return RelatedInput(card_id, document, title, text, tuple(topics))


# --- the seed handbook ---------------------------------------------------------------------------

@pytest.mark.parametrize("card_id", ELECTRICITY)
def test_electricity_cards_list_one_another(seed_related, card_id):
    others = set(ELECTRICITY) - {card_id}
    assert others & set(seed_related[card_id]), seed_related[card_id]


@pytest.mark.parametrize("a, b", CLEAR_PAIRS)
def test_clear_pairs_list_each_other(seed_related, a, b):
    assert b in seed_related[a], seed_related[a]
    assert a in seed_related[b], seed_related[b]


def test_the_best_match_comes_first(seed_related):
    assert seed_related[SHANXI + "21"][0] == SHUOZHOU + "19"
    assert seed_related[SHUOZHOU + "19"][0] == SHANXI + "21"


def test_every_card_has_an_entry_and_none_lists_its_own_document(seeds, seed_related):
    document = {item.id: item.document for item in seeds}
    assert set(seed_related) == set(document)
    for card_id, found in seed_related.items():
        assert len(found) <= 5
        assert len(set(found)) == len(found)
        assert card_id not in found
        assert all(document[other] != document[card_id] for other in found), card_id


def test_weak_matches_are_left_out(seed_related):
    # Some seed cards have no counterpart in another document; a threshold leaves them alone
    # instead of filling every list up to the limit.
    sizes = [len(found) for found in seed_related.values()]
    assert sizes.count(0) > 0
    assert sizes.count(5) < len(sizes) / 2


def test_the_threshold_decides(seeds, seed_related, monkeypatch):
    monkeypatch.setattr(related, "MIN_SCORE", 10.0)  # no score is that high
    assert not any(related_cards(seeds).values())
    monkeypatch.setattr(related, "MIN_SCORE", 1e-9)  # any shared term qualifies
    loose = related_cards(seeds)
    assert sum(map(len, loose.values())) > sum(map(len, seed_related.values())) + 100


def test_pruning_keeps_the_exact_results(seeds, seed_related, monkeypatch):
    # With no cap on the index and every candidate rescored, the search is exhaustive.
    monkeypatch.setattr(related, "CHAMPIONS", 10 ** 9)
    monkeypatch.setattr(related, "RESCORED", 10 ** 9)
    exact = related_cards(seeds)
    links = sum(len(found) for found in exact.values())
    lost = sum(len(set(exact[c]) - set(seed_related[c])) for c in exact)
    assert links > 200
    assert lost <= links * 0.02


UNRELATED = [  # made-up cards on matters no seed card deals with
    ("开展月球背面巡视探测", "嫦娥探测器着陆月球背面，玉兔巡视器开展地形地貌与矿物组分探测。", ("航天",)),
    ("开展森林防火专项行动", "全面开展森林防火隐患排查，加强巡山护林队伍建设，落实火源管控责任。", ("生态环保",)),
    ("加强校园食品安全管理", "建立学校食堂食材采购查验制度，开展校园周边食品安全专项整治，落实校长陪餐制度。", ()),
    ("做好汛期防汛工作", "各县（市、区）要加强汛期值班值守，完善应急预案，做好防汛物资储备。（市应急局牵头负责）", ()),
]


@pytest.mark.parametrize("title, text, topics", UNRELATED, ids=[u[0] for u in UNRELATED])
def test_an_unrelated_card_gets_nothing_and_is_listed_nowhere(seeds, title, text, topics):
    result = related_cards([*seeds, card("stray-1", "stray", title, text, *topics)])
    assert result["stray-1"] == ()
    assert not any("stray-1" in found for found in result.values())


def test_boilerplate_alone_is_no_match(seeds):
    words = ["民营企业", "牵头负责", "进一步", "加强", "完善", "落实", "推进", "服务", "政策", "机制"]
    for word in words:  # each is on many seed cards
        assert sum(word in c.title or word in c.text for c in seeds) > len(seeds) * related.MAX_DF_SHARE
    stray = card("stray-1", "stray", "民营企业", "，".join(words) + "。")
    assert related_cards([*seeds, stray])["stray-1"] == ()


def test_any_input_order_gives_the_same_result(seeds, seed_related):
    shuffled = list(seeds)
    random.Random(7).shuffle(shuffled)
    assert related_cards(shuffled) == seed_related
    assert related_cards(list(reversed(seeds))) == seed_related


def test_a_smaller_limit_is_a_prefix(seeds, seed_related):
    shorter = related_cards(seeds, limit=2)
    assert all(shorter[c] == seed_related[c][:2] for c in seed_related)


# --- made-up cards -------------------------------------------------------------------------------

def test_same_document_is_never_related():
    text = "实施差别化电价政策，降低企业输配电价，扩大电力直接交易规模。"
    cards = [card("a-1", "a", "降低用电成本", text, "用能"), card("a-2", "a", "降低用电成本", text, "用能"),
             card("b-1", "b", "降低用电成本", text, "用能"), *filler(20)]
    result = related_cards(cards)
    assert result["a-1"] == ("b-1",)
    assert result["a-2"] == ("b-1",)
    assert result["b-1"] == ("a-1", "a-2")  # equal scores: by id


def test_ties_are_broken_by_id():
    text = "推进电力市场化交易，扩大直购电规模，清理转供电加价。"
    cards = [card("z-1", "z", "电力交易", text), card("y-1", "y", "电力交易", text),
             card("x-1", "x", "电力交易", text), *filler(20)]
    assert related_cards(cards)["z-1"] == ("x-1", "y-1")
    assert related_cards(list(reversed(cards)))["z-1"] == ("x-1", "y-1")


def test_rare_shared_terms_beat_common_ones():
    common = "支持企业发展，优化营商环境。"
    cards = [card("q-1", "q", "融资担保", common + "扩大政府性融资担保机构资本规模，降低担保费率。"),
             card("r-1", "r", "优化营商环境", common * 3),
             card("s-1", "s", "担保体系", "健全政府性融资担保体系，降低担保费率。"),
             *filler(30, extra=common)]
    assert related_cards(cards)["q-1"][0] == "s-1"


def test_title_terms_weigh_more_than_body_terms():
    # p-1 names 用地 once, in its title, and 用电 twice in its text: the title wins (u-1 sorts after t-1).
    cards = [card("p-1", "p", "保障用地", "统筹用电，保障用电。"),
             card("t-1", "t", "用电", "保障用电。"), card("u-1", "u", "用地", "保障用地。"), *filler(20)]
    assert related_cards(cards)["p-1"][:1] == ("u-1",)


def test_terms_are_the_bigrams_and_trigrams_of_cjk_runs():
    assert set(terms("降低成本和费用")) == {"降低", "低成", "成本", "降低成", "低成本", "费用"}  # 和 joins
    assert set(terms("[证照分离](https://example.org/政策)")) == {"证照", "照分", "分离", "证照分", "照分离"}
    assert terms("电。Plain English, 2024.") == ["电"]


def test_a_topic_few_cards_have_is_enough_but_a_common_one_is_not():
    # No shared words: 用能 (on 2 cards of 34, fewer than √34) relates a-1 and b-1; 综合 (on all) does not.
    cards = [card("a-1", "a", "加强用能保障", "实施重点用能单位能耗动态监测。", "用能"),
             card("b-1", "b", "降低企业用电成本", "清理转供电加价，降低输配电价。", "用能"),
             card("c-1", "c", "推广智慧农业", "推广水肥一体化，创建数字农业示范基地。", "综合"),
             card("d-1", "d", "培育冰雪旅游", "举办冰雪运动赛事，完善滑雪度假设施。", "综合"),
             *filler(30, topic="综合")]
    result = related_cards(cards)
    assert result["a-1"] == ("b-1",)
    assert result["b-1"] == ("a-1",)
    assert result["c-1"] == result["d-1"] == ()


def test_the_same_result_whatever_the_hash_seed():
    script = ("import json, sys; sys.path.insert(0, 'tests'); import test_related as t; "
              "print(json.dumps(t.related_cards(t.seed_inputs()), sort_keys=True))")
    outputs = {subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1


def test_empty_and_single_inputs():
    assert related_cards([]) == {}
    assert related_cards([card("a-1", "a", "标题", "正文")]) == {"a-1": ()}


def filler(n: int, extra: str = "", topic: str = "") -> list[RelatedInput]:
    """Cards on other matters, so that idf means something in a small collection."""
    subjects = ["植树造林绿化荒山", "校园食品安全检查", "农村饮水工程建设", "文物古迹修缮保护", "城市公交线路优化",
                "森林防火巡查值守", "社区养老服务供给", "河湖水质监测预警", "非遗传承人才培养", "乡村道路养护管理"]
    topics = [topic] if topic else []
    return [card(f"filler-{i:03d}", f"filler-doc-{i}", subjects[i % len(subjects)],
                 f"{subjects[i % len(subjects)]}，{subjects[(i * 3 + 1) % len(subjects)]}。{extra}", *topics)
            for i in range(n)]


def test_worker_processes_give_the_same_related_cards(seeds, seed_related):
    """A cold build computes related cards in forked workers (pipeline.link_library): the
    same cards, in the same order, however the cards are cut into parts."""
    from policy_handbook.pages.parallel import chunks, fork_map

    for parts in (2, 3, 7):
        def map_parts(fn, indexes, parts=parts):
            return [found for part in fork_map(fn, chunks(indexes, parts)) for found in part]

        assert related_cards(seeds, map_parts=map_parts) == seed_related
        assert list(related_cards(seeds, map_parts=map_parts)) == list(seed_related)

"""What a measure offers and how it is claimed, as its text states it: amounts and rates of support
(支持标准) and the way to claim them (办理方式: 免申即享, 网上办理). The importer proposes these to
editors, who confirm them (a card's `application:`); nothing here is shown to readers unconfirmed.

支持标准. An amount (50万元, 2 亿元, 1—8元/平方米) or a rate (10%, 百分之五, 3个百分点) is support when
its clause, or the clause before it (`给予 12 个月的贴息, 最高不超过 800万元`), has a word of
giving or lowering (给予, 奖励, 奖补, 补贴, 补助, 贴息, 减免, 返还, 下调, 降至 …), and its clause is not a
target, a statistic or a budget (增长5%, 力争达到, 占…比重, 安排58亿元, 设立…专项资金, 省级财政负担…60%,
确保…100%), nor in a sentence of aims (预计, 减负, 目标: 预计为全市企业减负约835亿元，其中降低…约8亿元). The proposal is the sentence (up to 。 or ；) holding such an amount, as written;
a sentence longer than LONG is cut to its clauses from the one before the first support amount to
the last one, so an editor reads the standard, not the whole paragraph.

办理方式. 免申即享 from its words (免申即享, 免申即办, 无需申请, 无申请兑现, 直接兑付, 不来即享 …; not 直达: "政策直达市场主体"
says the policy reaches firms, and a "直达快享" programme also has 快申快享, which firms apply for); else 网上办理 from 网上办理, 一网通办,
全程网办, 线上申报, 网上申报, 在线申请 …

Patterns run on text/reading's reading form (simplified characters, half-width punctuation and
digits); what is returned is the text as written.
"""
from __future__ import annotations

import re

from .reading import reading_form

LONG = 90  # characters: a longer sentence is cut to the clauses around its support amounts

_NUMBER = r"(?:\d[\d,.]*|[一二两三四五六七八九十百千]+)"
AMOUNT = re.compile(rf"{_NUMBER}\s*(?:[万亿千]\s*)?元|{_NUMBER}\s*(?:%|个百分点)|百分之[\d一二三四五六七八九十点.]+")
_GIVING = re.compile(r"给\s*予|奖\s*励|奖补|补\s*贴|补\s*助|资助|贴\s*息|扶持|财政支持|减免|免征|减按|减半|"
                     r"返还|退还|下调|降至|降为|降到|降低|优惠|费率|利率|缴费比例|缴存比例")
_NOT_SUPPORT = re.compile(r"增长|增速|增幅|力争|达到|占|比重|总额|总值|规模|覆盖率|完成率|使用率|应用率|"
                          r"减负|预计|安排|筹措|设立|统筹|负担|承担|压减|年均|下降|提高到|提升到|确保")
_GOAL = re.compile(r"预计|减负|目标")  # a sentence that states aims, not what a firm gets
_SENTENCE = re.compile(r"[^。;!?\n]+[。;!?]?")
_CLAUSE = re.compile(r"[^,，。;!?]+[,，]?")
_SPLIT_LINE = re.compile(r"(?<![。;:!?])\n(?!\s*(?:\d+[.、]|[(（][一二三四五六七八九十\d]+[)）]))")

AUTOMATIC = "免申即享"
ONLINE = "网上办理"
_AUTOMATIC_WORDS = re.compile(r"免申即[享办兑]|免于申[报请]|免予申[报请]|无需申[报请]|无须申[报请]|不需申[报请]|"
                              r"直接兑付|直接拨付到|无申请兑现|即申即享|不来即享")
_ONLINE_WORDS = re.compile(r"网上办理|网上申[报请]|一网通办|全程网办|网上办|线上申[报请]|线上办理|在线申[报请]|在线办理")


def support_sentences(text: str) -> list[str]:
    """The sentences (or clauses of a long sentence) that state an amount or rate of support, in
    order, each once, as written."""
    joined = _SPLIT_LINE.sub("", text)  # a sentence broken over lines (a PDF's) is one again
    reading = reading_form(joined)
    found: list[str] = []
    for sentence in _SENTENCE.finditer(reading):
        clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(reading, sentence.start(), sentence.end())]
        if _GOAL.search(reading, sentence.start(), sentence.end()):
            continue
        hits = [i for i, (start, end) in enumerate(clauses) if _supports(reading, clauses, i)]
        if not hits:
            continue
        start, end = sentence.start(), sentence.end()
        if end - start > LONG:
            start, end = clauses[max(hits[0] - 1, 0)][0], clauses[hits[-1]][1]
        quoted = joined[start:end].strip().rstrip(",，;；")
        if quoted and quoted not in found:
            found.append(quoted)
    return found


def _supports(reading: str, clauses: list[tuple[int, int]], i: int) -> bool:
    start, end = clauses[i]
    clause = reading[start:end]
    if not AMOUNT.search(clause) or _NOT_SUPPORT.search(clause):
        return False
    before = reading[clauses[i - 1][0]:clauses[i - 1][1]] if i else ""
    return bool(_GIVING.search(clause) or _GIVING.search(before))


def application_method(text: str) -> str:
    """免申即享 or 网上办理 when the text says so, else ""."""
    reading = reading_form(re.sub(r"\s+", "", text))
    if _AUTOMATIC_WORDS.search(reading):
        return AUTOMATIC
    if _ONLINE_WORDS.search(reading):
        return ONLINE
    return ""


def propose(text: str) -> dict:
    """The application details a measure's text states, for editors to confirm: {support: [...],
    method: ...}, only the parts found (an empty dict when none)."""
    proposal: dict = {}
    support = support_sentences(text)
    if support:
        proposal["support"] = support
    method = application_method(text)
    if method:
        proposal["method"] = method
    return proposal

"""Related cards: for each card, the cards of other documents that deal with the same matter.

Chinese has no spaces, so a card's terms are the character bigrams and trigrams of its CJK runs
(split at 的和与及或, which join words rather than make them). Each card becomes a vector:

- text: (1 + log tf) · idf per term, a title occurrence counting TITLE_WEIGHT times, divided by
  the length of the card's whole vector (at least that of FULL_TERMS of the rarest terms, so
  that a card with little to say cannot match strongly). Only the KEPT_TERMS heaviest terms
  that other cards share take part in matching: not boilerplate, a term on more than
  MAX_DF_SHARE of the cards (民营企业, 牵头负责); not a term on this card only, which counts
  in the length at UNSHARED_IDF of the top idf (in a small collection most are noise).
- topics: sharing a topic adds TOPIC_BONUS · specificity / √(|topics a| · |topics b|), where
  specificity = idf / log(cards): a narrow topic (用能) counts, a broad one (政务服务) hardly,
  and one on more than MAX_DF_SHARE of the cards not at all.

The score of two cards is the dot product of their vectors (a cosine plus the topic bonus);
under MIN_SCORE a match is weak and left out. As TOPIC_BONUS = 2 · MIN_SCORE, two cards that
share nothing but their one topic are related when fewer than √(cards) cards have that topic.

No all-pairs comparison: an inverted index lists, for each term, only the CHAMPIONS cards that
weigh it most. A card reads the lists of its heaviest terms, POSTINGS_READ entries in all, and
adds up what each card found there shares with it; the RESCORED best get their exact score.
The work per card is bounded, whatever the size of the collection. Pure; no I/O.
"""
from __future__ import annotations

import heapq
import math
import operator
import re
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import repeat
from typing import Callable, Sequence

TITLE_WEIGHT = 3  # a term in the title counts as much as three in the text
TOPIC_BONUS = 0.18  # what sharing a topic adds, for a topic found on (almost) no other card
KEPT_TERMS = 100  # a card's heaviest terms: the only ones that take part in matching
FULL_TERMS = 8  # a card with less to say than this many rare terms gets a vector shorter than 1
MAX_DF_SHARE = 0.08  # a term on more than this share of the cards is boilerplate…
MIN_DF_CAP = 8  # …but any term may be on this many cards (for small collections)
CHAMPIONS = 64  # cards listed per term in the index: those that weigh the term most
POSTINGS_READ = 512  # index entries a card reads, heaviest terms first, to find candidates
RESCORED = 8  # candidates per card whose exact score is computed
UNSHARED_IDF = 0.5  # share of the top idf at which a term on this card only counts in its length
MIN_SCORE = 0.09  # weaker matches are left out

_CJK = "[\u3400-\u4dbf\u4e00-\u9fff]"
_LONE = re.compile(f"(?<!{_CJK}){_CJK}(?!{_CJK})")
_BIGRAM = re.compile(f"(?=({_CJK}{{2}}))")  # overlapping: a lookahead consumes nothing
_TRIGRAM = re.compile(f"(?=({_CJK}{{3}}))")
_JOINERS = str.maketrans(dict.fromkeys("的和与及或", " "))
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # Markdown link or image: keep its text
_TOPIC = "#"  # prefix that keeps topic names apart from text terms
_DAMPED = [0.0] + [1 + math.log(tf) for tf in range(1, 101)]  # 1 + log tf, tf counted up to 100

Vector = tuple[array, array]  # term ids ("l") and their weights ("d"), heaviest first


@dataclass(frozen=True)
class RelatedInput:
    id: str
    document: str
    title: str
    text: str  # plain text of the body; Markdown is fine (only CJK runs are read)
    topics: tuple[str, ...]


TermCache = dict[tuple[str, str], Counter]  # (title, text) -> term counts, kept between builds


# [fn(part) for its parts] flattened, in order: how the per-card passes run (one process, or
# forked workers in a cold build: pipeline.link_library)
MapParts = Callable[[Callable[[Sequence[int]], list], Sequence[int]], list]


def _in_one_process(fn: Callable[[Sequence[int]], list], indexes: Sequence[int]) -> list:
    return fn(indexes)


def related_cards(items: Sequence[RelatedInput], limit: int = 5,
                  cache: TermCache | None = None, map_parts: MapParts = _in_one_process) -> dict[str, tuple[str, ...]]:
    """For each card, up to `limit` related cards from OTHER documents, best first; weak matches left out.

    `cache` keeps each card's term counts between builds (the costly part), so that a rebuild
    after one edit only reads the edited card; it is pruned to the cards given. `map_parts`
    runs the per-card passes over the card indexes (the result does not depend on how)."""
    items = sorted(items, key=lambda item: item.id)  # any input order gives the same result
    counts = _all_counts(items, {} if cache is None else cache)
    ids, idf = _vocabulary(counts, items)
    n = len(items)
    vectors = map_parts(lambda part: [_vector(items[i], counts[i], ids, idf, n) for i in part], range(n))
    postings = _champions(vectors)
    card_ids, documents = [item.id for item in items], [item.document for item in items]
    found = map_parts(lambda part: [_related_to(i, card_ids, documents, vectors, postings, limit) for i in part],
                      range(n))
    return dict(zip(card_ids, found))


def df_cap(n_cards: int) -> int:
    """The most cards a term may be on and still take part in matching."""
    return max(MIN_DF_CAP, int(n_cards * MAX_DF_SHARE))


def terms(text: str) -> list[str]:
    """The character bigrams and trigrams of each CJK run; a lone character stands for itself."""
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    text = text.translate(_JOINERS)
    return _LONE.findall(text) + _BIGRAM.findall(text) + _TRIGRAM.findall(text)


def term_counts(item: RelatedInput) -> Counter[str]:
    """Term frequencies of a card, a title occurrence counting TITLE_WEIGHT times."""
    counts = Counter(terms(item.text))
    for term in terms(item.title):
        counts[term] += TITLE_WEIGHT
    return counts


def _all_counts(items: Sequence[RelatedInput], cache: TermCache) -> list[Counter]:
    found = [cache.get((item.title, item.text)) for item in items]
    counts = [c if c is not None else term_counts(item) for c, item in zip(found, items)]
    cache.clear()
    cache.update(((item.title, item.text), c) for item, c in zip(items, counts))
    return counts


def _vocabulary(counts: Sequence[Counter], items: Sequence[RelatedInput]) -> tuple[dict[str, int], dict[str, float]]:
    """An id for each term that may match (text terms and "#topic"); an idf for each term on two
    cards or more (a term missing from it is on one card only)."""
    df: Counter[str] = Counter()
    for c, item in zip(counts, items):
        df.update(c.keys())
        df.update(set(_TOPIC + t for t in item.topics))
    cap = df_cap(len(items))
    idf = {term: math.log(len(items) / count) for term, count in df.items() if count >= 2}
    return {term: k for k, term in enumerate(t for t, count in df.items() if 2 <= count <= cap)}, idf


def _vector(item: RelatedInput, counts: Counter, ids: dict[str, int], idf: dict[str, float],
            n_cards: int) -> Vector:
    unshared = math.log(n_cards) * UNSHARED_IDF
    get = idf.get
    weights = {term: get(term, unshared) * (_DAMPED[tf if tf < 100 else 100] if tf > 1 else 1.0)
               for term, tf in counts.items()}  # (tf > 1 only spares a lookup)
    # The length counts every term: what a card shares weighs against all it says.
    norm = max(math.hypot(*weights.values()), math.sqrt(FULL_TERMS) * math.log(n_cards))
    kept = sorted([t for t in weights if t in ids], key=weights.__getitem__, reverse=True)[:KEPT_TERMS]
    entries = [(ids[term], weights[term] / norm) for term in kept]
    topics = [_TOPIC + topic for topic in sorted(set(item.topics))]
    for topic in topics:
        if topic in ids:  # each card holds √ of the bonus, so that their product is the bonus
            specificity = idf[topic] / math.log(n_cards)
            entries.append((ids[topic], math.sqrt(TOPIC_BONUS * specificity / len(topics))))
    entries.sort(key=lambda entry: -entry[1])
    return array("l", [t for t, _ in entries]), array("d", [w for _, w in entries])


def _champions(vectors: Sequence[Vector]) -> dict[int, Vector]:
    """Term id -> the CHAMPIONS cards (indexes) that weigh the term most, and their weights."""
    cards: dict[int, array] = defaultdict(lambda: array("l"))
    weights: dict[int, array] = defaultdict(lambda: array("d"))
    for i, (ids, ws) in enumerate(vectors):
        for t, w in zip(ids, ws):
            cards[t].append(i)
            weights[t].append(w)
    postings = {}
    for t, listed in cards.items():
        ws = weights.pop(t)
        if len(listed) > CHAMPIONS:  # ties go to the earlier card
            best = sorted(heapq.nlargest(CHAMPIONS, range(len(listed)), key=ws.__getitem__))
            listed, ws = array("l", [listed[k] for k in best]), array("d", [ws[k] for k in best])
        if len(listed) > 1:
            postings[t] = (listed, ws)
    return postings


def _related_to(i: int, card_ids: Sequence[str], documents: Sequence[str], vectors: Sequence[Vector],
                postings: dict[int, Vector], limit: int) -> tuple[str, ...]:
    ids, weights = vectors[i]
    partial: dict[int, float] = defaultdict(float)  # candidate -> its score from the terms read
    budget = POSTINGS_READ
    for t, w in zip(ids, weights):  # heaviest first
        if budget <= 0:
            break
        if t in postings:
            cards, ws = postings[t]
            budget -= len(cards)
            for j, other in zip(cards, ws):
                partial[j] += w * other
    document = documents[i]
    candidates = heapq.nlargest(RESCORED, (j for j in partial if documents[j] != document),
                                key=partial.__getitem__)
    mine = dict(zip(ids, weights))
    scored = []
    for j in candidates:
        other_ids, other_weights = vectors[j]
        score = sum(map(operator.mul, other_weights, map(mine.get, other_ids, repeat(0.0))))
        if score >= MIN_SCORE:
            scored.append((-score, card_ids[j]))
    return tuple(card_id for _, card_id in heapq.nsmallest(limit, scored))

"""Which card each measure belongs to: editors' work follows the measure it was written for.

A source can gain, lose or reorder measures between two imports, and every measure after the
change is then numbered differently. So a measure is matched to a card by its text (title and
body, normalised: NFKC, no white space, no Markdown escapes), never by its number alone:

1. Same text: a measure and a card with identical normalised text belong together. When the
   same text appears more than once, measures and cards with the same number pair first, then
   the rest in reading order.
2. Similar text (a measure reworded since the last import): the pair must be at least SAME
   alike (difflib's ratio, 0 to 1), their titles at least TITLE_SAME alike (measures that
   share stock phrases but say different things have different lead sentences), and the
   pair more alike by MARGIN than any other candidate of either side. Different measures of the five bundled documents are at most 0.37 alike, an
   edited sentence keeps a measure above 0.8. Only cards and measures at most WINDOW places
   apart are compared, nearest first, at most BUDGET pairs and the first PREFIX characters
   of each, so even a source rewritten from end to end is matched in a few seconds.
3. Nothing else is matched: a measure left over is new, a card left over has lost its
   measure. The caller decides what is safe for those (placement.py) and reports the rest.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass

SAME = 0.6
TITLE_SAME = 0.5
MARGIN = 0.15
WINDOW = 50
BUDGET = 1500
PREFIX = 500
_NOISE = re.compile(r"[\s\\]")


@dataclass(frozen=True)
class Text:
    """A card or a measure as matching sees it."""

    text: str  # normalise(title, body)
    number: str  # as printed
    order: int  # place in reading order
    title: str = ""  # normalise(title, "")


@dataclass
class Matches:
    pairs: dict[int, int]  # measure index -> card index
    closest: dict[int, tuple[int, float]]  # unmatched card index -> (measure index, ratio) too close to call


def normalise(title: str, body: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", f"{title}。{body}" if body else title))


def match(cards: list[Text], measures: list[Text]) -> Matches:
    pairs = _same_text(cards, measures)
    paired = set(pairs.values())
    free_cards = [c for c in range(len(cards)) if c not in paired]
    free_measures = [m for m in range(len(measures)) if m not in pairs]
    scores = _scores(cards, measures, free_cards, free_measures, _anchors(cards, measures, pairs))
    best_of_card: dict[int, list[float]] = defaultdict(list)
    best_of_measure: dict[int, list[float]] = defaultdict(list)
    for (c, m), ratio in scores.items():
        best_of_card[c].append(ratio)
        best_of_measure[m].append(ratio)
    top2 = {key: sorted(v, reverse=True)[:2] + [0.0] for key, v in best_of_card.items()}
    top2m = {key: sorted(v, reverse=True)[:2] + [0.0] for key, v in best_of_measure.items()}
    closest: dict[int, tuple[int, float]] = {}
    for (c, m), ratio in sorted(scores.items(), key=lambda item: (-item[1], item[0])):
        # The best rival of this pair: the next best of the card, or of the measure.
        rival = max(top2[c][1] if top2[c][0] == ratio else top2[c][0],
                    top2m[m][1] if top2m[m][0] == ratio else top2m[m][0])
        if ratio >= SAME and ratio - rival >= MARGIN and c not in paired and m not in pairs:
            pairs[m] = c
            paired.add(c)
        elif c not in closest:
            closest[c] = (m, ratio)
    return Matches(pairs, {c: v for c, v in closest.items() if c not in paired})


def _same_text(cards: list[Text], measures: list[Text]) -> dict[int, int]:
    by_text: dict[str, list[int]] = defaultdict(list)
    for c, card in enumerate(cards):
        by_text[card.text].append(c)
    pairs: dict[int, int] = {}
    waiting: dict[str, list[int]] = defaultdict(list)
    for m, measure in enumerate(measures):
        same = by_text.get(measure.text, [])
        c = next((c for c in same if cards[c].number == measure.number), None)
        if c is None:
            waiting[measure.text].append(m)
        else:
            same.remove(c)
            pairs[m] = c
    for text, ms in waiting.items():
        for m, c in zip(ms, by_text.get(text, [])):
            pairs[m] = c
    return pairs


def _anchors(cards: list[Text], measures: list[Text], pairs: dict[int, int]) -> list[tuple[int, int]]:
    """(card place, measure place) of the measures found unchanged, in card order."""
    return sorted((cards[c].order, measures[m].order) for m, c in pairs.items())


def _expected(order: int, anchors: list[tuple[int, int]]) -> int:
    """Where a card's measure should be now: shifted like the nearest unchanged measure before
    it (or after it), so an inserted or removed measure does not push the rest out of reach."""
    at = bisect_left(anchors, (order, -1))
    if not anchors:
        return order
    card_place, measure_place = anchors[at - 1] if at > 0 else anchors[0]
    return order + measure_place - card_place


def _scores(cards: list[Text], measures: list[Text], free_cards: list[int], free_measures: list[int],
            anchors: list[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """Ratios between free cards and measures, nearest to where the card's measure should be
    first, within WINDOW places and at most BUDGET comparisons; only those of at least
    SAME - MARGIN (a rival that close still blocks a match)."""
    floor = SAME - MARGIN
    by_order = sorted((measures[m].order, m) for m in free_measures)
    orders = [order for order, _ in by_order]
    near = []
    for c in free_cards:
        at = _expected(cards[c].order, anchors)
        for order, m in by_order[bisect_left(orders, at - WINDOW):bisect_right(orders, at + WINDOW)]:
            near.append((abs(order - at), c, m))
    near.sort()
    scores = {}
    for _, c, m in near[:BUDGET]:
        if _ratio(cards[c].title, measures[m].title) < TITLE_SAME:
            continue
        matcher = difflib.SequenceMatcher(None, cards[c].text[:PREFIX], measures[m].text[:PREFIX], autojunk=False)
        if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor:
            ratio = matcher.ratio()
            if ratio >= floor:
                scores[(c, m)] = ratio
    return scores


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a[:PREFIX], b[:PREFIX], autojunk=False).ratio()

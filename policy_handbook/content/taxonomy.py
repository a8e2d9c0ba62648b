"""Topics and beneficiaries (适用对象): declared as data in content/taxonomy/, assigned to measures.

A measure's own words decide, read as a reader of the genre reads them (traditional characters
as simplified, the attribution note left out): a topic named in its title, or in two sentences of
its text, is its topic. A heading confirms a topic the text names too, and gives its topics only
to a measure whose text names none: a document-wide heading (打造…营商环境) does not tag every
card under it. A general part or an economic target (地区生产总值增长6%) gets the topic marked
`overall: true` (总体部署) alone. Every card gets at least one topic.

A beneficiary is a group the title, a heading or the text names, not in a figure (规模以上工业企业
…占比1%), not in an agency's name, not in an excluded phrase (挂牌督办 is no listing).
tests/corpus/README.md has the annotation rules these follow; scripts/import_accuracy.py measures them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import re

from ..errors import Diagnostics
from ..text.reading import reading_form
from .datafile import drop_wrong_types, read_yaml_list

TAXONOMY_DIR = "taxonomy"
MAX_TOPICS = 3
TITLE_WEIGHT = 2  # a keyword in the title counts as much as two sentences of the text
MIN_SCORE = 2
MAX_HEADING_TOPICS = 2  # a heading naming more subjects than this is a document-wide one: it gives none
TERM_KINDS = {"description": "text", "heading_keywords": "list", "keywords": "list", "exclude": "list",
              "overall": "yes/no", "everyone": "yes/no"}


@dataclass(frozen=True)
class Term:
    name: str
    description: str
    heading_keywords: tuple[str, ...]
    keywords: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    overall: bool = False  # the topic of general parts and targets, given alone
    everyone: bool = False  # a 适用对象 that covers every business (各类市场主体); editors assign it


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Term, ...]
    beneficiaries: tuple[Term, ...]

    def topic_names(self) -> list[str]:
        return [t.name for t in self.topics]

    def beneficiary_names(self) -> list[str]:
        return [t.name for t in self.beneficiaries]


def load_taxonomy(content_dir: Path, diagnostics: Diagnostics) -> Taxonomy:
    folder = content_dir / TAXONOMY_DIR
    return Taxonomy(_load_terms(folder / "topics.yaml", content_dir.parent, diagnostics),
                    _load_terms(folder / "beneficiaries.yaml", content_dir.parent, diagnostics))


def _load_terms(path: Path, project_dir: Path, diagnostics: Diagnostics) -> tuple[Term, ...]:
    shown = path.relative_to(project_dir).as_posix() if path.is_relative_to(project_dir) else str(path)
    listed = read_yaml_list(path, shown, diagnostics)
    terms, seen = [], set()
    for i, entry in enumerate(listed.entries):
        line = listed.line(i)
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            diagnostics.error(shown, line, f"第 {i + 1} 条缺少名称", "每一条都要写“name: …”")
            continue
        entry = drop_wrong_types(entry, TERM_KINDS, listed, i, shown, diagnostics)
        if name in seen:
            diagnostics.error(shown, line, f"“{name}”出现了两次", "同一个名称只留一条")
            continue
        seen.add(name)
        terms.append(Term(name, str(entry.get("description") or ""),
                          tuple(entry.get("heading_keywords") or ()), tuple(entry.get("keywords") or ()),
                          tuple(entry.get("exclude") or ()), entry.get("overall") is True,
                          entry.get("everyone") is True))
    return tuple(terms)


# Converter pinyin after a character (發(fā)) and the attribution note of a measure: bracketed
# notes and field lines naming who does it (an agency's name is not the measure's subject).
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
_ROLE_WORDS = "牵头|负责|责任单位|责任部门|配合|协助|参与单位"
_NOTE = re.compile(rf"[(〔\[【][^()〔〕\[\]【】]*?(?:{_ROLE_WORDS})[^()〔〕\[\]【】]*(?:[)〕\]】]|$)")
_FIELD = re.compile(r"(?:牵头单位|责任单位|配合单位|责任部门|部门分工|牵头领导|分管[^\s：:]{0,6}|时限要求|完成时限)"
                    r"\s*[：:][^\n]*")
_SPACES = re.compile(r"[^\S\n]+")  # PDF text breaks words with spaces: 未  來工廠
_SENTENCES = re.compile(r"[。；;！？!?\n]+")
# A clause stating an economic statistic (…企业研发经费支出占营业收入比重, 规上工业增加值) names no
# beneficiary; a share of a service set aside for a group (担保金额占比达到90%) does.
_FIGURE = re.compile(r"比重|增速|增加值|总产值|总额")
_CLAUSES = re.compile(r"[，,。；;\n]+")


def plain(text: str) -> str:
    """The text as matched: simplified, half-width, without converter pinyin and attribution notes."""
    text = _SPACES.sub("", _PINYIN.sub("", reading_form(text)))
    return _FIELD.sub("", _NOTE.sub("", text))


def _without(term: Term, text: str) -> str:
    for phrase in term.exclude:
        text = text.replace(phrase, "\u3000")
    return text


def _names(term: Term, text: str, keywords: Sequence[str]) -> bool:
    text = _without(term, text)
    return any(k in text for k in keywords)


def _heading_topics(terms: Sequence[Term], headings: Sequence[str]) -> list[str]:
    """The topics of the innermost heading that names any; none when it names many at once."""
    for heading in reversed(headings):
        found = [t.name for t in terms if _names(t, heading, t.heading_keywords)]
        if found:
            return found if len(found) <= MAX_HEADING_TOPICS else []
    return []


@dataclass(frozen=True)
class _Evidence:
    score: int  # TITLE_WEIGHT for the title, plus one per sentence of the text naming the term
    first: int  # the first sentence naming it (the title is -1): the lead states the subject
    leads: bool  # some sentence names it in its first clause: an action of its own, not an aside


def _evidence(terms: Sequence[Term], title: str, text: str) -> dict[str, _Evidence]:
    sentences = [s for s in _SENTENCES.split(text) if s.strip() and s != title]
    found = {}
    for term in terms:
        in_title = _names(term, title, term.keywords)
        hits = [i for i, s in enumerate(sentences) if _names(term, s, term.keywords)]
        if in_title or hits:
            leads = any(_names(term, _CLAUSES.split(sentences[i], 1)[0], term.keywords) for i in hits)
            found[term.name] = _Evidence(TITLE_WEIGHT * in_title + len(hits), -1 if in_title else hits[0],
                                         in_title or leads)
    return found


def classify_topics(taxonomy: Taxonomy, title: str, body: str, headings: Sequence[str]) -> list[str]:
    if not taxonomy.topics:
        return []
    title, body = plain(title), plain(body)
    headings = [plain(h) for h in headings]
    listed = {name: i for i, name in enumerate(taxonomy.topic_names())}
    evidence = _evidence(taxonomy.topics, title, body)
    from_heading = _heading_topics(taxonomy.topics, headings)
    for overall in (t for t in taxonomy.topics if t.overall):
        if overall.name in from_heading or _names(overall, title, overall.keywords):
            return [overall.name]
        evidence.pop(overall.name, None)

    def rank(name: str) -> tuple:
        e = evidence.get(name)
        return (-e.score, e.first, listed[name]) if e else (1, 0, listed[name])

    ranked = sorted(evidence, key=rank)
    own = [name for name in ranked if evidence[name].score >= MIN_SCORE]
    confirmed = [name for name in from_heading if name in evidence and name not in own]
    # Nothing of its own and nothing the heading confirms: a subject its text leads with, else
    # the heading's, else the one it names first.
    leading = [name for name in ranked if evidence[name].leads][:1]
    chosen = (own + confirmed) or leading or from_heading or ranked[:1]
    chosen = sorted(chosen, key=rank)[:MAX_TOPICS]
    return chosen or [taxonomy.topics[-1].name]  # the catch-all: the last topic of the list


def classify_beneficiaries(taxonomy: Taxonomy, title: str, body: str, headings: Sequence[str]) -> list[str]:
    clauses = [c for c in _CLAUSES.split(plain(f"{title}\n{body}")) if not _FIGURE.search(c)]
    texts = [plain(h) for h in headings] + clauses
    return [term.name for term in taxonomy.beneficiaries
            if any(_names(term, text, term.keywords) for text in texts)]

"""Topics and beneficiaries (适用对象): declared as data in content/taxonomy/, assigned to measures.

Headings decide first: the innermost heading that names a topic gives the card its topics
(三、有效降低企业融资成本 -> 融资). Words in the measure come second: a keyword in the title, or
several in the text, add a topic. Every card gets at least one topic.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import Diagnostics
from .datafile import drop_wrong_types, read_yaml_list

TAXONOMY_DIR = "taxonomy"
MAX_TOPICS = 3
TITLE_WEIGHT = 3  # a keyword in the title counts as much as three in the text
MIN_SCORE = 3
TERM_KINDS = {"description": "text", "heading_keywords": "list", "keywords": "list"}


@dataclass(frozen=True)
class Term:
    name: str
    description: str
    heading_keywords: tuple[str, ...]
    keywords: tuple[str, ...]


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
                          tuple(entry.get("heading_keywords") or ()), tuple(entry.get("keywords") or ())))
    return tuple(terms)


def _heading_terms(terms: Sequence[Term], headings: Sequence[str]) -> list[str]:
    """The terms named by the innermost heading that names any."""
    for heading in reversed(headings):
        found = [t.name for t in terms if any(k in heading for k in t.heading_keywords)]
        if found:
            return found
    return []


def _scores(terms: Sequence[Term], title: str, body: str) -> dict[str, int]:
    scores = {}
    for term in terms:
        score = sum(TITLE_WEIGHT for k in term.keywords if k in title) + \
            sum(1 for k in term.keywords if k in body)
        if score:
            scores[term.name] = score
    return scores


def classify_topics(taxonomy: Taxonomy, title: str, body: str, headings: Sequence[str]) -> list[str]:
    scores = _scores(taxonomy.topics, title, body)
    from_heading = _heading_terms(taxonomy.topics, headings)
    # A heading naming several topics (用能用地成本): keep those the measure's own words support.
    supported = [name for name in from_heading if name in scores]
    chosen = (supported or from_heading)[:MAX_TOPICS]
    listed = {name: i for i, name in enumerate(taxonomy.topic_names())}
    ranked = sorted(scores, key=lambda name: (-scores[name], listed[name]))
    for name in ranked:
        if len(chosen) >= MAX_TOPICS:
            break
        if name not in chosen and (scores[name] >= MIN_SCORE or not chosen):
            chosen.append(name)
    if not chosen and taxonomy.topics:
        chosen = [taxonomy.topics[-1].name]  # the catch-all: the last topic of the list
    return chosen


def classify_beneficiaries(taxonomy: Taxonomy, title: str, body: str, headings: Sequence[str]) -> list[str]:
    found = _heading_terms_by_keywords(taxonomy.beneficiaries, headings)
    text = f"{title}\n{body}"
    for term in taxonomy.beneficiaries:
        if term.name not in found and any(k in text for k in term.keywords):
            found.append(term.name)
    return found


def _heading_terms_by_keywords(terms: Sequence[Term], headings: Sequence[str]) -> list[str]:
    joined = "\n".join(headings)
    return [t.name for t in terms if any(k in joined for k in t.keywords)]

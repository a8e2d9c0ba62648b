"""Jinja rendering: one explicit view per page kind; returns {output path: bytes}. No I/O."""
from __future__ import annotations

import datetime as dt
import os
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from jinja2 import (Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, TemplateError,
                    TemplateNotFound, TemplateSyntaxError, select_autoescape)
from jinja2.loaders import split_template_path

from .. import paths
from ..config import Config
from ..library.bodies import Bodies
from ..library.history import History
from ..library.facts import card_agencies, contact_view, deadline_view
from ..library.library import Library
from ..library.validity import validity_view
from ..model import Card, Document
from . import views
from .askinstead import issuer_contacts
from .checks import Provenance
from .compilations import plan_compilations
from .fulltext import full_text_blocks
from .history import card_history, document_history, recent_view
from .matchform import match_view
from .parallel import chunks, fork_map
from .searchfields import SEARCH_FACETS, search_fields
from .views import number_label, series_title


class ProjectLoader(FileSystemLoader):
    """Templates from one folder. A template that a symbolic link takes out of `root` (the
    project) is not found, and never opened (the build refuses such links first: paths.links_leaving)."""

    def __init__(self, folder: Path, root: Path):
        super().__init__(str(folder))
        self.root = root

    def get_source(self, environment: Environment, template: str):
        for folder in self.searchpath:
            path = os.path.join(folder, *split_template_path(template))
            if os.path.lexists(path) and not paths.inside(path, self.root):
                raise TemplateNotFound(template)
        return super().get_source(environment, template)


class _Environment(Environment):
    """Jinja's environment, reading `view.key` from the views' dicts without first trying (and
    failing) an attribute: the same value, as a dict has no attribute but its methods; a third
    of a card page's template time went to those failures."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_METHODS:
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        return super().getattr(obj, attribute)


_DICT_METHODS = frozenset(dir(dict))


def make_environment(templates_dir: Path, cache_dir: Path | None = None) -> Environment:
    """Autoescaped, strict Jinja. With `cache_dir`, compiled templates are kept there between
    runs (keyed by each template's source, so an edit is never missed): `check` starts faster.
    Templates are read only from inside the project (the folder above templates_dir)."""
    cache = None
    if cache_dir is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            cache = FileSystemBytecodeCache(str(cache_dir))
        except OSError:
            cache = None  # a read-only checkout: compile every time
    return _Environment(loader=ProjectLoader(templates_dir, templates_dir.parent),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True, bytecode_cache=cache)


def card_view(card: Card, library: Library, urls: paths.Urls, as_of: dt.date, bodies: Bodies) -> dict:
    doc = library.documents[card.document]
    prev, nxt = library.neighbours(card.id)
    deadlines = [deadline_view(d, as_of) for d in card.deadlines]

    def link(other: Card) -> dict:
        return {"title": other.title, "url": urls.card(other.id),
                "label": series_title(other, doc) or number_label(other)}

    return {
        "card": card,
        "document": doc,
        "validity": validity_block(card, doc, library, urls, as_of),
        "series_title": series_title(card, doc),
        "number_label": number_label(card),
        "body_html": bodies.cards.get(card.id, ""),
        "document_url": urls.document(doc.id),
        "measure_url": urls.measure(doc.id, card.id) if card.source else urls.document(doc.id),
        "prev": link(prev) if prev else None,
        "next": link(nxt) if nxt else None,
        "position": library.index_in_document(card.id) + 1,
        "count": len(library.cards_by_document[doc.id]),
        "agency_roles": [{**role, "agencies": [{**a, **views.agency_link(a["name"], library, urls)}
                                                for a in role["agencies"]]}
                         for role in card_agencies(card, library.registry)],
        "topic_links": [{"name": t, "url": urls.term("topics", library.slugs["topics"][t])}
                        for t in card.topics if t in library.slugs["topics"]],
        "beneficiary_links": [{"name": b, "url": urls.term("beneficiaries", library.slugs["beneficiaries"][b])}
                              for b in card.beneficiaries if b in library.slugs["beneficiaries"]],
        "deadlines_url": urls.section("deadlines"),
        "deadlines": deadlines,
        "contact": contact_view(card, library.registry),
        "issuers": issuer_contacts([doc], library, urls),
        "notes_html": bodies.card_notes.get(card.id, ""),
        "related": [{**views.card_item(library.cards[c], library, urls),
                     "document": library.documents[library.cards[c].document].title}
                    for c in library.related.get(card.id, ())],
        "backlinks": [views.card_item(library.cards[c], library, urls)
                      for c in bodies.card_backlinks.get(card.id, ())],
        "search": search_fields(card, library, deadlines, validity_view(card, doc, as_of)["status"],
                                _stated(validity_view(card, doc, None))),
        "excerpt": library.excerpt(card.id, 110),
    }


def _stated(view: dict) -> tuple[str, str]:
    return view["stated"], view["until"]


def validity_block(card: Card | None, doc: Document, library: Library, urls: paths.Urls, as_of: dt.date) -> dict:
    """A page's validity: the status on the build's date (the reader's browser updates it from
    the dates it carries), and the replacing document as a link."""
    view = validity_view(card, doc, as_of)
    replaced = library.documents.get(view["replaced_by"])
    return {**view, "replaced": {"title": replaced.title, "url": urls.document(replaced.id)} if replaced else None}


def document_view(doc: Document, library: Library, urls: paths.Urls, bodies: Bodies, as_of: dt.date) -> dict:
    cards = library.cards_of(doc.id)
    text = library.sources.get(doc.source, "")
    return {
        "document": doc,
        "validity": validity_block(None, doc, library, urls, as_of),
        "note_html": bodies.documents.get(doc.id, ""),
        "backlinks": [views.card_item(library.cards[c], library, urls)
                      for c in bodies.document_backlinks.get(doc.id, ())],
        "blocks": full_text_blocks(text, cards) if text else [],
        "cards": [{"card": c, "url": urls.card(c.id), "label": series_title(c, doc) or number_label(c)}
                  for c in cards],
        "groups": [{"name": g.name, "cards": [library.cards[c] for c in g.cards]}
                   for g in library.groups_by_document.get(doc.id, ())],
        "card_url": urls.card,
    }


@dataclass(frozen=True)
class RenderedSite:
    pages: dict[str, bytes]  # output path under site/ -> HTML
    provenance: dict[str, Provenance]  # output path -> the template and content it came from
    scans: dict[str, object] = field(default_factory=dict)  # output path -> scan(html), when asked


@dataclass(frozen=True)
class PagePlan:
    """One page to render: its template, how to make its view, and what it shows (see depends.py).

    `cards`: cards the page shows in full (text, agencies, deadlines); `items`: cards it lists by
    title and number only; `deps`: "page:<id>" (a card's own page), "doc:<id>" (a document and its
    list of cards) and "all" (pages that sum up the whole handbook)."""

    template: str
    view: Callable[[], dict]
    url: str = ""  # the page's own URL (canonical link, og:url); "" for the 404 page
    cards: frozenset[str] = frozenset()
    items: frozenset[str] = frozenset()
    deps: frozenset[str] = frozenset()
    source: Card | Document | None = None


def plan_site(library: Library, config: Config, bodies: Bodies, history: History | None = None) -> dict[str, PagePlan]:
    """Every page of the site, keyed by its path under site/; nothing is rendered yet. `history`:
    what changed (library/history.py), none known when not given."""
    urls = paths.Urls(config.base_url)
    history = history or History()
    as_of = config.as_of_date
    plans: dict[str, PagePlan] = {}

    def page(url: str, template: str, view: Callable[[], dict], *, cards=(), items=(), deps=(),
             source: Card | Document | None = None) -> None:
        out = paths.url_output(url, urls.base) if url != "404" else "404.html"
        plans[out] = PagePlan(template, view, url if url != "404" else "", frozenset(cards), frozenset(items),
                              frozenset(deps), source)

    summary = ("all",)
    page(urls.home(), "home.html",
         lambda: {**views.home_view(library, urls), "coming_up": views.coming_up(library, urls, as_of)}, deps=summary)
    page(urls.section("documents"), "documents.html", lambda: views.home_view(library, urls), deps=summary)
    for doc in library.documents.values():
        page(urls.document(doc.id), "document.html",
             _with(partial(document_view, doc, library, urls, bodies, as_of),
                   partial(document_history, doc, library, history)),
             cards=library.cards_by_document[doc.id], items=bodies.document_backlinks.get(doc.id, ()),
             deps=(f"doc:{doc.id}",), source=doc)
    for card in library.cards.values():
        _card_page(page, card, library, urls, as_of, bodies, history)
    for doc_id, groups in library.groups_by_document.items():
        page(urls.series(doc_id), "series.html", partial(views.series_view, doc_id, library, urls),
             items=library.cards_by_document[doc_id], deps=(f"doc:{doc_id}",))
        for index, group in enumerate(groups, start=1):
            page(urls.group(doc_id, index), "group.html", partial(views.group_view, doc_id, index, library, urls),
                 cards=group.cards, deps=(f"doc:{doc_id}",))
    page(urls.section("agencies"), "agencies.html", partial(views.agencies_view, library, urls), deps=summary)
    for name, slug in library.slugs["agencies"].items():
        cards = library.indexes.agencies.get(name)
        page(urls.term("agencies", slug), "agency.html", partial(views.agency_view, name, library, urls, as_of),
             cards=cards.lead + cards.shared if cards else ())
    _terms(page, library, urls, summary)
    page(urls.section("deadlines"), "deadlines.html", partial(views.deadlines_view, library, urls, as_of),
         deps=summary)
    page(urls.section("regions"), "regions.html", partial(views.regions_view, library, urls), deps=summary)
    for region, slug in library.slugs["regions"].items():
        docs = library.indexes.regions.get(region, ())
        page(urls.term("regions", slug), "region.html", partial(views.region_view, region, library, urls),
             items=[c for d in docs for c in library.cards_by_document[d]], deps=[f"doc:{d}" for d in docs])
    # Printable compilations (汇编) of each document and topic: see compilations.py.
    plan_compilations(page, library, urls, bodies, as_of)
    page(urls.data(""), "data.html", partial(views.data_view, library, urls), deps=summary)
    page(urls.section("recent"), "recent.html", partial(recent_view, library, history, urls), deps=summary)
    page(urls.section("search"), "search.html", lambda: {"facets": SEARCH_FACETS})
    page(urls.section("match"), "match.html", partial(match_view, library, urls), deps=summary)
    page("404", "404.html", dict)
    return plans


def plan_cards(card_ids: Iterable[str], library: Library, config: Config, bodies: Bodies,
               history: History | None = None) -> dict[str, PagePlan]:
    """The plans of these cards' own pages, as plan_site makes them (the preview's quick rebuild)."""
    urls, plans = paths.Urls(config.base_url), {}

    def page(url: str, template: str, view: Callable[[], dict], *, cards=(), items=(), deps=(), source=None) -> None:
        plans[paths.url_output(url, urls.base)] = PagePlan(template, view, url, frozenset(cards), frozenset(items),
                                                           frozenset(deps), source)
    for card_id in card_ids:
        _card_page(page, library.cards[card_id], library, urls, config.as_of_date, bodies, history or History())
    return plans


def _card_page(page, card: Card, library: Library, urls: paths.Urls, as_of: dt.date, bodies: Bodies,
               history: History) -> None:
    prev, nxt = library.neighbours(card.id)
    page(urls.card(card.id), "card.html", _with(partial(card_view, card, library, urls, as_of, bodies),
                                                partial(card_history, card, history)),
         cards=(card.id,), deps=(f"page:{card.id}", f"doc:{card.document}"),
         items=[c.id for c in (prev, nxt) if c] + list(library.related.get(card.id, ()))
         + list(bodies.card_backlinks.get(card.id, ())), source=card)


def _with(view: Callable[[], dict], history: Callable[[], dict]) -> Callable[[], dict]:
    """A page's view with its history block."""
    return lambda: {**view(), "history": history()}


def _terms(page, library: Library, urls: paths.Urls, summary: tuple[str, ...]) -> None:
    """The topic and beneficiary lists and a page for each term."""
    page(urls.section("topics"), "topics.html", partial(views.topics_view, library, urls), deps=summary)
    page(urls.section("beneficiaries"), "beneficiaries.html", partial(views.beneficiaries_view, library, urls),
         deps=summary)
    for section, label, terms, index in (("topics", "主题", library.taxonomy.topics, library.indexes.topics),
                                         ("beneficiaries", "适用对象", library.taxonomy.beneficiaries,
                                          library.indexes.beneficiaries)):
        for term in terms:
            cards = index.get(term.name, ())
            page(urls.term(section, library.slugs[section][term.name]), "term.html",
                 partial(_term_view, section, label, term.name, term.description, cards, library, urls),
                 items=cards)


def _term_view(section: str, label: str, name: str, description: str, cards: tuple[str, ...],
               library: Library, urls: paths.Urls) -> dict:
    view = views.term_view(section, name, description, cards, library, urls)
    slug = library.slugs[section][name]
    subscribe = views.subscriptions(urls, urls.feed(section, slug),
                                    urls.calendar(section, slug) if views.has_dated(cards, library) else "") \
        if section == "topics" else None
    return {**view, "section_label": label, "section_url": urls.section(section), "subscribe": subscribe,
            "compilation": urls.compilation(section, slug) if section == "topics" else ""}


class TemplateProblem(Exception):
    """A template that does not compile or fails while rendering: where, and what."""

    def __init__(self, template: str, line: int, message: str, hint: str):
        super().__init__(message)
        self.template, self.line, self.message, self.hint = template, line, message, hint

    def __reduce__(self):  # sent back from a worker process
        return TemplateProblem, (self.template, self.line, self.message, self.hint)


PARALLEL_FROM = 400  # pages to render before forking workers pays for itself


def render_pages(plans: Mapping[str, PagePlan], only: Iterable[str], library: Library, config: Config,
                 env: Environment | None = None, workers: int = 1,
                 scan: Callable[[bytes], object] | None = None) -> RenderedSite:
    """Render the pages named in `only` (output paths in `plans`). Raises TemplateProblem.

    With `workers` > 1 and enough pages, forked processes share the work (pages/parallel.py);
    the pages are the same, in the same order. `scan`, when given, is run on each page where
    it is rendered (the link check's scan, spread over the workers too)."""
    env = env or make_environment(config.templates_path)
    urls = paths.Urls(config.base_url)
    common = {"site": config, "urls": urls,
              "nav_series": [{"url": urls.series(d)} for d in library.groups_by_document][:1]}
    only = list(only)

    def render_part(part: Sequence[str]) -> tuple[dict[str, bytes], dict[str, object], TemplateProblem | None]:
        pages: dict[str, bytes] = {}
        for out in part:
            plan = plans[out]
            try:
                pages[out] = env.get_template(plan.template).render(**common, page_url=plan.url,
                                                                     **plan.view()).encode("utf-8")
            except TemplateError as exc:
                return pages, {}, _template_problem(exc, plan.template, config.templates_path)
        return pages, ({out: scan(html) for out, html in pages.items()} if scan else {}), None

    parts = chunks(only, workers if len(only) >= PARALLEL_FROM else 1) if only else []
    pages: dict[str, bytes] = {}
    scans: dict[str, object] = {}
    for part_pages, part_scans, problem in fork_map(render_part, parts):
        if problem is not None:
            raise problem
        pages.update(part_pages)
        scans.update(part_scans)
    provenance = {out: _provenance(plans[out], library) for out in pages}
    return RenderedSite(pages, provenance, scans)


def _provenance(plan: PagePlan, library: Library) -> Provenance:
    """Where a page's links come from: its own Markdown, the Markdown of the cards it shows in
    full (their text and notes), then its template."""
    source = plan.source
    ids = set(plan.cards) | ({source.id} if isinstance(source, Card) else set())
    cards = sorted((library.cards[c] for c in ids), key=lambda c: c.path)
    shown = tuple((card.path, line, text) for card in cards
                  for text, line in ((card.body, card.body_line), (card.notes, card.notes_line))
                  if text and text is not (source.body if source else None))
    if source is None:
        return Provenance(plan.template, shown=shown)
    return Provenance(plan.template, source.path, source.body_line, source.body, shown)


def _template_problem(exc: TemplateError, template: str, templates_dir: Path) -> TemplateProblem:
    """Name the template file and line: the error's own for a syntax error, else the innermost
    template frame of the traceback (Jinja maps its frames to template lines)."""
    if isinstance(exc, TemplateSyntaxError):
        name = exc.name or template
        return TemplateProblem(name, exc.lineno or 0, f"模板语法错误：{(exc.message or '').rstrip('.')}",
                               "改正这一行的 Jinja 语法")
    if isinstance(exc, TemplateNotFound):
        return TemplateProblem(template, 0, f"找不到模板“{exc.name}”",
                               f"把它加到 {templates_dir.name}/ 中，或改正模板名")
    name, line = template, 0
    for frame in traceback.extract_tb(exc.__traceback__):
        try:
            rel = Path(frame.filename).resolve().relative_to(templates_dir.resolve())
        except ValueError:
            continue
        name, line = rel.as_posix(), frame.lineno or 0
    return TemplateProblem(name, line, f"模板生成页面时出错：{exc}",
                           "检查变量或过滤器的名字：页面的视图里没有它")

"""The preview's quick rebuild: a save that changes only the text of cards re-renders those
cards' own pages at once, and nothing else, in time proportional to the edit, not to the
handbook.

Only the saved files are read again; the library of the last build is patched with the new
cards (a text edit leaves every index as it was). Everything else that shows the text (its
document's page and compilations, feeds, open data, related cards) follows in the settle pass
once the edits stop: that is a Builder.build over every input, compared with the last full
build, so a missed file event cannot leave a page stale either. Anything a quick rebuild cannot
vouch for (a new, moved or deleted card, a change to another field, a link added or removed, a
problem to report, an anchor that moved, a link that no longer resolves) falls back to
Builder.build, which does the whole comparison.
"""
from __future__ import annotations

import dataclasses
import time
from collections import ChainMap
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..content import load
from ..errors import Diagnostics
from ..library.bodies import Bodies
from ..library.library import Library
from ..library.links import LinkTarget
from ..model import Card
from ..pages.checks import check_site, scan_page
from ..pages.render import TemplateProblem, plan_cards, render_pages
from ..paths import Urls
from ..pipeline import Builder, BuildResult


class _Titles(Mapping):
    """Card id -> title, read from the library (a text edit changes no title)."""

    def __init__(self, cards: Mapping[str, Card]):
        self.cards = cards

    def __getitem__(self, card_id: str) -> str:
        return self.cards[card_id].title

    def __iter__(self) -> Iterator[str]:
        return iter(self.cards)

    def __len__(self) -> int:
        return len(self.cards)


def quick_build(builder: Builder, changed: set[str]) -> BuildResult | None:
    """Re-render the own pages of the cards whose text alone changed in `changed` (paths from
    the watcher); None when the edit is anything else (then Builder.build is due)."""
    started = time.perf_counter()
    last, config = builder.last, builder.config
    if last is None or not changed or builder.history is None:
        return None
    library, bodies = builder.edited or (last.library, last.bodies)
    cards = _edited_cards(changed, library, config.content_path, config.project_dir)
    if not cards:
        return None
    new_library = dataclasses.replace(library, cards={**library.cards, **cards})
    new_bodies = _patched_bodies(cards, library, bodies, new_library, Urls(config.base_url), builder)
    if new_bodies is None:
        return None
    plans = plan_cards(cards, new_library, config, new_bodies, builder.history)
    try:
        rendered = render_pages(plans, list(plans), new_library, config, builder.env, 1, scan_page)
    except TemplateProblem:
        return None
    if any(rendered.scans[out][1] != last.scans[out][1] for out in plans):  # links into the page may break
        return None
    provenance, scans = ChainMap(rendered.provenance, last.provenance), {**last.scans, **rendered.scans}
    if check_site(last.pages, [*last.static, *last.extras], config.base_url, provenance, scans, only=list(plans)):
        return None
    result = BuildResult(Diagnostics(), new_library, len(last.pages), first=False, quick=True,
                         rendered=len(rendered.pages), static_files=last.static)
    result.changed = {out: html for out, html in rendered.pages.items() if last.pages[out] != html}
    last.pages.update(rendered.pages)  # what site/ holds now; the library stays the last full build's
    last.provenance.update(rendered.provenance)
    last.scans.update(rendered.scans)
    builder.edited = (new_library, new_bodies)  # for the next quick edit; the settle pass starts from `last`
    result.site = ChainMap(last.extras, last.pages)
    result.seconds = time.perf_counter() - started
    return result


def _edited_cards(changed: set[str], library: Library, content: Path, project: Path) -> dict[str, Card] | None:
    """The new cards, when every changed path is a card file whose text alone changed."""
    cards_dir = (content / load.CARDS_DIR).resolve()
    by_path = {card.path: card for card in library.cards.values()} if len(changed) > 8 else None
    found: dict[str, Card] = {}
    for path in changed:
        file = Path(path)
        if file.suffix != ".md" or cards_dir not in file.resolve().parents:
            return None
        shown = load._display(file.resolve(), project.resolve())
        old = by_path.get(shown) if by_path is not None else next(
            (card for card in library.cards.values() if card.path == shown), None)
        entry = load._parse_file(file, lambda p: shown)
        if old is None or not isinstance(entry, load._Entry):
            return None
        problems = Diagnostics()
        card = load._card(entry, library.documents, library.sources, problems)
        load._known_terms(entry, library.registry, library.taxonomy, problems)
        if (card is None or problems.items or load.PLACEHOLDER in card.body
                or dataclasses.replace(card, body=old.body, body_line=old.body_line) != old):
            return None
        found[card.id] = card
    return found


def _patched_bodies(cards: dict[str, Card], library: Library, bodies: Bodies, new_library: Library,
                    urls: Urls, builder: Builder) -> Bodies | None:
    """The bodies with the new cards' texts rendered; None when a text links to another card or
    document than before (backlinks change) or has a broken link (the full build reports it)."""
    target = LinkTarget(_Titles(library.cards), {d.title: d.id for d in library.documents.values()},
                        urls.card, urls.document)
    html = dict(bodies.cards)
    for card_id, card in cards.items():
        old = library.cards[card_id]
        before = builder.bodies.render(old.body, old.body_line, target, {})
        after = builder.bodies.render(card.body, card.body_line, target, {})
        if after.broken or {(link.kind, link.target) for link in before.links} != \
                {(link.kind, link.target) for link in after.links}:
            return None
        html[card_id] = after.html
    return dataclasses.replace(bodies, cards=html)

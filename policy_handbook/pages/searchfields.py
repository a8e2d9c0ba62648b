"""What Pagefind shows, filters and sorts a card by: its meta, filters and search tokens."""
from __future__ import annotations

from ..library.library import Library
from ..model import AUTOMATIC, Card
from . import views
from .searchterms import LEAD, TEXT, TITLE, search_tokens, short_forms
from .views import number_label, series_title


# In the order of the filter panel: the most used first, the long list of agencies last.
SEARCH_FACETS = [["region", "地区"], ["beneficiary", "适用对象"], ["application", "申报"], ["validity", "效力"], ["topic", "主题"], ["status", "时限状态"],
                 ["year", "时限年份"], ["document", "文件"], ["agency", "责任单位"]]


def search_fields(card: Card, library: Library, deadlines: list[dict], validity: str = "",
                  stated: tuple[str, str] = ("", "")) -> dict:
    """What Pagefind shows and filters a card by; `deadlines` are the card's deadline views. The
    earliest deadline and the document's date are what a reader sorts by (outputs/search.py
    write_sorts reads them from Pagefind's fragments)."""
    doc = library.documents[card.document]
    dated = sorted(v["iso"] for v in deadlines if v["iso"])
    lead = [library.registry.resolve(n) or n for n in card.agencies_in("lead")]
    agencies = list(dict.fromkeys(library.registry.resolve(n) or n for _, names in card.agencies for n in names))
    words = " ".join([card.title, card.body, series_title(card, doc), *card.heading, *agency_names(agencies, library),
                      *card.topics, *card.beneficiaries, *card.time_limits, *(d["text"] for d in card.deadlines)])
    return {
        "meta": {"document": doc.title, "issue": series_title(card, doc) or number_label(card),
                 "lead": "、".join(lead), "deadline": dated[0] if dated else "",
                 "date": doc.date.iso if doc.date else "",
                 # stated status and until: search.js puts what is no longer in force last
                 "vs": stated[0], "vu": stated[1],
                 TEXT: " ".join(search_tokens(words, TEXT)), TITLE: " ".join(search_tokens(card.title, TITLE)),
                 LEAD: " ".join(search_tokens(" ".join(agency_names(lead, library)), LEAD))},
        "filters": {"agency": agencies, "topic": list(card.topics),
                    "region": list(library.registry.chain(doc.region)),  # 偏关县 is in 忻州市 too
                    "document": [doc.title], "beneficiary": list(card.beneficiaries),
                    "year": sorted({d[:4] for d in dated}),
                    "status": sorted({views.STATUS_NAMES[v["status"]] for v in deadlines}),
                    "validity": [validity or "未标注"],  # 现行有效, 已失效 … on the build's date
                    "application": application_filters(card)},
    }


FUNDED = "有资金支持"


def application_filters(card: Card) -> list[str]:
    """免申即享 and 有资金支持, from the application details editors confirmed (import's proposals
    are not confirmed, so they filter nothing)."""
    app = card.application
    if app is None:
        return []
    return [label for label, has in ((AUTOMATIC, app.automatic), (FUNDED, app.funded)) if has]


def agency_names(names: list[str], library: Library) -> list[str]:
    """The agencies' names with every other name a reader may type for them: the registry's
    aliases (山西省发改委) and the shortenings they show applied to the rest (searchterms.short_forms)."""
    registry = library.registry
    pairs = [(a.name, alias) for a in registry.agencies.values() for alias in a.aliases]
    shorter = short_forms(names, pairs)
    out: list[str] = []
    for name in names:
        known = registry.agencies.get(name)
        out += [name, *(known.aliases if known else ()), *shorter[name]]
    return list(dict.fromkeys(out))

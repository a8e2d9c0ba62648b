"""iCalendar (RFC 5545) feeds of dated items, as {output path under site/: bytes}. Pure; no I/O.

One calendar for the whole handbook (Urls.calendar()), one per agency and one per topic
(Urls.calendar("agencies" | "topics", slug)), each only when it has dated items: RFC 5545 wants
at least one event, so a page should link a calendar only when its path is in the result. An
agency's items are those of the cards it leads or shares, as on its page.

- Every item is an all-day event (DTSTART;VALUE=DATE, DTEND the next day) on the day the
  handbook's timeline places it (indexes.DatedItem.date): a due date, a target's last day, a
  start, and a period on its last day (the description gives the whole period; a months-long
  bar would hide everything else in a calendar). An annual item (每年6月20日前) recurs
  (RRULE:FREQ=YEARLY) from its first year, else from its document's year (feeds.card_date);
  每年2月29日前 falls on the last day of February in every year.
- Ongoing items (长期坚持) and recurring ones without a day (每季度, 每月) are in no calendar: an
  event needs a day, and a made-up one would be a wrong deadline.
- SUMMARY is a label and the card title (【截止】降低企业用电成本); DESCRIPTION gives the phrase as
  written, the resolved date, the document, the lead agencies (else those responsible) and the
  card's URL (for apps that do not show URL); URL is the card's page (absolute with a full-URL
  base_url, a root path with a path base).
- UID: card id, kind and date (a counter when one card has two items of one kind and date),
  then "@" and a name made of the handbook's title under .policy-handbook.invalid (a reserved
  domain: nobody's). It does not depend on base_url or the build, so calendar apps keep their
  events when the site moves; the same event has the same UID in every calendar it is in.
- DTSTAMP is the card's document date (feeds.card_date) at 00:00 UTC, never the build time: the
  same content gives the same bytes. Events are sorted by date, reading order and UID.
- Control characters in content (RFC 5545 allows none in text) are left out (ical_text).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from icalendar import Calendar, Event

from .. import paths
from ..config import Config
from ..library.facts import ROLE_LABELS, deadline_view
from ..library.library import Library
from ..model import Card
from .feeds import card_date, handbook_uuid

# Labels put before the card title in SUMMARY, in the handbook's words (facts.KIND_LABELS).
SUMMARY_LABELS = {"due": "截止", "target": "目标", "start": "开始", "period": "期满", "annual": "每年截止"}
PRODID = "-//policy-handbook//deadlines//ZH"
UID_DOMAIN = "policy-handbook.invalid"
_ANY_DAY = dt.date(1970, 1, 1)  # deadline_view wants a date for a status; only its wording is used here
# RFC 5545 TEXT holds no CONTROL character but tab (icalendar escapes newlines itself), and
# lone surrogates, U+FFFE and U+FFFF are no characters at all: left out (see ical_text).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def ical_text(text: str) -> str:
    """Text as a calendar may hold it: control characters (invisible anyway) left out; CR and
    CR LF become line breaks."""
    return _NOT_TEXT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class _Item:
    day: dt.date  # the first (or only) day of the event
    position: int
    uid: str
    card: str
    entry: dict


def calendar_files(library: Library, config: Config) -> dict[str, bytes]:
    """Every calendar: {output path under site/: bytes}."""
    urls = paths.Urls(config.base_url)
    items = _items(library, config)
    rank = {item.uid: k for k, item in enumerate(items)}
    by_card: dict[str, list[_Item]] = {}
    for item in items:
        by_card.setdefault(item.card, []).append(item)

    def of(cards) -> list[_Item]:  # the items of these cards, in the calendar's order
        return sorted((i for card in dict.fromkeys(cards) for i in by_card.get(card, ())), key=lambda i: rank[i.uid])

    calendars = [(urls.calendar(), f"{config.title} · 时限", items)]
    for name in library.indexes.agencies:
        cards = library.indexes.agencies[name]
        calendars.append((urls.calendar("agencies", library.slugs["agencies"][name]),
                          f"{config.title} · {name} · 时限", of((*cards.lead, *cards.shared))))
    for topic in library.taxonomy.topics:
        calendars.append((urls.calendar("topics", library.slugs["topics"][topic.name]),
                          f"{config.title} · {topic.name} · 时限", of(library.indexes.topics.get(topic.name, ()))))
    # Each event is serialised once, then spliced into every calendar it is in.
    made = {item.uid: _event(item, library, urls).to_ical() for item in items}
    return {paths.url_output(url, urls.base): _calendar(name, [made[i.uid] for i in chosen], config)
            for url, name, chosen in calendars if chosen}


def _items(library: Library, config: Config) -> list[_Item]:
    """Every dated and annual item with its UID, sorted by day, reading order and UID."""
    suffix = f"{handbook_uuid(config, 'calendar').hex[:12]}.{UID_DOMAIN}"
    taken: set[str] = set()
    items = []
    found = [(item.card, item.entry) for item in library.indexes.dated] + list(library.indexes.annual)
    for card_id, entry in found:
        card = library.cards[card_id]
        first, key = _first_day(entry, card, library)
        uid = base = f"{card_id}.{entry['kind']}.{key}"
        count = 1
        while uid in taken:
            count += 1
            uid = f"{base}.{count}"
        taken.add(uid)
        items.append(_Item(first, library.position(card_id), f"{uid}@{suffix}", card_id, entry))
    return sorted(items, key=lambda i: (i.day, i.position, i.uid))


def _first_day(entry: dict, card: Card, library: Library) -> tuple[dt.date, str]:
    """The day an item's event is on (an annual item: its first occurrence) and its UID key."""
    kind = entry["kind"]
    if kind == "annual":
        month, day = (int(part) for part in entry["month_day"].split("-"))
        year = entry.get("first_year") or int(card_date(card, library)[:4])
        if (month, day) == (2, 29) and not _leap(year):
            return dt.date(year, 2, 28), entry["month_day"].replace("-", "")
        return dt.date(year, month, day), entry["month_day"].replace("-", "")
    if kind == "period":
        return dt.date.fromisoformat(entry["end"]), f"{entry['start']}-{entry['end']}".replace("-", "")
    return dt.date.fromisoformat(entry["date"]), entry["date"].replace("-", "")


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


_END = b"END:VCALENDAR\r\n"


def _calendar(name: str, events: list[bytes], config: Config) -> bytes:
    """A calendar with these serialised events: the bytes icalendar gives for the same components."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", ical_text(name))
    cal.add("name", ical_text(name))
    if config.description:
        cal.add("x-wr-caldesc", ical_text(config.description))
    head = cal.to_ical()
    return head[:-len(_END)] + b"".join(events) + _END


def _event(item: _Item, library: Library, urls: paths.Urls) -> Event:
    card = library.cards[item.card]
    doc = library.documents[card.document]
    entry = item.entry
    wording = deadline_view(entry, _ANY_DAY)
    url = urls.card(card.id)
    label = "时限" if entry["kind"] == "annual" else wording["kind_label"]  # not 每年：每年6月20日前
    lines = [f"原文：{entry['text']}", f"{label}：{wording['when']}", f"文件：《{doc.title}》"]
    for role in ("lead", "responsible"):  # the lead agencies; without any, those responsible
        names = dict.fromkeys(library.registry.resolve(n) or n for n in card.agencies_in(role))
        if names:
            lines.append(f"{ROLE_LABELS[role]}：{'、'.join(names)}")
            break
    lines.append(f"卡片：{url}")
    stamp = dt.date.fromisoformat(card_date(card, library))
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", dt.datetime(stamp.year, stamp.month, stamp.day, tzinfo=dt.timezone.utc))
    event.add("dtstart", item.day)
    event.add("dtend", item.day + dt.timedelta(days=1))
    if entry["kind"] == "annual":
        rule = {"freq": "yearly"}
        if entry["month_day"] == "02-29":  # the last day of February, in every year
            rule.update(bymonth=2, bymonthday=-1)
        event.add("rrule", rule)
    event.add("summary", ical_text(f"【{SUMMARY_LABELS[entry['kind']]}】{card.title}"))
    event.add("description", ical_text("\n".join(lines)))
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event

"""The facts a reader asks of a measure, as view data: who is responsible, by when, for whom."""
from __future__ import annotations

import datetime as dt

from ..content.registry import Registry
from ..model import Card, PartialDate
from ..text.deadlines import deadline_status

ROLE_LABELS = {"lead": "牵头单位", "responsible": "责任单位", "support": "配合单位",
               "mentioned": "文中提及的单位"}
KIND_LABELS = {"due": "完成时限", "target": "目标年限", "start": "起始时间", "period": "执行期间",
               "annual": "每年", "ongoing": "长期任务", "recurring": "定期事项"}
STATUS_LABELS = {"past": "已过", "due-soon": "30天内到期", "upcoming": "未到", "recurring": "定期",
                 "ongoing": "长期"}
UNDATED_LABELS = {"recurring": "定期"}  # 每季度, 每月: not 每年
PAST_LABELS = {"start": "已开始", "period": "已结束"}  # "已过" reads wrongly for these


def _day(iso: str) -> str:
    return PartialDate(iso).chinese()


def deadline_view(entry: dict, as_of: dt.date) -> dict:
    kind = entry["kind"]
    if kind == "period":
        when = f"{_day(entry['start'])}至{_day(entry['end'])}"
        iso = entry["end"]
    elif kind == "annual":
        month, day = entry["month_day"].split("-")
        when = f"每年{int(month)}月{int(day)}日前"
        if entry.get("first_year"):
            when = f"自{entry['first_year']}年起{when}"
        iso = ""
    elif kind in ("ongoing", "recurring"):
        when, iso = entry["text"], ""  # no date: 长期坚持, 每季度 as written
    else:
        iso = entry["date"]
        when = _day(iso) + ("前" if kind == "due" else "起" if kind == "start" else "")
    status = deadline_status(entry, as_of)
    label = UNDATED_LABELS.get(kind) or STATUS_LABELS[status]
    if status == "past" and kind in PAST_LABELS:
        label = PAST_LABELS[kind]
    return {"kind": kind, "kind_label": KIND_LABELS[kind], "when": when, "iso": iso,
            "text": entry["text"], "status": status, "status_label": label}


def card_agencies(card: Card, registry: Registry) -> list[dict]:
    roles = []
    for role, names in card.agencies:
        roles.append({"role": role, "label": ROLE_LABELS[role],
                      "agencies": [_agency(name, registry) for name in names]})
    return roles


def _agency(name: str, registry: Registry) -> dict:
    agency = registry.agencies.get(registry.resolve(name) or name)
    return {"name": agency.name if agency else name,
            "contact": dict(agency.contact) if agency and not agency.collective else {}}


def _present(name: str, registry: Registry) -> dict:
    """The agency to ask today: itself, or the body it became when it has no contact of its own."""
    agency = _agency(name, registry)
    found = registry.successor_of.get(agency["name"])
    if agency["contact"] or found is None:
        return agency
    return _agency(found.present, registry)


CONTACT_FIELDS = ("name", "phone", "address", "website")


def contact_view(card: Card, registry: Registry) -> dict:
    """Whom to ask: the card's own contact, else the first lead agency with a known contact (of
    the body it became, for one renamed since; never of a collective).
    Every field is present (empty when unknown); an empty dict when there is no contact at all."""
    found: dict = dict(card.contact)
    if not found:
        for name in (*card.agencies_in("lead"), *card.agencies_in("responsible")):
            agency = _present(name, registry)
            if agency["contact"]:
                found = {"name": agency["name"], **agency["contact"]}
                break
    return {key: found.get(key, "") for key in CONTACT_FIELDS} if found else {}

"""iCalendar feeds of dated items (policy_handbook/outputs/calendars.py)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from icalendar import Calendar

from conftest import Project
from policy_handbook.outputs.calendars import calendar_files
from test_feeds import library_of, small_project

BASE = "https://example.org/handbook/"


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """The bundled handbook with a full-URL base, and its calendars."""
    library, config = library_of(Project(tmp_path_factory.mktemp("calendars") / "p", seed_content=True), BASE)
    return library, config, calendar_files(library, config)


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def card_of(event, base: str = BASE) -> str:
    """The card id an event's URL names; fails unless the URL is a card page."""
    url = str(event["url"])
    assert url.startswith(f"{base}cards/") and url.endswith("/"), url
    return url[len(f"{base}cards/"):-1]


def test_a_calendar_for_the_handbook_and_each_agency_and_topic_with_dated_items(seed):
    library, config, files = seed
    dated = {i.card for i in library.indexes.dated} | {c for c, _ in library.indexes.annual}
    agencies = {library.slugs["agencies"][name] for name, cards in library.indexes.agencies.items()
                if dated & set(cards.lead + cards.shared)}
    topics = {library.slugs["topics"][t.name] for t in library.taxonomy.topics
              if dated & set(library.indexes.topics.get(t.name, ()))}
    assert set(files) == {"calendars/deadlines.ics"} | {f"calendars/agencies/{s}.ics" for s in agencies} \
        | {f"calendars/topics/{s}.ics" for s in topics}
    assert len(topics) < len(library.taxonomy.topics)  # topics without a date get no empty calendar


def test_every_calendar_parses_and_every_event_is_an_all_day_event_linking_its_card(seed):
    library, config, files = seed
    for path, data in files.items():
        cal = Calendar.from_ical(data)
        assert str(cal["version"]) == "2.0" and str(cal["calscale"]) == "GREGORIAN" and str(cal["prodid"])
        assert str(cal["x-wr-calname"]).startswith("政策知识卡片手册 · ")
        found = cal.walk("VEVENT")
        assert found, path
        uids = [str(e["uid"]) for e in found]
        assert len(uids) == len(set(uids)), path
        for event in found:
            start, end = event.decoded("dtstart"), event.decoded("dtend")
            assert type(start) is dt.date and end == start + dt.timedelta(days=1)
            card = library.cards[card_of(event)]
            assert str(event["summary"]).endswith(card.title) and str(event["summary"]).startswith("【")
            assert str(event["url"]) in str(event["description"])
            assert f"《{library.documents[card.document].title}》" in str(event["description"])
            assert type(event.decoded("dtstamp")) is dt.datetime  # a UTC moment, from the document date


def test_the_handbook_calendar_has_every_dated_item_on_its_day(seed):
    library, config, files = seed
    found = events(files["calendars/deadlines.ics"])
    assert len(found) == len(library.indexes.dated) + len(library.indexes.annual)
    on_day = sorted((card_of(e), e.decoded("dtstart").isoformat()) for e in found if "rrule" not in e)
    assert on_day == sorted((i.card, i.date) for i in library.indexes.dated)
    due = next(e for e in found if card_of(e) == "shuozhou-private-economy-2019-24")
    assert str(due["summary"]) == "【截止】提高政策性融资担保水平"
    assert due.decoded("dtstart") == dt.date(2019, 12, 31)
    assert "原文：2019年底前" in str(due["description"])
    assert "牵头单位：朔州市财政局、朔州市金融办" in str(due["description"])
    period = next(e for e in found if card_of(e) == "shanxi-cost-reduction-2016-17")
    assert str(period["summary"]).startswith("【期满】") and period.decoded("dtstart") == dt.date(2018, 4, 30)
    assert "执行期间：2016年5月1日至2018年4月30日" in str(period["description"])


def test_an_annual_item_recurs_every_year_from_its_first_year(seed):
    library, config, files = seed
    annual = [e for e in events(files["calendars/deadlines.ics"]) if "rrule" in e]
    assert [card_of(e) for e in annual] == [card for card, _ in library.indexes.annual]
    event = annual[0]
    assert event["rrule"]["FREQ"] == ["YEARLY"]
    assert event.decoded("dtstart") == dt.date(2017, 6, 20)  # 从2017年起，每年6月20日前
    assert str(event["summary"]) == "【每年截止】适时评估总结和推广经验"


def test_an_agency_or_topic_calendar_holds_only_its_own_items(seed):
    library, config, files = seed
    everything = {str(e["uid"]): e for e in events(files["calendars/deadlines.ics"])}
    groups = [(f"agencies/{library.slugs['agencies'][n]}", set(c.lead + c.shared))
              for n, c in library.indexes.agencies.items()]
    groups += [(f"topics/{library.slugs['topics'][t]}", set(ids)) for t, ids in library.indexes.topics.items()]
    checked = 0
    for key, mine in groups:
        path = f"calendars/{key}.ics"
        if path not in files:
            continue
        found = events(files[path])
        assert {card_of(e) for e in found} <= mine
        assert {u for u, e in everything.items() if card_of(e) in mine} == {str(e["uid"]) for e in found}
        checked += 1
    assert checked == len(files) - 1


def test_uids_are_the_same_in_another_build_and_after_a_move(seed, tmp_path):
    library, config, files = seed
    again, config_again = library_of(Project(tmp_path / "again", seed_content=True), BASE)
    assert calendar_files(again, config_again) == files  # the same bytes
    moved, moved_config = library_of(Project(tmp_path / "moved", seed_content=True), "/elsewhere/")
    moved_files = calendar_files(moved, moved_config)
    assert set(moved_files) == set(files)
    for path, data in files.items():
        assert [str(e["uid"]) for e in events(data)] == [str(e["uid"]) for e in events(moved_files[path])]
    assert card_of(events(moved_files["calendars/deadlines.ics"])[0], "/elsewhere/") in moved.cards


def test_items_of_a_small_project(tmp_path):
    project = small_project(tmp_path / "p")
    project.document("demo", date="2020-03")
    project.card("1", topics=["税费"], agencies={"lead": ["示例市财政局"]}, deadlines=[
        {"kind": "due", "date": "2020-12-31", "text": "2020年底前"},
        {"kind": "due", "date": "2020-12-31", "text": "2020年12月31日前"},
        {"kind": "annual", "month_day": "05-20", "text": "每年5月20日前"},
        {"kind": "start", "date": "2020-06-01", "text": "自2020年6月1日起"}])
    project.card("2", topics=["融资"], deadlines=[{"kind": "target", "date": "2025-12-31", "text": "到2025年"}])
    library, config = library_of(project)
    files = calendar_files(library, config)
    assert set(files) == {"calendars/deadlines.ics", "calendars/agencies/shi-li-shi-cai-zheng-ju.ics",
                          "calendars/topics/shui-fei.ics", "calendars/topics/rong-zi.ics"}
    found = events(files["calendars/deadlines.ics"])
    # sorted by day; an annual item without a first year starts in its document's year
    assert [(str(e["summary"]), e.decoded("dtstart").isoformat(), "rrule" in e) for e in found] == [
        ("【每年截止】措施1", "2020-05-20", True), ("【开始】措施1", "2020-06-01", False),
        ("【截止】措施1", "2020-12-31", False), ("【截止】措施1", "2020-12-31", False),
        ("【目标】措施2", "2025-12-31", False)]
    assert len({str(e["uid"]) for e in found}) == 5  # two items of one kind and day still differ
    assert [card_of(e, "/") for e in events(files["calendars/topics/rong-zi.ics"])] == ["demo-2"]
    assert {card_of(e, "/") for e in events(files["calendars/agencies/shi-li-shi-cai-zheng-ju.ics"])} == {"demo-1"}
    assert all(e.decoded("dtstamp") == dt.datetime(2020, 3, 1, tzinfo=dt.timezone.utc) for e in found)


def test_a_calendar_name_says_what_it_holds(seed):
    library, config, files = seed
    assert str(Calendar.from_ical(files["calendars/deadlines.ics"])["x-wr-calname"]) == "政策知识卡片手册 · 时限"
    cal = Calendar.from_ical(files[f"calendars/topics/{library.slugs['topics']['融资']}.ics"])
    assert str(cal["x-wr-calname"]) == "政策知识卡片手册 · 融资 · 时限"


def test_control_characters_in_content_never_reach_a_calendar(tmp_path):
    """RFC 5545 text holds no control character (but tab); lone CRs would break its lines."""
    project = small_project(tmp_path / "p")
    project.write("content/agencies.yaml", '- name: "示例市\\x01财政局"\n  level: 市\n  region: 示例市\n')
    project.document("demo", title="示例\x1b文件", date="2020-03")
    project.card("1", title="措施\x01\x7f\ufffe一", agencies={"lead": ["示例市\x01财政局"]},
                 deadlines=[{"kind": "due", "date": "2020-12-31", "text": "2020年\x0b底前\r"}])
    library, config = library_of(project)
    config = replace(config, title="手册\x08", description="说明\x1f")
    files = calendar_files(library, config)
    assert set(files) == {"calendars/deadlines.ics", "calendars/agencies/shi-li-shi-cai-zheng-ju.ics"}
    for name, data in files.items():
        assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|\xef\xbf\xbe", data), name
        [event] = events(data)
        assert str(event["summary"]) == "【截止】措施一"
        assert "原文：2020年底前\n" in str(event["description"]) and "《示例文件》" in str(event["description"])
        assert str(Calendar.from_ical(data)["x-wr-calname"]).startswith("手册 · ")

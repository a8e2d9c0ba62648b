"""Ongoing (长期坚持) and recurring (每季度) deadlines on the built site: shown as such, never as a
date, never overdue or due soon, listed apart on the deadlines page, in no calendar, in open data."""
from __future__ import annotations

import json
import re

from jsonschema import Draft202012Validator

ONGOING = {"kind": "ongoing", "text": "长期坚持"}
RECURRING = {"kind": "recurring", "text": "每季度"}
DUE = {"kind": "due", "date": "2030-06-30", "text": "2030年6月底前"}


def build(project, as_of: str) -> None:
    project.config(as_of=as_of)
    project.write("content/agencies.yaml", "- name: 示例市发改委\n  region: 示例市\n- name: 示例市统计局\n  region: 示例市\n")
    project.write("content/regions.yaml", "- name: 示例市\n  level: 市\n")
    project.document()
    project.card("1", "建立常态化服务企业机制。（示例市发改委牵头，长期坚持）",
                 title="建立常态化服务企业机制", agencies={"lead": ["示例市发改委"]}, deadlines=[ONGOING])
    project.card("2", "各部门每季度报送工作进展，2030年6月底前完成评估。",
                 title="报送工作进展", agencies={"lead": ["示例市统计局"]}, deadlines=[RECURRING, DUE])
    result = project.run("build")
    assert result.returncode == 0, result.stderr


def page(project, rel: str) -> str:
    return (project.site / rel).read_text(encoding="utf-8")


def deadline_lines(html: str) -> list[str]:
    return re.findall(r'<p class="deadline">.*?</p>', html, re.S)


def test_a_card_shows_an_ongoing_deadline_as_ongoing_not_as_a_date(project):
    build(project, as_of="2099-01-01")  # long after everything: a dated item would be 已过
    [line] = deadline_lines(page(project, "cards/demo-1/index.html"))
    assert '<span class="status status-ongoing">长期</span>' in line
    assert "<time" not in line and "已过" not in line and "到期" not in line
    assert "长期坚持" in line


def test_a_card_shows_a_recurring_deadline_as_recurring_beside_a_dated_one(project):
    build(project, as_of="2099-01-01")
    recurring, dated = deadline_lines(page(project, "cards/demo-2/index.html"))
    assert '<span class="status status-recurring">定期</span>' in recurring
    assert "<time" not in recurring and "已过" not in recurring and "每季度" in recurring
    assert '<span class="status status-past" data-date="2030-06-30" data-kind="due">已过</span>' in dated and '<time datetime="2030-06-30">' in dated


def test_the_deadlines_page_lists_them_apart_from_dated_ones(project):
    build(project, as_of="2030-06-10")
    html = page(project, "deadlines/index.html")
    ongoing = html[html.index('<section id="ongoing">'):]
    ongoing = ongoing[:ongoing.index("</section>")]
    recurring = html[html.index('<section id="recurring">'):]
    recurring = recurring[:recurring.index("</section>")]
    assert "建立常态化服务企业机制" in ongoing and "长期坚持" in ongoing and "报送工作进展" not in ongoing
    assert "报送工作进展" in recurring and "每季度" in recurring and "建立常态化服务企业机制" not in recurring
    years = html[:html.index('<section id="annual">')]
    assert "长期坚持" not in years and "每季度" not in years and "2030年6月" in years


def test_the_home_page_never_shows_them_as_coming_up(project):
    build(project, as_of="2030-06-10")
    html = page(project, "index.html")
    box = html[html.index('id="coming-heading"'):]
    box = box[:box.index("</section>")]
    assert "2030年6月30日" in box  # the dated item is due soon
    assert "长期" not in box and "定期" not in box and "建立常态化服务企业机制" not in box


def test_calendars_leave_them_out_and_an_agency_with_only_an_ongoing_item_has_none(project):
    build(project, as_of="2030-06-10")
    ics = (project.site / "calendars" / "deadlines.ics").read_text(encoding="utf-8")
    assert ics.count("BEGIN:VEVENT") == 1 and "20300630" in ics
    assert "长期坚持" not in ics and "每季度" not in ics
    agency_calendars = {p.name for p in (project.site / "calendars" / "agencies").glob("*.ics")}
    assert len(agency_calendars) == 1  # the statistics bureau's (a dated item), not the ongoing one's
    agency_pages = {p.parent.name: p.read_text(encoding="utf-8")
                    for p in (project.site / "agencies").glob("*/index.html")}
    [ongoing_only] = [html for html in agency_pages.values() if "示例市发改委" in html and "时限台账" in html]
    assert "长期坚持" in ongoing_only and ".ics" not in ongoing_only


def test_open_data_carries_them_valid_against_the_published_schema(project):
    build(project, as_of="2030-06-10")
    data = json.loads((project.site / "data" / "cards.json").read_text(encoding="utf-8"))
    schema = json.loads((project.site / "data" / "schema" / "cards.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(data)
    by_id = {card["id"]: card for card in data["cards"]}
    assert by_id["demo-1"]["deadlines"] == [ONGOING]
    assert by_id["demo-2"]["deadlines"] == [RECURRING, DUE]
    bad = json.loads(json.dumps(data))
    bad["cards"][0]["deadlines"] = [{"kind": "ongoing", "date": "2030-01-01", "text": "长期坚持"}]
    assert list(Draft202012Validator(schema).iter_errors(bad))  # no date on an undated kind

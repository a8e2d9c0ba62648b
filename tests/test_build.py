"""The built handbook: card and document pages, determinism, escaping."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from conftest import Project


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "id" in attrs:
            self.ids.add(attrs["id"])


def page(site: Project, rel: str) -> str:
    return (site.site / rel).read_text(encoding="utf-8")


def links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def test_series_card_shows_series_header_issue_title_text_and_publisher(seed_site):
    html = page(seed_site, "cards/pianguan-48-measures-1-4/index.html")
    assert '<p class="card-series">市场主体倍增工作知识点</p>' in html
    assert "“48条”之大幅放宽市场准入 第四期" in html
    assert '<h1 class="card-title" data-pagefind-meta="title">鼓励民营企业参与生态保护修复</h1>' in html
    assert "构建“谁修复、谁受益”的生态保护修复市场机制" in html
    assert '<p class="card-publisher">偏关县优化营商环境促进市场主体倍增工作专班</p>' in html


def test_card_links_to_its_document_and_to_its_measure_in_the_full_text(seed_site):
    html = page(seed_site, "cards/shanxi-cost-reduction-2016-4/index.html")
    hrefs = links(html).hrefs
    assert "/documents/shanxi-cost-reduction-2016/" in hrefs
    assert "/documents/shanxi-cost-reduction-2016/#shanxi-cost-reduction-2016-4" in hrefs
    doc = links(page(seed_site, "documents/shanxi-cost-reduction-2016/index.html"))
    assert "shanxi-cost-reduction-2016-4" in doc.ids


def test_card_has_previous_and_next_in_reading_order(seed_site):
    hrefs = links(page(seed_site, "cards/shuozhou-private-economy-2019-19/index.html")).hrefs
    assert "/cards/shuozhou-private-economy-2019-18/" in hrefs
    assert "/cards/shuozhou-private-economy-2019-20/" in hrefs
    # Across a series group boundary: the last of group 1 leads to the first of group 2.
    hrefs = links(page(seed_site, "cards/pianguan-48-measures-1-7/index.html")).hrefs
    assert "/cards/pianguan-48-measures-2-1/" in hrefs


def test_every_document_page_links_to_every_one_of_its_cards(seed_site):
    for doc in (seed_site.root / "content/documents").glob("*.md"):
        doc_id = doc.stem
        expected = {f"/cards/{doc_id}-{p.stem}/"
                    for p in (seed_site.root / "content/cards" / doc_id).glob("*.md")}
        found = set(links(page(seed_site, f"documents/{doc_id}/index.html")).hrefs)
        assert expected and expected <= found, doc_id


def test_document_page_shows_its_metadata_block(seed_site):
    html = page(seed_site, "documents/xinzhou-business-environment-2021/index.html")
    for text in ("发文机关", "忻州市人民政府", "文号", "忻政发〔2021〕21号", "成文日期", "2021年10月21日"):
        assert text in html
    inferred = page(seed_site, "documents/shuozhou-private-economy-2019/index.html")
    assert "（推定）" in inferred


def test_home_lists_documents_and_series_with_counts(seed_site):
    html = page(seed_site, "index.html")
    assert "<strong>5</strong> 份政策文件，<strong>209</strong> 张知识卡片" in html
    assert "51 张卡片" in html and "系列 · 9 类" in html
    assert "“48条”之培育壮大产业主体</a> <span class=\"count\">7 期</span>" in html


def test_every_internal_link_resolves(seed_site):
    files = {p.relative_to(seed_site.site).as_posix() for p in seed_site.site.rglob("*") if p.is_file()}
    ids: dict[str, set[str]] = {}
    for rel in files:
        if rel.endswith(".html"):
            ids[rel] = links(page(seed_site, rel)).ids
    for rel in ids:
        for href in links(page(seed_site, rel)).hrefs:
            if not href.startswith("/"):
                continue
            path, _, fragment = href.partition("#")
            target = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
            assert target in files, f"{rel}: broken link {href}"
            if fragment:
                assert fragment in ids[target], f"{rel}: broken fragment {href}"


# Pagefind writes its filter index and metadata in an order that varies between runs (upstream
# Pagefind issue #638: fragments are stable since 1.3, "other files will still change"). Those
# files, and the entry file that names them, are compared by count; everything else by bytes.
UNSTABLE_UPSTREAM = re.compile(r"^pagefind/(filter/|pagefind\.[^/]+\.pf_meta$|pagefind-entry\.json$)")


def stable(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if not UNSTABLE_UPSTREAM.match(k)}


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path):
    project = Project(tmp_path / "p", seed_content=True)  # its own: previews of the shared seed site add files
    assert project.run("build").returncode == 0
    first = project.read_site()
    assert project.run("build").returncode == 0
    second = project.read_site()
    assert stable(second) == stable(first)
    assert any(k.startswith("pagefind/fragment/") for k in first)  # the search index is compared too
    assert len(second) == len(first)


def test_html_in_content_is_shown_as_text_never_run(project):
    project.document("demo", title="<i>标题</i>")
    project.card("1", body="<script>alert('x')</script>\n\n[点我](javascript:alert(1))",
                 title="<img src=x onerror=alert(1)>")
    assert project.run("build").returncode == 0
    html = page(project, "cards/demo-1/index.html")
    assert "<script>alert" not in html and "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html
    assert "<i>标题</i>" not in html and "&lt;i&gt;标题&lt;/i&gt;" in html


def test_all_pages_declare_one_language(seed_site):
    langs = {re.search(r'<html lang="([^"]+)"', p.read_text(encoding="utf-8")).group(1)
             for p in seed_site.site.rglob("*.html")}
    assert langs == {"zh-CN"}


def test_card_shows_who_is_responsible_and_deadline_status_against_the_as_of_date(project_with_seed):
    project_with_seed.config(as_of="2016-05-10")
    assert project_with_seed.run("build").returncode == 0
    html = page(project_with_seed, "cards/ganzhou-cost-reduction-2016-2-1-2/index.html")
    assert '<span class="status status-due-soon" data-date="2016-05-20" data-kind="due">30天内到期</span>' in html
    assert '<time datetime="2016-05-20">2016年5月20日前</time>' in html and "原文：5月20日前" in html
    assert "文中提及的单位" in html and "赣州市专项行动领导小组办公室" in html
    html = page(project_with_seed, "cards/shanxi-cost-reduction-2016-4/index.html")
    assert ('<span class="role-label">牵头单位</span><span class="agency">'
            '<a href="/agencies/shan-xi-sheng-cai-zheng-ting/">山西省财政厅</a></span>') in html
    assert '<a class="tag" href="/topics/shui-fei/">税费</a>' in html
    project_with_seed.config(as_of="2016-06-30")
    assert project_with_seed.run("build").returncode == 0
    html = page(project_with_seed, "cards/ganzhou-cost-reduction-2016-2-1-2/index.html")
    assert "<span class=\"status status-past\" data-date=\"2016-05-20\" data-kind=\"due\">已过</span>" in html


FORKED_BUILD = """
import os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from policy_handbook.config import load_config
from policy_handbook.errors import Diagnostics
from policy_handbook.pages import render
from policy_handbook.pipeline import build
render.PARALLEL_FROM = 1  # the seed handbook is small: fork even for it
forks = []
real_fork = os.fork
def counting_fork():
    pid = real_fork()
    if pid:
        forks.append(pid)
    return pid
os.fork = counting_fork
config = load_config(Path(sys.argv[2]), Diagnostics())
result = build(config, search=False, workers=int(sys.argv[3]))
assert result.ok, result.diagnostics.report()
print(len(forks))
"""


def test_the_site_is_the_same_whether_one_or_several_processes_render_it(tmp_path):
    import subprocess
    import sys

    from conftest import REPO
    sites = {}
    for workers in (1, 3):
        project = Project(tmp_path / f"w{workers}", seed_content=True)
        run = subprocess.run([sys.executable, "-c", FORKED_BUILD, str(REPO), str(project.root / "config.yaml"),
                              str(workers)], capture_output=True, text=True, cwd=project.root)
        assert run.returncode == 0, run.stderr
        assert int(run.stdout.strip()) == workers - 1  # the parent renders one share itself
        sites[workers] = project.read_site()
    assert sites[3] == sites[1]
    assert len(sites[1]) > 300


def test_a_template_error_in_a_worker_process_names_the_template_line(tmp_path):
    import subprocess
    import sys

    from conftest import REPO
    project = Project(tmp_path / "p", seed_content=True)
    card = project.root / "templates" / "card.html"
    lines = card.read_text(encoding="utf-8").split("\n")
    lines.insert(len(lines) - 2, "{{ no_such_variable }}")
    card.write_text("\n".join(lines), encoding="utf-8")
    script = FORKED_BUILD.replace("assert result.ok, result.diagnostics.report()",
                                  "print(result.diagnostics.report(), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", script, str(REPO), str(project.root / "config.yaml"), "3"],
                         capture_output=True, text=True, cwd=project.root)
    assert run.returncode == 0, run.stderr
    assert f"templates/card.html:{len(lines) - 2}: 错误：" in run.stderr and "no_such_variable" in run.stderr

"""Live preview in a real browser: an editor saves a file and the open tabs follow by themselves."""
from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, Project
from test_browser import ARTIFACTS, DESKTOP, PHONE, browser, free_port  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

CARD = "content/cards/shuozhou-private-economy-2019/19.md"
CARD_URL = "/cards/shuozhou-private-economy-2019-19/"
DOC_URL = "/documents/shuozhou-private-economy-2019/"
WAIT_MS = 15_000


class Preview:
    """`build.py serve` on a copy of the seed handbook, with its terminal output collected."""

    def __init__(self, root: Path, *options: str, prepare=lambda project: None):
        self.project = Project(root, seed_content=True)
        prepare(self.project)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "--config", str(root / "config.yaml"), *options,
             "serve", "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._collect, daemon=True).start()
        self.wait_for_line("正在提供 ")  # printed once the first build is done (or failed)

    def _collect(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for_line(self, needle: str, after: int = 0, timeout: float = 30) -> str:
        """The first terminal line containing `needle` printed after line number `after`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if needle in line:
                    return line
            if self.proc.poll() is not None:
                pytest.fail("the server stopped:\n" + "\n".join(self.lines))
            time.sleep(0.05)
        pytest.fail(f"no line with {needle!r} in:\n" + "\n".join(self.lines))

    def edit(self, rel: str, old: str, new: str) -> int:
        """Save a changed file, as an editor does; returns the terminal position before the save."""
        mark = len(self.lines)
        path = self.project.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return mark

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def preview(tmp_path):
    server = Preview(tmp_path / "project")
    yield server
    server.stop()
    assert server.proc.returncode is not None


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_an_edit_appears_in_the_open_page_by_itself(preview, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(preview.url + CARD_URL)
    page.evaluate("window.loadedBefore = true")  # gone once the page reloads
    mark = preview.edit(CARD, "深化电力体制改革", "全面深化电力体制改革")
    expect(page.locator(".card-body")).to_contain_text("全面深化电力体制改革", timeout=WAIT_MS)
    assert page.evaluate("window.loadedBefore === undefined")
    line = preview.wait_for_line("重新生成，用时", after=mark)
    assert re.search(r"content/cards/shuozhou-private-economy-2019/19\.md 改动后重新生成，用时 \d+\.\d\d 秒："
                     r"\d+ 个页面中渲染了 \d+ 个，写入 \d+ 个：cards/shuozhou-private-economy-2019-19/", line), line
    total, rendered = map(int, re.search(r"(\d+) 个页面中渲染了 (\d+) 个", line).groups())
    assert rendered < total / 10


def test_an_unrelated_page_is_not_reloaded(preview, browser):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(preview.url + "/cards/pianguan-48-measures-1-1/")
    page.evaluate("window.loadedBefore = true")
    mark = preview.edit(CARD, "深化电力体制改革", "全面深化电力体制改革")
    preview.wait_for_line("重新生成，用时", after=mark)
    page.wait_for_timeout(500)
    assert page.evaluate("window.loadedBefore === true")


def test_broken_front_matter_shows_an_overlay_until_it_is_fixed(preview, browser):
    pages = {name: browser.new_page(viewport=size) for name, size in (("phone", PHONE), ("desktop", DESKTOP))}
    for page in pages.values():
        page.goto(preview.url + CARD_URL)
    mark = preview.edit(CARD, "topics: [用能]", "topics: [用能")
    assert f"{CARD}:11: 错误：文件头的 YAML 写法有误" in preview.wait_for_line("错误：", after=mark)
    for name, page in pages.items():
        overlay = page.locator("#live-preview-errors [role=alert]")
        expect(overlay).to_be_visible(timeout=WAIT_MS)
        expect(overlay).to_contain_text(f"{CARD}:11")
        expect(overlay).to_contain_text("文件头的 YAML 写法有误")
        expect(overlay).to_contain_text("修改：检查缩进，并给含有“:”或“#”的值加上引号")
        expect(overlay).to_contain_text("页面仍是上次成功生成的版本")
        shot(page, f"preview-error-{name}")
    # The last good page is still what is served, under the overlay and to new tabs.
    fresh = browser.new_page(viewport=DESKTOP)
    fresh.goto(preview.url + CARD_URL)
    expect(fresh.locator("h1.card-title")).to_have_text("降低企业用电成本")
    expect(fresh.locator("#live-preview-errors [role=alert]")).to_be_visible(timeout=WAIT_MS)
    mark = preview.edit(CARD, "topics: [用能", "topics: [用能]")
    preview.wait_for_line("重新生成，用时", after=mark)
    for page in (*pages.values(), fresh):
        expect(page.locator("#live-preview-errors")).to_have_count(0, timeout=WAIT_MS)


def test_half_written_and_emptied_files_do_not_stop_the_server(preview, browser):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(preview.url + CARD_URL)
    path = preview.project.root / CARD
    original = path.read_text(encoding="utf-8")
    for broken in ("", original[: len(original) // 3], "---\n"):
        mark = len(preview.lines)
        path.write_text(broken, encoding="utf-8")
        preview.wait_for_line("生成失败", after=mark)
        expect(page.locator("#live-preview-errors [role=alert]")).to_contain_text("19.md", timeout=WAIT_MS)
    mark = preview.edit("templates/card.html", "</article>", "{% if %}</article>")
    path.write_text(original, encoding="utf-8")
    expect(page.locator("#live-preview-errors [role=alert]")).to_contain_text("templates/card.html:",
                                                                            timeout=WAIT_MS)
    preview.edit("templates/card.html", "{% if %}</article>", "</article>")
    expect(page.locator("#live-preview-errors")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("h1.card-title")).to_have_text("降低企业用电成本")
    assert preview.proc.poll() is None


def test_a_deleted_card_leaves_its_page_and_its_listings(preview, browser):
    card = browser.new_page(viewport=DESKTOP)
    card.goto(preview.url + CARD_URL)
    document = browser.new_page(viewport=DESKTOP)
    document.goto(preview.url + DOC_URL)
    expect(document.locator(f"a[href='{CARD_URL}']").first).to_be_attached()
    mark = len(preview.lines)
    (preview.project.root / CARD).unlink()
    assert re.search(r"删除 \d+ 个", preview.wait_for_line("重新生成，用时", after=mark))
    expect(card.locator("h1")).to_have_text("找不到这个页面", timeout=WAIT_MS)
    expect(document.locator(f"a[href='{CARD_URL}']")).to_have_count(0, timeout=WAIT_MS)


def test_a_new_card_is_listed_and_found_by_search(preview, browser):
    document = browser.new_page(viewport=PHONE)
    document.goto(preview.url + DOC_URL)
    mark = len(preview.lines)
    made = subprocess.run([sys.executable, str(REPO / "build.py"), "--config",
                           str(preview.project.root / "config.yaml"), "new", "shuozhou-private-economy-2019",
                           "--title", "设立民营企业服务专线"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    expect(document.get_by_text("设立民营企业服务专线").first).to_be_visible(timeout=WAIT_MS)
    shot(document, "preview-new-card-phone")
    preview.wait_for_line("重新生成，用时", after=mark)
    # Searchable a few seconds later, once the background refresh (after the edits settle) is done.
    search = browser.new_page(viewport=DESKTOP)
    deadline = time.monotonic() + 30
    while True:
        search.goto(preview.url + "/search/?q=服务专线")
        try:
            expect(search.locator("#results")).to_contain_text("设立民营企业服务专线", timeout=3000)
            break
        except AssertionError:
            if time.monotonic() > deadline:
                raise
    assert "搜索索引已更新" in "\n".join(preview.lines[mark:])


def test_a_burst_of_saves_is_one_rebuild(preview, browser):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(preview.url + DOC_URL)
    mark = len(preview.lines)
    folder = preview.project.root / "content/cards/shuozhou-private-economy-2019"
    for n in range(1, 21):  # like a `git checkout` touching twenty cards
        card = folder / f"{n}.md"
        card.write_text(card.read_text(encoding="utf-8").replace("\n---\n\n", "\n---\n\n（已修订）", 1),
                        encoding="utf-8")
    line = preview.wait_for_line("重新生成，用时", after=mark)
    assert "等 20 个" in line  # the twenty files, named in one line
    preview.wait_for_line("开放数据已更新", after=mark)
    rebuilds = [x for x in preview.lines[mark:] if "重新生成，用时" in x]
    assert len(rebuilds) == 1, rebuilds


def test_a_stylesheet_edit_reloads_the_page_with_the_new_style(preview, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(preview.url + CARD_URL)
    preview.edit("static/style.css", "body {", "body { outline: 3px solid rgb(1, 2, 3);")
    expect(page.locator("body")).to_have_css("outline-color", "rgb(1, 2, 3)", timeout=WAIT_MS)


def test_a_config_change_rebuilds_every_page(preview, browser):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(preview.url + CARD_URL)
    mark = preview.edit("config.yaml", "title: 政策知识卡片手册", "title: 营商政策手册")
    expect(page.locator("header.site-header")).to_contain_text("营商政策手册", timeout=WAIT_MS)
    line = preview.wait_for_line("重新生成，用时", after=mark)
    assert re.search(r"(\d+) 个页面中渲染了 \1 个", line), line
    preview.edit("config.yaml", "title: 营商政策手册", "titel: 营商政策手册")
    expect(page.locator("#live-preview-errors [role=alert]")).to_contain_text("不认识的设置项“titel”",
                                                                            timeout=WAIT_MS)


def break_card_file(project: Project) -> None:
    path = project.root / CARD
    path.write_text(path.read_text(encoding="utf-8").replace("topics: [用能]", "topics: [用能"), encoding="utf-8")


def test_a_preview_started_on_broken_content_waits_for_the_fix(tmp_path, browser):
    server = Preview(tmp_path / "project", prepare=break_card_file)
    try:
        assert "生成失败：还没有生成过任何页面" in server.wait_for_line("生成失败")
        page = browser.new_page(viewport=PHONE)
        page.goto(server.url + CARD_URL)
        overlay = page.locator("#live-preview-errors [role=alert]")
        expect(overlay).to_contain_text(f"{CARD}:11", timeout=WAIT_MS)
        expect(overlay).to_contain_text("网站还没有成功生成过")
        shot(page, "preview-first-build-failed-phone")
        server.edit(CARD, "topics: [用能", "topics: [用能]")
        expect(page.locator("h1.card-title")).to_have_text("降低企业用电成本", timeout=WAIT_MS)
        expect(page.locator("#live-preview-errors")).to_have_count(0)
    finally:
        server.stop()


def test_a_broken_config_is_shown_and_its_fix_builds_the_site(tmp_path, browser):
    def break_config(project):
        path = project.root / "config.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("title:", "titel:"), encoding="utf-8")

    server = Preview(tmp_path / "project", prepare=break_config)
    try:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(server.url + "/")
        expect(page.locator("#live-preview-errors [role=alert]")).to_contain_text("不认识的设置项“titel”",
                                                                                timeout=WAIT_MS)
        server.edit("config.yaml", "titel:", "title:")
        expect(page.locator("header.site-header")).to_contain_text("政策知识卡片手册", timeout=WAIT_MS)
        expect(page.locator("#live-preview-errors")).to_have_count(0)
    finally:
        server.stop()


def test_a_site_with_a_sub_path_base_is_previewed_under_it(tmp_path, browser):
    server = Preview(tmp_path / "project", "--base-url", "/handbook/")
    try:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(server.url + "/")
        assert page.url == server.url + "/handbook/"
        page.get_by_role("link", name="主题").first.click()
        assert page.url == server.url + "/handbook/topics/"
        page.goto(server.url + "/handbook" + CARD_URL)
        server.edit(CARD, "深化电力体制改革", "全面深化电力体制改革")
        expect(page.locator(".card-body")).to_contain_text("全面深化电力体制改革", timeout=WAIT_MS)
        with pytest.raises(urllib.error.HTTPError) as outside:
            urllib.request.urlopen(server.url + CARD_URL, timeout=5)
        assert outside.value.code == 404
    finally:
        server.stop()


def test_a_busy_port_is_explained(preview):
    busy = subprocess.run([sys.executable, str(REPO / "build.py"), "--config",
                           str(preview.project.root / "config.yaml"), "serve", "--port", str(preview.port)],
                          capture_output=True, text=True, timeout=60)
    assert busy.returncode == 1
    assert f"无法在 127.0.0.1:{preview.port} 上提供预览" in busy.stderr and "--port" in busy.stderr
    assert "Traceback" not in busy.stderr

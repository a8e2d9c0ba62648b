"""The share image of a card (分享图): drawn at build time as the page's og:image when the site has
a full https address (outputs/shareimage.py), and not at all otherwise."""
from __future__ import annotations

import dataclasses
import io
import re

import pytest
import zxingcpp
from PIL import Image

from policy_handbook.config import load_config
from policy_handbook.errors import Diagnostics
from policy_handbook.outputs import shareimage
from policy_handbook.pipeline import build


HTTPS = "https://example.org/handbook/"
OG_IMAGE = re.compile(r'<meta property="og:image" content="([^"]*)">')


def series_project(project):
    """A knowledge-card series like Pianguan's, with two cards."""
    project.document("pianguan", title="市场主体倍增工作知识点", issuer="偏关县人民政府",
                     publisher="偏关县优化营商环境促进市场主体倍增工作专班", region="偏关县",
                     series={"name": "市场主体倍增工作知识点", "label": "“48条”"})
    project.card("1-1", "坚持“法无禁止即可入”。严格执行全国统一的市场准入负面清单，"
                 "任何部门不得以任何形式增设民营企业准入条件。" * 4, doc_id="pianguan",
                 title="坚持“法无禁止即可入”", number="第一期",
                 series={"group": "大幅放宽市场准入", "issue": 1})
    project.card("1-2", "支持民营企业参与基础设施建设运营。", doc_id="pianguan",
                 title="鼓励民营企业参与基础设施建设运营", number="第二期",
                 series={"group": "大幅放宽市场准入", "issue": 2})
    return project


def og_images(project) -> dict[str, list[str]]:
    return {path: OG_IMAGE.findall(data.decode("utf-8"))
            for path, data in project.read_site().items() if path.endswith(".html")}


def library_and_config(project, base_url: str):
    config = load_config(project.root / "config.yaml", Diagnostics(), base_url=base_url)
    result = build(config, write=False)
    assert result.ok, result.diagnostics
    return result.library, config


def qr_text(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize("base_url", ["/", "/handbook/", "http://example.org/handbook/"])
def test_no_og_image_without_an_https_address(project, base_url):
    series_project(project)
    result = project.run("--base-url", base_url, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    assert not any(og_images(project).values())
    library, config = library_and_config(project, base_url)
    assert shareimage.share_image_files(library, config) == {}


def test_with_an_https_address_each_card_page_names_its_share_image(project):
    series_project(project)
    result = project.run("--base-url", HTTPS, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    found = og_images(project)
    assert found["cards/pianguan-1-1/index.html"] == [f"{HTTPS}cards/pianguan-1-1/share.png"]
    assert found["cards/pianguan-1-2/index.html"] == [f"{HTTPS}cards/pianguan-1-2/share.png"]
    assert not found["index.html"] and not found["documents/pianguan/index.html"]
    # …and the files the build-time step makes are exactly those, each the card with its QR code.
    library, config = library_and_config(project, HTTPS)
    files = shareimage.share_image_files(library, config)
    named = {url[len(HTTPS):] for urls in found.values() for url in urls}
    assert set(files) == named
    for path, png in files.items():
        assert Image.open(io.BytesIO(png)).size == (750, 1334)
        assert qr_text(png) == [HTTPS + path[: -len("share.png")]]


def test_share_card_holds_what_the_card_shows(project):
    series_project(project)
    library, _ = library_and_config(project, HTTPS)
    shown = shareimage.share_card(library, "pianguan-1-1", HTTPS + "cards/pianguan-1-1/", "手册")
    assert shown.header == "市场主体倍增工作知识点"
    assert shown.issue == "“48条”之大幅放宽市场准入 第一期"
    assert shown.title == "坚持“法无禁止即可入”"
    assert shown.text.startswith("坚持“法无禁止即可入”。严格执行")
    assert shown.publisher == "偏关县优化营商环境促进市场主体倍增工作专班"


def test_images_are_drawn_once_and_again_only_when_the_card_changes(project, monkeypatch):
    series_project(project)
    library, config = library_and_config(project, HTTPS)
    first = shareimage.share_image_files(library, config)
    drawn = []
    real_draw = shareimage.Painter.draw

    def counting(self, shown):
        drawn.append(shown.title)
        return real_draw(self, shown)
    monkeypatch.setattr(shareimage.Painter, "draw", counting)
    assert shareimage.share_image_files(library, config) == first
    assert drawn == []  # all read back from .cache/share/
    project.card("1-2", "支持民营企业参与基础设施建设运营。", doc_id="pianguan", title="新的标题",
                 number="第二期", series={"group": "大幅放宽市场准入", "issue": 2})
    library, config = library_and_config(project, HTTPS)
    again = shareimage.share_image_files(library, config)
    assert drawn == ["新的标题"]
    assert again["cards/pianguan-1-1/share.png"] == first["cards/pianguan-1-1/share.png"]
    assert again["cards/pianguan-1-2/share.png"] != first["cards/pianguan-1-2/share.png"]


def test_a_machine_without_a_chinese_font_is_told_what_to_install(monkeypatch):
    monkeypatch.setattr(shareimage.shutil, "which", lambda name: None)
    monkeypatch.setattr(shareimage, "FONT_FILES", ("/nonexistent/font.ttc",))
    with pytest.raises(shareimage.ShareImageError, match="找不到中文字体.*apt-get install fonts-wqy-microhei"):
        shareimage.find_font()


def width_of(line: str) -> float:  # Chinese and full-width marks one unit, ASCII half
    return sum(0.5 if ch.isascii() else 1 for ch in line)


def test_lines_break_as_chinese_is_set():
    text = "全省涉企经营许可事项中实行告知承诺的事项达到100项以上，并持续保持全国先进水平。"
    lines = shareimage.wrap(text, 11, width_of)
    assert "".join(lines) == text
    assert all(width_of(line) <= 11 or len(line) == 1 for line in lines[:-1])
    assert not any(line[0] in shareimage.CLOSING for line in lines)  # no line starts with ，or 。
    assert any("100" in line for line in lines)  # a number is never split
    assert not any(line.endswith("“") for line in shareimage.wrap("深化“证照分离”改革" * 3, 5, width_of))


def test_cut_text_ends_in_an_ellipsis():
    lines = shareimage.clamp(["一二三四五", "六七八九十", "十一十二"], 2, 5, width_of)
    assert lines == ["一二三四五", "六七八……"]
    assert shareimage.clamp(["短"], 2, 5, width_of) == ["短"]


def test_drawn_on_two_processes_the_images_are_the_same(project, tmp_path):
    series_project(project)
    for n in range(3, 43):
        project.card(f"2-{n}", f"第{n}条措施的正文。", doc_id="pianguan", title=f"措施{n}",
                     number=f"第{n}期", series={"group": "促进市场主体开办经营便利化", "issue": n})
    library, config = library_and_config(project, HTTPS)
    two = shareimage.share_image_files(library, config, workers=2)
    other = dataclasses.replace(config, project_dir=tmp_path)  # an empty cache
    assert shareimage.share_image_files(library, other, workers=1) == two
    assert len(two) == 42


def test_an_https_build_writes_the_share_image_each_card_page_names(project):
    series_project(project)
    result = project.run("--base-url", HTTPS, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    site = project.read_site()
    named = [(page, url) for page, urls in og_images(project).items() for url in urls]
    assert len(named) == 2
    for page, url in named:
        assert qr_text(site[url[len(HTTPS):]]) == [HTTPS + page[: -len("index.html")]]

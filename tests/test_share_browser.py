"""In Chromium: a reader makes the share image (分享图) of a card, keeps it on a phone by
long-pressing it and downloads it on a desktop."""
from __future__ import annotations

import base64
import io
import re

import pytest
import zxingcpp
from PIL import Image

from test_browser import ARTIFACTS, DESKTOP, PHONE, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

PIANGUAN = "/cards/pianguan-48-measures-2-3/"
# Records every text drawn on a canvas, so the test reads what the image shows.
RECORD_TEXT = """
window.__drawn = [];
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
  window.__drawn.push(String(text));
  return fillText.call(this, text, ...rest);
};
"""


def qr_text(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image.convert("RGB"))
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def make_share_image(page):
    page.get_by_role("button", name="生成分享图").click()
    image = page.get_by_role("img", name=re.compile("^分享图："))
    image.wait_for(state="visible")
    src = image.get_attribute("src")
    assert src.startswith("data:image/png;base64,")
    return image, base64.b64decode(src.split(",", 1)[1])


def test_a_phone_user_makes_the_share_image_of_a_series_card(server, browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.add_init_script(RECORD_TEXT)
    page.goto(server + PIANGUAN)
    image, png = make_share_image(page)

    picture = Image.open(io.BytesIO(png))
    assert picture.size == (750, 1334)  # a 375×667 phone screen at 2×
    assert picture.convert("RGB").getpixel((4, 4)) == (0xB7, 0x20, 0x2E)  # the series' red banner
    assert qr_text(picture) == [server + PIANGUAN]
    drawn = page.evaluate("window.__drawn")
    assert "".join(drawn[0].split()) == "市场主体倍增工作知识点"
    assert "“48条”之促进市场主体开办经营便利化 第三期" in drawn
    assert "推行涉企经营许可承诺制" in drawn
    assert any(text.startswith("\u3000\u3000深化“证照分离”改革") for text in drawn)
    assert "偏关县优化营商环境促进市场主体倍增工作专班" in drawn
    assert "长按识别二维码" in drawn

    assert "长按图片保存" in page.get_by_role("status").inner_text()
    box = image.bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] > box["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "share-image-pianguan.png").write_bytes(png)
    image.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "share-phone.png"))
    context.close()


def test_a_numbered_card_gets_its_heading_and_number(server, browser):
    page = browser.new_page(viewport=PHONE)
    page.add_init_script(RECORD_TEXT)
    page.goto(server + "/cards/shuozhou-private-economy-2019-19/")
    _, png = make_share_image(page)
    drawn = page.evaluate("window.__drawn")
    assert page.locator("h1").inner_text() in drawn
    number = page.locator(".card-issue .card-number").inner_text()
    assert any(text.endswith(number) for text in drawn)
    assert qr_text(Image.open(io.BytesIO(png))) == [server + "/cards/shuozhou-private-economy-2019-19/"]
    page.close()


def test_a_desktop_user_downloads_it(server, browser):
    page = browser.new_page(viewport=DESKTOP, accept_downloads=True)
    page.goto(server + PIANGUAN)
    make_share_image(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载分享图").click()
    assert download.value.suggested_filename == "pianguan-48-measures-2-3.png"
    assert Image.open(download.value.path()).size == (750, 1334)
    page.close()


def test_without_scripts_there_is_no_dead_button(server, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + PIANGUAN)
    assert page.get_by_role("button", name="生成分享图").count() == 0
    context.close()


def test_markup_in_a_card_is_drawn_as_text_never_run(project, browser):
    """A card whose title and text hold HTML: the image shows those characters; nothing runs."""
    project.document("demo", title="<i>文件</i>", publisher="<b>专班</b>")
    project.card("1", body="<img src=x onerror=\"window.__ran=1\">正文", title="<img src=x onerror=window.__ran=1>")
    assert project.run("build", "--no-search").returncode == 0
    site = project.site

    def serve(route):  # the built site, as a server would send it
        path = route.request.url.split("http://handbook.test/", 1)[1].split("?")[0].split("#")[0]
        file = site / (path + "index.html" if path == "" or path.endswith("/") else path)
        if not file.is_file():
            return route.fulfill(status=404, body="")
        types = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
        route.fulfill(status=200, body=file.read_bytes(),
                      headers={"Content-Type": types.get(file.suffix, "application/octet-stream")})
    context = browser.new_context(viewport=PHONE)
    context.route("http://handbook.test/**", serve)
    page = context.new_page()
    page.add_init_script(RECORD_TEXT)
    page.goto("http://handbook.test/cards/demo-1/")
    image, png = make_share_image(page)
    drawn = "".join(page.evaluate("window.__drawn"))  # lines of the image, in order
    assert "<img src=x onerror=window.__ran=1>" in drawn
    assert "<img src=x onerror=\"window.__ran=1\">正文" in drawn
    assert "<b>专班</b>" in drawn
    assert image.get_attribute("alt") == "分享图：<img src=x onerror=window.__ran=1>（长按保存或发送给朋友）"
    assert page.evaluate("window.__ran") is None
    assert page.locator(".share img").count() == 1
    context.close()

"""Share images of cards (分享图) for link previews: cards/<id>/share.png, the page's og:image.

A share image is the card in the style of the 第N期 knowledge cards (series header, issue line,
title, the start of the text, publisher) with a QR code to the card's address, 750×1334 px (a
375×667 phone screen at 2×). Readers make the same picture in their browser (static/share.js);
this module draws it at build time only for a site with a full https base_url, where a link
preview needs a real file. Each image is kept in .cache/share/ under a hash of everything it
shows, so a build draws only the cards whose picture changed; the others are read back.
Measured on the 209 seed cards: drawing one takes about 36 ms of CPU (the QR code 4 ms, the
64-colour PNG 15 ms) against about 6.5 ms per card for the rest of a build; one read back from
the cache 0.2 ms; an image is about 53 KiB.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..library.library import Library
from ..pages.parallel import chunks, fork_map
from ..pages.views import number_label, series_title

RENDERER = "share-2"  # change when the drawing changes: the cached images are drawn again
SCALE = 2
WIDTH, HEIGHT = 375, 667  # CSS pixels; the image is SCALE times this
RED, RED_DARK, GOLD, INK, PAPER = "#b7202e", "#8e1822", "#f6e7c8", "#1f2328", "#ffffff"
FONT_FILES = (  # where Debian's CJK fonts live, if fc-match is missing
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
# Kept with the character before (never starts a line) or after (never ends one).
CLOSING = set("，。、；：？！”’）》」』】〕…·%,.;:?!)]")
OPENING = set("“‘（《「『【〔([")


class ShareImageError(Exception):
    """What stops the share images from being drawn, and how to fix it (for Diagnostics)."""

    def __init__(self, message: str, hint: str):
        super().__init__(f"{message}；{hint}")
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class ShareCard:
    """What a share image shows, all plain text."""

    header: str  # 市场主体倍增工作知识点, or the document's title
    issue: str  # “48条”之大幅放宽市场准入 第一期, or the heading and number
    title: str
    text: str
    publisher: str
    url: str  # the card's address, in the QR code
    site: str  # the handbook's title


def share_card(library: Library, card_id: str, card_url: str, site: str) -> ShareCard:
    card = library.cards[card_id]
    doc = library.documents[card.document]
    issue = series_title(card, doc) or " ".join([*card.heading[-1:], number_label(card)])
    return ShareCard(doc.series.name if doc.series else doc.title, issue, card.title,
                     plain_text(library, card_id), doc.publisher or doc.issuer, card_url, site)


_LINK = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]")


def plain_text(library: Library, card_id: str) -> str:
    """The card's text as a reader sees it: [[links]] as their words, no Markdown marks."""
    def words(m: re.Match) -> str:
        target, text = m.group(1), m.group(2)
        return text or (library.cards[target].title if target in library.cards else target)
    text = _LINK.sub(words, library.cards[card_id].body)
    text = re.sub(r"[*_`#>]+|\\", "", text)
    return " ".join(text.split())


def share_image_files(library: Library, config: Config, workers: int = 1) -> dict[str, bytes]:
    """{"cards/<id>/share.png": PNG} for every card when base_url is a full https address,
    else nothing (a preview or a path-only site has no use for them: readers draw their own).
    Images not in the cache are drawn on `workers` processes (pages/parallel.py)."""
    if not config.base_url.startswith("https://"):
        return {}
    font = find_font()
    cache = config.project_dir / ".cache" / "share"
    stamp = _font_stamp(font)
    files: dict[str, bytes] = {}
    missing: list[tuple[str, Path, ShareCard]] = []
    for card_id in library.cards:
        shown = share_card(library, card_id, f"{config.base_url}cards/{card_id}/", config.title)
        key = hashlib.sha256(repr((RENDERER, stamp, shown)).encode("utf-8")).hexdigest()
        cached = cache / key[:2] / f"{key}.png"
        try:
            files[f"cards/{card_id}/share.png"] = cached.read_bytes()
        except OSError:
            missing.append((f"cards/{card_id}/share.png", cached, shown))
    painter = Painter(font)
    drawn = fork_map(lambda part: [painter.draw(shown) for _, _, shown in part],
                     chunks(missing, max(1, min(workers, len(missing) // 20))))
    for (out, cached, _), data in zip(missing, (png for part in drawn for png in part)):
        files[out] = data
        _keep(cached, data)
    return dict(sorted(files.items()))


def _keep(path: Path, data: bytes) -> None:
    try:  # a cache that cannot be written only costs time
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass


def find_font() -> tuple[str, int]:
    """A font with Chinese glyphs (file, face in a collection): fontconfig's choice for zh-cn,
    else a known Debian path."""
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{lang}", ":lang=zh-cn"],
                               capture_output=True, text=True, timeout=30).stdout.split("\n")
        if len(found) == 3 and "zh-cn" in found[2].split("|") and found[1].isdigit():
            return found[0], int(found[1])
    for path in FONT_FILES:
        if Path(path).is_file():
            return path, 0
    raise ShareImageError("找不到中文字体，画不出卡片的分享图",
                          "安装一个中文字体（Debian：apt-get install fonts-wqy-microhei），再生成一次")


def _font_stamp(font: tuple[str, int]) -> str:
    st = os.stat(font[0])
    return f"{font[0]}:{font[1]}:{st.st_size}:{int(st.st_mtime)}"


def wrap(text: str, width: float, measure) -> list[str]:
    """Lines of at most `width` (as `measure` gives it), broken between characters as Chinese is,
    but never inside a run of Latin letters and digits, before closing or after opening marks."""
    tokens: list[str] = []
    for ch in text:
        if tokens and (ch in CLOSING or (ch.isascii() and ch.isalnum() and tokens[-1][-1:].isascii()
                                         and tokens[-1][-1:].isalnum()) or tokens[-1][-1] in OPENING):
            tokens[-1] += ch
        else:
            tokens.append(ch)
    lines, line = [], ""
    for token in tokens:
        if line and measure(line + token) > width:
            lines.append(line)
            line = token.lstrip()
        else:
            line += token
    if line:
        lines.append(line)
    return lines


def clamp(lines: list[str], count: int, width: float, measure) -> list[str]:
    """The first `count` lines; when text is cut, the last one ends in “……”."""
    if len(lines) <= count:
        return lines
    last = lines[count - 1]
    while last and measure(last + "……") > width:
        last = last[:-1]
    return [*lines[:count - 1], last + "……"]


class Painter:
    """Draws share images with one font; keeps its sizes and the widths of characters met."""

    def __init__(self, font: tuple[str, int]):
        self.font_file, self.font_index = font
        self.fonts: dict = {}
        self.widths: dict[tuple[int, str], float] = {}

    def font(self, size: int):
        from PIL import ImageFont
        if size not in self.fonts:
            self.fonts[size] = ImageFont.truetype(self.font_file, size * SCALE, index=self.font_index)
        return self.fonts[size]

    def measure(self, size: int):
        """Width of a line in CSS px: the sum of its characters' (Chinese text has no kerning)."""
        def width(line: str) -> float:
            total = 0.0
            for ch in line:
                w = self.widths.get((size, ch))
                if w is None:
                    w = self.widths[(size, ch)] = self.font(size).getlength(ch) / SCALE
                total += w
            return total
        return width

    def draw(self, shown: ShareCard) -> bytes:
        """The PNG of one share image (layout in CSS pixels, drawn at SCALE)."""
        from PIL import Image, ImageDraw

        s, measure = SCALE, self.measure
        image = Image.new("RGB", (WIDTH * s, HEIGHT * s), RED)
        pen = ImageDraw.Draw(image)

        def text(x: float, y: float, line: str, size: int, fill: str, anchor: str = "la", bold: bool = False):
            pen.text((x * s, y * s), line, font=self.font(size), fill=fill, anchor=anchor,
                     stroke_width=1 if bold else 0, stroke_fill=fill)

        # The banner: series header (letter-spaced as the card's banner when it fits on one line,
        # else on two), issue pill, title.
        header, size = [" ".join(shown.header)], 18
        if measure(18)(header[0]) > WIDTH - 48:
            header, size = clamp(wrap(shown.header, WIDTH - 48, measure(16)), 2, WIDTH - 48, measure(16)), 16
        for i, line in enumerate(header):
            text(WIDTH / 2, 40 + 24 * i, line, size, PAPER, "mm")
        y = 64 + 24 * (len(header) - 1)
        issue_lines = clamp(wrap(shown.issue, WIDTH - 72, measure(14)), 2, WIDTH - 72, measure(14)) or [""]
        pill_w = max(measure(14)(line) for line in issue_lines) + 28
        pill_h = 22 * len(issue_lines) + 8
        pen.rounded_rectangle(((WIDTH - pill_w) / 2 * s, y * s, (WIDTH + pill_w) / 2 * s, (y + pill_h) * s),
                              radius=min(pill_h / 2, 15) * s, fill=GOLD)
        for i, line in enumerate(issue_lines):
            text(WIDTH / 2, y + 4 + 22 * i + 11, line, 14, RED_DARK, "mm", bold=True)
        y += pill_h + 16
        for line in clamp(wrap(shown.title, WIDTH - 48, measure(22)), 3, WIDTH - 48, measure(22)):
            text(WIDTH / 2, y + 15, line, 22, PAPER, "mm", bold=True)
            y += 34
        y += 10

        # The paper: the start of the text, then the publisher.
        foot_top = HEIGHT - 132
        pen.rounded_rectangle((16 * s, y * s, (WIDTH - 16) * s, (foot_top - 12) * s), radius=12 * s, fill=PAPER)
        body_w, line_h = WIDTH - 72, 28
        room = int((foot_top - 12 - 58 - (y + 20)) // line_h)
        lines = clamp(wrap("\u3000\u3000" + shown.text, body_w, measure(16)), max(room, 1), body_w, measure(16))
        ty = y + 20
        for line in lines:
            text(36, ty + line_h / 2, line, 16, INK, "lm")
            ty += line_h
        rule_y = foot_top - 12 - 48
        for x in range(36, WIDTH - 36, 6):
            pen.line((x * s, rule_y * s, (x + 3) * s, rule_y * s), fill="#d9dbde", width=s)
        publisher = clamp(wrap(shown.publisher, body_w, measure(14)), 1, body_w, measure(14))
        text(WIDTH - 36, rule_y + 24, publisher[0] if publisher else "", 14, RED_DARK, "rm", bold=True)

        # The foot: QR code to the card and what to do with it.
        qr = qr_image(shown.url, 104 * s)
        pen.rounded_rectangle((16 * s, foot_top * s, 128 * s, (foot_top + 112) * s), radius=8 * s, fill=PAPER)
        image.paste(qr, ((72 * s - qr.width // 2), (foot_top + 56) * s - qr.height // 2))
        text(144, foot_top + 30, "长按识别二维码", 17, PAPER, "lm", bold=True)
        text(144, foot_top + 58, "查看这条措施的全文和出处", 13, PAPER, "lm")
        text(144, foot_top + 86, shown.site, 13, GOLD, "lm")
        out = io.BytesIO()
        # 64 colours hold the red, gold, ink and their anti-aliased edges: a third of the bytes
        # of full colour, and as sharp.
        image.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(out, "PNG")
        return out.getvalue()


def qr_image(url: str, size: int):
    """The QR code of `url` (error correction M, 2 modules of quiet zone), at most `size` px
    square, each module a whole number of pixels (a blurred edge would hinder scanning)."""
    import segno
    from PIL import Image

    code = segno.make(url, error="m", micro=False, boost_error=False)  # as share.js
    rows = list(code.matrix_iter(border=2))
    n = len(rows)
    cells = Image.frombytes("L", (n, n), bytes(0 if dark else 255 for row in rows for dark in row))
    module = max(size // n, 1)
    return cells.resize((n * module, n * module), Image.Resampling.NEAREST)

"""Editor links in Markdown bodies: [[card-id]], [[card-id|text]], [[《document title》]], and
《document title》 in running text.

Rendering is plain CommonMark (raw HTML off, tables and
strikethrough on) plus two markdown-it rules:

- the inline rule "editor_link", tried before CommonMark's own link rule, reads `[[…]]`;
- the core rule "editor_links", after "text_join", gives every editor link the line it is
  written on, turns 《title》 in plain text into a link when the title is a document of the
  handbook (never inside code or inside another link), and collects links and broken links.

Hrefs come only from LinkTarget.card_url / document_url, called with ids that exist, so no text
in content can make a link that leaves the site. Everything else is escaped by markdown-it.
"""
from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.utils import EnvType, OptionsDict
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

OPEN, CLOSE, PIPE = "[[", "]]", "|"
TITLE_OPEN, TITLE_CLOSE = "《", "》"
INERT = "editor_link_text"  # token type of an editor link shown as plain text (broken or nested)
_ENV_TARGET, _ENV_LINKS, _ENV_BROKEN = "editor_link_target", "editor_links", "editor_links_broken"


@dataclass(frozen=True)
class LinkTarget:
    """What the renderer knows about the handbook."""

    cards: Mapping[str, str]  # card id -> title
    documents: Mapping[str, str]  # document title -> document id
    card_url: Callable[[str], str]
    document_url: Callable[[str], str]

    @cached_property
    def longest_title(self) -> int:
        """The length of the longest document title: how far a 《 may be from its 》."""
        return max(map(len, self.documents), default=0)


@dataclass(frozen=True)
class OutLink:
    kind: str  # "card" | "document"
    target: str  # card id or document id
    line: int  # file line number where the link is written


@dataclass(frozen=True)
class BrokenLink:
    line: int
    message: str
    hint: str


@dataclass(frozen=True)
class RenderedBody:
    html: str
    links: tuple[OutLink, ...]
    broken: tuple[BrokenLink, ...]


@dataclass(frozen=True)
class _Ref:
    """One `[[…]]` as resolved by the inline rule; its line is found later by the core rule."""

    kind: str  # "card" | "document"
    target: str  # card id or document id; "" when broken
    text: str  # what the reader sees
    offset: int  # position of "[[" in the inline source
    end: int  # position after "]]"
    message: str = ""  # set when broken
    hint: str = ""


EMPTY_TARGET = LinkTarget({}, {}, lambda card_id: "", lambda document_id: "")


def render_body(markdown_text: str, target: LinkTarget, first_line: int) -> RenderedBody:
    """Render a body; `first_line` is the file line of the text's first line."""
    env: dict = {_ENV_TARGET: target, _ENV_LINKS: [], _ENV_BROKEN: []}
    html = _parser().render(markdown_text, env)
    links = tuple(OutLink(kind, tgt, first_line + line) for kind, tgt, line in env[_ENV_LINKS])
    broken = tuple(BrokenLink(first_line + line, message, hint)
                   for line, message, hint in env[_ENV_BROKEN])
    return RenderedBody(html, links, broken)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}) \
        .enable("table").enable("strikethrough")
    md.inline.ruler.before("link", "editor_link", _editor_link_rule)
    md.core.ruler.after("text_join", "editor_links", _editor_links_core)
    md.add_render_rule(INERT, _render_inert)
    return md


# --- resolving what an editor wrote ------------------------------------------------------------

def parse_ref(inner: str) -> tuple[str, str, str]:
    """'id|shown' -> ("card", "id", "shown"); '《title》' -> ("document", "title", "")."""
    key, _, shown = inner.partition(PIPE)
    key, shown = key.strip(), shown.strip()
    if len(key) > 2 and key.startswith(TITLE_OPEN) and key.endswith(TITLE_CLOSE):
        return "document", key[1:-1].strip(), shown
    return "card", key, shown


def resolve(inner: str, target: LinkTarget, offset: int = 0, end: int = 0) -> _Ref:
    """What `[[inner]]` links to, or why it links nowhere."""
    kind, key, shown = parse_ref(inner)
    if kind == "document":
        written = f"{TITLE_OPEN}{key}{TITLE_CLOSE}"
        document_id = target.documents.get(key)
        if document_id is None:
            return _Ref(kind, "", shown or written, offset, end,
                        f"文件{written}不在本手册中",
                        _document_hint(key, target))
        return _Ref(kind, document_id, shown or written, offset, end)
    if not key:
        return _Ref(kind, "", shown or inner, offset, end, f"链接 [[{inner}]] 没有写卡片 id",
                    "写成 [[card-id]] 或 [[card-id|text]]")
    if key not in target.cards:
        return _Ref(kind, "", shown or key, offset, end, f"卡片“{key}”不存在",
                    _card_hint(key, target))
    return _Ref(kind, key, shown or target.cards[key], offset, end)


def _did_you_mean(options: list[str], quote: Callable[[str], str] = lambda s: f"“{s}”") -> str:
    return "是不是" + "或".join(quote(o) for o in options) + "？"


def _card_hint(key: str, target: LinkTarget) -> str:
    by_title = sorted(card_id for card_id, title in target.cards.items() if title == key)
    if by_title:
        return _did_you_mean(by_title[:3])
    document_ids = {document_id: title for title, document_id in target.documents.items()}
    if key in document_ids:
        return f"“{key}”是文件，不是卡片，要写成 [[{TITLE_OPEN}{document_ids[key]}{TITLE_CLOSE}]]"
    close = difflib.get_close_matches(key, list(target.cards), n=3, cutoff=0.6)
    if not close:
        titles = difflib.get_close_matches(key, sorted(set(target.cards.values())), n=3, cutoff=0.6)
        close = sorted(card_id for card_id, title in target.cards.items() if title in titles)[:3]
    if close:
        return _did_you_mean(close)
    return "改用卡片文件头里的 id（id: …）"


def _document_hint(key: str, target: LinkTarget) -> str:
    titles = {document_id: title for title, document_id in target.documents.items()}
    if key in titles:
        return _did_you_mean([titles[key]], lambda t: f"{TITLE_OPEN}{t}{TITLE_CLOSE}")
    close = difflib.get_close_matches(key, list(target.documents), n=3, cutoff=0.6)
    if close:
        return _did_you_mean(close, lambda t: f"{TITLE_OPEN}{t}{TITLE_CLOSE}")
    return "照文件的文件头原样写标题（title: …）"


# --- markdown-it rules ---------------------------------------------------------------------------

def _editor_link_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule for `[[…]]`: a link, or plain text when broken or inside another link."""
    start = state.pos
    if not state.src.startswith(OPEN, start):
        return False
    end = state.src.find(CLOSE, start + len(OPEN), state.posMax)
    if end < 0:
        return False
    inner = state.src[start + len(OPEN):end]
    if not inner.strip() or any(ch in inner for ch in "[]\n"):
        return False
    if not silent:
        target = state.env.get(_ENV_TARGET, EMPTY_TARGET)
        ref = resolve(inner, target, start, end + len(CLOSE))
        if ref.target and state.linkLevel == 0:
            url = target.card_url(ref.target) if ref.kind == "card" else target.document_url(ref.target)
            _push_link(state, url, ref)
        else:
            token = state.push(INERT, "", 0)
            token.content = ref.text
            token.meta["editor_link"] = ref
    state.pos = end + len(CLOSE)
    return True


def _push_link(state: StateInline, url: str, ref: _Ref) -> None:
    token = state.push("link_open", "a", 1)
    token.attrs = {"href": state.md.normalizeLink(url)}
    token.markup, token.info = OPEN, "editor_link"
    token.meta["editor_link"] = ref
    token = state.push("text", "", 0)
    token.content = ref.text
    token = state.push("link_close", "a", -1)
    token.markup, token.info = CLOSE, "editor_link"


def _render_inert(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
                  env: EnvType) -> str:
    """Plain escaped text (the core rule turns these into text tokens; this is the fallback)."""
    return self.rules["text"](tokens, idx, options, env)


def _editor_links_core(state: StateCore) -> None:
    """Lines for `[[…]]` links, 《title》 auto-links, and the lists render_body returns."""
    target = state.env.get(_ENV_TARGET, EMPTY_TARGET)
    links: list = state.env.setdefault(_ENV_LINKS, [])
    broken: list = state.env.setdefault(_ENV_BROKEN, [])
    for block in state.tokens:
        if block.type == "inline" and block.children:
            first = block.map[0] if block.map else 0
            block.children = _walk(block.children, block.content, first, target, links, broken, state)


def _walk(children: list[Token], source: str, first: int, target: LinkTarget,
          links: list, broken: list, state: StateCore) -> list[Token]:
    """One inline token's children, in order: where each link is, and 《title》 made links.

    Editor links know their offset in the inline source. Plain text does not, so a 《title》 is
    found in the source from a cursor that never falls behind: past the previous link or code
    span, and no earlier than the line reached by counting line breaks."""
    line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
    breaks, cursor, depth = 0, 0, 0
    out: list[Token] = []

    def line_of(offset: int) -> int:
        return first + source.count("\n", 0, offset)

    for token in children:
        ref = token.meta.get("editor_link") if token.meta else None
        if isinstance(ref, _Ref):
            line = line_of(ref.offset)
            cursor = max(cursor, ref.end)
            if ref.target and token.type == "link_open":
                links.append((ref.kind, ref.target, line))
            elif not ref.target:
                broken.append((line, ref.message, ref.hint))
        if token.type in ("softbreak", "hardbreak"):
            breaks += 1
            cursor = max(cursor, line_starts[min(breaks, len(line_starts) - 1)])
        elif token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
        elif token.type == "code_inline":
            opened = source.find(token.markup, cursor)
            closed = source.find(token.markup, opened + len(token.markup)) if opened >= 0 else -1
            if closed >= 0:
                cursor = closed + len(token.markup)
        elif token.type == "image" and token.children:
            # an alt text shows no links (so none is listed), but a broken one is still wrong
            _walk(token.children, "", first + breaks, EMPTY_TARGET, [], broken, state)
        elif token.type == INERT:
            token.type = "text"
        elif token.type == "text" and depth == 0 and target.documents:
            pieces, cursor = _link_titles(token, source, cursor, first, target, links, state)
            out.extend(pieces)
            continue
        out.append(token)
    return out


def _link_titles(token: Token, source: str, cursor: int, first: int, target: LinkTarget,
                 links: list, state: StateCore) -> tuple[list[Token], int]:
    """Split one text token around 《title》s that name handbook documents."""
    text = token.content
    pieces: list[Token] = []
    done = 0
    for start, title in find_titles(text, target.documents, target.longest_title):
        written = f"{TITLE_OPEN}{title}{TITLE_CLOSE}"
        found = source.find(written, cursor)
        if found >= 0:
            cursor = found + len(written)
        line = first + source.count("\n", 0, found if found >= 0 else cursor)
        document_id = target.documents[title]
        links.append(("document", document_id, line))
        if start > done:
            pieces.append(_text(text[done:start], token.level))
        link_open = Token("link_open", "a", 1, level=token.level, markup=TITLE_OPEN, info="document_title")
        link_open.attrs = {"href": state.md.normalizeLink(target.document_url(document_id))}
        pieces += [link_open, _text(written, token.level + 1),
                   Token("link_close", "a", -1, level=token.level, markup=TITLE_CLOSE,
                         info="document_title")]
        done = start + len(written)
    if not pieces:
        return [token], cursor
    if done < len(text):
        pieces.append(_text(text[done:], token.level))
    return pieces, cursor


def _text(content: str, level: int) -> Token:
    return Token("text", "", 0, content=content, level=level)


def find_titles(text: str, documents: Mapping[str, str], longest: int | None = None) -> list[tuple[int, str]]:
    """(offset of 《, title) for every 《title》 in text whose title is a handbook document;
    `longest`: the longest title's length, when known (LinkTarget.longest_title).

    Titles may themselves contain 《…》, so the longest title that fits wins; matches never overlap."""
    found: list[tuple[int, str]] = []
    pos = text.find(TITLE_OPEN)
    if pos < 0:
        return found  # most text: no title, and no pass over the titles (there is one per document)
    if longest is None:
        longest = max(map(len, documents), default=0)
    while pos >= 0:
        title, close = None, text.find(TITLE_CLOSE, pos + 1)
        while close >= 0 and close - pos - 1 <= longest:  # each 》 in reach: the last that closes a title wins
            if close > pos + 1 and text[pos + 1:close] in documents:
                title = text[pos + 1:close]
            close = text.find(TITLE_CLOSE, close + 1)
        if title is None:
            pos = text.find(TITLE_OPEN, pos + 1)
            continue
        found.append((pos, title))
        pos = text.find(TITLE_OPEN, pos + len(title) + 2)
    return found

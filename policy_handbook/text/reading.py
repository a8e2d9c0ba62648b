"""Text as a reader of the genre reads it, for recognising conventions only.

Cards keep the characters the source prints; this form is only matched against. It has the
same length as the text, character for character, so a match in it points at the same
characters of the original: traditional characters read as simplified (OpenCC's t2s),
full-width digits, letters and brackets as half-width.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import opencc

# Full-width forms of ASCII (！ … ～) read as ASCII; the ideographic space as a space.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def _simplified_char(ch: str) -> str:
    converted = _converter().convert(ch)
    return converted if len(converted) == 1 else ch


def reading_form(text: str) -> str:
    """The text with simplified characters and half-width digits and brackets, same length."""
    text = text.translate(_WIDTH)
    if text.isascii():
        return text
    converted = _converter().convert(text)
    if len(converted) != len(text):  # a phrase converted to another length: character by character
        converted = "".join(_simplified_char(ch) for ch in text)
    return converted


# Converter pinyin after a character (區(qū)), and a space between two Chinese characters or
# around a bracket (a PDF's 市 财政局, 各市 (地) 、县, a label spaced out as 牵 头 单 位): read as if absent.
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\([a-zA-Züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,6}\)")
_INNER_SPACE = re.compile(r"(?<=[\u3400-\u9fff\uff1a:()（）])[ \u3000](?=[\u3400-\u9fff\uff1a:()（）、，])")


@dataclass(frozen=True)
class ReadingView:
    """A text's reading form without converter pinyin and inner spaces, and where each of its
    characters stands in the original, so that a phrase found in it is quoted as written."""

    text: str
    original: str
    offsets: tuple[int, ...]  # offsets[i]: index in `original` of text[i]

    def written(self, start: int, end: int) -> str:
        """The original characters behind text[start:end]."""
        if start >= end:
            return ""
        return self.original[self.offsets[start]:self.offsets[end - 1] + 1]

    def quote(self, phrase: str, after: int = 0) -> str:
        """`phrase` (a piece of `text`) as the original writes it; the phrase itself when absent."""
        at = self.text.find(phrase, after)
        if at < 0:
            at = self.text.find(phrase)
        return self.written(at, at + len(phrase)) if at >= 0 and phrase else phrase


def reading_view(text: str) -> ReadingView:
    plain = reading_form(text)
    dropped = bytearray(len(plain))
    for pattern in (_PINYIN, _INNER_SPACE):
        for m in pattern.finditer(plain):
            dropped[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    keep = [i for i in range(len(plain)) if not dropped[i]]
    return ReadingView("".join(plain[i] for i in keep), text, tuple(keep))

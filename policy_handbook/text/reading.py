"""Text as a reader of the genre reads it, for recognising conventions only.

Cards keep the characters the source prints; this form is only matched against. It has the
same length as the text, character for character, so a match in it points at the same
characters of the original: traditional characters read as simplified (OpenCC's t2s),
full-width digits, letters and brackets as half-width.
"""
from __future__ import annotations

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

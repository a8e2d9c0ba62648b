"""Read a source text whatever its encoding: UTF-8, UTF-8 with BOM, UTF-16 or UTF-32 with BOM, or GB18030.

Lines end with '\\n' only, as editors and git count them. The other characters Python would break
lines at (U+2028 LINE SEPARATOR, U+2029, U+0085, vertical tab, form feed, U+001C-U+001E: soft
breaks and page breaks left by word processors and PDF extraction) are read as what they stand
for in this genre: between two items (…。<LS>2. …) a line break, so no item hides inside another;
anywhere else a soft wrap, so a measure whose lead sentence was wrapped still reads as one line.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from .outline import clean_line, match_marker

ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig also reads plain UTF-8
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # UTF-32's before UTF-16's: they share FF FE
SEPARATORS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


class SourceDecodeError(Exception):
    hint = "把文件另存为 UTF-8（或 GB18030）编码的文本"


def decode(data: bytes, name: str) -> str:
    bom = [encoding for mark, encoding in BOMS if data.startswith(mark)][:1]
    for encoding in (*bom, *ENCODINGS):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding in bom and not _plausible(text):
            continue  # binary data that happens to start like a byte-order mark
        if "\x00" in text:
            break  # UTF-16 without a byte-order mark reads as GB18030 full of NULs
        return _separators(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    # Report where UTF-8 fails: the likeliest intended encoding.
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceDecodeError(
            f"{name} 既不是 UTF-8 也不是 GB18030 编码（偏移 {exc.start} 处的字节无法解码）") from None
    raise SourceDecodeError(f"{name} 里有 NUL 字节，不是 UTF-8 或 GB18030 编码的文本"
                            "（可能是没有 BOM 的 UTF-16？）")


def _plausible(text: str) -> bool:
    """No unassigned code points or lone surrogates: what UTF-16 makes of bytes that are not text."""
    return not any(unicodedata.category(ch) in ("Cn", "Cs") for ch in text)


def _separators(text: str) -> str:
    """Each run of other line-breaking characters: '\\n' where an item starts after it, else nothing."""
    def replace(m: re.Match[str]) -> str:
        before = text[max(0, m.start() - 1):m.start()]
        after = text[m.end():m.end() + 200].split("\n", 1)[0]  # enough to see a number, a bounded cost
        if before in ("", "\n") or not after.strip():
            return ""  # at the start or the end of a line
        return "\n" if match_marker(clean_line(after)) else ""
    return SEPARATORS.sub(replace, text)


def read_source(path: Path) -> str:
    return decode(path.read_bytes(), path.name)

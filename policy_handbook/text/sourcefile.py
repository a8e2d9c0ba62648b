"""Read a source text whatever its encoding: UTF-8, UTF-8 with BOM, or GB18030."""
from __future__ import annotations

from pathlib import Path

ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig also reads plain UTF-8


class SourceDecodeError(Exception):
    hint = "save the file as UTF-8 (or GB18030) text"


def decode(data: bytes, name: str) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    # Report where UTF-8 fails: the likeliest intended encoding.
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceDecodeError(
            f"{name} is neither UTF-8 nor GB18030 text (undecodable byte at offset {exc.start})") from None
    raise AssertionError("unreachable")


def read_source(path: Path) -> str:
    return decode(path.read_bytes(), path.name)

"""Chinese numerals as printed in policy documents (一 … 九十九, 〇/零)."""
from __future__ import annotations

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
          "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)
MAX_DIGITS = 6  # 第99999…9章 is no chapter (and int() refuses 4,300 digits)


def parse_chinese_numeral(text: str) -> int | None:
    """'四十二' -> 42, '十' -> 10, '一百零三' -> 103; None when it is not a numeral."""
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
    return total + (digit or 0)


def parse_number(text: str) -> int | None:
    """An Arabic or Chinese number, or None."""
    text = text.strip()
    if text.isdecimal():  # ASCII or fullwidth; isdigit() would pass ² and ①, which int() refuses
        return int(text) if len(text) <= MAX_DIGITS else None
    return parse_chinese_numeral(text)

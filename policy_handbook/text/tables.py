"""Task tables flattened to one line per row, their cells separated by spaces.

A 任务分解表 copied from a page or a PDF often becomes a header line `序号 类别 主要任务 细化措施
牵头单位 …` and one line per row: `1 加强水资源保 护 严守水资源开发利用控制红线 实施…。 市水利局 …`.
A cell's own line breaks became spaces too, and an empty cell (one that spans rows above it)
leaves two spaces. The task is the cell under the header's task column (主要任务, 重点工作 …); it
ends where the next cell, the first that holds a sentence (细化措施), begins. Pure: text in, cells out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .reading import reading_form

HEADER = re.compile(r"^序号(?:[ \t]+[^\s，。,.;；:：]{1,10}){3,}$")
TASK_COLUMN = re.compile(r"任务|工作|事项|内容|项目")
ROW = re.compile(r"^(\d{1,3}) (?=\S| \S)")  # the 序号 and one space; a second space: an empty cell
SENTENCE = re.compile(r"[。；;，,：:！？]")


@dataclass(frozen=True)
class TableHeader:
    line: int  # the header's line number: rows come after it
    before: int  # how many columns stand between 序号 and the task column


@dataclass(frozen=True)
class Row:
    value: int
    printed: str  # the 序号 as printed
    task: str  # the task cell as printed
    rest: str  # the cells after it, as printed


def find_header(numbered_texts: list[tuple[int, str]]) -> TableHeader | None:
    """The first header line of a space-separated table that has a task column."""
    for number, text in numbered_texts:
        reading = reading_form(text)
        if not HEADER.match(reading):
            continue
        columns = reading.split()
        task = next((i for i, name in enumerate(columns) if i and TASK_COLUMN.search(name)), None)
        if task is not None and task < len(columns) - 1:
            return TableHeader(number, task - 1)
    return None


def read_row(text: str, header: TableHeader) -> Row | None:
    """A row of the table: its 序号, its task cell and the cells after it; None for other lines.

    The cells before the task (类别) are skipped: an empty one is a second space; a printed one
    may hold spaces of its own (`加强水资源保 护`), so the task is then the last phrase before the
    sentence cell. Where those cells are empty, the task is all of it (`严守用水 效率控制 红线`)."""
    reading = reading_form(text)
    m = ROW.match(reading)
    if not m:
        return None
    at, empty = m.end(), 0
    while empty < header.before and reading.startswith(" ", at):
        at, empty = at + 1, empty + 1
    phrases = [(p.start(), p.end()) for p in re.finditer(r"\S+", reading[at:])]
    body = next((i for i, (s, e) in enumerate(phrases) if SENTENCE.search(reading[at + s:at + e])), None)
    printed_before = header.before - empty
    if body is None or body <= printed_before:
        return None
    first = body - 1 if printed_before else 0
    start, end = at + phrases[first][0], at + phrases[body - 1][1]
    return Row(int(m.group(1)), text[:len(m.group(1))], text[start:end], text[at + phrases[body][0]:].strip())

"""Write contact fields into content/agencies.yaml as text edits, leaving every other byte alone.

The registry is the editors' file: its comments, its order, the way each entry is written (a
flow `contact: {phone: '', …}` or a block under `contact:`), its line ends. So the file is not
dumped again: each value to set replaces the text of its scalar, a new key is added after the
block's last one in the block's own style, and a missing `contact` is added after the entry's last
key. The result is read back and compared with what was meant: any difference, and nothing is
written.
"""
from __future__ import annotations

import codecs
from pathlib import Path

import yaml

from ..yamlfile import YamlProblem, parse_yaml


class EditProblem(Exception):
    """The registry could not be edited as text (its own error says why)."""


def quoted(value: str) -> str:
    """A value as a single-quoted YAML scalar: text stays text (0349… is no number), one line."""
    text = yaml.safe_dump(" ".join(value.split()), default_style="'", allow_unicode=True, width=1_000_000)
    return text.strip().removesuffix("...").strip()


def read_text(path: Path) -> tuple[str, bool]:
    """The file's text with its line ends as they are, and whether it starts with a BOM."""
    data = path.read_bytes()
    bom = data.startswith(codecs.BOM_UTF8)
    return data[len(codecs.BOM_UTF8) if bom else 0:].decode("utf-8"), bom


def edit_contacts(text: str, updates: dict[str, dict[str, str]]) -> str:
    """`text` with each named entry's contact keys set to the given values. Raises EditProblem."""
    try:
        data, root = parse_yaml(text)
    except YamlProblem as exc:
        raise EditProblem(f"第 {exc.line} 行：{exc.problem}") from None
    if not isinstance(root, yaml.SequenceNode):
        raise EditProblem("它不是一个列表")
    newline = "\r\n" if "\r\n" in text else "\n"
    edits: list[tuple[int, int, str]] = []
    found = set()
    for entry in root.value:
        name = _scalar(entry, "name")
        if name is None or name.strip() not in updates:
            continue
        found.add(name.strip())
        edits += _entry_edits(text, entry, updates[name.strip()], newline)
    missing = set(updates) - found
    if missing:
        raise EditProblem(f"找不到“{'、'.join(sorted(missing))}”这一条")
    new = text
    for start, end, replacement in sorted(edits, reverse=True):
        new = new[:start] + replacement + new[end:]
    _verify(data, new, updates)
    return new


def _scalar(entry: yaml.Node, key: str) -> str | None:
    if not isinstance(entry, yaml.MappingNode):
        return None
    value = next((v for k, v in entry.value if k.value == key), None)
    return value.value if isinstance(value, yaml.ScalarNode) else None


def _flow(pairs: dict[str, str]) -> str:
    return "{" + ", ".join(f"{key}: {quoted(value)}" for key, value in pairs.items()) + "}"


def _entry_edits(text: str, entry: yaml.MappingNode, values: dict[str, str], newline: str) -> list[tuple[int, int, str]]:
    contact_key, contact = next(((k, v) for k, v in entry.value if k.value == "contact"), (None, None))
    if contact is None:  # no contact yet: one after the entry's last key, in the entry's style
        last = entry.value[-1][1].end_mark.index
        if entry.flow_style:
            return [(last, last, f", contact: {_flow(values)}")]
        indent = " " * entry.value[0][0].start_mark.column
        return [(last, last, f"{newline}{indent}contact: {_flow(values)}")]
    if isinstance(contact, yaml.ScalarNode):  # contact:, contact: ~, contact: ''
        start, end = contact.start_mark.index, contact.end_mark.index
        if start == end:  # an empty value: its mark is where the next token starts
            start = end = text.index(":", contact_key.end_mark.index) + 1
            return [(start, end, f" {_flow(values)}")]
        return [(start, end, _flow(values))]
    if not isinstance(contact, yaml.MappingNode):
        raise EditProblem(f"第 {contact.start_mark.line + 1} 行的 contact 不是一组子字段")
    edits, added = [], {}
    present = {k.value: v for k, v in contact.value}
    for key, value in values.items():
        node = present.get(key)
        if node is None:
            added[key] = value
        elif isinstance(node, yaml.ScalarNode) and node.start_mark.index != node.end_mark.index:
            edits.append((node.start_mark.index, node.end_mark.index, quoted(value)))
        elif isinstance(node, yaml.ScalarNode):  # `phone:` with nothing after it
            at = text.index(":", next(k for k, _ in contact.value if k.value == key).end_mark.index) + 1
            edits.append((at, at, f" {quoted(value)}"))
        else:
            raise EditProblem(f"第 {node.start_mark.line + 1} 行的 contact.{key} 不是文字")
    if added:
        if not contact.value:  # contact: {}
            edits.append((contact.start_mark.index, contact.end_mark.index, _flow(added)))
        else:
            last = contact.value[-1][1].end_mark.index
            if contact.flow_style:
                edits.append((last, last, "".join(f", {k}: {quoted(v)}" for k, v in added.items())))
            else:
                indent = " " * contact.value[0][0].start_mark.column
                edits.append((last, last, "".join(f"{newline}{indent}{k}: {quoted(v)}" for k, v in added.items())))
    return edits


def _verify(before: object, text: str, updates: dict[str, dict[str, str]]) -> None:
    """The edited text reads as the old data with exactly the contact values set."""
    try:
        after, _ = parse_yaml(text)
    except YamlProblem as exc:
        raise EditProblem(f"改动后第 {exc.line} 行读不出来（{exc.problem}）") from None
    if not isinstance(before, list) or not isinstance(after, list) or len(before) != len(after):
        raise EditProblem("改动后条目的数目变了")
    for old, new in zip(before, after):
        name = old.get("name").strip() if isinstance(old, dict) and isinstance(old.get("name"), str) else None
        expected = old
        if name in updates:
            contact = old.get("contact") if isinstance(old.get("contact"), dict) else {}
            expected = {**old, "contact": {**contact, **{k: " ".join(v.split()) for k, v in updates[name].items()}}}
        if expected != new:
            raise EditProblem(f"改动后“{name}”这一条读出来与预期不同")

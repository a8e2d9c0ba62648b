"""Editor-maintained YAML lists (regions, agencies, topics): read with located errors."""
from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import Diagnostics

# libyaml's parser when PyYAML has it (the PyPI wheels do): same results, several times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml_list(path: Path, shown: str, diagnostics: Diagnostics) -> list:
    """The entries of a YAML list file; [] (with an error reported) when it cannot be read."""
    if not path.exists():
        return []
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        diagnostics.error(shown, mark.line + 1 if mark else 1, "not valid YAML",
                          "check the indentation: each entry starts with '- name: …'")
        return []
    if not isinstance(data, list):
        diagnostics.error(shown, 1, "must be a list of entries", "start each entry with '- name: …'")
        return []
    return data


def entry_lines(path: Path) -> list[int]:
    """The line of each top-level '- ' entry, for messages."""
    if not path.exists():
        return []
    return [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if line.startswith("- ")]

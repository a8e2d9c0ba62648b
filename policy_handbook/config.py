"""config.yaml -> frozen settings; every bad key reported at once."""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from .errors import Diagnostics


@dataclass(frozen=True)
class Config:
    title: str = "政策知识卡片手册"
    description: str = ""
    lang: str = "zh-CN"
    base_url: str = "/"
    content_dir: str = "content"
    output_dir: str = "site"
    as_of: str = ""  # ISO date that deadline statuses are computed against; "" = today
    project_dir: Path = Path(".")  # set from the config file's folder, not a key

    @property
    def as_of_date(self) -> dt.date:
        return dt.date.fromisoformat(self.as_of) if self.as_of else dt.date.today()

    @property
    def content_path(self) -> Path:
        return self.project_dir / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.project_dir / self.output_dir

    @property
    def templates_path(self) -> Path:
        return self.project_dir / "templates"

    @property
    def static_path(self) -> Path:
        return self.project_dir / "static"


KEYS = [f.name for f in fields(Config) if f.name != "project_dir"]


def load_config(path: Path, diagnostics: Diagnostics, **overrides: str) -> Config:
    """Read config.yaml; unknown keys and wrong types are reported, defaults fill the rest."""
    shown = path.name
    values: dict = {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        diagnostics.error(shown, 0, "config.yaml is missing", "create it (see README.md)")
        data = {}
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else 0
        diagnostics.error(shown, line, "config.yaml is not valid YAML", "check its indentation")
        data = {}
    except ValueError as exc:  # PyYAML reads 2026-11-31 as a date and fails
        diagnostics.error(shown, _key_line(path, "as_of"), f"config.yaml holds an impossible date ({exc})",
                          "write as_of: YYYY-MM-DD with a real date, or remove it to use today's date")
        data = {}
    if not isinstance(data, dict):
        diagnostics.error(shown, 1, "config.yaml must be a set of 'key: value' lines", "see README.md")
        data = {}
    for key, value in {**data, **{k: v for k, v in overrides.items() if v is not None}}.items():
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            diagnostics.error(shown, _key_line(path, key), f"unknown setting '{key}'",
                              f"did you mean '{close[0]}'?" if close else f"known: {', '.join(KEYS)}")
        elif key == "as_of":
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            try:
                dt.date.fromisoformat(text)
                values[key] = text
            except ValueError:
                diagnostics.error(shown, _key_line(path, key), f"as_of '{value}' is not a date",
                                  "write as_of: YYYY-MM-DD, or remove it to use today's date")
        elif not isinstance(value, str) or not value.strip():
            diagnostics.error(shown, _key_line(path, key), f"'{key}' must be non-empty text",
                              f"write '{key}: …'")
        else:
            values[key] = value.strip()
    base = values.get("base_url", "/")
    if not base.endswith("/"):
        values["base_url"] = base + "/"
    return Config(**values, project_dir=path.parent)


def _key_line(path: Path, key: str) -> int:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith(f"{key}:"):
                return number
    except OSError:
        pass
    return 0

"""Diagnostics: problems found in content, collected and reported together."""
from __future__ import annotations

from dataclasses import dataclass, field


LABELS = {"error": "错误", "warning": "警告"}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is, what is wrong, and how to fix it."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = "error"  # "error" stops the build; "warning" does not

    def __str__(self) -> str:
        """'content/cards/x/19.md:11: 错误：<what is wrong>；<how to fix it>' (editors read Chinese;
        the path:line stays first and in ASCII, so editors and terminals can jump to it)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {LABELS[self.severity]}：{self.message}"
        return f"{text}；{self.hint}" if self.hint else text


@dataclass
class Diagnostics:
    """A collector: stages add to it and carry on, so one run reports everything."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False, compare=False)

    def error(self, path: str, line: int, message: str, hint: str = "") -> None:
        self._add(Diagnostic(path, line, message, hint, "error"))

    def warning(self, path: str, line: int, message: str, hint: str = "") -> None:
        self._add(Diagnostic(path, line, message, hint, "warning"))

    def extend(self, other: "Diagnostics") -> None:
        for item in other.items:
            self._add(item)

    def add(self, item: Diagnostic) -> None:
        self._add(item)

    def _add(self, item: Diagnostic) -> None:
        if item not in self._seen:  # a set: 50,000 cards' warnings are collected in linear time
            self._seen.add(item)
            self.items.append(item)

    @property
    def errors(self) -> list[Diagnostic]:
        return sorted(d for d in self.items if d.severity == "error")

    @property
    def warnings(self) -> list[Diagnostic]:
        return sorted(d for d in self.items if d.severity == "warning")

    def __bool__(self) -> bool:
        return bool(self.errors)

    def report(self) -> str:
        """All diagnostics, sorted by file and line, then a count."""
        lines = [str(d) for d in sorted(self.items)]
        n_err, n_warn = len(self.errors), len(self.warnings)
        if n_err or n_warn:
            lines.append(f"{n_err} 个错误，{n_warn} 个警告")
        return "\n".join(lines)


class ContentError(Exception):
    """Raised at a stage boundary when the collected diagnostics hold errors."""

    def __init__(self, diagnostics: Diagnostics):
        super().__init__(diagnostics.report())
        self.diagnostics = diagnostics

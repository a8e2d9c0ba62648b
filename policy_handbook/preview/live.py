"""What the preview server tells open tabs: which pages each build changed, and the current errors.

Pages are served with the build generation they were served at; a tab asks for events since
then, so a change that lands between serving a page and its tab connecting is not missed.
Thread-safe: builds publish from the build loop, each open tab waits in its own server thread.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path

from ..errors import Diagnostics

CLIENT = Path(__file__).with_name("live.js")
CLIENT_URL = "/__live/client.js"
EVENTS_URL = "/__live/events"


class LiveState:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.generation = 0
        self._changed_at: dict[str, int] = {}  # output path -> generation of its last change
        self._any_static_at = 0  # generation of the last change to a static file
        self.errors: list[dict] = []
        self.site_kept = True  # whether the pages served are a good build (not a placeholder)

    def built(self, pages: Iterable[str], static: Iterable[str] = ()) -> None:
        """A good build: these output paths (pages written or removed, static files) changed."""
        with self._changed:
            self.generation += 1
            for page in pages:
                self._changed_at[page] = self.generation
            if any(True for _ in static):
                self._any_static_at = self.generation
            self.errors = []
            self.site_kept = True
            self._changed.notify_all()

    def failed(self, diagnostics: Diagnostics, site_kept: bool = True) -> None:
        """A failed build: the site stays as it was (`site_kept`: there is one); tabs show these errors."""
        with self._changed:
            self.generation += 1
            self.site_kept = site_kept
            self.errors = [{"path": d.path, "line": d.line, "message": d.message, "hint": d.hint}
                           for d in diagnostics.errors]
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Block until a build newer than `seen` (or the timeout); the current generation."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation != seen, timeout)
            return self.generation

    def message(self, page: str, since: int) -> str:
        """The event for a tab showing `page` (an output path) as served at generation `since`."""
        with self._changed:
            reload = self._changed_at.get(page, 0) > since or self._any_static_at > since
            return json.dumps({"generation": self.generation, "errors": self.errors, "kept": self.site_kept,
                               "reload": reload and not self.errors}, ensure_ascii=False)


def inject(html: bytes, generation: int) -> bytes:
    """The page with the preview client before </body> (or at the end)."""
    tag = f'<script src="{CLIENT_URL}" data-since="{generation}"></script>'.encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag

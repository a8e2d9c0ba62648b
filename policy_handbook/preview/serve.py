"""The preview server: serve site/ on loopback under the site's base path, with the site's 404
page for missing paths; in live mode, every HTML page gets the preview client (live.py) and
/__live/events streams build events to it (server-sent events)."""
from __future__ import annotations

import posixpath
import urllib.parse
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .live import CLIENT, CLIENT_URL, EVENTS_URL, LiveState, inject

KEEPALIVE_SECONDS = 15.0
NO_SITE_YET = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
               '<meta name="viewport" content="width=device-width, initial-scale=1"><title>站点尚未生成</title>'
               '</head><body style="font-family:system-ui,sans-serif;margin:2rem auto;max-width:40rem;padding:0 1rem">'
               '<h1 style="font-size:1.3rem">站点还没有成功生成过</h1><p>请按终端或页面上的错误提示修改内容；'
               '保存后，页面会自动刷新。</p></body></html>').encode("utf-8")


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                      ".js": "text/javascript; charset=utf-8", ".json": "application/json"}
    base_path = "/"  # the site's base path: /handbook/ for a site built for a sub-path
    live: LiveState | None = None
    site_dir: Path = Path("site")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.site_dir), **kwargs)

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if self.live is not None and path == EVENTS_URL:
            return self._events()
        if self.live is not None and path == CLIENT_URL:
            return self._send(HTTPStatus.OK, CLIENT.read_bytes(), "text/javascript; charset=utf-8")
        if self.base_path != "/" and path in ("/", self.base_path.rstrip("/")):
            return self._redirect(self.base_path)
        if not path.startswith(self.base_path):  # the site only exists under its base path
            return self.send_error(HTTPStatus.NOT_FOUND)
        page = self._page_file(path)
        if page is not None:
            return self._send(HTTPStatus.OK, self._html(page.read_bytes()), "text/html; charset=utf-8")
        super().do_GET()

    def translate_path(self, path: str) -> str:
        """Only paths under the base path exist; the rest is a 404."""
        route = urllib.parse.urlsplit(path).path
        if not route.startswith(self.base_path):
            return str(Path(self.directory) / ".outside-the-base-path")
        return super().translate_path("/" + route[len(self.base_path):])

    def _page_file(self, path: str) -> Path | None:
        """The HTML file a request names (a folder's index.html), or None."""
        if not path.endswith("/") and not path.endswith(".html"):
            return None
        file = Path(self.translate_path(path))
        file = file / "index.html" if path.endswith("/") else file
        return file if file.is_file() else None

    def _html(self, body: bytes) -> bytes:
        return inject(body, self.live.generation) if self.live is not None else body

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the tab went away (closed, reloaded) before the page was sent

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")  # a preview always shows the latest build
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == HTTPStatus.NOT_FOUND and page.is_file():
            return self._send(HTTPStatus.NOT_FOUND, self._html(page.read_bytes()), "text/html; charset=utf-8")
        if code == HTTPStatus.NOT_FOUND and self.live is not None:  # no good build yet: wait for one
            return self._send(HTTPStatus.NOT_FOUND, self._html(NO_SITE_YET), "text/html; charset=utf-8")
        super().send_error(code, message, explain)

    def _events(self) -> None:
        """Stream the tab's state now and after every build, until the tab goes away."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        page = output_path(query.get("page", ["/"])[0], self.base_path)
        try:
            since = int(query.get("since", ["0"])[0])
        except ValueError:
            since = 0
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.end_headers()
        seen = self.live.generation
        try:
            self.wfile.write(f"retry: 1000\ndata: {self.live.message(page, since)}\n\n".encode())
            self.wfile.flush()
            while True:
                generation = self.live.wait(seen, KEEPALIVE_SECONDS)
                if generation == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    seen = generation
                    self.wfile.write(f"data: {self.live.message(page, since)}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    def log_message(self, format, *args):
        if self.path.startswith("/__live/"):
            return
        status = args[1] if len(args) > 1 else ""
        if str(status) not in ("200", "304"):  # only what an editor should notice
            print(f"{self.command} {self.path} {status}", flush=True)


def output_path(url_path: str, base_path: str) -> str:
    """'/handbook/cards/x/' -> 'cards/x/index.html' (the file a tab shows)."""
    path = urllib.parse.unquote(url_path)
    path = path[len(base_path):] if path.startswith(base_path) else path.lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return posixpath.normpath(path)


def base_path_of(base_url: str) -> str:
    path = urllib.parse.urlsplit(base_url).path if "://" in base_url else base_url
    path = path.strip("/")
    return f"/{path}/" if path else "/"


def make_server(site_dir: Path, host: str, port: int, base_url: str = "/",
                live: LiveState | None = None) -> ThreadingHTTPServer:
    handler = type("Handler", (SiteHandler,), {"base_path": base_path_of(base_url), "live": live,
                                               "site_dir": site_dir})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True  # open event streams must not keep the process alive
    return server


def serve_forever(server: ThreadingHTTPServer) -> None:
    handler = server.RequestHandlerClass
    print(f"serving {handler.site_dir} at http://{server.server_address[0]}:{server.server_port}"
          f"{handler.base_path} (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

"""The preview server: serve site/ on loopback under the site's base path, with the site's 404
page for missing paths; in live mode, every HTML page gets the preview client (live.py) and
/__live/events streams build events to it (server-sent events).

Hardened against what a browser never sends: a request whose path is malformed (not starting
with /, bad percent-encoding, not UTF-8, a control character or NUL, a backslash, a . or ..
segment, plain or encoded) gets 400; a path too long to name a file of the site gets 404; a
folder is never listed (404 unless it has an index.html); nothing outside site/ is served, even
through a symbolic link; a client gets HEAD_SECONDS for its request line and headers (however
slowly it sends them) and IDLE_SECONDS for any one read or write, then it is dropped. Each
client has its own thread, so a slow one never holds up the others."""
from __future__ import annotations

import io
import posixpath
import re
import time
import urllib.parse
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .. import paths
from .live import CLIENT, CLIENT_URL, EVENTS_URL, LiveState, inject

KEEPALIVE_SECONDS = 15.0
HEAD_SECONDS = 10.0  # for a request's line and headers, from the first byte to the last
IDLE_SECONDS = 10.0  # for one read or write on the connection
MAX_PATH = 1024  # characters of a request path: no page of the site has a longer one
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NO_SITE_YET = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
               '<meta name="viewport" content="width=device-width, initial-scale=1"><title>网站尚未生成</title>'
               '</head><body style="font-family:system-ui,sans-serif;margin:2rem auto;max-width:40rem;padding:0 1rem">'
               '<h1 style="font-size:1.3rem">网站还没有成功生成过</h1><p>请按终端或页面上的错误提示修改内容；'
               '保存后，页面会自动刷新。</p></body></html>').encode("utf-8")


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                      ".js": "text/javascript; charset=utf-8", ".json": "application/json"}
    base_path = "/"  # the site's base path: /handbook/ for a site built for a sub-path
    live: LiveState | None = None
    site_dir: Path = Path("site")
    timeout = IDLE_SECONDS  # socketserver sets it on the connection
    default_request_version = "HTTP/1.0"  # a request line without a version still gets a status line
    head_seconds = HEAD_SECONDS
    deadline: float | None = None  # while reading a request's head: when the client's time is up

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.site_dir), **kwargs)

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # the plain socket file: read through the deadline instead
        self.rfile = io.BufferedReader(_UntilDeadline(self), self.rbufsize if self.rbufsize > 0 else 8192)

    def handle_one_request(self) -> None:
        self.deadline = time.monotonic() + self.head_seconds
        try:
            super().handle_one_request()  # a timeout is answered there: the connection is closed
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client went away, or stopped reading

    def parse_request(self) -> bool:
        """The request line and headers (within the deadline), then a path that can name a file."""
        ok = super().parse_request()
        self.deadline = None
        self.connection.settimeout(self.timeout)
        if not ok:
            return False
        problem = bad_path(self.path)
        if problem:
            self.send_error(HTTPStatus.BAD_REQUEST, None, problem)
            return False
        return True

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
        try:
            html = page.read_bytes() if page is not None else None
        except OSError:  # removed by a rebuild since it was found
            return self.send_error(HTTPStatus.NOT_FOUND)
        if html is not None:
            return self._send(HTTPStatus.OK, self._html(html), "text/html; charset=utf-8")
        # Always the file as it is now: a rebuild can rewrite a file within the second the tab
        # fetched it, and If-Modified-Since (whole seconds) would then answer 304 with the old one.
        del self.headers["If-Modified-Since"]
        super().do_GET()

    def translate_path(self, path: str) -> str:
        """Only paths under the base path, of a sensible length, and inside site/ (symbolic links
        followed) exist; the rest is a 404."""
        nowhere = str(Path(self.directory) / ".not-in-the-site")
        route = urllib.parse.urlsplit(path).path
        if not route.startswith(self.base_path) or len(route) > MAX_PATH:
            return nowhere
        file = super().translate_path("/" + route[len(self.base_path):])
        return file if paths.inside(file, self.directory) else nowhere

    def list_directory(self, path):
        """Never list a folder: one without index.html is not a page."""
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def _page_file(self, path: str) -> Path | None:
        """The HTML file a request names (a folder's index.html), or None."""
        if not path.endswith("/") and not path.endswith(".html"):
            return None
        file = Path(self.translate_path(path))
        file = file / "index.html" if path.endswith("/") else file
        try:
            return file if file.is_file() else None
        except OSError:  # a name too long for the file system, say: no such page
            return None

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
        # The standard reason phrase: what the client sent (a request line, say) only in the
        # escaped body, never in the status line.
        super().send_error(code, None, explain or message)

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
        path = getattr(self, "path", "")  # none yet when the request line never came
        if path.startswith("/__live/") or format.startswith("code %d"):  # send_error's: the status line follows
            return
        if not format.startswith('"%s"'):  # not a status line: a request that timed out or could not be read
            print(_printable(f"{self.client_address[0]}: {format % args}"[:300]), flush=True)
        elif str(args[1]) not in ("200", "304"):  # only what an editor should notice
            shown = f"{self.command} {path}" if self.command else getattr(self, "requestline", "")
            print(f"{_printable(shown[:200])} {args[1]}", flush=True)


class _UntilDeadline(io.RawIOBase):
    """The connection as the handler reads it: while the handler has a deadline, every read
    waits only until then, so a client dribbling a byte at a time is dropped in time."""

    def __init__(self, handler: SiteHandler):
        self.handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        connection, deadline = self.handler.connection, self.handler.deadline
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request's line and headers took too long")
            connection.settimeout(min(left, self.handler.timeout))
        return connection.recv_into(buffer)


def _printable(text: str) -> str:
    """Text for the terminal: control characters (an escape sequence in a path, say) written as \\xNN."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def bad_path(target: str) -> str:
    """Why a request's target cannot name a file of any site, or "" when it can."""
    if not target.startswith("/"):
        return "路径必须以 / 开头"
    path = urllib.parse.urlsplit(target).path
    if _BAD_ESCAPE.search(path):
        return "路径里的百分号编码有误"
    try:
        decoded = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return "路径不是 UTF-8"
    if _CONTROL.search(decoded) or "\\" in decoded:
        return "路径里有控制字符或反斜杠"
    if any(segment in (".", "..") for segment in decoded.split("/")):
        return "路径里有 . 或 .. 段"
    return ""


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
    return _Server((host, port), handler)


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive
    request_queue_size = 64  # connections waiting to be accepted: a burst of tabs is not kept waiting


def serve_forever(server: ThreadingHTTPServer) -> None:
    handler = server.RequestHandlerClass
    print(f"正在提供 {handler.site_dir}，网址 http://{server.server_address[0]}:{server.server_port}"
          f"{handler.base_path}（按 Ctrl+C 停止）", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

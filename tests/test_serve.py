"""The preview's HTTP server (policy_handbook/preview/serve.py) against what browsers never send:
malformed requests, paths that try to leave the site, folders, and clients that are slow on
purpose. Raw sockets on 127.0.0.1 only; every loop is bounded and stops by itself."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from policy_handbook.preview.serve import make_server

SECRET = "站点之外的机密"
HEAD_SECONDS = 1.0  # the test server's time for a request's line and headers


@pytest.fixture
def server(tmp_path: Path):
    """A preview server on 127.0.0.1 (any free port) serving a small site."""
    site = tmp_path / "site"
    for rel, text in {"index.html": "<p>首页</p>", "404.html": "<p>页面不存在</p>",
                      "cards/x/index.html": "<p>卡片</p>", "static/style.css": "p {}"}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    (site / "static/empty").mkdir()
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (site / "static/leak.txt").symlink_to(tmp_path / "secret.txt")
    (site / "static/away").symlink_to(tmp_path, target_is_directory=True)
    httpd = make_server(site, "127.0.0.1", 0)
    httpd.RequestHandlerClass.head_seconds = HEAD_SECONDS  # its own subclass: nothing else sees it
    httpd.RequestHandlerClass.timeout = HEAD_SECONDS
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def ask(port: int, raw: bytes, wait: float = 5.0) -> bytes:
    """Send raw bytes, read the answer until the server closes (or `wait` seconds pass)."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(raw)
        answer, deadline = b"", time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            answer += chunk
        return answer


def status(answer: bytes) -> int:
    line = answer.split(b"\r\n", 1)[0]
    assert line.startswith(b"HTTP/1."), answer[:200]
    return int(line.split()[1])


def get(port: int, target: bytes, method: bytes = b"GET") -> bytes:
    return ask(port, method + b" " + target + b" HTTP/1.0\r\n\r\n")


@pytest.mark.parametrize("raw", [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.0 extra words\r\n\r\n",
    b"GET / HTTP/x.y\r\n\r\n",
    b"GET /%zz HTTP/1.0\r\n\r\n",  # not a percent escape
    b"GET /cards/x/%e HTTP/1.0\r\n\r\n",
    b"GET /%ff%fe/ HTTP/1.0\r\n\r\n",  # escapes, but not UTF-8
    b"GET /%00 HTTP/1.0\r\n\r\n",
    b"GET /cards/x/%00 HTTP/1.0\r\n\r\n",
    b"GET /static/style.css%00.html HTTP/1.0\r\n\r\n",
    b"GET /\x00 HTTP/1.0\r\n\r\n",
    b"GET /cards/%1b[31m/ HTTP/1.0\r\n\r\n",  # a terminal escape, for the log
    b"GET /static/../cards/x/ HTTP/1.0\r\n\r\n",
    b"GET /static/%2e%2e/cards/x/ HTTP/1.0\r\n\r\n",
    b"GET /static/%2E./cards/x/ HTTP/1.0\r\n\r\n",
    b"GET /..%2fsecret.txt HTTP/1.0\r\n\r\n",
    b"GET /static/away/%2e%2e/ HTTP/1.0\r\n\r\n",
    b"GET /./cards/x/ HTTP/1.0\r\n\r\n",
    b"GET /static\\..\\cards\\x\\ HTTP/1.0\r\n\r\n",
    b"GET cards/x/ HTTP/1.0\r\n\r\n",
    b"HEAD /static/%2e%2e/ HTTP/1.0\r\n\r\n",
])
def test_a_malformed_request_gets_400_and_the_server_goes_on(server, raw, capfd):
    assert status(ask(server, raw)) == 400
    assert status(get(server, b"/cards/x/")) == 200
    printed = capfd.readouterr()
    assert "Traceback" not in printed.err + printed.out
    assert "\x1b" not in printed.out  # what the client sent is never printed raw


def test_a_path_too_long_for_any_page_is_a_404_with_the_site_page(server, capfd):
    for target in (b"/" + b"a" * 5000, b"/" + b"a" * 5000 + b"/", b"/cards/" + b"b" * 300 + b"/"):
        answer = get(server, target)
        assert status(answer) == 404 and "页面不存在" in answer.decode("utf-8")
    assert status(get(server, b"/" + b"a" * 70_000)) == 414  # beyond what the request line may hold
    printed = capfd.readouterr()
    assert "Traceback" not in printed.err + printed.out


def test_a_folder_is_never_listed(server):
    for target in (b"/static/", b"/static/empty/", b"/cards/", b"/static/away/"):
        for method in (b"GET", b"HEAD"):
            answer = get(server, target, method)
            assert status(answer) == 404, target
            assert b"Directory listing" not in answer and b"style.css" not in answer
    assert status(get(server, b"/cards/x/")) == 200  # a folder with its index.html is a page


def test_nothing_outside_the_site_is_served_through_a_link(server):
    for target in (b"/static/leak.txt", b"/static/away/secret.txt"):
        answer = get(server, target)
        assert status(answer) == 404 and SECRET.encode("utf-8") not in answer
    assert get(server, b"/static/style.css").endswith(b"p {}")


def test_slow_clients_are_dropped_in_time_without_holding_up_the_others(server):
    started = time.monotonic()
    silent = [socket.create_connection(("127.0.0.1", server), timeout=10) for _ in range(8)]
    dribbler = socket.create_connection(("127.0.0.1", server), timeout=10)
    dribbler.setblocking(False)
    head = b"GET /cards/x/ HTTP/1.0\r\nUser-Agent: " + b"x" * 200
    dropped, answered = None, []
    for i in range(len(head)):  # one byte every 50 ms: the whole head would take 10 s
        try:
            dribbler.send(head[i:i + 1])
            if dribbler.recv(1024) == b"":
                dropped = time.monotonic() - started
                break
        except BlockingIOError:
            pass  # nothing to read yet: still connected
        except OSError:
            dropped = time.monotonic() - started
            break
        if i % 5 == 0:  # meanwhile, other clients are served at once
            asked = time.monotonic()
            assert status(get(server, b"/cards/x/")) == 200
            answered.append(time.monotonic() - asked)
        time.sleep(0.05)
    assert dropped is not None and dropped < HEAD_SECONDS + 2, "the dribbling client was never dropped"
    assert answered and max(answered) < 0.5
    for sock in silent:  # each was given its time, then closed
        sock.settimeout(max(0.1, started + HEAD_SECONDS + 2 - time.monotonic()))
        assert sock.recv(1024) == b""
        sock.close()
    dribbler.close()


def test_a_file_rewritten_within_the_same_second_is_served_new_not_as_not_modified(server, tmp_path):
    # A rebuild can rewrite a style sheet within the second a tab fetched it; the tab's
    # If-Modified-Since (whole seconds) must not get a 304 and keep the old style.
    first = get(server, b"/static/style.css")
    modified = next(line.split(b": ", 1)[1] for line in first.split(b"\r\n") if line.startswith(b"Last-Modified"))
    (tmp_path / "site/static/style.css").write_text("p { color: red }", encoding="utf-8")
    again = ask(server, b"GET /static/style.css HTTP/1.0\r\nIf-Modified-Since: " + modified + b"\r\n\r\n")
    assert status(again) == 200 and again.endswith(b"p { color: red }")

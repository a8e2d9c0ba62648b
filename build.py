#!/usr/bin/env python3
"""policy-handbook command line: import, add, new, check, build, serve."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent

try:
    from policy_handbook.config import load_config
    from policy_handbook.errors import Diagnostics
    from policy_handbook.pipeline import build
except ModuleNotFoundError as missing:  # run with a Python that lacks the pinned dependencies
    if (missing.name or "").startswith("policy_handbook"):
        raise
    PACKAGES = {"yaml": "PyYAML", "jinja2": "Jinja2", "markdown_it": "markdown-it-py", "watchdog": "watchdog"}
    sys.exit(f"build.py：当前的 Python（{sys.executable}）缺少本项目的依赖包 "
             f"{PACKAGES.get(missing.name, missing.name)}。\n"
             f"请在项目目录中用 make 运行（make serve、make build、make check、make import），"
             f"它会自动建立 .venv 并安装依赖；或先运行一次 make serve，再用 .venv/bin/python build.py …")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__)
    parser.add_argument("--config", type=Path, default=PROJECT / "config.yaml", help="config file")
    parser.add_argument("--base-url", help="override base_url from config.yaml")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="build the site into site/")
    sub.add_parser("check", help="validate all content without writing site/")
    sub.add_parser("import", help="split the sources in content/sources/ into cards")
    add = sub.add_parser("add", help="add a document: copy its file, draft its metadata, import it")
    add.add_argument("file", type=Path, help="the document: .txt, .html/.htm, .docx or .pdf")
    add.add_argument("--id", default="", help="the document's id (default: region-genre-year in pinyin)")
    new = sub.add_parser("new", help="scaffold a card with the next free number and id")
    new.add_argument("document", help="the id of a document in content/documents/")
    new.add_argument("--title", default="", help="the card's title (default: a placeholder)")
    new.add_argument("--group", default="", help="series documents: the group of the new issue")
    new.add_argument("--new-group", action="store_true",
                     help="start --group as a new group even if an existing one has a close name")
    serve = sub.add_parser("serve", help="build and serve site/ on 127.0.0.1, rebuilding on every change")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)

    if args.command == "serve":  # it reports a broken config.yaml itself, and keeps running
        return _serve(args)
    diagnostics = Diagnostics()
    config = load_config(args.config, diagnostics, base_url=args.base_url)
    if diagnostics:
        return _fail(diagnostics)

    if args.command == "import":
        from policy_handbook.importer.run import run_import  # each command imports only what it needs
        report = run_import(config.content_path, config.project_dir, diagnostics)
        if report.plan.stopped:
            return _fail(diagnostics, "import failed; no file was written")
        _warn(diagnostics)
        print(report.summary())
        return 1 if diagnostics else 0  # a document left out fails the command, so CI notices
    if args.command == "add":
        from policy_handbook.importer.add import add_document
        added = add_document(args.file, args.id, config.content_path, config.project_dir, diagnostics)
        if added is None:
            return _fail(diagnostics, "the document was not added; no file was written")
        if added.report.plan.stopped:
            return _fail(diagnostics, f"{added.source} and {added.document} were written, but import "
                                      "stopped: fix the errors above and run build.py import")
        _warn(diagnostics)
        print(f"added {added.source} and {added.document}")
        print(added.report.summary())
        print("review:")
        print("\n".join(f"- {line}" for line in added.review))
        if added.document_id in added.report.plan.failed:
            return 1
        if diagnostics:  # its document was imported; the errors above are other documents'
            print(f"{added.document_id} was imported; other documents have errors (above): "
                  "build.py import fails until they are fixed", file=sys.stderr)
        return 0
    if args.command == "new":
        from policy_handbook.importer.scaffold import NEXT_STEP, NewCard, scaffold
        request = NewCard(args.document, args.title, args.group, args.new_group)
        path = scaffold(config.content_path, config.project_dir, request, diagnostics)
        if path is None:
            return _fail(diagnostics, "no card was written")
        _warn(diagnostics)
        print(path)
        print(NEXT_STEP)
        return 0
    if args.command == "check":
        result = build(config, write=False, config_file=args.config)
        if not result.ok:
            return _fail(result.diagnostics)
        _warn(result.diagnostics)
        print(f"content and links are valid ({len(result.library.cards)} cards, {result.pages} pages checked)")
        return 0

    result = build(config, config_file=args.config)
    if not result.ok:
        return _fail(result.diagnostics, f"build failed; {config.output_dir}/ was left as it was")
    _warn(result.diagnostics)
    print(f"built {result.pages} pages ({len(result.library.cards)} cards, "
          f"{len(result.library.documents)} documents) into {config.output_dir}/ in {result.seconds:.2f} s")
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Live preview: build, serve, and rebuild what each change touches until Ctrl+C. Bad content
    never stops it: the errors show in the terminal and over the page."""
    import signal
    import threading

    from policy_handbook.preview.live import LiveState
    from policy_handbook.preview.serve import make_server, serve_forever
    from policy_handbook.preview.watch import Preview

    live = LiveState()
    preview = Preview(args.config, args.base_url, live)
    if not preview.output_ok:  # where it writes only changes with a restart
        print("the preview was not started: fix output_dir in config.yaml, then run build.py serve again",
              file=sys.stderr)
        return 1
    try:  # take the port first: a preview already running there is the usual reason it is busy
        server = make_server(preview.config.output_path, args.host, args.port, preview.config.base_url, live)
    except OSError as exc:
        print(f"error: cannot serve on {args.host}:{args.port} ({exc.strerror}); is a preview already "
              f"running? use it, stop it with Ctrl+C, or pick another port: --port {args.port + 1}",
              file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the preview as Ctrl+C does
    preview.rebuild()
    stop = threading.Event()
    threading.Thread(target=preview.run, args=(stop,), name="preview", daemon=True).start()
    print(f"watching {preview.config.content_dir}/, templates/, static/ and {args.config.name}", flush=True)
    serve_forever(server)
    stop.set()
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _warn(diagnostics: Diagnostics) -> None:
    if diagnostics.items:
        print(diagnostics.report(), file=sys.stderr)


def _fail(diagnostics: Diagnostics, headline: str = "") -> int:
    print(diagnostics.report(), file=sys.stderr)
    if headline:
        print(headline, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())

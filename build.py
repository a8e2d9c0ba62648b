#!/usr/bin/env python3
"""policy-handbook command line: import, add, new, contacts, check, build, serve."""
from __future__ import annotations

import argparse
import errno
import os
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
    parser = argparse.ArgumentParser(prog="build.py", description="policy-handbook 命令行：import、add、new、contacts、check、build、serve")
    parser.add_argument("--config", type=Path, default=PROJECT / "config.yaml", help="配置文件")
    parser.add_argument("--base-url", help="代替 config.yaml 里的 base_url")
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="生成网站，写入 site/")
    build_cmd.add_argument("--no-search", action="store_true",
                           help="不生成搜索索引（快速生成时用；网站的搜索框这时找不到新内容）")
    build_cmd.add_argument("--no-cache", action="store_true",
                           help="不用也不更新 .cache/build/ 里的生成缓存，从头生成整个网站")
    build_cmd.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                           help="用几个进程生成页面（默认：本机的处理器核数；结果与 1 个进程相同）")
    sub.add_parser("check", help="检查全部内容，不写入 site/")
    imp = sub.add_parser("import", help="把 content/sources/ 里的原文拆成卡片")
    imp.add_argument("--explain", metavar="卡片id", default="",
                     help="不写入任何文件，只说明这张卡片的机构和时限是从原文哪一句读出来的")
    add = sub.add_parser("add", help="添加一份文件：复制原文，起草文件头，导入")
    add.add_argument("file", type=Path, help="文件：.txt、.html/.htm、.docx 或 .pdf")
    add.add_argument("--id", default="", help="文件的 id（默认：拼音的 地区-类别-年份）")
    new = sub.add_parser("new", help="用下一个空闲的编号和 id 新建一张卡片")
    new.add_argument("document", help="content/documents/ 里一份文件的 id")
    new.add_argument("--title", default="", help="卡片的标题（默认：占位文字）")
    new.add_argument("--group", default="", help="系列文件：新一期所属的组")
    new.add_argument("--new-group", action="store_true",
                     help="把 --group 作为新组，即使已有名字相近的组")
    contacts = sub.add_parser("contacts", help="从各单位公布的咨询联系表导入联系方式")
    contacts_sub = contacts.add_subparsers(dest="action", required=True)
    contacts_import = contacts_sub.add_parser(
        "import", help="把联系表（.xlsx 或 .csv）里的电话、地址等填进 content/agencies.yaml 对应的单位")
    contacts_import.add_argument("file", type=Path, help="联系表：.xlsx 或 .csv")
    contacts_import.add_argument("--region", default="",
                                 help="表中“市发改委”这类简写属于哪个地区（默认：从表的标题读出）")
    contacts_import.add_argument("--replace", action="store_true",
                                 help="已有的联系方式与表中的不同时，改用表中的（默认：保留原值并报告）")
    serve = sub.add_parser("serve", help="生成网站并在 127.0.0.1 上预览，每次改动后重新生成")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)

    if args.command == "serve":  # it reports a broken config.yaml itself, and keeps running
        return _serve(args)
    diagnostics = Diagnostics()
    config = load_config(args.config, diagnostics, base_url=args.base_url)
    if diagnostics:
        return _fail(diagnostics)

    if args.command == "import" and args.explain:
        return _explain(config, args.explain, diagnostics)
    if args.command == "import":
        from policy_handbook.importer.run import run_import  # each command imports only what it needs
        report = run_import(config.content_path, config.project_dir, diagnostics)
        if report.plan.stopped:
            return _fail(diagnostics, "导入失败；没有写入任何文件")
        _warn(diagnostics)
        print(report.summary())
        return 1 if diagnostics else 0  # a document left out fails the command, so CI notices
    if args.command == "add":
        from policy_handbook.importer.add import add_document
        added = add_document(args.file, args.id, config.content_path, config.project_dir, diagnostics)
        if added is None:
            return _fail(diagnostics, "文件没有添加；没有写入任何文件")
        if added.report.plan.stopped:
            return _fail(diagnostics, f"已写入 {added.source} 和 {added.document}，但导入停止了："
                                      "改好上面的错误，再运行 build.py import")
        _warn(diagnostics)
        print(f"已添加 {added.source} 和 {added.document}")
        print(added.report.summary())
        print("请核对：")
        print("\n".join(f"- {line}" for line in added.review))
        if added.document_id in added.report.plan.failed:
            return 1
        if diagnostics:  # its document was imported; the errors above are other documents'
            print(f"{added.document_id} 已导入；其他文件有错误（见上文），改好之前 build.py import 会失败",
                  file=sys.stderr)
        return 0
    if args.command == "contacts":
        from policy_handbook.importer.contacts import import_contacts
        report = import_contacts(args.file, config.content_path, diagnostics, region=args.region,
                                 replace=args.replace)
        if report is None:
            return _fail(diagnostics, "联系方式没有导入；没有写入任何文件")
        _warn(diagnostics)
        print(report.summary())
        return 0
    if args.command == "new":
        from policy_handbook.importer.scaffold import NEXT_STEP, NewCard, scaffold
        request = NewCard(args.document, args.title, args.group, args.new_group)
        path = scaffold(config.content_path, config.project_dir, request, diagnostics)
        if path is None:
            return _fail(diagnostics, "没有写入卡片")
        _warn(diagnostics)
        print(path)
        print(NEXT_STEP)
        return 0
    if args.command == "check":
        result = build(config, write=False, config_file=args.config, workers=os.cpu_count() or 1)
        if not result.ok:
            return _fail(result.diagnostics)
        _warn(result.diagnostics)
        print(f"内容和链接都没有问题（{len(result.library.cards)} 张卡片，检查了 {result.pages} 个页面）")
        return 0

    result = build(config, config_file=args.config, search=not args.no_search, workers=max(1, args.jobs),
                   cache=not args.no_cache)
    if not result.ok:
        return _fail(result.diagnostics, f"生成失败；{config.output_dir}/ 保持不变")
    _warn(result.diagnostics)
    print(f"已生成 {result.pages} 个页面（{len(result.library.cards)} 张卡片，"
          f"{len(result.library.documents)} 个文件），写入 {config.output_dir}/，用时 {result.seconds:.2f} 秒"
          + (f"；用了上次的生成缓存，只渲染了 {result.rendered} 个页面" if result.cached else "")
          + ("；没有生成搜索索引（--no-search）" if args.no_search else ""))
    return 0


def _explain(config, card: str, diagnostics: "Diagnostics") -> int:
    """`import --explain <card-id>`: the evidence for a card's agencies and deadlines; writes nothing."""
    from policy_handbook.importer.explain import explain
    from policy_handbook.importer.run import plan_import
    plan = plan_import(config.content_path, config.project_dir, diagnostics)
    if card not in plan.evidence:
        parts = card.split("-")
        near = next((found for k in range(len(parts) - 1, 0, -1)
                     if (found := sorted(i for i in plan.evidence if i.startswith("-".join(parts[:k]) + "-"))[:5])), [])
        hint = f"例如 {'、'.join(near)}" if near else "卡片 id 写在卡片文件开头的 id: 一行"
        diagnostics.error("build.py", 0, f"导入读到的卡片里没有“{card}”", f"用卡片的 id，{hint}")
        return _fail(diagnostics)
    _warn(diagnostics)
    print(explain(card, plan.evidence[card]))
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
        print("预览没有启动：改好 config.yaml 里的 output_dir，再运行 build.py serve",
              file=sys.stderr)
        return 1
    try:  # take the port first: a preview already running there is the usual reason it is busy
        server = make_server(preview.config.output_path, args.host, args.port, preview.config.base_url, live)
    except OSError as exc:
        reason = "端口已被占用" if exc.errno == errno.EADDRINUSE else exc.strerror
        print(f"错误：无法在 {args.host}:{args.port} 上提供预览（{reason}）；是不是已经有一个预览在运行？"
              f"直接用它，或按 Ctrl+C 停掉它，或换一个端口：--port {args.port + 1}",
              file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the preview as Ctrl+C does
    preview.rebuild()
    stop = threading.Event()
    threading.Thread(target=preview.run, args=(stop,), name="preview", daemon=True).start()
    print(f"正在监视 {preview.config.content_dir}/、templates/、static/ 和 {args.config.name}", flush=True)
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

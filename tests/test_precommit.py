"""The example pre-commit hook: a commit with broken content is refused, naming the file and line."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

CARD = "content/cards/shuozhou-private-economy-2019/19.md"


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHON": sys.executable, "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "e@example.org",
           "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "e@example.org"}
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A handbook repository with the hook installed as the editors' guide says."""
    root = tmp_path / "handbook"
    for folder in ("content", "templates", "static", "policy_handbook", "scripts"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for file in ("build.py", "config.yaml"):
        shutil.copy(REPO / file, root / file)
    assert git(root, "init", "-q").returncode == 0
    (root / ".git/hooks/pre-commit").symlink_to("../../scripts/pre-commit")
    assert git(root, "add", ".").returncode == 0
    first = git(root, "commit", "-qm", "handbook")
    assert first.returncode == 0, first.stderr
    return root


def break_card(repo: Path) -> None:
    path = repo / CARD
    path.write_text(path.read_text(encoding="utf-8").replace("topics: [用能]", "topics: [用能"), encoding="utf-8")


def test_a_commit_with_a_broken_card_is_refused_with_file_and_line(repo):
    break_card(repo)
    git(repo, "add", CARD)
    refused = git(repo, "commit", "-qm", "edit")
    assert refused.returncode != 0
    assert f"{CARD}:11: 错误：文件头的 YAML 写法有误" in refused.stderr
    assert "pre-commit：暂存的内容有上面这些错误" in refused.stderr
    assert git(repo, "log", "--oneline").stdout.count("\n") == 1


def test_the_hook_checks_what_is_staged_not_the_working_tree(repo):
    card = repo / CARD
    good = card.read_text(encoding="utf-8").replace("深化电力体制改革", "全面深化电力体制改革")
    card.write_text(good, encoding="utf-8")
    git(repo, "add", CARD)
    break_card(repo)  # broken again, but not staged
    accepted = git(repo, "commit", "-qm", "edit")
    assert accepted.returncode == 0, accepted.stderr
    assert "全面深化" in git(repo, "show", f"HEAD:{CARD}").stdout


def test_a_commit_that_touches_no_content_is_not_checked(repo):
    break_card(repo)  # a broken working tree does not matter to a commit of the README
    (repo / "README.md").write_text("# 手册\n", encoding="utf-8")
    git(repo, "add", "README.md")
    assert git(repo, "commit", "-qm", "readme").returncode == 0


def test_a_python_without_the_dependencies_is_named_as_such(repo, tmp_path):
    break_card(repo)
    git(repo, "add", CARD)
    bare = tmp_path / "bare-python"  # the same interpreter without site-packages: no jinja2, no yaml
    bare.write_text(f'#!/bin/sh\nexec "{sys.executable}" -I -S "$@"\n')
    bare.chmod(0o755)
    refused = subprocess.run(["git", "commit", "-qm", "edit"], cwd=repo, capture_output=True, text=True,
                             env={**os.environ, "PYTHON": str(bare), "GIT_AUTHOR_NAME": "e",
                                  "GIT_AUTHOR_EMAIL": "e@example.org", "GIT_COMMITTER_NAME": "e",
                                  "GIT_COMMITTER_EMAIL": "e@example.org"})
    assert refused.returncode != 0
    assert "缺少手册需要的程序包" in refused.stderr
    assert "Traceback" not in refused.stderr

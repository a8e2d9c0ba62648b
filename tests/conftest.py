"""Shared fixtures: small projects made from dicts, and the seed handbook built once."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from policy_handbook.content.frontmatter import dump  # noqa: E402


class Project:
    """A throwaway project: the repository's templates and static files, content you give it."""

    def __init__(self, root: Path, seed_content: bool = False):
        self.root = root
        shutil.copytree(REPO / "templates", root / "templates")
        shutil.copytree(REPO / "static", root / "static")
        shutil.copy(REPO / "config.yaml", root / "config.yaml")
        if seed_content:
            shutil.copytree(REPO / "content", root / "content")
        else:
            for sub in ("documents", "cards", "sources"):
                (root / "content" / sub).mkdir(parents=True)

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def document(self, doc_id: str = "demo", **fields) -> Path:
        data = {"id": doc_id, "title": "示例文件", "issuer": "示例市人民政府", "region": "示例市", **fields}
        return self.write(f"content/documents/{doc_id}.md", dump(data, ""))

    def card(self, local: str, body: str = "正文。", doc_id: str = "demo", **fields) -> Path:
        data = {"id": f"{doc_id}-{local}", "title": f"措施{local}", "document": doc_id,
                "number": local, **fields}
        return self.write(f"content/cards/{doc_id}/{local}.md", dump(data, body))

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """The command line, as an editor runs it."""
        return subprocess.run([sys.executable, str(REPO / "build.py"), "--config",
                               str(self.root / "config.yaml"), *args],
                              capture_output=True, text=True, cwd=self.root)

    def read_site(self) -> dict[str, bytes]:
        return {p.relative_to(self.site).as_posix(): p.read_bytes()
                for p in sorted(self.site.rglob("*")) if p.is_file()}

    def config(self, **changes) -> None:
        data = yaml.safe_load((self.root / "config.yaml").read_text(encoding="utf-8"))
        data.update(changes)
        (self.root / "config.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "project")


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Project:
    """The bundled handbook (all five seed documents), built once for the session."""
    proj = Project(tmp_path_factory.mktemp("seed") / "project", seed_content=True)
    result = proj.run("build")
    assert result.returncode == 0, result.stderr
    return proj


@pytest.fixture
def project_with_seed(tmp_path: Path) -> Project:
    """A private copy of the bundled handbook, for tests that change its settings or content."""
    return Project(tmp_path / "project", seed_content=True)

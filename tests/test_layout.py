"""The package's layout shows the pipeline, and stays true: one folder per stage, imports only to
an earlier stage (or the shared vocabulary), no import cycle, no module past ~400 lines.

Read from the source with `ast`, so an import hidden inside a function counts too."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "policy_handbook"
NAME = "policy_handbook"

# The stages in the order data flows. A module may import its own stage or an earlier one.
ORDER = ("shared", "text", "content", "library", "pages", "outputs", "pipeline", "preview")
# The importer writes content; the build never imports it. It reads content and the library.
SIDE = {"importer": {"shared", "text", "content", "library"}}
SHARED = {"model", "errors", "paths", "config", "dates", "yamlfile"}  # the vocabulary every stage speaks
MAX_LINES = 400


def stage_of(module: str) -> str:
    """policy_handbook.pages.render -> pages; policy_handbook.model -> shared."""
    parts = module.split(".")[1:]
    if not parts:
        return "shared"  # the package's own __init__
    if len(parts) == 1 and not (PACKAGE / parts[0]).is_dir():
        if parts[0] == "pipeline":
            return "pipeline"
        if parts[0] in SHARED:
            return "shared"
        return f"loose module {parts[0]}"
    return parts[0]


def allowed(stage: str) -> set[str]:
    if stage in SIDE:
        return SIDE[stage] | {stage}
    return set(ORDER[:ORDER.index(stage) + 1])


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `module` imports (a package import counts as its __init__)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target != NAME and not target.startswith(NAME + "."):
                continue
            for alias in node.names:  # `from . import views` names a module
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith(NAME + ".")}
    found.discard(module)
    return {name for name in found if name in known}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def test_every_module_lives_in_a_stage_folder_or_is_shared_vocabulary(graph):
    loose = sorted(name for name in graph if stage_of(name) not in ORDER and stage_of(name) not in SIDE)
    assert not loose, f"modules outside the layout (put each in its stage's folder): {loose}"


def test_imports_point_only_to_an_earlier_stage(graph):
    wrong = [f"{name} ({stage_of(name)}) imports {dep} ({stage_of(dep)})"
             for name, deps in sorted(graph.items()) for dep in sorted(deps)
             if stage_of(dep) not in allowed(stage_of(name))]
    assert not wrong, "imports against the flow of the pipeline:\n" + "\n".join(wrong)


def test_nothing_but_the_command_line_imports_the_importer_or_the_preview(graph):
    users = sorted(name for name, deps in graph.items() for dep in deps
                   if stage_of(dep) in ("importer", "preview") and stage_of(name) != stage_of(dep))
    assert not users


def test_no_import_cycle(graph):
    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, trail = stack.pop()
            for dep in sorted(graph[node]):
                if dep == start:
                    return trail + [start]
                if dep not in seen:
                    seen.add(dep)
                    stack.append((dep, trail + [dep]))
        return None

    cycles = [" -> ".join(c) for name in sorted(graph) if (c := cycle_from(name))]
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_no_module_is_too_long_to_read():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (each has found a seam): {long}"


def test_the_readme_names_each_folder_and_its_job():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    missing = [f for f in folders if f"`policy_handbook/{f}/`" not in readme]
    assert folders and not missing, f"README's layout section does not name: {missing}"

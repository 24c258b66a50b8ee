"""The core never imports Textual: only briefkit.tui may (as harlequin checks its own core)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

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

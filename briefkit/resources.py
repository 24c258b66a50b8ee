"""Where the shipped seeds/ and templates/ live: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """Return the shipped folder `name` ("seeds" or "templates")."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"briefkit's shipped {name}/ folder is missing from this installation")


def sample_brief() -> Path:
    return shipped("seeds") / "venezuela.brief.yaml"

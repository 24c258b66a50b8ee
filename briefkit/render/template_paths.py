"""Where templates are looked for, apart from the template engine: an export found in the run
cache checks these folders without loading Jinja2."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

from briefkit import resources


def user_template_dir() -> Path:
    return Path(user_data_dir("briefkit", appauthor=False)) / "templates"


def search_path(brief_dir: Path | None) -> list[tuple[str, Path]]:
    """Folders searched in order: beside the brief, the user's folder, then the shipped templates."""
    folders: list[tuple[str, Path]] = []
    if brief_dir is not None:
        folders.append(("brief", Path(brief_dir) / "templates"))
    folders.append(("user", user_template_dir()))
    folders.append(("shipped", resources.shipped("templates")))
    return folders

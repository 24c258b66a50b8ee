"""The reference list in a CSL style: the style's own `<bibliography>` (its sort keys, its layout,
its name options and its subsequent-author-substitute), one entry per source.

Entries are rendered whole by citeproc-py (a list is rendered once per export, so the shape
templates that make notes fast are not needed), with the same leaves, seams and links as notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from briefkit.render.csl.cites import Bibliography, Cite
from briefkit.render.csl.elements import record
from briefkit.render.csl.markup import HOLE, TAG_OPEN, TAGS
from briefkit.render.csl.seams import finish, fix_seams
from briefkit.render.csl.styles import CSL_NS, Style

_NAMES_TAG = f"{{{CSL_NS}}}names"
_SUBSTITUTES = ("editor", "translator", "director", "interviewer", "collection_editor")
_SPACES = re.compile(r"\s+")
_SPACE_AROUND_TAGS = re.compile(f" ({TAGS}+) ")


def bibliography_entries(
    style: Style, references: Bibliography, keys: Sequence[str], mark: Callable[[str, str], str]
) -> list[str]:
    """The entries for `keys` in the style's order, as markup; none if the style has no
    bibliography. `mark` turns a URL or DOI leaf's output into a link (as in notes)."""
    element = style.root.bibliography
    if element is None or element.layout is None:
        return []
    layout = element.layout
    items = [Cite(key, frozenset(), None, references) for key in dict.fromkeys(keys)]
    if element.find(f"{{{CSL_NS}}}sort") is not None:
        items = element.sort(items)
    substitute = element.get("subsequent-author-substitute")
    partial = element.get("subsequent-author-substitute-rule") == "partial-first"
    previous: str | None = None
    out = []
    for item in items:
        pieces, names, first = _render(layout, item, mark, partial)
        if not pieces:
            continue
        if substitute is not None and names is not None:
            compared = first if partial else pieces[names]
            if compared is not None and compared == previous:
                # partial-first: only the first name goes ("——, and Erik Holm"); else all of them
                pieces[names] = substitute + pieces[names][len(compared) :] if partial else substitute
            previous = compared
        elif substitute is not None:
            previous = None
        pieces = [layout.get("prefix", ""), *pieces, layout.get("suffix", "")]
        fix_seams(pieces, style)
        text = "".join(pieces)
        text = _SPACES.sub(" ", text)
        if f" {TAG_OPEN}" in text:
            text = _SPACE_AROUND_TAGS.sub(r" \1", text)
        out.append(finish(text, style.close_quote, note_style=False))
    return out


def _render(
    layout: Any, item: Cite, mark: Callable[[str, str], str], partial: bool
) -> tuple[list[str], int | None, str | None]:
    """One entry as static pieces and leaf outputs in turn, the index of the first names leaf
    (the author, for subsequent-author-substitute) and, if `partial`, how that leaf begins with
    its first name alone."""
    output, recorder = record(layout, item)
    if output is None:
        return [], None, None
    parts = HOLE.split(output)
    names, first = None, None
    for at in range(1, len(parts), 2):
        hole = recorder.holes[int(parts[at])]
        if names is None and hole[0].tag == _NAMES_TAG:
            names = at
            first = _first_name(layout, hole, item) if partial else None
        parts[at] = mark(hole[3], recorder.outputs[int(parts[at])])
    if first is not None and names is not None and not parts[names].startswith(first):
        first = None
    return parts, names, first


def _first_name(layout: Any, hole: tuple[Any, ...], item: Cite) -> str | None:
    """The first name of a names leaf, rendered as the leaf begins with it."""
    element, _, _, variable = hole
    name = element.find(f"{{{CSL_NS}}}name")  # its cs:name alone: no label ("(ed.)")
    reference = item.reference
    roles = [v.replace("-", "_") for v in variable.split()] + list(_SUBSTITUTES)
    for role in roles:  # the leaf's own names, else those its cs:substitute printed
        names = reference.get(role)
        if names and name is not None:
            dict.__setitem__(reference, role, names[:1])
            try:
                layout.repressed = {}
                rendered = name.render(item, role, context=layout)
            finally:
                dict.__setitem__(reference, role, names)
            return str(rendered) if rendered is not None else None
    return None

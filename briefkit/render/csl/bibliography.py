"""The reference list in a CSL style: the style's own `<bibliography>` (its sort keys, its layout,
its name options and its subsequent-author-substitute), one entry per source.

Entries are rendered whole by citeproc-py (a list is rendered once per export, so the shape
templates that make notes fast are not needed), with the same leaves, seams and links as notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from citeproc.source import VariableError

from briefkit.render.csl.cites import Bibliography, Cite
from briefkit.render.csl.elements import RECORDER, SUPPRESSED, Recorder
from briefkit.render.csl.markup import HOLE, TAG_OPEN, TAGS
from briefkit.render.csl.seams import finish, fix_seams
from briefkit.render.csl.styles import CSL_NS, Style

_NAMES_TAG = f"{{{CSL_NS}}}names"
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
    previous: str | None = None
    out = []
    for item in items:
        pieces, names = _render(layout, item, mark)
        if not pieces:
            continue
        if substitute is not None and names is not None:
            if pieces[names] == previous:
                pieces[names] = substitute
            else:
                previous = pieces[names]
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


def _render(layout: Any, item: Cite, mark: Callable[[str, str], str]) -> tuple[list[str], int | None]:
    """One entry as static pieces and leaf outputs in turn, and the index of the first names
    leaf (the author, for subsequent-author-substitute)."""
    recorder = Recorder()
    token, suppressed = RECORDER.set(recorder), SUPPRESSED.set(set())
    try:
        layout.repressed = {}
        output = layout.render_children(item)
    except VariableError:
        output = None
    finally:
        RECORDER.reset(token)
        SUPPRESSED.reset(suppressed)
    if output is None:
        return [], None
    parts = HOLE.split(str(output))
    names = None
    for at in range(1, len(parts), 2):
        element, _, _, variable = recorder.holes[int(parts[at])]
        if names is None and element.tag == _NAMES_TAG:
            names = at
        parts[at] = mark(variable, recorder.outputs[int(parts[at])])
    return parts, names

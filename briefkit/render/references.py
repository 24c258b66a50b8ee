"""Where the bibliography goes: a template's `{{ bibliography() }}` prints pandoc's own marker,
`::: {#refs}`, and the export puts the style's reference list there (or at the end of the
document when the template has no marker)."""

from __future__ import annotations

from collections.abc import Callable

from briefkit.render.document import Bibliography, Block, Document, Inline, Paragraph, Text

REFS = "::: {#refs}\n:::"  # pandoc places its bibliography at a div with this id, as we do
LIBRARY_REFS = "::: {#refs .library}\n:::"  # the same, listing every source of the library
_MARKERS = {" ".join(REFS.split()): False, " ".join(LIBRARY_REFS.split()): True}


def bibliography_marker(library: bool = False) -> str:
    """The Markdown a template prints where the bibliography belongs: the cited sources only,
    or with `library=True` every source of the library."""
    return LIBRARY_REFS if library else REFS


def place_bibliography(
    doc: Document, entries: Callable[[bool], list[list[Inline]]], title: str
) -> None:
    """Replace each marker paragraph at the top level with the reference list, in place; with no
    marker the list goes at the end. `entries(library)` formats the entries; a style without a
    bibliography gives none, and then nothing is placed (the markers go)."""
    placed = False
    blocks: list[Block] = []
    for block in doc.blocks:
        library = _marker(block)
        if library is None:
            blocks.append(block)
            continue
        listed = entries(library)
        if listed:
            blocks.append(Bibliography(title, listed))
        placed = True
    if not placed:
        listed = entries(False)
        if listed:
            blocks.append(Bibliography(title, listed))
    doc.blocks = blocks


def _marker(block: Block) -> bool | None:
    """Whether a block is a marker (and which list it asks for); None if it is not one."""
    if not isinstance(block, Paragraph) or len(block.children) != 1:
        return None
    child = block.children[0]
    return _MARKERS.get(" ".join(child.text.split())) if isinstance(child, Text) else None

"""The one format-neutral document tree between template rendering and the writers (pandoc's AST, small).

Templates render Markdown; `briefkit.render.parse` turns it into this tree; citations become `Note`s
numbered in reading order; every writer renders this tree and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Union

# Inline nodes ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Text:
    text: str


@dataclass(slots=True)
class Emph:
    children: list[Inline]


@dataclass(slots=True)
class Strong:
    children: list[Inline]


@dataclass(slots=True)
class Code:
    text: str


@dataclass(slots=True)
class Link:
    url: str
    children: list[Inline]


@dataclass(slots=True)
class LineBreak:
    pass


@dataclass(slots=True)
class NoteRef:
    """A footnote reference; `number` is its position among the document's notes (1-based)."""

    number: int


@dataclass(slots=True)
class Unverified:
    """Marks a quote that failed verification and was exported only because the user allowed it."""

    children: list[Inline]


@dataclass(slots=True)
class Cite:
    """`[@id]` or `[@a; @b]` as parsed; replaced by a `NoteRef` when notes are numbered, so writers never see it."""

    ids: list[str]


Inline = Union[Text, Emph, Strong, Code, Link, LineBreak, NoteRef, Unverified, Cite]


# Block nodes ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Paragraph:
    children: list[Inline]


@dataclass(slots=True)
class Heading:
    level: int  # 1..6
    children: list[Inline]


@dataclass(slots=True)
class BlockQuote:
    blocks: list[Block]


@dataclass(slots=True)
class BulletList:
    items: list[list[Block]]


@dataclass(slots=True)
class OrderedList:
    items: list[list[Block]]
    start: int = 1


@dataclass(slots=True)
class Table:
    header: list[list[Inline]]
    rows: list[list[list[Inline]]]
    align: list[str] = field(default_factory=list)  # per column: "left", "center", "right" or ""


@dataclass(slots=True)
class CodeBlock:
    text: str


@dataclass(slots=True)
class ThematicBreak:
    pass


Block = Union[Paragraph, Heading, BlockQuote, BulletList, OrderedList, Table, CodeBlock, ThematicBreak]


# The document ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Note:
    """A footnote body; notes are stored in reference order, so `Document.notes[n - 1]` is note n."""

    number: int
    blocks: list[Block]


@dataclass(slots=True)
class Meta:
    """The title block, as written in the brief (plain text; writers escape as their format needs)."""

    title: str = ""
    subtitle: str = ""
    author: str = ""
    organisation: str = ""
    date: str = ""
    audience: str = ""


@dataclass(slots=True)
class Document:
    meta: Meta
    blocks: list[Block]
    notes: list[Note]


def iter_inlines(doc: Document) -> Iterator[Inline]:
    """Every inline node of the body and then of the notes, depth first, in reading order."""
    for block in [*doc.blocks, *(b for note in doc.notes for b in note.blocks)]:
        yield from _block_inlines(block)


def _block_inlines(block: Block) -> Iterator[Inline]:
    if isinstance(block, (Paragraph, Heading)):
        yield from _inlines(block.children)
    elif isinstance(block, BlockQuote):
        for inner in block.blocks:
            yield from _block_inlines(inner)
    elif isinstance(block, (BulletList, OrderedList)):
        for item in block.items:
            for inner in item:
                yield from _block_inlines(inner)
    elif isinstance(block, Table):
        for cell in [*block.header, *(cell for row in block.rows for cell in row)]:
            yield from _inlines(cell)


def _inlines(nodes: list[Inline]) -> Iterator[Inline]:
    for node in nodes:
        yield node
        if isinstance(node, (Emph, Strong, Link, Unverified)):
            yield from _inlines(node.children)

"""The one format-neutral document tree between template rendering and the writers (pandoc's AST, small).

Templates render Markdown; `briefkit.render.parse` turns it into this tree; citations become `Note`s
numbered in reading order; every writer renders this tree and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
class SmallCaps:
    """Small capitals, as a citation style or a source's `<sc>` markup asks."""

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
    """`[@id]` or `[@a; @b]` as parsed; replaced by a `NoteRef` when notes are numbered, so writers never see it.
    `locators` holds, per id, a locator written after it (`[@id, para. 5]`: "para. 5"; "" for
    none), and is empty when no id has one."""

    ids: list[str]
    locators: list[str] = field(default_factory=list)


Inline = Union[Text, Emph, Strong, SmallCaps, Code, Link, LineBreak, NoteRef, Unverified, Cite]


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


@dataclass(slots=True)
class Bibliography:
    """The reference list, headed by `title`: one entry per source, in the citation style's order
    (writers give entries a hanging indent: the Bibliography style in DOCX)."""

    title: str
    entries: list[list[Inline]]


Block = Union[
    Paragraph, Heading, BlockQuote, BulletList, OrderedList, Table, CodeBlock, ThematicBreak,
    Bibliography,
]


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


def append_text(out: list[Inline], text: str) -> None:
    """Add `text` to a run of inlines, joined to the text node that ends it (as parsers do)."""
    if not text:
        return
    if out and isinstance(out[-1], Text):
        out[-1].text += text
    else:
        out.append(Text(text))


def map_blocks(blocks: list[Block], inlines: Callable[[list[Inline]], list[Inline]]) -> list[Block]:
    """`blocks` rebuilt with `inlines` applied to each run of inline nodes, in reading order (a
    table's header before its rows); the blocks given are left as they are."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(Paragraph(inlines(block.children)))
        elif isinstance(block, Heading):
            out.append(Heading(block.level, inlines(block.children)))
        elif isinstance(block, BlockQuote):
            out.append(BlockQuote(map_blocks(block.blocks, inlines)))
        elif isinstance(block, BulletList):
            out.append(BulletList([map_blocks(item, inlines) for item in block.items]))
        elif isinstance(block, OrderedList):
            out.append(OrderedList([map_blocks(item, inlines) for item in block.items], block.start))
        elif isinstance(block, Table):
            header = [inlines(cell) for cell in block.header]
            out.append(Table(header, [[inlines(cell) for cell in row] for row in block.rows],
                             list(block.align)))
        else:
            out.append(block)
    return out


def iter_inlines(doc: Document) -> Iterator[Inline]:
    """Every inline node of the body and then of the notes, depth first, in reading order."""
    runs: list[list[Inline]] = []

    def keep(run: list[Inline]) -> list[Inline]:
        runs.append(run)
        return run

    for blocks in [doc.blocks, *(note.blocks for note in doc.notes)]:
        map_blocks(blocks, keep)
    for run in runs:
        yield from _inlines(run)


def _inlines(nodes: list[Inline]) -> Iterator[Inline]:
    for node in nodes:
        yield node
        if isinstance(node, (Emph, Strong, SmallCaps, Link, Unverified)):
            yield from _inlines(node.children)

"""The document tree for viewers without footnotes or a title block (the TUI's preview).

Note references become superscript numbers and the notes a numbered list at the end, so any
Markdown viewer shows the brief as it will read; the tree is transformed, never re-parsed.
"""

from __future__ import annotations

from briefkit.render.document import (
    Block,
    Document,
    Emph,
    Heading,
    Inline,
    Link,
    Meta,
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Text,
    Unverified,
    map_blocks,
)
from briefkit.render.typography import reading_date

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def for_reading(doc: Document) -> Document:
    head: list[Block] = []
    meta = doc.meta
    if meta.title:
        head.append(Heading(1, [Text(meta.title)]))
    if meta.subtitle:
        head.append(Paragraph([Emph([Text(meta.subtitle)])]))
    byline = " · ".join(x for x in (meta.author, meta.organisation, reading_date(meta.date)) if x)
    if byline:
        head.append(Paragraph([Text(byline)]))
    if meta.audience:
        head.append(Paragraph([Text(f"For: {meta.audience}")]))
    body = map_blocks(doc.blocks, _inlines)
    if doc.notes:
        body += [Heading(2, [Text("Notes")]), OrderedList([map_blocks(n.blocks, _inlines) for n in doc.notes])]
    return Document(Meta(), head + body, [])


def _inlines(nodes: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for n in nodes:
        if isinstance(n, NoteRef):
            out.append(Text(str(n.number).translate(_SUPERSCRIPT)))
        elif isinstance(n, Emph):
            out.append(Emph(_inlines(n.children)))
        elif isinstance(n, Strong):
            out.append(Strong(_inlines(n.children)))
        elif isinstance(n, Link):
            out.append(Link(n.url, _inlines(n.children)))
        elif isinstance(n, Unverified):
            out.append(Unverified(_inlines(n.children)))
        else:
            out.append(n)
    return out

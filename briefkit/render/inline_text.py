"""The characters a run of inline nodes prints, for writers that measure or compare text."""

from __future__ import annotations

from collections.abc import Iterable

from briefkit.render.document import (
    Code,
    Emph,
    Inline,
    LineBreak,
    Link,
    NoteRef,
    SmallCaps,
    Strong,
    Text,
    Unverified,
)


def plain_text(inlines: Iterable[Inline]) -> str:
    """The characters the inlines print, markup aside (a note reference prints its number, a line
    break a newline)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            out.append(node.text)
        elif isinstance(node, (Emph, Strong, SmallCaps, Link, Unverified)):
            out.append(plain_text(node.children))
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, NoteRef):
            out.append(str(node.number))
    return "".join(out)

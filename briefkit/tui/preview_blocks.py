"""The preview's document split into top-level blocks, with their heights estimated for a width:
pure text work, done in the render process for the preview's width (splitting a 5,000-citation
preview and fitting its tables took 130 ms of the TUI's interpreter lock on the first F4 after an
edit), and in a thread of the TUI when the width changes. Imports no Textual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefkit.tui.widgets.tables import fit_tables

LIST_CHUNK = 10  # list items rendered together, at most
_FENCE = re.compile(r"\s*(`{3,}|~{3,})")
_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?: |$)")  # a list item's first line, not indented


def split_blocks(markdown: str) -> list[tuple[str, bool]]:
    """The document's top-level blocks, each with whether a blank line follows it: the text split
    at blank lines, except inside a fenced code block and before an indented line (the next
    paragraph of a list item or a note); a long list is split too, every LIST_CHUNK items with
    no blank line between (a brief's 5,000 notes are one list, and Rich took seconds over it)."""
    blocks: list[tuple[str, bool]] = []
    current: list[str] = []
    fence = ""
    blank = False
    for line in markdown.split("\n"):
        if fence:
            current.append(line)
            if line.strip().startswith(fence):
                fence = ""
            continue
        if not line.strip():
            blank = bool(current)
            continue
        if blank and not line[:1].isspace():
            blocks.append(("\n".join(current), True))
            current = []
        elif blank:
            current.append("")
        elif len(current) >= LIST_CHUNK and _ITEM.match(line) and _ITEM.match(current[0]):
            blocks.append(("\n".join(current), False))
            current = []
        blank = False
        current.append(line)
        opened = _FENCE.match(line)
        if opened:
            fence = opened.group(1)
    if current:
        blocks.append(("\n".join(current), True))
    return blocks


def estimate(block: str, width: int) -> int:
    """Lines a block is likely to take at `width`."""
    return len(block) // max(1, width - 4) + block.count("\n") + 1


@dataclass(frozen=True)
class Blocks:
    """A document split into blocks, with their heights estimated for a width: made off the
    event loop (splitting a 5,000-citation preview takes 30-90 ms)."""

    texts: list[str]
    gaps: list[int]  # blank lines after each block (none inside a long list)
    estimates: list[int]  # each block's estimated lines at `width`
    width: int

    @classmethod
    def of(cls, markdown: str, width: int) -> Blocks:
        blocks = split_blocks(markdown)
        texts = [text for text, _ in blocks]
        return cls(texts, [int(spaced) for _, spaced in blocks], [estimate(t, width) for t in texts], width)


def prepare(markdown: str, width: int) -> tuple[str, Blocks]:
    """The document as the preview shows it at `width` (tables that do not fit laid out one
    block per row), and its blocks."""
    body = fit_tables(markdown, width)
    return body, Blocks.of(body, width)

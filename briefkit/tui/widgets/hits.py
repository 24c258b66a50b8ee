"""Search hits in the TUI: how one reads in a list, and where its first match is in the source."""

from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

from briefkit.library.index import HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, Hit

SNIPPET_LINES = 3
HIT_ROWS = 1 + SNIPPET_LINES  # the source and paragraph, then the snippet


def hit_lines(hit: Hit, title: str, console: Console, width: int, lines: int = SNIPPET_LINES) -> list[Text]:
    """The source title and paragraph, then up to `lines` lines of snippet with matches highlighted.

    Wrapped here rather than by the list, so every hit takes the same rows and lists stay virtual.
    """
    head = Text(f"¶{hit.paragraph} {title}", style="dim")
    head.truncate(width, overflow="ellipsis")
    text = Text()
    snippet = " ".join(hit.snippet.split())
    pos = 0
    while True:
        opened = snippet.find(HIGHLIGHT_OPEN, pos)
        closed = snippet.find(HIGHLIGHT_CLOSE, opened) if opened != -1 else -1
        if closed == -1:
            text.append(snippet[pos:])
            break
        text.append(snippet[pos:opened])
        text.append(snippet[opened + len(HIGHLIGHT_OPEN) : closed], style="bold reverse")
        pos = closed + len(HIGHLIGHT_CLOSE)
    wrapped = list(text.wrap(console, max(10, width)))
    if len(wrapped) > lines:  # say that the snippet goes on
        wrapped = wrapped[:lines]
        wrapped[-1].rstrip()
        wrapped[-1].truncate(max(1, width - 1))
        wrapped[-1].append("…")
    return [head, *wrapped]


def match_offset(hit: Hit, text: str) -> int:
    """Offset in the source `text` of the hit's first highlighted word, so the reader can put the
    cursor on the matching sentence; the passage start when the snippet cannot be placed.

    The snippet is the passage's own text with markers and "…" where it was cut; the words just
    before the first match tell repeated occurrences of the matched word apart.
    """
    opened = hit.snippet.find(HIGHLIGHT_OPEN)
    closed = hit.snippet.find(HIGHLIGHT_CLOSE, opened + 1)
    if opened == -1 or closed == -1:
        return hit.start
    words = hit.snippet[opened + len(HIGHLIGHT_OPEN) : closed].split()
    if not words:
        return hit.start
    prefix = hit.snippet[:opened].rsplit("…", 1)[-1]
    before = prefix.split()[-6:]
    passage = text[hit.start : hit.end]
    match = r"(" + r"\s+".join(map(re.escape, words)) + r")"
    found = None
    if before:
        joint = r"\s+" if prefix[-1:].isspace() else ""
        found = re.search(r"\s+".join(map(re.escape, before)) + joint + match, passage)
    found = found or re.search(match, passage)
    return hit.start + found.start(1) if found else hit.start

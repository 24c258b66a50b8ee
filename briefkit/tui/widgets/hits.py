"""How a search hit reads in a list: where it is, then its snippet with the matched words bold."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from briefkit.library.index import HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, Hit


def hit_prompt(hit: Hit, title: str, console: Console, width: int, lines: int = 3) -> Text:
    """The source title and paragraph, then up to `lines` lines of snippet with matches highlighted.

    Wrapped here rather than by the list, so lists can keep `text-wrap: nowrap` for their titles.
    """
    head = Text(f"{title} ¶{hit.paragraph}", style="dim")
    head.truncate(width, overflow="ellipsis")
    text = Text()
    snippet = " ".join(hit.snippet.split())
    pos = 0
    while True:
        opened = snippet.find(HIGHLIGHT_OPEN, pos)
        if opened == -1:
            text.append(snippet[pos:])
            break
        closed = snippet.find(HIGHLIGHT_CLOSE, opened)
        if closed == -1:
            text.append(snippet[pos:])
            break
        text.append(snippet[pos:opened])
        text.append(snippet[opened + len(HIGHLIGHT_OPEN) : closed], style="bold reverse")
        pos = closed + len(HIGHLIGHT_CLOSE)
    wrapped = list(text.wrap(console, max(10, width)))[:lines]
    return Text("\n").join([head, *wrapped])

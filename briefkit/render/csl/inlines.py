"""A finished note's markup as document inlines, the tree every writer renders."""

from __future__ import annotations

from briefkit.render.csl.markup import TAG
from briefkit.render.document import Emph, Inline, Link, SmallCaps, Strong, append_text


def to_inlines(markup: str) -> list[Inline]:
    """Turn the marked-up note (i, b, sc, and a for links) into document inlines, merging text."""
    root: list[Inline] = []
    stack: list[tuple[str, str, list[Inline]]] = [("", "", root)]
    pos = 0
    for match in TAG.finditer(markup):
        append_text(stack[-1][2], markup[pos : match.start()])
        pos = match.end()
        closing, tag, url = match.group(1) == "/", match.group(2), match.group(3) or ""
        if tag not in ("i", "b", "sc", "a"):
            continue
        if not closing:
            stack.append((tag, url, []))
            continue
        while len(stack) > 1:
            opened, link, children = stack.pop()
            _add_node(stack[-1][2], opened, link, children)
            if opened == tag:
                break
    append_text(stack[-1][2], markup[pos:])
    while len(stack) > 1:
        opened, link, children = stack.pop()
        _add_node(stack[-1][2], opened, link, children)
    return root


def _add_node(into: list[Inline], tag: str, url: str, children: list[Inline]) -> None:
    if not children:
        return
    if tag == "a":
        into.append(Link(url, children))
    elif tag == "i":
        into.append(Emph(children))
    elif tag == "sc":
        into.append(SmallCaps(children))
    else:
        into.append(Strong(children))

"""WordprocessingML written as text and parsed once per part.

Building body and note content element by element through lxml costs several microseconds per
element; a brief with a thousand notes has tens of thousands of elements. Writing the markup as
strings and parsing each part's new content in one go is about five times faster, so the writer
emits text through these helpers, which escape everything they are given.
"""

from __future__ import annotations

import re

from docx.oxml.ns import nsdecls
from lxml import etree

NAMESPACES = nsdecls("w", "r")
"""Declarations every fragment is parsed under (w: for content, r: for relationship ids)."""

_LAYOUT = re.compile("([\t\n])")
_LAYOUT_MARKUP = {"\t": "<w:tab/>", "\n": "<w:br/>"}


def esc(text: str) -> str:
    """Text escaped for element content."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(text: str) -> str:
    """Text escaped for a double-quoted attribute value."""
    return esc(text).replace('"', "&quot;")


def run_content(text: str) -> str:
    """The inside of a `w:r` for cleaned text: `w:t` pieces, `w:tab` for tabs, `w:br` for newlines."""
    if "\t" not in text and "\n" not in text:
        return _t(text)
    return "".join(_LAYOUT_MARKUP.get(piece) or _t(piece) for piece in _LAYOUT.split(text))


def _t(text: str) -> str:
    """A `w:t`, told to keep its spaces only when it has spaces Word would otherwise trim."""
    if not text:
        return ""
    if text[0] == " " or text[-1] == " " or "  " in text:
        return f'<w:t xml:space="preserve">{esc(text)}</w:t>'
    return f"<w:t>{esc(text)}</w:t>"


def append_fragment(parent: etree._Element, markup: str) -> None:
    """Parse `markup` (a sequence of sibling elements) and append them to `parent`."""
    if not markup:
        return
    # A parser per call: lxml parsers must not be shared between threads (exports run in
    # workers). huge_tree: the markup is our own and one part's worth can be large.
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False)
    holder = etree.fromstring(f"<w:body {NAMESPACES}>{markup}</w:body>".encode(), parser)
    # Move the holder (which declares the namespaces) in whole, then unwrap it: moving its children
    # across documents one by one re-resolves namespaces for every descendant (0.7 s for one large
    # table); within one document they move in constant time.
    parent.append(holder)
    for child in list(holder):
        holder.addprevious(child)
    parent.remove(holder)

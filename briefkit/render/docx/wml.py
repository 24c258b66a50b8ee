"""WordprocessingML written as text, to be spliced into the serialised parts as text.

Building body and note content element by element through lxml costs several microseconds per
element; a brief with a thousand notes has tens of thousands of elements. So the writer emits text
through these helpers, which escape everything they are given, and `package` puts that text into
the prepared base's parts: parsing it into a tree only to serialise it again took about half the
time of writing a DOCX. Parsing is left for parts that do not bind the `w:` and `r:` prefixes the
markup uses, and for the review comments' pass.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMESPACES = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
"""Declarations every fragment is written under (w: for content, r: for relationship ids)."""



def qn(tag: str) -> str:
    """The Clark name (`{namespace}local`) of a `w:` tag, as python-docx's `qn` gives it."""
    prefix, _, local = tag.partition(":")
    if prefix != "w":
        raise ValueError(f"only w: names are known here, not {tag!r}")
    return f"{{{W_NS}}}{local}"


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


def parse_fragment(markup: str) -> etree._Element:
    """`markup` (a sequence of sibling elements) parsed into a holder element that declares the
    namespaces; its children are the elements."""
    from lxml import etree  # only for parts that cannot take the markup as text

    # A parser per call: lxml parsers must not be shared between threads (exports run in
    # workers). huge_tree: the markup is our own and one part's worth can be large.
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False)
    return etree.fromstring(f"<w:body {NAMESPACES}>{markup}</w:body>".encode(), parser)


def insert_parsed(parent: etree._Element, holder: etree._Element,
                  before: etree._Element | None = None) -> None:
    """Move the children of `holder` (see `parse_fragment`) into `parent`, at its end or just
    before its child `before`."""
    # Move the holder (which declares the namespaces) in whole, then unwrap it: moving its children
    # across documents one by one re-resolves namespaces for every descendant (0.7 s for one large
    # table); within one document they move in constant time.
    if before is None:
        parent.append(holder)
    else:
        before.addprevious(holder)
    for child in list(holder):
        holder.addprevious(child)
    parent.remove(holder)


def append_fragment(parent: etree._Element, markup: str,
                    before: etree._Element | None = None) -> None:
    """Parse `markup` (a sequence of sibling elements) and add them to `parent`, at its end or just
    before its child `before`."""
    if markup:
        insert_parsed(parent, parse_fragment(markup), before)

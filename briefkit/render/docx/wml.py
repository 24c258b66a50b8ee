"""WordprocessingML written as text, and spliced into the saved parts as text.

Building body and note content element by element through lxml costs several microseconds per
element; a brief with a thousand notes has tens of thousands of elements. So the writer emits text
through these helpers, which escape everything they are given, and `Splices` puts that text into
the serialised parts when the package is saved: parsing it into the tree only for python-docx to
serialise it again took about half the time of writing a DOCX.
"""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import nsdecls, nsmap
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


def parse_fragment(markup: str) -> etree._Element:
    """`markup` (a sequence of sibling elements) parsed into a holder element that declares the
    namespaces; its children are the elements."""
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


class Splices:
    """New content for elements of a document's parts, kept as markup until the package is saved.

    Each place gets a comment holding a unique key; on save every part is serialised as usual and
    each key's comment is replaced by its markup. Where an element does not bind the `w:` and `r:`
    prefixes the markup is written with (a hand-made reference document could do without), the
    markup is parsed into the tree instead.
    """

    def __init__(self) -> None:
        self._key = f"briefkit-{uuid.uuid4().hex}"
        self._markup: dict[bytes, bytes] = {}

    def put(self, parent: etree._Element, markup: str, before: etree._Element | None = None) -> None:
        """Add `markup` to `parent`, at its end or just before its child `before`."""
        if not markup:
            return
        scope = parent.nsmap
        if scope.get("w") != nsmap["w"] or scope.get("r") != nsmap["r"]:
            append_fragment(parent, markup, before)
            return
        key = f"{self._key}-{len(self._markup)}"
        place = etree.Comment(key)
        if before is None:
            parent.append(place)
        else:
            before.addprevious(place)
        self._markup[f"<!--{key}-->".encode()] = markup.encode()

    def save(self, document: DocxDocument) -> bytes:
        """The .docx file's bytes, as python-docx's `save` writes them, with the markup spliced in."""
        package = document.part.package
        parts = []
        for part in package.parts:
            part.before_marshal()
            parts.append(_Serialised(part, self._splice(part.blob)))
        out = io.BytesIO()
        PackageWriter.write(out, package.rels, parts)
        return out.getvalue()

    def _splice(self, blob: bytes) -> bytes:
        if self._key.encode() not in blob:
            return blob
        for place, markup in self._markup.items():
            blob = blob.replace(place, markup, 1)
        return blob


class _Serialised:
    """A part as the package writer reads it, with its bytes fixed."""

    def __init__(self, part: Any, blob: bytes) -> None:
        self.partname = part.partname
        self.content_type = part.content_type
        self.rels = part.rels
        self.blob = blob

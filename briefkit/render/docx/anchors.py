"""Bookmarks as the anchors of a brief's elements in WordprocessingML, and the text they hold.

Bookmarks are what survives editing: Word keeps them, and LibreOffice keeps their names through a
round trip (it renumbers their ids; a content control's tag it drops). A bookmark name is at most
40 characters of letters, digits and underscores starting with a letter (Word's rule); names here
are derived from the brief's ids, deterministically, and recorded beside the file's text (see
`record`), so nothing depends on reading the id back out of a name.

`range_texts` is the one definition of "the text of a bookmark" for the writer (the text as
exported, stored in the record) and the reader (the text now, with changes accepted or rejected),
so an untouched file reads back exactly as it was recorded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple

from briefkit.render.docx.wml import qn
from briefkit.render.roundtrip import Element

if TYPE_CHECKING:
    from lxml import etree

NAME_LIMIT = 40
_PREFIX = {"section": "sec", "title": "pos", "summary": "sum", "quote": "q", "note": "note"}
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


class Placed(NamedTuple):
    """One printing of an element: its bookmark name and which printing it is (1 = the first)."""

    name: str
    element: Element
    occurrence: int


class BookmarkNames:
    """Names for the printings of elements, unique in the document and in the order met."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._counts: dict[str, int] = {}

    def place(self, element: Element) -> Placed:
        occurrence = self._counts.get(element.key, 0) + 1
        self._counts[element.key] = occurrence
        safe = _UNSAFE.sub("_", element.id).strip("_") or "x"
        suffix = "" if occurrence == 1 else f"_{occurrence}"
        name = f"{_PREFIX[element.kind]}_{safe}{suffix}"
        if len(name) > NAME_LIMIT - 8 or name in self._taken:
            digest = hashlib.sha1(f"{element.key}\0{occurrence}".encode("utf-8", "surrogatepass"))
            name = f"{_PREFIX[element.kind]}_{safe[:20]}_{digest.hexdigest()[:8]}{suffix}"[:NAME_LIMIT]
        self._taken.add(name)
        return Placed(name, element, occurrence)


def bookmark_start(number: int, name: str) -> str:
    return f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>'


def bookmark_end(number: int) -> str:
    return f'<w:bookmarkEnd w:id="{number}"/>'


# Reading ---------------------------------------------------------------------------------------

_P, _T, _DEL_TEXT = qn("w:p"), qn("w:t"), qn("w:delText")
_TAB, _BR, _CR, _NB_HYPHEN = qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
_INS, _DEL, _MOVE_FROM, _MOVE_TO = qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo")
_BOOKMARK_START, _BOOKMARK_END = qn("w:bookmarkStart"), qn("w:bookmarkEnd")
_PPR, _RPR = qn("w:pPr"), qn("w:rPr")
_PROPERTIES = frozenset({_PPR, _RPR, qn("w:trPr"), qn("w:tcPr"), qn("w:tblPr"), qn("w:sectPr")})
# Subtrees that print no text of the flow: field codes, text boxes, the fallback copy of
# alternate content.
_SKIPPED = frozenset({
    qn("w:instrText"), qn("w:delInstrText"), qn("w:txbxContent"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
})
_CHANGES = {_INS: "ins", _DEL: "del", _MOVE_FROM: "del", _MOVE_TO: "ins"}
VIEWS = ("accepted", "rejected")


def change_kind(element: etree._Element) -> str | None:
    """"ins" or "del" for a tracked change wrapping content (not a property change's record)."""
    kind = _CHANGES.get(element.tag)
    if kind is None:
        return None
    parent = element.getparent()
    return kind if parent is None or parent.tag not in _PROPERTIES else None


def mark_change(paragraph: etree._Element) -> str | None:
    """"ins" or "del" when the paragraph's mark (its end) is a tracked insertion or deletion."""
    ppr = paragraph.find(_PPR)
    rpr = ppr.find(_RPR) if ppr is not None else None
    if rpr is None:
        return None
    if rpr.find(_INS) is not None:
        return "ins"
    return "del" if rpr.find(_DEL) is not None else None


def visible(kind: str | None, view: str) -> bool:
    """Whether content inside a change of `kind` shows in `view` (accepted or rejected)."""
    return kind is None or (kind == "ins") == (view == "accepted")


def leaf_text(element: etree._Element) -> str | None:
    """The text a leaf of a run prints, or None for anything else."""
    tag = element.tag
    if tag == _T or tag == _DEL_TEXT:
        return element.text or ""
    if tag == _TAB:
        return "\t"
    if tag == _BR or tag == _CR:
        return "\n"
    if tag == _NB_HYPHEN:
        return "-"
    return None


_FLOW = (_P, _T, _DEL_TEXT, _TAB, _BR, _CR, _NB_HYPHEN, _BOOKMARK_START, _BOOKMARK_END)


def shown(leaf: etree._Element, view: str) -> bool:
    """Whether a leaf of a run shows in `view`, given the tracked changes round it."""
    for ancestor in leaf.iterancestors():
        if ancestor.tag == _P:
            return True
        if not visible(change_kind(ancestor), view):
            return False
    return True


def walk(body: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """("start" | "end", element) in document order, skipping subtrees that print no flow text."""
    from lxml import etree  # reading a file back; writing bookmarks needs no parser

    skipping = 0
    for event, element in etree.iterwalk(body, events=("start", "end")):
        if element.tag in _SKIPPED:
            skipping += 1 if event == "start" else -1
            continue
        if not skipping and isinstance(element.tag, str):
            yield event, element


def bookmark_bounds(body: etree._Element) -> dict[str, tuple[etree._Element, etree._Element | None]]:
    """Each bookmark name's first start and last end, in document order.

    LibreOffice 7.4 writes a bookmark that spans paragraphs, from a paragraph holding a footnote,
    as two same-named bookmarks: the first without its end, the second round the last paragraph.
    From the first start to the last end is the range it had.
    """
    names: dict[str, str] = {}
    starts: dict[str, etree._Element] = {}
    ends: dict[str, etree._Element] = {}
    for element in body.iter(_BOOKMARK_START, _BOOKMARK_END):
        number = element.get(qn("w:id"), "")
        if element.tag == _BOOKMARK_START:
            name = element.get(qn("w:name"), "")
            if name:
                names[number] = name
                starts.setdefault(name, element)
        elif number in names:
            ends[names[number]] = element
    return {name: (start, ends.get(name)) for name, start in starts.items()}


def continues(bookmark_end: etree._Element) -> bool:
    """Whether a range ending here goes on into the next paragraph: its paragraph's mark is a
    tracked insertion (the reviewer pressed Enter after the element's text and typed on), so
    the new paragraphs, up to the next mark that was there before, belong to the element."""
    paragraph = next(bookmark_end.iterancestors(_P), None)
    return paragraph is not None and mark_change(paragraph) == "ins"


def range_texts(body: etree._Element, view: str = "accepted",
                last_chars: Mapping[str, str] | None = None) -> dict[str, str]:
    """The text inside each bookmark of `body`, by name, with tracked changes accepted or rejected.

    Paragraphs are separated by one newline (unless the change being applied removes the mark
    between them); a bookmark's leading and trailing newlines are dropped, so a range ending at
    the start of the next paragraph reads like one ending at the end of its own. A bookmark
    without an end holds the rest of its paragraph. `last_chars` gives, by name, the last
    character a range had when exported: a range that now ends just before that character is
    read to include it, since LibreOffice 7.4 moves a bookmark's end one character back when a
    footnote or comment stands before it in its paragraph. A range whose
    paragraph mark was inserted goes on through the new paragraphs (see `continues`).
    """
    bounds = bookmark_bounds(body)
    endless = {name for name, (_, end) in bounds.items() if end is None}
    opening = {id(start): name for name, (start, _) in bounds.items()}
    closing: dict[int, list[str]] = {}
    for name, (_, end) in bounds.items():
        if end is not None:
            closing.setdefault(id(end), []).append(name)
    # Only the elements that matter, found by lxml itself (a walk over every element of a large
    # body cost a second); a paragraph ends where the next begins, as paragraphs do not nest.
    skipped = {id(e) for top in body.iter(*_SKIPPED) for e in top.iter()}
    tracked = next(body.iter(*_CHANGES), None) is not None
    open_ranges: dict[str, list[str]] = {}
    texts: dict[str, list[str]] = {}
    expected = last_chars or {}
    short: dict[str, str] = {}  # closed, maybe one character early -> the character it may lack
    trailing: set[str] = set()  # ended in a paragraph whose mark was inserted: see `continues`

    def paragraph_ends(paragraph: etree._Element) -> None:
        short.clear()
        if not open_ranges:
            return
        for name in endless.intersection(open_ranges):
            del open_ranges[name]
        mark = mark_change(paragraph)
        if visible(mark, view):
            for pieces in open_ranges.values():
                pieces.append("\n")
        if mark != "ins":
            for name in trailing:
                open_ranges.pop(name, None)
            trailing.clear()

    paragraph = None
    for element in body.iter(*_FLOW):
        if skipped and id(element) in skipped:
            continue
        tag = element.tag
        if tag == _P:
            if paragraph is not None:
                paragraph_ends(paragraph)
            paragraph = element
        elif tag == _BOOKMARK_START:
            if id(element) in opening:
                name = opening[id(element)]
                texts[name] = open_ranges[name] = []
        elif tag == _BOOKMARK_END:
            if id(element) not in closing:
                continue
            if tracked and continues(element):
                trailing.update(n for n in closing[id(element)] if n in open_ranges)
                continue
            for name in closing[id(element)]:
                pieces = open_ranges.pop(name, None)
                last = expected.get(name, "")
                if pieces is not None and last and not "".join(pieces[-2:]).endswith(last):
                    short[name] = last
        elif (open_ranges or short) and (not tracked or shown(element, view)):
            piece = leaf_text(element)
            if piece:
                for pieces in open_ranges.values():
                    pieces.append(piece)
                for name, last in short.items():
                    if piece.startswith(last):
                        texts[name].append(last)
                short.clear()
    if paragraph is not None:
        paragraph_ends(paragraph)
    return {name: "".join(pieces).strip("\n") for name, pieces in texts.items()}

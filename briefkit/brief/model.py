"""The brief: metadata, prose sections, positions and the anchored citations that back them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefkit.brief.stances import STANCES  # noqa: F401 - re-exported: the model names its vocabulary

META_FIELDS = ("title", "subtitle", "author", "organisation", "date", "audience")
DEFAULT_TEMPLATE = "options-memo"
DEFAULT_STYLE = "chicago-notes-bibliography"

# The one grammar of ids and of citations in prose, shared by validation, `check` and the parser.
# An id: letters and digits, with _ . : - inside, so that in "see @c1." the id ends before the stop.
_ID = r"[A-Za-z0-9](?:[A-Za-z0-9_.:-]*[A-Za-z0-9_])?"
ID_PATTERN = re.compile(_ID)  # use with fullmatch
# A citation, pandoc's syntax without prefixes: `[@id]`, `[@a; @b]`, `[@id, para. 3]`.
_CITE_ITEM = rf"\s*@{_ID}(?:\s*,[^;\[\]@]*)?\s*"
CITATION = re.compile(rf"\[{_CITE_ITEM}(?:;{_CITE_ITEM})*\]")
CITE_ID = re.compile(rf"@({_ID})")
# Bracketed text with an `@id` in it that is not a citation (`[see @c1]`): prose meant to cite.
NEAR_CITATION = re.compile(rf"\[[^\[\]]*?(?<![^\s\[;])@{_ID}[^\[\]]*\]")


@dataclass(slots=True)
class Anchor:
    """Where a quote sits in its source: W3C TextQuoteSelector (exact, prefix, suffix) plus
    TextPositionSelector (start, end) over the source's reading text."""

    quote: str
    prefix: str
    suffix: str
    start: int
    end: int

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Anchor, (self.quote, self.prefix, self.suffix, self.start, self.end))


@dataclass(slots=True)
class Citation:
    id: str
    source: str
    anchor: Anchor
    stance: str = "supports"
    note: str = ""
    line: int | None = None  # where it was read from, for messages

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickled as its fields and its anchor's, made again in one call. A slotted dataclass
        pickles through a state method that looks its fields up for each object: a brief of
        5,000 citations (sent to the TUI's render process on every change, and from the
        process that reads a large brief at start-up) took 88 ms to pickle and 34 to unpickle."""
        a = self.anchor
        return (_citation, (self.id, self.source, a.quote, a.prefix, a.suffix, a.start, a.end,
                            self.stance, self.note, self.line))


def _citation(id: str, source: str, quote: str, prefix: str, suffix: str, start: int, end: int,
              stance: str, note: str, line: int | None) -> Citation:
    """A pickled citation, made again (`Citation.__reduce__`)."""
    return Citation(id, source, Anchor(quote, prefix, suffix, start, end), stance, note, line)


@dataclass(slots=True)
class Position:
    id: str
    title: str
    holder: str = ""
    summary: str = ""
    citations: list[Citation] = field(default_factory=list)
    line: int | None = None


REVIEW_KINDS = ("comment", "quote-change")
REVIEW_STATUSES = ("open", "resolved")
# A review entry's element: the part of the brief it is about, named as in merge keys.
ELEMENT_PATTERN = re.compile(
    rf"sections\.(?P<section>{_ID})|positions\.(?P<position>{_ID})\.(?P<part>title|summary)"
    rf"|citations\.(?P<citation>{_ID})\.(?P<field>quote|note)"
)


@dataclass(slots=True)
class Reply:
    author: str
    date: str
    text: str


@dataclass(slots=True)
class ReviewItem:
    """A reviewer's comment on one element, kept in the brief so the conversation continues.

    kind "comment" is a Word comment (`quoted` the text it covers); kind "quote-change" is a
    reviewer's edit inside a quote, never applied: `quoted` is the quote as exported and `text`
    the reviewer's version, shown by `check` until someone resolves it.
    """

    id: str
    author: str
    date: str
    element: str
    text: str
    quoted: str = ""
    kind: str = "comment"
    status: str = "open"
    replies: list[Reply] = field(default_factory=list)
    line: int | None = None


@dataclass(slots=True)
class Brief:
    title: str
    id: str = ""  # the brief's own identity, given when it is made: Word files exported from it name it
    subtitle: str = ""
    author: str = ""
    organisation: str = ""
    date: str = ""
    audience: str = ""
    template: str = DEFAULT_TEMPLATE
    style: str = DEFAULT_STYLE
    library: str = "."
    sections: dict[str, str] = field(default_factory=dict)
    positions: list[Position] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    path: Path | None = None
    # The file's text as loaded and, once saved, its comment-keeping YAML document, so a save
    # changes only what changed.
    source_text: str = ""
    document: Any = None
    layout: Any = None  # yamlio.Layout of the file as written
    section_lines: dict[str, int] = field(default_factory=dict)
    # The line of each top-level key as loaded (`style`, `template`, ...), for messages; empty for
    # a brief not read from a file.
    key_lines: dict[str, int] = field(default_factory=dict)

    def library_dir(self) -> Path:
        """The library folder; a relative `library` is relative to the brief file."""
        lib = Path(self.library).expanduser()
        if lib.is_absolute() or self.path is None:
            return lib
        return (self.path.parent / lib).resolve()

    def citations(self) -> list[tuple[Position, Citation]]:
        return [(p, c) for p in self.positions for c in p.citations]

    def find_citation(self, citation_id: str) -> tuple[Position, Citation] | None:
        return next(((p, c) for p, c in self.citations() if c.id == citation_id), None)

    def position(self, position_id: str) -> Position | None:
        return next((p for p in self.positions if p.id == position_id), None)

    def new_citation_id(self, source_id: str) -> str:
        """A readable id unique in this brief: the source id plus a counter."""
        taken = {c.id for _, c in self.citations()}
        n = 1
        while f"{source_id}-{n}" in taken:
            n += 1
        return f"{source_id}-{n}"

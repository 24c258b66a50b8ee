"""What a reviewed DOCX says, as plain values: its export record, each anchored element's text
(as exported, now with every change accepted, now with every change rejected), comments with
their threads, and tracked changes, each placed in the elements it falls in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefkit.render.roundtrip import ExportRecord

CHANGE_KINDS = ("insertion", "deletion", "move-from", "move-to", "paragraph-insertion",
                "paragraph-deletion")


@dataclass(frozen=True, slots=True)
class ElementText:
    """One printing of a brief element, found by its bookmark.

    `accepted` and `rejected` are None when the bookmark is gone (the reviewer deleted the text
    around it, or the element's anchor could not be found). `rejected` is the text before any
    tracked change: where it differs from `exported`, someone edited with track changes off.
    """

    name: str  # the bookmark
    element: str  # as the brief's review entries name it: `sections.summary`, `citations.C.quote`
    kind: str  # section | title | summary | quote | note
    id: str  # the section name, position id or citation id
    occurrence: int  # 1 for the element's first printing in the file, 2 for the next...
    source: str  # the element's text in the brief when it was exported (Markdown for prose)
    exported: str
    accepted: str | None
    rejected: str | None

    @property
    def placed(self) -> bool:
        return self.accepted is not None

    @property
    def tracked(self) -> bool:
        """Tracked changes inside: the texts with changes accepted and rejected differ."""
        return self.placed and self.accepted != self.rejected

    @property
    def edited_directly(self) -> bool:
        """Changed without track changes: the text before tracked changes is not what was exported."""
        return self.placed and self.rejected != self.exported

    @property
    def changed(self) -> bool:
        """The text with every change accepted is not what was exported."""
        return self.placed and self.accepted != self.exported


@dataclass(frozen=True, slots=True)
class Placement:
    """Who made a comment or change, when, and where it falls: the brief elements (by
    `ElementText.element`, first printing first), their bookmarks, and the part (body or footnotes)."""

    id: str
    author: str
    date: str
    elements: tuple[str, ...]
    names: tuple[str, ...]
    part: str


@dataclass(frozen=True, slots=True)
class Comment(Placement):
    """A Word comment: `covered` is the text its range covers (changes accepted; empty for a
    comment on a point). A reply names its `parent` comment."""

    initials: str = ""
    text: str = ""
    covered: str = ""
    parent: str | None = None
    done: bool = False  # resolved in Word (w15:done)


@dataclass(frozen=True, slots=True)
class Change(Placement):
    """A tracked change (see `CHANGE_KINDS`); `text` is what it inserted or deleted ("" for a
    paragraph mark); a move's two halves share `move`, the name Word gives the move."""

    kind: str = "insertion"
    text: str = ""
    move: str = ""


@dataclass(slots=True)
class ReviewedDocx:
    """A reviewed DOCX as read by `read_reviewed_docx`. `record` is None for a file briefkit did
    not export (or whose record was removed): then `elements` is empty and comments and changes
    carry only the text they cover."""

    path: Path
    record: ExportRecord | None
    elements: list[ElementText] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def printings(self, element: str) -> list[ElementText]:
        """Every printing of one element (`sections.summary`), first first."""
        return [e for e in self.elements if e.element == element]

    def first_printing(self, element: str) -> ElementText | None:
        return next((e for e in self.elements if e.element == element), None)

    @property
    def unplaced(self) -> list[ElementText]:
        """Printings whose anchors are gone from the file."""
        return [e for e in self.elements if not e.placed]

    def threads(self) -> list[tuple[Comment, list[Comment]]]:
        """Each comment that starts a thread, with its replies in file order (a reply to a reply
        joins the thread of its first comment)."""
        by_id = {c.id: c for c in self.comments}

        def root(comment: Comment) -> Comment:
            seen = {comment.id}
            while comment.parent in by_id and comment.parent not in seen:
                comment = by_id[comment.parent]
                seen.add(comment.id)
            return comment

        threads: dict[str, list[Comment]] = {}
        for comment in self.comments:
            top = root(comment)
            threads.setdefault(top.id, [])
            if top is not comment:
                threads[top.id].append(comment)
        return [(by_id[cid], replies) for cid, replies in threads.items()]

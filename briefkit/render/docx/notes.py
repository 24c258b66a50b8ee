"""Footnote markup: the body run that refers to a note, the number a note starts with, and the
note bodies themselves, queued in reading order for footnotes.xml (LibreOffice pairs notes with
references by that order)."""

from __future__ import annotations


class NoteQueue:
    """The notes of one export, as `w:footnote` markup, with ids from `first_id` on (the prepared
    base counted the ids its separators and any kept notes use)."""

    def __init__(self, first_id: int) -> None:
        self._next_id = first_id
        self._queued: list[str] = []

    def add(self, content: str) -> int:
        """Queue a note whose paragraphs are `content` (markup) and return its id."""
        note_id = self._next_id
        self._next_id += 1
        self._queued.append(f'<w:footnote w:id="{note_id}">{content}</w:footnote>')
        return note_id

    @property
    def markup(self) -> str:
        """Every queued note, in the order added."""
        return "".join(self._queued)


def reference_markup(note_id: int, ref_style: str) -> str:
    """The body run that places note `note_id`: `w:footnoteReference` in the reference style.

    `ref_style` is an escaped style id.
    """
    return (
        f'<w:r><w:rPr><w:rStyle w:val="{ref_style}"/></w:rPr>'
        f'<w:footnoteReference w:id="{note_id}"/></w:r>'
    )


def mark_markup(ref_style: str) -> str:
    """The runs a note's first paragraph starts with: its number (`w:footnoteRef`), then a space."""
    return (
        f'<w:r><w:rPr><w:rStyle w:val="{ref_style}"/></w:rPr><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> </w:t></w:r>'
    )

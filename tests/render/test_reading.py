"""The reading view of the tree used by the TUI preview."""

from __future__ import annotations

from briefkit.render.document import (
    BlockQuote,
    Document,
    Emph,
    Heading,
    Meta,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Table,
    Text,
)
from briefkit.render.markdown import write_markdown
from briefkit.render.reading import for_reading


def test_notes_become_superscripts_and_a_numbered_list_at_the_end() -> None:
    doc = Document(
        Meta(title="Brief", subtitle="Sub", author="A", date="2026-11-23"),
        [Paragraph([Text("Claim"), NoteRef(1), Text(".")]),
         BlockQuote([Paragraph([Emph([Text("quote")]), NoteRef(2)])]),
         Table([[Text("h")]], [[[Text("cell"), NoteRef(3)]]])],
        [Note(1, [Paragraph([Text("First note.")])]), Note(2, [Paragraph([Text("Second.")])]),
         Note(3, [Paragraph([Text("Third.")])])],
    )
    view = for_reading(doc)
    assert view.notes == [] and view.meta == Meta()
    assert view.blocks[0] == Heading(1, [Text("Brief")])
    assert view.blocks[-1] == OrderedList([[Paragraph([Text("First note.")])], [Paragraph([Text("Second.")])],
                                           [Paragraph([Text("Third.")])]])
    md = write_markdown(view)
    assert "Claim¹." in md and "*quote*²" in md and "cell³" in md
    assert "[^" not in md and "---" not in md.splitlines()[0]


def test_the_date_reads_as_in_the_word_title_block() -> None:
    view = for_reading(Document(Meta(title="Brief", author="A. Analyst", date="2026-11-23"), [], []))
    assert view.blocks[1] == Paragraph([Text("A. Analyst · 23 November 2026")])

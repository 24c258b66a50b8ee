"""An estimate of how many pages a rendered brief takes as a DOCX file, without laying it out.

The estimate walks the document tree the writers get and adds up the height each block takes on the
DOCX writer's page (US Letter, one-inch margins, the house styles: 11 pt body text, 10 pt notes),
wrapping text word by word at an average character width. The two measured constants were fitted to
LibreOffice's renderings of the shipped templates (`bench/bench_page_estimate.py` prints the fit and
its error); LibreOffice sets Cambria in DejaVu Serif, which is wider, so Word fits a little more on
a page than estimated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from briefkit.brief.counts import words_in
from briefkit.render.document import (
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    CodeBlock,
    Document,
    Heading,
    OrderedList,
    Paragraph,
    Table,
    ThematicBreak,
)
from briefkit.render.inline_text import plain_text as plain


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """The page and the two measured constants of the estimate (points unless said otherwise)."""

    width: float = 468.0  # 8.5 in less two 1 in margins
    height: float = 648.0  # 11 in less two 1 in margins
    char_em: float = 0.53  # average advance of a character of running text, in ems
    line_em: float = 1.22  # height of a line at single spacing, in ems


HEADING_POINTS = (16.0, 13.0, 12.0, 11.0, 11.0, 11.0)
_BODY, _NOTE, _CODE = 11.0, 10.0, 9.5


@dataclass(frozen=True, slots=True)
class Length:
    """How long a rendered brief is: the words a reader reads (body and notes) and its pages."""

    words: int
    note_words: int
    pages: float

    @property
    def whole_pages(self) -> int:
        """Pages as a printer counts them: a started page is a page."""
        return max(1, -int(-self.pages // 1))


def measure(doc: Document, geometry: PageGeometry | None = None) -> Length:
    """Words and estimated pages of `doc` as the DOCX writer lays it out."""
    g = geometry or PageGeometry()
    body = _Walker(g)
    body.title_block(doc)
    body.blocks(doc.blocks, g.width)
    notes = _Walker(g, note=True)
    for note in doc.notes:
        notes.blocks(note.blocks, g.width)
    height = body.height + notes.height + (_NOTE * g.line_em if doc.notes else 0.0)  # the note separator
    return Length(body.words, notes.words, height / g.height)


class _Walker:
    """Adds up the height and words of blocks, in points."""

    def __init__(self, g: PageGeometry, note: bool = False) -> None:
        self.g, self.note = g, note
        self.height = 0.0
        self.words = 0

    def lines(self, text: str, points: float, width: float, bold: bool = False) -> int:
        """Lines `text` wraps to at `width`: greedy, at spaces, as a word processor wraps."""
        per_line = max(1, int(width / (points * self.g.char_em * (1.08 if bold else 1.0))))
        count = 0
        for line in text.split("\n"):
            count += 1
            if len(line) <= per_line:
                continue
            used = 0
            for word in line.split():
                if used and used + 1 + len(word) > per_line:
                    count += 1 + (len(word) - 1) // per_line
                    used = len(word) % per_line
                else:
                    used += (1 if used else 0) + len(word)
        return count

    def text(self, text: str, points: float, width: float, before: float, after: float,
             spacing: float = 1.0, bold: bool = False) -> None:
        self.words += words_in(text)
        self.height += before + after + self.lines(text, points, width, bold) * points * self.g.line_em * spacing

    def title_block(self, doc: Document) -> None:
        meta = doc.meta
        if meta.title.strip():
            self.height += self.lines(meta.title, 24.0, self.g.width, True) * 24.0 * self.g.line_em + 4.0
        if meta.subtitle.strip():
            self.height += self.lines(meta.subtitle, 14.0, self.g.width) * 14.0 * self.g.line_em + 14.0
        details = [meta.audience, meta.author or meta.organisation, meta.date]
        shown = [d for d in details if d.strip()]
        self.height += len(shown) * (_BODY * self.g.line_em + 1.0) + (12.0 if shown else 0.0)

    def blocks(self, blocks: Iterable[Block], width: float) -> None:
        points = _NOTE if self.note else _BODY
        spacing, after = (1.0, 0.0) if self.note else (1.1, 6.0)
        for block in blocks:
            if isinstance(block, Paragraph):
                self.text(plain(block.children), points, width, 0.0, after, spacing)
            elif isinstance(block, Heading):
                size = HEADING_POINTS[block.level - 1]
                before, below = (18.0, 6.0) if block.level == 1 else (12.0, 3.0)
                self.text(plain(block.children), size, width, before, below, bold=True)
            elif isinstance(block, BlockQuote):
                self.height += 2 * after
                self.blocks(block.blocks, width - 72.0)
            elif isinstance(block, (BulletList, OrderedList)):
                for item in block.items:
                    self.blocks(item, width - 36.0)
            elif isinstance(block, Table):
                self.table(block, width)
            elif isinstance(block, CodeBlock):
                self.height += 12.0 + len(block.text.splitlines()) * _CODE * self.g.line_em
            elif isinstance(block, ThematicBreak):
                self.height += points * self.g.line_em + after
            elif isinstance(block, Bibliography):  # a heading, then entries hanging by half an inch
                self.text(block.title, HEADING_POINTS[1], width, 12.0, 3.0, bold=True)
                for entry in block.entries:
                    self.text(plain(entry), points, width - 36.0, 0.0, after, spacing)

    def table(self, table: Table, width: float) -> None:
        """Laid out as the DOCX writer lays it out (its own column fitting, a too-wide table split
        into column groups that repeat the first column); rows as tall as their tallest cell."""
        # The writer's column fitting imports python-docx's package: only for a brief with tables.
        from briefkit.render.docx.columns import (
            CELL_PADDING,
            column_groups,
            column_needs,
            fit_widths,
        )

        rows = ([table.header] if table.header else []) + table.rows
        columns = max((len(r) for r in rows), default=0)
        if columns == 0:
            return
        points = _NOTE if self.note else _BODY
        texts = [[plain(r[c]) if c < len(r) else "" for c in range(columns)] for r in rows]
        bold = [index == 0 and bool(table.header) for index in range(len(rows))]
        needs = [column_needs(((t[c], b) for t, b in zip(texts, bold)), points) for c in range(columns)]
        twips = int(width * 20)
        groups = ([list(range(columns))] if columns == 1 or fit_widths(needs, twips) is not None
                  else column_groups(needs, twips))
        for group in groups:
            least = sum(needs[c].least for c in group)
            widths = fit_widths([needs[c] for c in group], twips) or [int(needs[c].least * twips / least) for c in group]
            for row, is_bold in zip(texts, bold):
                tallest = max(self.lines(row[c], points, max(1.0, (w - CELL_PADDING) / 20), bold=is_bold)
                              for c, w in zip(group, widths))
                self.height += tallest * points * self.g.line_em + 3.6
            self.height += 6.0
        self.words += sum(words_in(cell) for row in texts for cell in row)


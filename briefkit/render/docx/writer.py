"""The DOCX writer: the format-neutral document tree rendered as a Word file with real footnotes.

Body, notes and list definitions are emitted as WordprocessingML text (see `wml`) and go into the
parts of a prepared base document (see `package`), so a plain export never loads python-docx.
Notes are written when their reference is met, so footnotes.xml holds them in reading order
(LibreOffice pairs notes with references by that order) and a note nobody refers to is never
written.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, NamedTuple

from briefkit.errors import ExportError
from briefkit.render.document import (
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    Cite,
    Code,
    CodeBlock,
    Document,
    Emph,
    Heading,
    Inline,
    LineBreak,
    Link,
    Meta,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    SmallCaps,
    Strong,
    Table,
    Text,
    ThematicBreak,
    Unverified,
)
from briefkit.render.docx.anchors import (
    BookmarkNames,
    Placed,
    bookmark_end,
    bookmark_start,
)
from briefkit.render.docx.columns import ColumnNeeds, column_groups, column_needs, fit_widths
from briefkit.render.docx.links import HyperlinkRels, safe_url
from briefkit.render.docx.notes import NoteQueue, mark_markup, reference_markup
from briefkit.render.docx.numbering import BULLET_HANGING, MAX_LEVEL, ListNumbering, label_hanging, level_indent
from briefkit.render.docx.package import Package, prepared_base
from briefkit.render.docx.record import ElementRecord, record_parts
from briefkit.render.docx.roles import Roles
from briefkit.render.docx.text import clean
from briefkit.render.docx.wml import attr, run_content
from briefkit.render.inline_text import plain_text
from briefkit.render.roundtrip import MARK, MARK_OPEN, RoundTrip, strip_marks
from briefkit.render.typography import reading_date, smart_text

UNVERIFIED_LABEL = "[UNVERIFIED]"
"""Printed before a quote that failed verification and was exported only because it was allowed."""

# Character formatting inherited by the runs of an inline subtree, as bits combined with `|`.
_PLAIN, _BOLD, _ITALIC, _CODE, _LINK, _UNVERIFIED, _SMALL_CAPS = 0, 1, 2, 4, 8, 16, 32

_UNVERIFIED_RPR = '<w:color w:val="9C0006"/><w:shd w:val="clear" w:color="auto" w:fill="FFC7CE"/>'
_UNVERIFIED_LABEL_RUN = (
    '<w:r><w:rPr><w:b/><w:color w:val="FFFFFF"/><w:highlight w:val="red"/></w:rPr>'
    f"<w:t>{UNVERIFIED_LABEL}</w:t></w:r>"
)
_BOTTOM_RULE = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="4" w:color="auto"/></w:pBdr>'
_TABLE_LOOK = (
    '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
    'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
)
_ALIGNMENTS = frozenset({"left", "center", "right"})  # the tree's names are Word's `w:jc` values
_KEEP_WHOLE_ROWS = 12  # a table of at most this many body rows is kept on one page
_KEEP_FIRST_ROWS = 2  # a longer table keeps this many rows with its header, and with its caption
_DETAILS_TAB = 2016  # twips (1.4 in): where the values of the title block's labelled lines start
_DECISION_TAB, _DECISION_END = 2160, 6480  # twips: where decision lines' blanks start and end
_DECISION_LINE = re.compile(r"([^\s_][^_\n]{0,40}?)[ \t]+_{3,}[ \t]*")


class _Where(NamedTuple):
    """Where blocks are being written: the body or a note, and inside a quote or list level."""

    in_note: bool = False
    quote: bool = False
    list_level: int = -1
    indent: int = 0  # twips from the margin to the text of the innermost list's items


_BODY = _Where()
_NOTE = _Where(in_note=True)


def write_docx(doc: Document, *, reference_doc: Path | None = None,
               roundtrip: RoundTrip | None = None) -> bytes:
    """Render a document tree as a .docx file with real Word footnotes.

    Args:
        doc: the tree to render; its citations must already be numbered `NoteRef`s.
        reference_doc: a user's Word file whose styles, page setup and footer are used, as with
            pandoc's `--reference-doc`; None uses python-docx's template with briefkit's look.
        roundtrip: the marks in the tree's text, the export record and review comments: each
            marked element becomes a bookmark and the record is stored in the file (see
            `roundtrip`); None for a plain document.

    Returns:
        The bytes of the .docx file (the caller writes them atomically).

    Raises:
        ExportError: the reference document is missing or not a Word file, or the tree refers to
            a note it does not hold.
    """
    package = Package(prepared_base(reference_doc))
    renderer = _Renderer(package, doc.notes, roundtrip)
    package.put("body", renderer.render(doc, package))
    if roundtrip is not None:
        records = renderer.element_records()
        package.add_record(*record_parts(roundtrip.record, records))
    meta = doc.meta
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    written = package.save(meta.title, meta.author or meta.organisation, meta.subtitle, now)
    if roundtrip is None or not roundtrip.comments:
        return written
    from briefkit.render.docx.comments import with_comments  # python-docx loads for these only

    first = {r.element.path: r.name for r in reversed(records)}
    return with_comments(written, roundtrip.comments, first)


def _escaped(roles: Roles) -> Roles:
    """The same roles with every style id escaped for use in attribute values."""
    escaped: dict[str, Any] = {}
    for name, value in zip(roles._fields, roles):
        escaped[name] = tuple(map(attr, value)) if isinstance(value, tuple) else attr(value)
    return Roles(**escaped)


def _is_label(block: Paragraph) -> bool:
    """A paragraph of bold text only, such as the templates' "Evidence for", heads what follows:
    Word is told to keep it on the page of the next paragraph rather than leave it at the foot."""
    children = [c for c in block.children if not (isinstance(c, Text) and not c.text.strip())]
    return bool(children) and all(isinstance(c, Strong) for c in children)


def _decision_label(block: Paragraph) -> str | None:
    """The label of a decision line ("Approve ____________"), whose blank is drawn by an
    underscore-leader tab so every line's blank starts and ends at the same place; else None."""
    if len(block.children) != 1 or not isinstance(block.children[0], Text):
        return None
    match = _DECISION_LINE.fullmatch(block.children[0].text.strip())
    return clean(match.group(1)) if match else None


def _is_caption(block: Block | None) -> bool:
    """A paragraph in italics only: after a table (the evidence matrix's legend) it belongs to the
    table, whose last rows are kept on its page; after a heading it is a byline."""
    if not isinstance(block, Paragraph):
        return False
    children = [c for c in block.children if not (isinstance(c, Text) and not c.text.strip())]
    return bool(children) and all(isinstance(c, Emph) for c in children)


def _by_least(needs: list[ColumnNeeds], width: int) -> list[int]:
    """Widths in proportion to the columns' longest words, for a table whose words cannot all fit."""
    total = sum(n.least for n in needs)
    widths = [int(n.least * width / total) for n in needs]
    widths[-1] += width - sum(widths)
    return widths


class _Renderer:
    """Walks the tree once, emitting body markup and queueing each note at its reference."""

    def __init__(self, package: Package, notes: list[Note], roundtrip: RoundTrip | None = None) -> None:
        base = package.base
        self._package = package
        self._roles = _escaped(base.roles)
        self._notes = notes
        self._width = base.width
        self._points = base.points  # font sizes of table cells in the body and in notes, to fit columns
        self._numbering = ListNumbering(base.next_abstract_id, base.next_num_id)
        self._footnotes = NoteQueue(base.next_note_id)
        self._body_links = HyperlinkRels(package.rels(base.document))
        self._note_links = HyperlinkRels(package.rels(base.places["notes"]))
        self._rpr: dict[int, str] = {}
        self._mark = mark_markup(self._roles.footnote_reference)
        # The note number the next paragraph starts with, while a note's first paragraph is due.
        self._pending_mark = ""
        self._roundtrip = roundtrip
        self._names = BookmarkNames()
        self._placed: list[Placed] = []
        self._open: dict[str, list[int]] = {}  # element key -> bookmark numbers still open
        # The text of each bookmark, gathered as its runs are written (what `anchors.range_texts`
        # reads back from the file, which the tests hold it to), and of the ones still open.
        self._texts: dict[int, list[str]] = {}
        self._gathering: dict[int, list[str]] = {}
        self._in_note = False
        self._pending_bookmarks: list[str] = []  # starts due at the next body paragraph

    def render(self, doc: Document, package: Package) -> str:
        """Put the notes and list definitions in `package`, and return the body's markup."""
        out: list[str] = []
        self._title_block(out, doc.meta)
        self._blocks(out, doc.blocks, _BODY)
        for numbers in self._open.values():  # a template that cut an element short
            out.extend(bookmark_end(number) for number in numbers)
        package.put("notes", self._footnotes.markup)
        package.put("abstract", self._numbering.abstract_markup)
        package.put("nums", self._numbering.num_markup)
        return "".join(out)

    def element_records(self) -> list[ElementRecord]:
        """Each printed element with its text as exported."""
        return [ElementRecord(p.name, p.element, p.occurrence, "".join(self._texts[n]).strip("\n"))
                for n, p in enumerate(self._placed, start=1)]

    def _gather(self, text: str) -> None:
        if self._gathering and not self._in_note:
            for pieces in self._gathering.values():
                pieces.append(text)

    # Bookmarks ----------------------------------------------------------------------------------

    def _marks(self, text: str) -> list[str]:
        """The bookmark markup for each mark in `text`, one string per mark (see `roundtrip.Marks`)."""
        return [self._mark_markup(int(match.group(1))) for match in MARK.finditer(text)]

    def _mark_markup(self, number: int) -> str:
        """Open or close the bookmark of mark `number`: its markup, or "" for none."""
        assert self._roundtrip is not None
        points = self._roundtrip.marks.points
        if number >= len(points):  # the characters, typed in the brief itself: not a mark
            return ""
        element, opens = points[number]
        if opens:
            placed = self._names.place(element)
            self._placed.append(placed)
            bookmark = len(self._placed)
            self._open.setdefault(element.key, []).append(bookmark)
            self._texts[bookmark] = self._gathering[bookmark] = []
            return bookmark_start(bookmark, placed.name)
        if not self._open.get(element.key):  # an end whose start the template did not print
            return ""
        bookmark = self._open[element.key].pop()
        del self._gathering[bookmark]
        return bookmark_end(bookmark)

    def _marks_only(self, out: list[str], block: Paragraph) -> bool:
        """A paragraph of marks alone (an element whose first or last line could not take its
        mark) is no paragraph: its starts join the next paragraph, its ends the previous one."""
        if self._roundtrip is None or not block.children:
            return False
        if not all(isinstance(c, (Text, LineBreak)) for c in block.children):
            return False
        text = "".join(c.text for c in block.children if isinstance(c, Text))
        if MARK_OPEN not in text or strip_marks(text).strip():
            return False
        for markup in filter(None, self._marks(text)):
            if markup.startswith("<w:bookmarkStart"):
                self._pending_bookmarks.append(markup)
                continue
            close = next((i for i in range(len(out) - 1, -1, -1) if out[i].startswith("</w:p>")), None)
            if close is None:
                self._pending_bookmarks.append(markup)
            else:
                out.insert(close, markup)
        return True

    # Title block --------------------------------------------------------------------------------

    def _title_block(self, out: list[str], meta: Meta) -> None:
        roles = self._roles
        for text, style in ((meta.title, roles.title), (meta.subtitle, roles.subtitle)):
            if text.strip():
                self._open_paragraph(out, style, _BODY)
                self._run(out, smart_text(clean(text.strip())), _PLAIN)
                out.append("</w:p>")
        prepared_by = ", ".join(
            part for part in (clean(meta.author).strip(), clean(meta.organisation).strip()) if part
        )
        details = [
            (label, value)
            for label, value in (
                ("For", smart_text(clean(meta.audience).strip())),
                ("Prepared by", smart_text(prepared_by)),
                ("Date", reading_date(clean(meta.date).strip())),
            )
            if value
        ]
        for index, (label, value) in enumerate(details):
            last = index == len(details) - 1
            self._open_paragraph(
                out,
                roles.details,
                _BODY,
                tab=_DETAILS_TAB,
                rule=last,
                space_after=240 if last else None,
            )
            self._run(out, f"{label}:\t", _BOLD)
            self._run(out, value, _PLAIN)
            out.append("</w:p>")

    # Blocks -------------------------------------------------------------------------------------

    def _blocks(self, out: list[str], blocks: list[Block], where: _Where) -> None:
        for index, block in enumerate(blocks):
            if isinstance(block, Table):
                following = blocks[index + 1] if index + 1 < len(blocks) else None
                self._table(out, block, where, captioned=_is_caption(following))
            else:
                # A line in italics under a heading ("Advocated by …") stays with what it introduces.
                byline = index > 0 and isinstance(blocks[index - 1], Heading) and _is_caption(block)
                self._block(out, block, where, keep_next=byline)

    def _block(
        self, out: list[str], block: Block, where: _Where, num: tuple[int, int, int] | None = None,
        *, keep_next: bool = False,
    ) -> None:
        if isinstance(block, Paragraph):
            if num is None and self._marks_only(out, block):
                return
            label = _decision_label(block) if num is None else None
            if label is not None:  # "Approve ____": the label, then a ruled blank to a tab stop
                self._open_paragraph(out, self._text_style(where), where, tab=_DECISION_TAB,
                                     leader_tab=_DECISION_END)
                if self._roundtrip is not None and MARK_OPEN in label:
                    self._marked_text(out, f"{label}\t\t", _PLAIN)
                else:
                    self._run(out, f"{label}\t\t", _PLAIN)
                out.append("</w:p>")
                return
            self._open_paragraph(out, self._text_style(where), where, num=num,
                                 keep_next=keep_next or _is_label(block))
            self._inlines(out, block.children, _PLAIN, where)
            out.append("</w:p>")
        elif isinstance(block, Heading):
            if where.in_note:  # notes have one paragraph style; a heading there is bold text
                self._open_paragraph(out, self._roles.footnote_text, where, num=num)
                self._inlines(out, block.children, _BOLD, where)
            else:
                self._open_paragraph(out, self._roles.heading(block.level), where, num=num)
                self._inlines(out, block.children, _PLAIN, where)
            out.append("</w:p>")
        elif isinstance(block, BlockQuote):
            self._blocks(out, block.blocks, where._replace(quote=True))
        elif isinstance(block, BulletList):
            self._list(out, block.items, where, ordered=False, start=1)
        elif isinstance(block, OrderedList):
            self._list(out, block.items, where, ordered=True, start=block.start)
        elif isinstance(block, Table):
            self._table(out, block, where, captioned=False)
        elif isinstance(block, CodeBlock):
            self._open_paragraph(out, self._roles.code_block, where, num=num)
            self._run(out, clean(block.text).rstrip("\n"), _PLAIN)
            out.append("</w:p>")
        elif isinstance(block, ThematicBreak):
            self._open_paragraph(out, self._text_style(where), where, rule=True)
            out.append("</w:p>")
        elif isinstance(block, Bibliography):
            self._open_paragraph(out, self._roles.heading(2), where, keep_next=True)
            self._run(out, clean(block.title), _PLAIN)
            out.append("</w:p>")
            for entry in block.entries:
                self._open_paragraph(out, self._roles.bibliography, where)
                self._inlines(out, entry, _PLAIN, where)
                out.append("</w:p>")

    def _text_style(self, where: _Where) -> str:
        if where.in_note:
            return self._roles.footnote_text
        if where.list_level >= 0:
            return self._roles.list_item
        return self._roles.quote if where.quote else self._roles.body

    def _open_paragraph(
        self,
        out: list[str],
        style: str,
        where: _Where,
        *,
        num: tuple[int, int, int] | None = None,
        keep_next: bool = False,
        rule: bool = False,
        tab: int = 0,
        leader_tab: int = 0,
        space_after: int | None = None,
        align: str = "",
    ) -> None:
        """`<w:p>` and its `w:pPr` (children in schema order: pStyle, keepNext, numPr, pBdr, tabs,
        spacing, ind, jc), then the note number if this is a note's first paragraph."""
        if not where.in_note:
            self._gather("\n")  # the paragraph before has ended
        ppr = [f'<w:p><w:pPr><w:pStyle w:val="{style}"/>']
        if keep_next:
            ppr.append("<w:keepNext/>")
        if num is not None:
            ppr.append(f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>')
        if rule:
            ppr.append(_BOTTOM_RULE)
        if tab:
            leader = (f'<w:tab w:val="left" w:leader="underscore" w:pos="{leader_tab}"/>'
                      if leader_tab else "")
            ppr.append(f'<w:tabs><w:tab w:val="left" w:pos="{tab}"/>{leader}</w:tabs>')
        if space_after is not None:
            ppr.append(f'<w:spacing w:after="{space_after}"/>')
        if where.list_level >= 0:
            hanging = f' w:hanging="{num[2]}"' if num is not None else ""
            ppr.append(f'<w:ind w:left="{where.indent}"{hanging}/>')
        elif where.in_note and where.quote:
            ppr.append('<w:ind w:left="360" w:right="360"/>')
        if align:
            ppr.append(f'<w:jc w:val="{align}"/>')
        ppr.append("</w:pPr>")
        out.append("".join(ppr))
        if self._pending_mark:
            out.append(self._pending_mark)
            self._pending_mark = ""
        elif self._pending_bookmarks and not where.in_note:
            out.extend(self._pending_bookmarks)
            self._pending_bookmarks = []

    def _list(
        self,
        out: list[str],
        items: list[list[Block]],
        where: _Where,
        *,
        ordered: bool,
        start: int,
    ) -> None:
        level = min(where.list_level + 1, MAX_LEVEL)
        self._package.need_numbering()
        num_id = self._numbering.ordered(level, start) if ordered else self._numbering.bullet()
        # The number hangs in the margin by the width of the list's widest label, so "10." and
        # "100." keep a gap before the text, which stays where a short list's text is.
        hanging = label_hanging(level, start, start + len(items) - 1) if ordered else BULLET_HANGING
        outer = where.indent if where.list_level >= 0 else 0
        inner = where._replace(list_level=level, indent=max(level_indent(level), outer + hanging))
        for item in items:
            if item and isinstance(item[0], (Paragraph, Heading, CodeBlock)):
                self._block(out, item[0], inner, num=(num_id, level, hanging))
                self._blocks(out, item[1:], inner)
            else:  # the number needs a paragraph of its own
                self._open_paragraph(out, self._text_style(inner), inner, num=(num_id, level, hanging))
                out.append("</w:p>")
                self._blocks(out, item, inner)

    def _table(self, out: list[str], table: Table, where: _Where, *, captioned: bool) -> None:
        """The table at content-fitted widths, split into column groups when too wide for the page.

        Rows never break across pages and the header row repeats on each page; a table of up to
        `_KEEP_WHOLE_ROWS` rows is kept on one page, a longer one keeps its first rows with the
        header, and the last rows stay with a caption that follows.
        """
        columns = max([len(table.header), *(len(row) for row in table.rows)])
        if columns == 0:
            return
        rows = ([table.header] if table.header else []) + table.rows
        points = self._points[where.in_note]
        needs = [
            column_needs(
                ((strip_marks(plain_text(cells[column])) if column < len(cells) else "",
                  index == 0 and bool(table.header)) for index, cells in enumerate(rows)),
                points,
            )
            for column in range(columns)
        ]
        widths = fit_widths(needs, self._width)
        if widths is not None or columns == 1:
            groups = [list(range(columns))]
        else:
            groups = column_groups(needs, self._width)
        for number, group in enumerate(groups):
            last = number == len(groups) - 1
            if number:  # tables that touch are one table to Word: a small paragraph between
                self._open_paragraph(out, self._roles.compact, where)
                out.append("</w:p>")
            group_widths = fit_widths([needs[c] for c in group], self._width) or _by_least(
                [needs[c] for c in group], self._width
            )
            self._table_part(out, table, rows, group, group_widths, where,
                             keep_last=captioned and last)

    def _table_part(
        self,
        out: list[str],
        table: Table,
        rows: list[list[list[Inline]]],
        group: list[int],
        widths: list[int],
        where: _Where,
        *,
        keep_last: bool,
    ) -> None:
        out.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self._roles.table}"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f"{_TABLE_LOOK}</w:tblPr><w:tblGrid>"
            + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
            + "</w:tblGrid>"
        )
        cell_where = _Where(in_note=where.in_note)
        style = self._roles.footnote_text if where.in_note else self._roles.compact
        align = [a if a in _ALIGNMENTS else "" for a in table.align]
        align += [""] * (max(group) + 1 - len(align))
        headed = bool(table.header)
        whole = len(rows) <= _KEEP_WHOLE_ROWS + headed
        for index, cells in enumerate(rows):
            header = index == 0 and headed
            # keepNext on a row's paragraphs keeps the row on the page of the next row (or of the
            # paragraph after the table, for the last row).
            if index == len(rows) - 1:
                keep = keep_last
            elif whole:
                keep = True
            else:
                keep = index < headed + _KEEP_FIRST_ROWS or index >= len(rows) - _KEEP_FIRST_ROWS
            out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header
                       else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for column, width in zip(group, widths):
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
                self._open_paragraph(out, style, cell_where, align=align[column], keep_next=keep)
                if column < len(cells):
                    self._inlines(out, cells[column], _BOLD if header else _PLAIN, cell_where)
                out.append("</w:p></w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")

    # Inlines ------------------------------------------------------------------------------------

    def _inlines(self, out: list[str], inlines: list[Inline], marks: int, where: _Where) -> None:
        for node in inlines:
            if isinstance(node, Text):
                if self._roundtrip is not None and MARK_OPEN in node.text:
                    self._marked_text(out, clean(node.text), marks)
                else:
                    self._run(out, clean(node.text), marks)
            elif isinstance(node, Emph):
                self._inlines(out, node.children, marks | _ITALIC, where)
            elif isinstance(node, Strong):
                self._inlines(out, node.children, marks | _BOLD, where)
            elif isinstance(node, SmallCaps):
                self._inlines(out, node.children, marks | _SMALL_CAPS, where)
            elif isinstance(node, Code):
                self._run(out, clean(node.text), marks | _CODE)
            elif isinstance(node, Link):
                self._link(out, node, marks, where)
            elif isinstance(node, LineBreak):
                out.append("<w:r><w:br/></w:r>")
                self._gather("\n")
            elif isinstance(node, NoteRef):
                self._note_ref(out, node.number, where)
            elif isinstance(node, Unverified):
                out.append(_UNVERIFIED_LABEL_RUN)
                self._gather(UNVERIFIED_LABEL)
                self._run(out, " ", marks | _UNVERIFIED)
                self._inlines(out, node.children, marks | _UNVERIFIED, where)
            elif isinstance(node, Cite):
                cited = "; ".join(f"@{i}" for i in node.ids)
                raise ExportError(f"citation [{cited}] was never numbered as a note")

    def _marked_text(self, out: list[str], text: str, marks: int) -> None:
        pos = 0
        for match in MARK.finditer(text):  # text before a mark is written (and gathered) first
            self._run(out, text[pos : match.start()], marks)
            out.append(self._mark_markup(int(match.group(1))))
            pos = match.end()
        self._run(out, text[pos:], marks)

    def _run(self, out: list[str], text: str, marks: int) -> None:
        if text:
            self._gather(text)
            rpr = self._rpr.get(marks)
            if rpr is None:
                rpr = self._rpr[marks] = self._run_properties(marks)
            out.append(f"<w:r>{rpr}{run_content(text)}</w:r>")

    def _run_properties(self, marks: int) -> str:
        """`w:rPr` for a combination of marks (children in schema order: rStyle, b, i, color, shd)."""
        if not marks:
            return ""
        parts = ["<w:rPr>"]
        if marks & _LINK:
            parts.append(f'<w:rStyle w:val="{self._roles.hyperlink}"/>')
        elif marks & _CODE:
            parts.append(f'<w:rStyle w:val="{self._roles.code}"/>')
        if marks & _BOLD:
            parts.append("<w:b/>")
        if marks & _ITALIC:
            parts.append("<w:i/>")
        if marks & _SMALL_CAPS:
            parts.append("<w:smallCaps/>")
        if marks & _UNVERIFIED:
            parts.append(_UNVERIFIED_RPR)
        parts.append("</w:rPr>")
        return "".join(parts)

    def _link(self, out: list[str], link: Link, marks: int, where: _Where) -> None:
        url = safe_url(link.url)
        if not url or marks & _LINK:  # nothing to point at, or already inside a link
            self._inlines(out, link.children, marks, where)
            return
        if url.startswith("#"):
            out.append(f'<w:hyperlink w:anchor="{attr(url[1:])}" w:history="1">')
        else:
            links = self._note_links if where.in_note else self._body_links
            out.append(f'<w:hyperlink r:id="{attr(links.rid_for(url))}" w:history="1">')
        before = len(out)
        self._inlines(out, link.children, marks | _LINK, where)
        if len(out) == before:  # a link without text shows its address
            self._run(out, url, marks | _LINK)
        out.append("</w:hyperlink>")

    def _note_ref(self, out: list[str], number: int, where: _Where) -> None:
        if where.in_note:
            raise ExportError(f"note {number} is referenced inside another note; notes cannot nest")
        if not 1 <= number <= len(self._notes):
            raise ExportError(
                f"note {number} is referenced but the document has {len(self._notes)} notes"
            )
        blocks = self._notes[number - 1].blocks
        self._in_note = True
        try:
            note_id = self._note(blocks)
        finally:
            self._in_note = False
        out.append(reference_markup(note_id, self._roles.footnote_reference))

    def _note(self, blocks: list[Block]) -> int:
        note: list[str] = []
        self._pending_mark = self._mark
        if blocks and isinstance(blocks[0], Table):  # the number goes before the table
            self._open_paragraph(note, self._roles.footnote_text, _NOTE)
            note.append("</w:p>")
        self._blocks(note, blocks, _NOTE)
        if self._pending_mark:  # nothing in the note opened a paragraph: one just for the number
            mark_only: list[str] = []
            self._open_paragraph(mark_only, self._roles.footnote_text, _NOTE)
            note[:0] = [*mark_only, "</w:p>"]
        if blocks and isinstance(blocks[-1], Table):  # a note, like a cell, ends with a paragraph
            self._open_paragraph(note, self._roles.footnote_text, _NOTE)
            note.append("</w:p>")
        return self._footnotes.add("".join(note))

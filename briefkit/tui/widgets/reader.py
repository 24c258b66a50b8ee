"""The source reader: wrapped reading text with paragraph numbers, a sentence cursor and a selection.

It draws with Textual's Line API: the layout is a list of (start, end) offsets per screen line,
and `render_line` styles only the rows on screen, so a 1 MB source opens and scrolls as fast as a
short one. Offsets are always those of the source's reading text, which is what anchors use.
"""

from __future__ import annotations

import functools
import textwrap
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefkit.library.segment import split_sentences
from briefkit.tui.widgets.rowlist import keep_in_view

if TYPE_CHECKING:
    from briefkit.library.model import Source

GUTTER = 6
PLACEHOLDER = ("No source open.\n\nPress / and type to search the library's passages; Enter opens the "
               "highlighted one here. Or pick a source on the left and press Enter.\n\nF1 shows every key.")


@dataclass(frozen=True, slots=True)
class Layout:
    """Screen lines of a source wrapped at one width; a blank line separates paragraphs."""

    width: int
    starts: list[int]
    ends: list[int]
    numbers: list[int]  # paragraph number on a paragraph's first line, 0 elsewhere


def wrap(text: str, paragraphs: list[tuple[int, int, int]], width: int) -> Layout:
    """Greedy word wrap of each (number, start, end) paragraph, by offsets, without copying text.

    About 15,000 lines for a 1 MB source, so the loop keeps to bound methods and looks for line
    breaks only in paragraphs that have one."""
    width = max(width, 8)
    starts: list[int] = []
    ends: list[int] = []
    numbers: list[int] = []
    find, rfind = text.find, text.rfind
    add_start, add_end, add_number = starts.append, ends.append, numbers.append
    for number, start, end in paragraphs:
        breaks = find("\n", start, end) != -1
        pos, first = start, True
        while True:
            newline = find("\n", pos, min(end, pos + width)) if breaks else -1
            if newline != -1:
                cut, nxt = newline, newline + 1
            elif end - pos <= width:
                cut, nxt = end, end
            else:
                limit = pos + width
                space = rfind(" ", pos, limit + 1)
                cut, nxt = (space, space + 1) if space > pos else (limit, limit)
            add_start(pos)
            add_end(cut)
            add_number(number if first else 0)
            first = False
            pos = nxt
            if nxt >= end:
                break
        add_start(end)
        add_end(end)
        add_number(0)
    return Layout(width, starts, ends, numbers)


@dataclass(frozen=True, slots=True)
class Reading:
    """A source made ready to show: its sentences as offsets, wrapped for one width."""

    source: Source
    paragraphs: list[tuple[int, int, int]]  # (number, start, end)
    sent_starts: list[int]
    sent_ends: list[int]
    para_first_sentence: list[int]
    layout: Layout


def prepare(source: Source, width: int) -> Reading:
    """Everything `Reader.show` needs that costs time on a long source; safe in a worker thread."""
    paragraphs = [(p.number, p.start, p.end) for p in source.paragraphs]
    starts: list[int] = []
    ends: list[int] = []
    firsts: list[int] = []
    for para in source.paragraphs:
        firsts.append(len(starts))
        for span in split_sentences(source.text, para.start, para.end):
            starts.append(span.start)
            ends.append(span.end)
    return Reading(source, paragraphs, starts, ends, firsts, wrap(source.text, paragraphs, width))


@functools.lru_cache(maxsize=8)
def _wrapped(text: str, width: int) -> list[str]:
    """Text wrapped to `width`, a paragraph per line; remembered, since every screen line asks."""
    return [line for para in text.split("\n") for line in (textwrap.wrap(para, width) or [""])]


class Reader(ScrollView, can_focus=True):
    """Reads one source; moves by sentence and paragraph; extends a selection; asks to cite it."""

    DEFAULT_CSS = """
    Reader { background: $surface; }
    Reader > .reader--gutter { color: $text-muted; }
    Reader > .reader--cited { text-style: underline; color: $success; }
    Reader > .reader--cursor { background: $primary 30%; }
    Reader > .reader--selection { background: $accent 60%; }
    Reader > .reader--placeholder { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES = {
        "reader--gutter", "reader--cited", "reader--cursor", "reader--selection", "reader--placeholder",
    }
    # Priority: the app handles these as it takes each key from the terminal, without the trip
    # up the DOM that ordinary bindings make (four message queues, each possibly behind a repaint).
    BINDINGS = [
        Binding("down,j", "sentence(1)", "Next sentence", show=False, priority=True),
        Binding("up,k", "sentence(-1)", "Prev sentence", show=False, priority=True),
        Binding("right_square_bracket,l", "paragraph(1)", "Next para", show=False, priority=True),
        Binding("left_square_bracket,h", "paragraph(-1)", "Prev para", show=False, priority=True),
        Binding("shift+down,J", "extend(1)", "Extend", key_display="⇧↓", priority=True),
        Binding("shift+up,K", "extend(-1)", "Shrink", show=False, priority=True),
        Binding("v", "mark", "Select", show=False, priority=True),
        Binding("escape", "clear_selection", "Clear", show=False, priority=True),
        Binding("c", "cite", "Cite", priority=True),
        Binding("pagedown,space", "page(1)", "Page down", show=False, priority=True),
        Binding("pageup,b", "page(-1)", "Page up", show=False, priority=True),
        Binding("home,g", "edge(-1)", "Start", show=False, priority=True),
        Binding("end,G", "edge(1)", "End", show=False, priority=True),
    ]

    class CiteRequested(Message):
        """The analyst asked to cite text[start:end] of the open source."""

        def __init__(self, source: Source, start: int, end: int) -> None:
            super().__init__()
            self.source = source
            self.start = start
            self.end = end

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.source: Source | None = None
        self._paragraphs: list[tuple[int, int, int]] = []
        self._sent_starts: list[int] = []
        self._sent_ends: list[int] = []
        self._para_first_sentence: list[int] = []
        self._layout = Layout(0, [], [], [])
        self._cited: list[tuple[int, int]] = []
        self._cited_starts: list[int] = []
        self.cursor = 0  # sentence index
        self.mark: int | None = None  # sentence where the selection began
        self._known_width = 60
        self._styles: dict[str, Style] | None = None
        self.placeholder = PLACEHOLDER

    # Attributes set by the parent -----------------------------------------------------------------

    def show(self, reading: Reading, offset: int | None = None, cited: list[tuple[int, int]] | None = None) -> None:
        """Display a prepared source with the cursor on the sentence holding `offset`."""
        self.source = reading.source
        self._paragraphs = reading.paragraphs
        self._sent_starts, self._sent_ends = reading.sent_starts, reading.sent_ends
        self._para_first_sentence = reading.para_first_sentence
        self.mark = None
        self.cursor = self._sentence_at(offset) if offset is not None else 0
        self._cited = sorted(cited or [])
        self._cited_starts = [s for s, _ in self._cited]
        if reading.layout.width == self.text_width:
            self._layout = reading.layout
            self.virtual_size = Size(self._layout.width + GUTTER, len(self._layout.starts))
        else:
            self._relayout()
        self._scroll_to_cursor(center=True)
        self.refresh()

    def set_cited(self, spans: list[tuple[int, int]]) -> None:
        """Mark the ranges already cited in the brief."""
        self._cited = sorted(spans)
        self._cited_starts = [s for s, _ in self._cited]
        self.refresh()

    def select_range(self, start: int, end: int) -> None:
        """Select the sentences covering [start, end) (used when jumping to a citation)."""
        self.mark = self._sentence_at(start)
        self.cursor = self._sentence_at(max(start, end - 1))
        self._scroll_to_cursor(center=True)
        self.refresh()

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected [start, end) offsets, or the cursor sentence when nothing is selected."""
        if not self._sent_starts:
            return None
        first, last = sorted((self.cursor, self.cursor if self.mark is None else self.mark))
        return self._sent_starts[first], self._sent_ends[last]

    @property
    def has_selection(self) -> bool:
        return self.mark is not None

    # Layout ---------------------------------------------------------------------------------------

    @property
    def text_width(self) -> int:
        """Room for text once the gutter and the vertical scrollbar (reserved even before it shows)."""
        if self.content_region.width <= 0:  # hidden in a narrow layout: as wide as it last was
            return self._known_width
        return max(10, self.content_region.width - self.styles.scrollbar_size_vertical - GUTTER - 1)

    def _relayout(self) -> None:
        if self.source is None:
            return
        self._layout = wrap(self.source.text, self._paragraphs, self.text_width)
        self.virtual_size = Size(self._layout.width + GUTTER, len(self._layout.starts))
        self.refresh()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """Textual moves the thumb only while the bar shows, and a source opened at a passage
        scrolls there before its bar first appears: without this the thumb stayed at the top."""
        if shown:
            self.vertical_scrollbar.position = self.scroll_y

    def on_resize(self) -> None:
        if self.content_region.width > 0:
            self._known_width = self.text_width
        if self.source is not None and self.text_width != self._layout.width:
            self._relayout()
            self._scroll_to_cursor()

    def _sentence_at(self, offset: int) -> int:
        return max(0, min(bisect_right(self._sent_starts, offset) - 1, len(self._sent_starts) - 1))

    def _line_of(self, offset: int) -> int:
        return max(0, bisect_right(self._layout.starts, offset) - 1)

    def _scroll_to_cursor(self, center: bool = False) -> None:
        if not self._sent_starts:
            return
        top = self._line_of(self._sent_starts[self.cursor])
        bottom = self._line_of(max(self._sent_starts[self.cursor], self._sent_ends[self.cursor] - 1))
        keep_in_view(self, top, bottom, center=center)

    # Drawing --------------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def _style(self, name: str) -> Style:
        """The widget's style ("") or a component's, added to it; cached, since a line asks for
        several and each costs a walk up the DOM."""
        if self._styles is None:
            base = self.rich_style
            self._styles = {"": base, **{c: base + self.get_component_rich_style(c)
                                         for c in self.COMPONENT_CLASSES}}
        return self._styles[name]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._style("")
        if self.source is None:
            lines = self._placeholder_lines(width)
            if 1 <= y <= len(lines):
                style = self._style("reader--placeholder")
                return Strip([Segment(f"  {lines[y - 1]}", style)]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        row = self.scroll_offset.y + y
        layout = self._layout
        if row >= len(layout.starts):
            return Strip.blank(width, base)
        start, end = layout.starts[row], layout.ends[row]
        number = layout.numbers[row]
        gutter = f"{number:>{GUTTER - 2}}  " if number else " " * GUTTER
        segments = [Segment(gutter, self._style("reader--gutter"))]
        segments.extend(self._text_segments(start, end, base))
        return Strip(segments).crop(self.scroll_offset.x, self.scroll_offset.x + width).extend_cell_length(width, base)

    def _placeholder_lines(self, width: int) -> list[str]:
        return _wrapped(self.placeholder, max(10, width - 4))

    def _text_segments(self, start: int, end: int, base: Style) -> list[Segment]:
        if start >= end:
            return []
        assert self.source is not None
        text = self.source.text
        cursor = (self._sent_starts[self.cursor], self._sent_ends[self.cursor]) if self._sent_starts else (0, 0)
        selection = self.selection if self.mark is not None else None
        i = max(0, bisect_left(self._cited_starts, start) - 1)
        cited = []
        while i < len(self._cited) and self._cited[i][0] < end:
            if self._cited[i][1] > start:
                cited.append(self._cited[i])
            i += 1
        cuts = {start, end}
        for a, b in [cursor, *([selection] if selection else []), *cited]:
            cuts.update(x for x in (a, b) if start < x < end)
        points = sorted(cuts)
        cited_style = self._style("reader--cited")
        cursor_style = self._style("reader--cursor")
        selection_style = self._style("reader--selection")
        segments = []
        for a, b in pairwise(points):
            style = base
            if any(s <= a < e for s, e in cited):
                style += cited_style
            if selection and selection[0] <= a < selection[1]:
                style += selection_style
            elif cursor[0] <= a < cursor[1] and self.has_focus:
                style += cursor_style
            segments.append(Segment(text[a:b].replace("\n", " "), style))
        return segments

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # Actions --------------------------------------------------------------------------------------

    def _repaint(self, before: tuple[int, int] | None) -> None:
        """Redraw the lines the cursor or selection covered before and covers now (scrolling
        redraws everything by itself)."""
        for span in (before, self.selection):
            if span is not None and self._layout.starts:
                first = self._line_of(span[0])
                last = self._line_of(max(span[0], span[1] - 1))
                self.refresh_lines(first, last - first + 1)

    def _move(self, index: int, before: tuple[int, int] | None) -> None:
        if not self._sent_starts:
            return
        self.cursor = max(0, min(index, len(self._sent_starts) - 1))
        self._scroll_to_cursor()
        self._repaint(before)

    def action_sentence(self, step: int) -> None:
        before = self.selection
        self.mark = None
        self._move(self.cursor + step, before)

    def action_paragraph(self, step: int) -> None:
        if not self._sent_starts:
            return
        before = self.selection
        self.mark = None
        para = bisect_right(self._para_first_sentence, self.cursor) - 1
        target = max(0, min(para + step, len(self._para_first_sentence) - 1))
        self._move(self._para_first_sentence[target], before)

    def action_extend(self, step: int) -> None:
        before = self.selection
        if self.mark is None:
            self.mark = self.cursor
        self._move(self.cursor + step, before)

    def action_mark(self) -> None:
        before = self.selection
        self.mark = None if self.mark is not None else self.cursor
        self._repaint(before)

    def action_clear_selection(self) -> None:
        before = self.selection
        self.mark = None
        self._repaint(before)

    def action_page(self, step: int) -> None:
        if not self._sent_starts:
            return
        height = max(1, self.scrollable_content_region.height - 2)
        line = self._line_of(self._sent_starts[self.cursor]) + step * height
        line = max(0, min(line, len(self._layout.starts) - 1))
        before = self.selection
        self.mark = None
        self._move(self._sentence_at(self._layout.starts[line]), before)

    def action_edge(self, step: int) -> None:
        before = self.selection
        self.mark = None
        self._move(0 if step < 0 else len(self._sent_starts) - 1, before)

    def action_cite(self) -> None:
        selection = self.selection
        if self.source is not None and selection is not None:
            self.post_message(self.CiteRequested(self.source, *selection))

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the sentence under the pointer; shift+click extends to it."""
        if self.source is None:
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.scroll_offset.y + offset.y
        if row >= len(self._layout.starts):
            return
        column = max(0, offset.x + self.scroll_offset.x - GUTTER)
        start, end = self._layout.starts[row], self._layout.ends[row]
        if start == end:
            return
        target = self._sentence_at(min(start + column, end - 1))
        if event.shift:
            if self.mark is None:
                self.mark = self.cursor
        else:
            self.mark = None
        self.cursor = target
        self.refresh()

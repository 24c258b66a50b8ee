"""The source reader: wrapped reading text with paragraph numbers, a sentence cursor and a selection.

It draws with Textual's Line API: the layout is a list of (start, end) offsets per screen line,
and `render_line` styles only the rows on screen, so a 1 MB source opens and scrolls as fast as a
short one. Offsets are always those of the source's reading text, which is what anchors use.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefkit.library.model import Source

GUTTER = 6


@dataclass(frozen=True, slots=True)
class Layout:
    """Screen lines of a source wrapped at one width; a blank line separates paragraphs."""

    width: int
    starts: list[int]
    ends: list[int]
    numbers: list[int]  # paragraph number on a paragraph's first line, 0 elsewhere


def wrap(text: str, paragraphs: list[tuple[int, int, int]], width: int) -> Layout:
    """Greedy word wrap of each (number, start, end) paragraph, by offsets, without copying text."""
    width = max(width, 8)
    starts: list[int] = []
    ends: list[int] = []
    numbers: list[int] = []
    for number, start, end in paragraphs:
        pos = start
        first = True
        while pos < end or first:
            limit = min(end, pos + width)
            newline = text.find("\n", pos, limit)
            if newline != -1:
                cut, nxt = newline, newline + 1
            elif end - pos <= width:
                cut, nxt = end, end
            else:
                space = text.rfind(" ", pos, limit + 1)
                cut, nxt = (space, space + 1) if space > pos else (limit, limit)
            starts.append(pos)
            ends.append(cut)
            numbers.append(number if first else 0)
            first = False
            pos = nxt
            if nxt >= end:
                break
        starts.append(end)
        ends.append(end)
        numbers.append(0)
    return Layout(width, starts, ends, numbers)


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
    BINDINGS = [
        Binding("down,j", "sentence(1)", "Next sentence", show=False),
        Binding("up,k", "sentence(-1)", "Prev sentence", show=False),
        Binding("right_square_bracket,l", "paragraph(1)", "Next para", show=False),
        Binding("left_square_bracket,h", "paragraph(-1)", "Prev para", show=False),
        Binding("shift+down,J", "extend(1)", "Extend", key_display="⇧↓"),
        Binding("shift+up,K", "extend(-1)", "Shrink", show=False),
        Binding("v", "mark", "Select", show=False),
        Binding("escape", "clear_selection", "Clear", show=False),
        Binding("c", "cite", "Cite"),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", show=False),
        Binding("home,g", "edge(-1)", "Start", show=False),
        Binding("end,G", "edge(1)", "End", show=False),
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
        self.placeholder = "No source open. Press / to search, or pick a source and press Enter."

    # Attributes set by the parent -----------------------------------------------------------------

    def show(self, source: Source, offset: int | None = None, cited: list[tuple[int, int]] | None = None) -> None:
        """Display `source` with the cursor on the sentence holding `offset`."""
        self.source = source
        self._paragraphs = [(p.number, p.start, p.end) for p in source.paragraphs]
        self._sent_starts, self._sent_ends, self._para_first_sentence = [], [], []
        for para in source.paragraphs:
            self._para_first_sentence.append(len(self._sent_starts))
            spans = para.sentences or ()
            if not spans:
                self._sent_starts.append(para.start)
                self._sent_ends.append(para.end)
            for span in spans:
                self._sent_starts.append(span.start)
                self._sent_ends.append(span.end)
        self.mark = None
        self.cursor = self._sentence_at(offset) if offset is not None else 0
        self.set_cited(cited or [])
        self._relayout()
        self._scroll_to_cursor(center=True)

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

    def _text_width(self) -> int:
        """Room for text once the gutter and the vertical scrollbar (reserved even before it shows)."""
        return max(10, self.content_region.width - self.styles.scrollbar_size_vertical - GUTTER - 1)

    def _relayout(self) -> None:
        if self.source is None:
            return
        self._layout = wrap(self.source.text, self._paragraphs, self._text_width())
        self.virtual_size = Size(self._layout.width + GUTTER, len(self._layout.starts))
        self.refresh()

    def on_resize(self) -> None:
        if self.source is not None and self._text_width() != self._layout.width:
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
        height = max(1, self.scrollable_content_region.height)
        y = self.scroll_offset.y
        if center:
            y = max(0, top - height // 3)
        elif top < y:
            y = top
        elif bottom >= y + height:
            y = min(top, bottom - height + 1)
        if y != self.scroll_offset.y:
            self.scroll_to(y=y, animate=False, immediate=True)

    # Drawing --------------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.source is None:
            if y == 1:
                style = base + self.get_component_rich_style("reader--placeholder")
                return Strip([Segment(f"  {self.placeholder}"[:width], style)]).extend_cell_length(width, base)
            return Strip.blank(width, base)
        row = self.scroll_offset.y + y
        layout = self._layout
        if row >= len(layout.starts):
            return Strip.blank(width, base)
        start, end = layout.starts[row], layout.ends[row]
        number = layout.numbers[row]
        gutter = f"{number:>{GUTTER - 2}}  " if number else " " * GUTTER
        segments = [Segment(gutter, base + self.get_component_rich_style("reader--gutter"))]
        segments.extend(self._text_segments(start, end, base))
        return Strip(segments).crop(self.scroll_offset.x, self.scroll_offset.x + width).extend_cell_length(width, base)

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
        cited_style = self.get_component_rich_style("reader--cited")
        cursor_style = self.get_component_rich_style("reader--cursor")
        selection_style = self.get_component_rich_style("reader--selection")
        segments = []
        for a, b in zip(points, points[1:]):
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

    def _move(self, index: int) -> None:
        if not self._sent_starts:
            return
        self.cursor = max(0, min(index, len(self._sent_starts) - 1))
        self._scroll_to_cursor()
        self.refresh()

    def action_sentence(self, step: int) -> None:
        self.mark = None
        self._move(self.cursor + step)

    def action_paragraph(self, step: int) -> None:
        if not self._sent_starts:
            return
        self.mark = None
        para = bisect_right(self._para_first_sentence, self.cursor) - 1
        target = max(0, min(para + step, len(self._para_first_sentence) - 1))
        self._move(self._para_first_sentence[target])

    def action_extend(self, step: int) -> None:
        if self.mark is None:
            self.mark = self.cursor
        self._move(self.cursor + step)

    def action_mark(self) -> None:
        self.mark = None if self.mark is not None else self.cursor
        self.refresh()

    def action_clear_selection(self) -> None:
        self.mark = None
        self.refresh()

    def action_page(self, step: int) -> None:
        if not self._sent_starts:
            return
        height = max(1, self.scrollable_content_region.height - 2)
        line = self._line_of(self._sent_starts[self.cursor]) + step * height
        line = max(0, min(line, len(self._layout.starts) - 1))
        self.mark = None
        self._move(self._sentence_at(self._layout.starts[line]))

    def action_edge(self, step: int) -> None:
        self.mark = None
        self._move(0 if step < 0 else len(self._sent_starts) - 1)

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

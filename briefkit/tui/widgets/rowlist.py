"""A list for thousands of items that draws only the rows on screen (Textual's Line API).

OptionList renders and measures every option when its options are set: 0.9 s for a library of
2,000 sources and over 100 ms for 50 search hits, all of it on the event loop. Here each item has
the same number of lines, so the list is set in constant time and an item is drawn (then cached
for that width) only when it scrolls into view.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

Draw = Callable[[int, int], list[Text]]  # (item index, width) -> the item's lines
CACHE_ITEMS = 512


def keep_in_view(view: ScrollView, top: int, bottom: int, *, center: bool = False) -> None:
    """Scroll the least needed (or, with `center`, put `top` a third down) to show lines top..bottom."""
    height = max(1, view.scrollable_content_region.height)
    y = view.scroll_offset.y
    if center:
        y = max(0, top - height // 3)
    elif top < y:
        y = top
    elif bottom >= y + height:
        y = min(top, bottom - height + 1)
    if y != view.scroll_offset.y:
        view.scroll_to(y=y, animate=False, immediate=True, force=True)


class RowList(ScrollView, can_focus=True):
    """Items of `rows` lines each, drawn by the owner's `draw(index, width)`; Enter or a click
    posts `Selected`."""

    DEFAULT_CSS = """
    RowList { background: $surface; overflow-x: hidden; }
    RowList > .row-list--highlight { background: $block-cursor-blurred-background; }
    RowList:focus > .row-list--highlight {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    RowList > .row-list--empty { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES = {"row-list--highlight", "row-list--empty"}
    BINDINGS = [
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("pagedown", "page(1)", "Page down", show=False, priority=True),
        Binding("pageup", "page(-1)", "Page up", show=False, priority=True),
        Binding("home", "edge(-1)", "First", show=False, priority=True),
        Binding("end", "edge(1)", "Last", show=False, priority=True),
        Binding("enter", "select", "Open", priority=True),
    ]

    class Selected(Message):
        def __init__(self, row_list: RowList, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.index = index

        @property
        def control(self) -> RowList:
            return self.row_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.count = 0
        self.rows = 1
        self.highlighted: int | None = None
        self.empty = ""
        self._draw: Draw = lambda index, width: []
        self._cache: dict[int, list[Strip]] = {}
        self._cache_width = -1

    def set_items(self, count: int, rows: int, draw: Draw, *, empty: str = "", keep: bool = False) -> None:
        """Show `count` items; `keep` leaves the highlight and scroll where they were."""
        self.count, self.rows, self._draw, self.empty = count, max(1, rows), draw, empty
        self._cache.clear()
        if not count:
            self.highlighted = None
        elif keep and self.highlighted is not None:
            self.highlighted = min(self.highlighted, count - 1)
        else:
            self.highlighted = 0
        self.virtual_size = Size(0, count * self.rows)
        if not keep:
            self.scroll_to(y=0, animate=False, immediate=True, force=True)
        self.refresh()

    def redraw(self) -> None:
        """Draw the items again (their data changed, not their number)."""
        self._cache.clear()
        self.refresh()

    # Drawing --------------------------------------------------------------------------------------

    def _lines(self, index: int, width: int) -> list[Strip]:
        if width != self._cache_width:
            self._cache.clear()
            self._cache_width = width
        strips = self._cache.get(index)
        if strips is None:
            if len(self._cache) >= CACHE_ITEMS:
                self._cache.clear()
            strips = [self._strip(text, width) for text in self._draw(index, width)[: self.rows]]
            self._cache[index] = strips
        return strips

    def _strip(self, text: Text, width: int) -> Strip:
        return Strip(list(text.render(self.app.console, end=""))).crop_extend(0, width, None)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = self.scroll_offset.y + y
        if not self.count:
            if y == 0 and self.empty:
                empty = Text(self.empty, no_wrap=True, overflow="ellipsis")
                return self._strip(empty, width).apply_style(base + self.get_component_rich_style("row-list--empty"))
            return Strip.blank(width, base)
        index, line = divmod(row, self.rows)
        if index >= self.count:
            return Strip.blank(width, base)
        strips = self._lines(index, width)
        strip = strips[line] if line < len(strips) else Strip.blank(width)
        if index == self.highlighted:
            base = base + self.get_component_rich_style("row-list--highlight")
        return strip.apply_style(base)

    def on_resize(self) -> None:
        self._cache.clear()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # Moving ---------------------------------------------------------------------------------------

    def highlight(self, index: int) -> None:
        if not self.count:
            return
        self.highlighted = max(0, min(index, self.count - 1))
        top = self.highlighted * self.rows
        keep_in_view(self, top, top + self.rows - 1)
        self.refresh()

    def action_move(self, step: int) -> None:
        self.highlight((self.highlighted or 0) + step if self.highlighted is not None else 0)

    def action_page(self, step: int) -> None:
        per_page = max(1, self.scrollable_content_region.height // self.rows)
        self.highlight((self.highlighted or 0) + step * per_page)

    def action_edge(self, step: int) -> None:
        self.highlight(0 if step < 0 else self.count - 1)

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Selected(self, self.highlighted))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self.count:
            return
        index = (self.scroll_offset.y + offset.y) // self.rows
        if index < self.count:
            self.highlight(index)
            self.post_message(self.Selected(self, index))

"""A long Markdown document laid out one block at a time, as each block scrolls into view.

Textual's Markdown widget mounts a widget or two per block, 3-10 ms each: the preview of a
5,000-citation brief (7,000 blocks) held the event loop for over a minute, and even 50 blocks
cost 175 ms. Here the document is split into its top-level blocks (on blank lines, which is
cheap), Rich renders a block when it first shows (about half a millisecond) and keeps its lines
for the width, and a block not yet seen counts by an estimate of its height (the scroll bar's
length settles as blocks are seen).
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style
from rich.theme import Theme
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefkit.tui.preview_blocks import Blocks, estimate

MARGIN = 1  # columns left blank each side of the text
_STYLES = {  # Rich's style names, and the component class that gives each its look in the theme
    "markdown.h1": "lazy-markdown--h1", "markdown.h2": "lazy-markdown--h2",
    "markdown.h3": "lazy-markdown--h3", "markdown.h4": "lazy-markdown--h4",
    "markdown.block_quote": "lazy-markdown--quote", "markdown.table.border": "lazy-markdown--table",
}


class LazyMarkdown(ScrollView, can_focus=True):
    """Markdown shown a block at a time; `show` takes a whole new document and keeps the place."""

    DEFAULT_CSS = """
    LazyMarkdown { overflow-y: scroll; overflow-x: hidden; }
    LazyMarkdown > .lazy-markdown--h1 {
        color: $markdown-h1-color; background: $markdown-h1-background; text-style: $markdown-h1-text-style;
    }
    LazyMarkdown > .lazy-markdown--h2 {
        color: $markdown-h2-color; background: $markdown-h2-background; text-style: $markdown-h2-text-style;
    }
    LazyMarkdown > .lazy-markdown--h3 {
        color: $markdown-h3-color; background: $markdown-h3-background; text-style: $markdown-h3-text-style;
    }
    LazyMarkdown > .lazy-markdown--h4 {
        color: $markdown-h4-color; background: $markdown-h4-background; text-style: $markdown-h4-text-style;
    }
    LazyMarkdown > .lazy-markdown--quote { color: $text-primary 70%; }
    LazyMarkdown > .lazy-markdown--table { color: $foreground 40%; }
    """
    COMPONENT_CLASSES = set(_STYLES.values())

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.blocks: list[str] = []
        self._gaps: list[int] = []  # blank lines after each block (none inside a long list)
        self._heights: list[int] = []  # each block's lines and the gap after it
        self._tops = [0]  # each block's first line, then the document's height
        self._laid: dict[str, list[Strip]] = {}  # blocks' lines at `_width`
        self._width = 0
        self._theme: Theme | None = None  # Rich's markdown styles in this app's theme
        self._base = Style()  # the widget's own style the blocks were rendered in
        self._laying = False  # in _lay_out_view (which moves the view at the end of the document)

    @property
    def text_width(self) -> int:
        """Columns the text is wrapped to."""
        return max(20, self.scrollable_content_region.width - 2 * MARGIN)

    def text_width_at(self, width: int) -> int:
        """Columns the text would be wrapped to were the widget `width` wide (while it is hidden)."""
        styles = self.styles
        return max(20, width - styles.margin.width - styles.gutter.width - styles.scrollbar_size_vertical - 2 * MARGIN)

    def show(self, blocks: Blocks) -> None:
        """Show a document; the lines of blocks it shares with the last one are kept. Shown while
        hidden, for the first time, it takes the blocks' width until it is laid out."""
        self._width = self._width or (blocks.width if not self.size.width else self.text_width)
        if blocks.width != self._width:
            blocks = Blocks(blocks.texts, blocks.gaps, [estimate(t, self._width) for t in blocks.texts], self._width)
        self.blocks, self._gaps = blocks.texts, blocks.gaps
        kept = set(self.blocks)
        laid = self._laid = {block: lines for block, lines in self._laid.items() if block in kept}
        self._heights = [(len(laid[b]) if b in laid else guess) + gap
                         for b, guess, gap in zip(blocks.texts, blocks.estimates, blocks.gaps)]
        self._sum_up()
        self._lay_out_view()
        self.refresh()

    def lay_out_hidden(self, height: int) -> None:
        """While hidden, render the blocks a view `height` lines high will show, so that showing
        it changes no heights: the change laid the screen out a second time (about 40 ms of the
        first F4 after an edit). Blocks unchanged since they were last rendered are kept."""
        self._lay_out_view(max(0, height))

    def lines_of(self, index: int) -> list[Strip]:
        """The lines block `index` takes at the current width."""
        block = self.blocks[index]
        lines = self._laid.get(block)
        if lines is None:
            lines = self._laid[block] = self._render_block(block)
        return lines

    def _render_block(self, block: str) -> list[Strip]:
        from rich.markdown import Markdown as RichMarkdown  # and markdown-it: 35 ms, at the first preview

        console = self.app.console
        if self._theme is None:
            self._base = self.rich_style
            self._theme = Theme({name: self.get_component_rich_style(cls) for name, cls in _STYLES.items()})
        base = self.rich_style
        with console.use_theme(self._theme):
            rendered = console.render_lines(RichMarkdown(block), console.options.update_width(self._width),
                                            style=base, pad=False)
        margin = Segment(" " * MARGIN, base)
        lines = [Strip([margin, *line]) for line in rendered]
        if block.startswith(("# ", "## ")):
            lines.insert(0, Strip.blank(self._width, base))  # a section starts a little further down
        return lines

    def _measure(self) -> None:
        """Heights: a block's lines where it has been rendered, else an estimate."""
        width, laid = self._width, self._laid
        self._heights = [(len(laid[b]) if b in laid else estimate(b, width)) + gap
                         for b, gap in zip(self.blocks, self._gaps)]
        self._sum_up()

    def _sum_up(self) -> None:
        self._tops = [0, *accumulate(self._heights)]
        self.virtual_size = Size(self.scrollable_content_region.width, self._tops[-1])

    def _lay_out_view(self, hidden_height: int = 0) -> None:
        """Render the blocks in view (`hidden_height` lines of it while hidden); where their
        heights differ from the estimates, measure the document again (the blocks in view may
        change), until all in view are rendered."""
        height = self.size.height or hidden_height
        if not self._width or not height or self._laying:
            return
        at_end = 0 < self.scroll_y >= self.max_scroll_y  # stays at the end as the end moves
        self._laying = True
        try:
            self._lay_out_rounds(at_end, height)
        finally:
            self._laying = False

    def _lay_out_rounds(self, at_end: bool, height: int) -> None:
        for _ in range(8):  # each round renders at least one block; a screen holds a few
            if at_end:
                self.scroll_y = self.max_scroll_y
            top = round(self.scroll_offset.y)
            first = max(0, bisect_right(self._tops, top) - 1)
            last = min(len(self.blocks), bisect_right(self._tops, top + height))
            unseen = [i for i in range(first, last) if self.blocks[i] not in self._laid]
            if not unseen:
                return
            for i in unseen:
                self._heights[i] = len(self.lines_of(i)) + self._gaps[i]
            self._sum_up()

    def on_resize(self) -> None:
        if self.text_width != self._width:
            self._width = self.text_width
            self._laid.clear()
            self._measure()
        self._lay_out_view()

    def notify_style_update(self) -> None:
        """A new theme, or a look that depends on the focus: the blocks are rendered again in it."""
        super().notify_style_update()
        if self.is_mounted and self._laid and self._base != self.rich_style:
            self._theme = None
            self._laid.clear()
            self._measure()
            self._lay_out_view()

    # Jumps are not animated: every frame of an animation would lay out the blocks it passes.
    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._lay_out_view()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = round(self.scroll_offset.y) + y
        index = bisect_right(self._tops, line) - 1
        lines = self._laid.get(self.blocks[index], []) if 0 <= index < len(self.blocks) else []
        offset = line - self._tops[index] if lines else 0
        if offset >= len(lines):  # the gap after a block, or a block not laid out yet (at the next frame)
            return Strip.blank(width, self.rich_style)
        return lines[offset].crop_extend(0, width, self.rich_style)

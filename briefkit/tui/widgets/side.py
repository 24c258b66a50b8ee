"""The side panel: a row of tabs over panes, one pane shown at a time.

Textual's TabbedContent mounts about fifteen widgets for four tabs (tabs, their containers, an
underline, a switcher, a pane around each page); laying them out and painting them was a fifth
of the app's start-up. Here the tabs are one widget drawing two lines of text, and the pages are
the panel's own children, shown or hidden. Only the first page is composed with the panel; the
others are mounted by `mount_pages`, once the first screen is up, or when first shown: the
preview, problems, suggestions and review pages were a tenth of the first screen's wait.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget


class TabStrip(Widget, can_focus=True):
    """The labels on the first line, a bar under the active one on the second; a click or
    left/right (when focused) asks the panel to show another tab."""

    DEFAULT_CSS = """
    TabStrip { height: 2; }
    TabStrip > .tabstrip--tab { color: $foreground 50%; }
    TabStrip > .tabstrip--active { color: $foreground; }
    TabStrip:focus > .tabstrip--active {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    TabStrip > .tabstrip--bar { color: $block-cursor-background; background: $foreground 10%; }
    """
    COMPONENT_CLASSES = {"tabstrip--tab", "tabstrip--active", "tabstrip--bar"}
    BINDINGS = [
        Binding("left", "step(-1)", "Previous tab", show=False),
        Binding("right", "step(1)", "Next tab", show=False),
    ]

    class Chosen(Message):
        def __init__(self, tab: str) -> None:
            super().__init__()
            self.tab = tab

    def __init__(self, labels: dict[str, str], active: str) -> None:
        super().__init__()
        self.labels = dict(labels)
        self.short: dict[str, str] = {}  # a tab's label where the full ones do not fit
        self.active = active

    def spans(self) -> list[tuple[str, int, int, str]]:
        """(tab, first column, end column, text) of each label: padded by a space on each side, as
        Textual's tabs are; a space apart when that is too wide; then the short labels (the
        problems tab's counts without the word), padded or not; the longest cut short with "…"
        when even that is too wide (five tabs and the counts take 50 columns, and the panel may
        have 38)."""
        width = self.size.width
        shown = {tab: text for tab, text in self.labels.items() if text}  # an empty label hides its tab
        texts = dict(shown)
        for labels in (shown, {tab: self.short.get(tab, text) for tab, text in shown.items()}):
            texts = dict(labels)
            if sum(cell_len(t) for t in texts.values()) + len(texts) - 1 <= width:
                break
        pad = 1 if sum(cell_len(t) + 2 for t in texts.values()) <= width else 0
        room = width - (1 - pad) - (len(texts) - 1) * (1 - pad) - 2 * pad * len(texts)
        while sum(map(cell_len, texts.values())) > room > 0:
            tab = max(texts, key=lambda t: cell_len(texts[t]))
            if cell_len(texts[tab]) <= 2:
                break
            texts[tab] = set_cell_size(texts[tab], cell_len(texts[tab]) - 2) + "…"
        spans, x = [], 1 - pad
        for tab, text in texts.items():
            end = x + cell_len(text) + 2 * pad
            spans.append((tab, x, end, " " * pad + text + " " * pad))
            x = end + 1 - pad
        return spans

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        spans = self.spans()
        if y == 0:
            segments, x = [], 0
            for tab, start, end, text in spans:
                style = self.get_component_rich_style("tabstrip--active" if tab == self.active else "tabstrip--tab")
                segments += [Segment(" " * (start - x)), Segment(text, style)]
                x = end
            return Strip(segments).crop_extend(0, width, self.rich_style)
        bar = self.get_component_rich_style("tabstrip--bar")
        on = Style(color=bar.color, bgcolor=self.rich_style.bgcolor)
        off = Style(color=bar.bgcolor, bgcolor=self.rich_style.bgcolor)
        start, end = next(((s, e) for tab, s, e, _ in spans if tab == self.active), (0, 0))
        segments = [Segment("━" * max(0, start - 1), off)]
        if start > 0:
            segments.append(Segment("╸", off))
        segments += [Segment("━" * (end - start), on), Segment("╺" + "━" * width, off)]
        return Strip(segments).crop(0, width)

    def show(self, active: str) -> None:
        self.active = active
        self.refresh()

    def set_label(self, tab: str, label: str, short: str | None = None) -> None:
        if self.labels.get(tab) != label or self.short.get(tab) != short:
            self.labels[tab] = label
            if short is None:
                self.short.pop(tab, None)
            else:
                self.short[tab] = short
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        for tab, start, end, _ in self.spans():
            if start <= event.x < end:
                self.post_message(self.Chosen(tab))
                return

    def action_step(self, step: int) -> None:
        tabs = [tab for tab, text in self.labels.items() if text or tab == self.active]
        self.post_message(self.Chosen(tabs[(tabs.index(self.active) + step) % len(tabs)]))


class SidePanel(Vertical):
    """`pages` are (tab id, label, widget); the first is shown. Posts `TabActivated` on a change."""

    DEFAULT_CSS = """
    SidePanel > .-page { height: 1fr; }
    """

    class TabActivated(Message):
        def __init__(self, panel: SidePanel, tab: str) -> None:
            super().__init__()
            self.panel = panel
            self.tab = tab

        @property
        def control(self) -> SidePanel:
            return self.panel

    def __init__(self, pages: list[tuple[str, str, Widget]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pages = {tab: widget for tab, _, widget in pages}
        self._strip = TabStrip({tab: label for tab, label, _ in pages}, pages[0][0])
        for _, _, widget in pages:
            widget.add_class("-page")  # a class rule, so that it outranks the page's own height
        for _, _, widget in pages[1:]:
            widget.display = False

    @property
    def active(self) -> str:
        return self._strip.active

    def compose(self) -> ComposeResult:
        yield self._strip
        yield self._pages[self.active]

    def mount_pages(self) -> None:
        """Mount the pages not mounted yet, in their order (the order Tab moves in)."""
        later = [page for page in self._pages.values() if page.parent is None]
        if later:
            self.mount_all(later)

    def show(self, tab: str) -> None:
        """Show `tab`'s page (posting `TabActivated`), unless it is showing already."""
        page = self._pages[tab]
        if tab == self.active:
            return
        self.mount_pages()
        self._pages[self.active].display = False
        page.display = True
        self._strip.show(tab)
        self.post_message(self.TabActivated(self, tab))

    def set_label(self, tab: str, label: str, short: str | None = None) -> None:
        """`short` is shown instead where the full labels do not all fit."""
        self._strip.set_label(tab, label, short)

    def label(self, tab: str) -> str:
        return self._strip.labels[tab]

    @on(TabStrip.Chosen)
    def _chosen(self, event: TabStrip.Chosen) -> None:
        event.stop()
        self.show(event.tab)

"""The preview: the brief rendered through its template, with numbered notes at the end."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from briefkit.tui.preview_blocks import Blocks, prepare
from briefkit.tui.widgets.chooser import Chooser
from briefkit.tui.widgets.lazy_markdown import LazyMarkdown

# Lines above the document: the template chooser and the status line. The panel's tabs are
# not taken off, so a hidden view counts a little taller than it will be: more blocks are
# rendered than it shows, never fewer.
ABOVE_DOCUMENT = 2


class StatusLine(Widget):
    """One line of text that repaints when it changes. Static.update lays out the whole screen
    (its size might change), and the first F4 after an edit paid a second layout for it."""

    DEFAULT_CSS = "StatusLine { height: 1; }"

    def __init__(self, text: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = Text(text)

    def set(self, text: Text) -> None:
        if text != self.text:
            self.text = text
            self.refresh()

    def render(self) -> Text:
        return self.text


class Preview(Vertical):
    DEFAULT_CSS = """
    Preview { height: 1fr; }
    Preview > #preview-status { height: 1; color: $text-muted; padding: 0 1; }
    Preview > LazyMarkdown { height: 1fr; }
    """

    class TemplateChosen(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, current: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current = current
        self._pending: tuple[str, str] | None = None
        self._markdown = ""  # the rendering shown, before its tables were fitted to the width
        self._body = ""  # what the document shows
        self._asked: tuple[str, int] | None = None  # the (rendering, width) last sent to be prepared
        # Made here, so that the templates and an error can be shown before the side panel
        # mounts the preview (see `SidePanel.mount_pages`).
        self._chooser = Chooser("Template", id="template")
        self._status = StatusLine("rendering…", id="preview-status")

    def compose(self) -> ComposeResult:
        yield self._chooser
        yield self._status
        yield LazyMarkdown(id="preview-scroll")

    def set_templates(self, templates: list[tuple[str, str]]) -> None:
        """Offer these (label, name) templates; known once the library worker has listed them."""
        self._chooser.set_options(templates, self.current)

    def show(self, markdown: str, status: str, prepared: tuple[int, str, Blocks] | None = None) -> None:
        """Show a rendering; while the preview is hidden, keep only the latest one for later, and
        prepare its document for the width the preview will have in the side panel: splitting a
        5,000-citation preview, in a thread, held the next F4 past 100 ms. `prepared` is the
        document and blocks the render process made for a width (`text_width`); at another
        width they are made again here."""
        self._pending = (markdown, status)
        if prepared is not None and self.is_mounted:
            width, body, blocks = prepared
            self._asked = (markdown, width)
            if body != self._body:
                self._take(body, blocks)
        if self.is_displayed_now:
            self.flush()
        else:
            hidden_width = self.text_width()
            if hidden_width is not None:
                self._prepare_for(markdown, hidden_width)

    def text_width(self) -> int | None:
        """Columns the document is wrapped to, or will be where the preview is hidden in the
        side panel; None before it is mounted and laid out."""
        if self.is_displayed_now:
            return self.query_one(LazyMarkdown).text_width
        if self.is_mounted and isinstance(self.parent, Widget) and self.parent.content_region.width:
            return self.query_one(LazyMarkdown).text_width_at(self.parent.content_region.width
                                                              - self.styles.gutter.width)
        return None

    @property
    def is_displayed_now(self) -> bool:
        return self.is_mounted and self.region.width > 0 and self.region.height > 0

    def flush(self) -> None:
        if self._pending is None:
            return
        markdown, status = self._pending
        self._pending = None
        self._status.set(Text(status))
        self._markdown = markdown
        self._update_body()

    def _update_body(self) -> None:
        self._prepare_for(self._markdown, self.query_one(LazyMarkdown).text_width)

    def _prepare_for(self, markdown: str, width: int) -> None:
        if self._asked != (markdown, width):  # the same one is prepared already, or being prepared
            self._asked = (markdown, width)
            self._prepare(markdown, width)

    @work(thread=True, exclusive=True, group="preview", description="preview")
    def _prepare(self, markdown: str, width: int) -> None:
        """Fit the tables to the width and split the document into blocks, off the event loop
        (and load Rich's Markdown, 60 ms of imports, before the first block is drawn)."""
        import rich.markdown  # noqa: F401

        body, blocks = prepare(markdown, width)
        if body != self._body and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._prepared, (markdown, width), body, blocks)

    def _prepared(self, asked: tuple[str, int], body: str, blocks: Blocks) -> None:
        """A thread's preparation, unless a later one was asked for meanwhile (or came made
        from the render process, which cancels no thread)."""
        if asked == self._asked:
            self._take(body, blocks)

    def _take(self, body: str, blocks: Blocks) -> None:
        self._body = body
        document = self.query_one(LazyMarkdown)
        document.show(blocks)
        if not self.is_displayed_now and isinstance(self.parent, Widget):
            document.lay_out_hidden(self.parent.content_region.height - self.styles.gutter.height
                                    - ABOVE_DOCUMENT)

    def on_resize(self) -> None:
        if self._markdown and self.is_displayed_now:
            self._update_body()  # a table may fit now, or no longer

    def show_error(self, message: str) -> None:
        self._status.set(Text.assemble(("cannot render:", "red"), f" {message}"))

    @on(Chooser.Changed, "#template")
    def _chosen(self, event: Chooser.Changed) -> None:
        event.stop()
        if event.value != self.current:
            self.current = event.value
            self.post_message(self.TemplateChosen(event.value))

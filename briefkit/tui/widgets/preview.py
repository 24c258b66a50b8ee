"""The preview: the brief rendered through its template, with numbered notes at the end."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from briefkit.tui.widgets.chooser import Chooser
from briefkit.tui.widgets.tables import fit_tables


class Preview(Vertical):
    DEFAULT_CSS = """
    Preview { height: 1fr; }
    Preview > #preview-status { height: 1; color: $text-muted; padding: 0 1; }
    Preview > VerticalScroll { height: 1fr; }
    Preview Markdown { margin: 0 1; }
    Preview MarkdownHeader { width: 100%; }  /* an H3 is as wide as its text, and was cut off */
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
        self._body = ""  # what the Markdown widget was given

    def compose(self) -> ComposeResult:
        yield Chooser("Template", id="template")
        yield Static("rendering…", id="preview-status")
        yield VerticalScroll(id="preview-scroll")

    def set_templates(self, templates: list[tuple[str, str]]) -> None:
        """Offer these (label, name) templates; known once the library worker has listed them."""
        self.query_one("#template", Chooser).set_options(templates, self.current)

    def show(self, markdown: str, status: str) -> None:
        """Show a rendering; while the preview is hidden, keep only the latest one for later,
        since laying out a long Markdown document costs the event loop real time."""
        self._pending = (markdown, status)
        if self.is_displayed_now:
            self.flush()

    @property
    def is_displayed_now(self) -> bool:
        return self.is_mounted and self.region.width > 0 and self.region.height > 0

    def flush(self) -> None:
        if self._pending is None:
            return
        markdown, status = self._pending
        self._pending = None
        self.query_one("#preview-status", Static).update(status)
        self._markdown = markdown
        self._update_body()

    def _text_width(self) -> int:
        scroll = self.query_one("#preview-scroll")
        return max(20, scroll.size.width - 2 - scroll.styles.scrollbar_size_vertical)  # the margin, the bar

    def _update_body(self) -> None:
        body = fit_tables(self._markdown, self._text_width())
        if body != self._body:
            self._body = body
            self.call_later(self._replace, body)

    async def _replace(self, body: str) -> None:
        """Give the Markdown widget `body`, one update at a time (in this widget's queue).

        Mounted empty, then updated and awaited: mounted with its text, it built its blocks after
        the mount returned, and in a real terminal they were not painted until the next key
        (the preview stayed blank; headless tests paint on every pause and never saw it)."""
        from textual.widgets import Markdown  # loaded with the first preview, not at startup

        if body != self._body:
            return  # a later one is queued
        scroll = self.query_one("#preview-scroll")
        found = self.query("#preview-markdown")
        if found:
            markdown = found.first(Markdown)
        else:
            markdown = Markdown(id="preview-markdown")
            await scroll.mount(markdown)
        await markdown.update(body)
        scroll.refresh(layout=True)

    def on_resize(self) -> None:
        if self._markdown and self.is_displayed_now:
            self._update_body()  # a table may fit now, or no longer

    def show_error(self, message: str) -> None:
        self.query_one("#preview-status", Static).update(f"[red]cannot render:[/] {message}")

    @on(Chooser.Changed, "#template")
    def _chosen(self, event: Chooser.Changed) -> None:
        event.stop()
        if event.value != self.current:
            self.current = event.value
            self.post_message(self.TemplateChosen(event.value))

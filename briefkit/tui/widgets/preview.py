"""The preview: the brief rendered through its template, with numbered notes at the end."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from briefkit.tui.widgets.chooser import Chooser


class Preview(Vertical):
    DEFAULT_CSS = """
    Preview { height: 1fr; }
    Preview > #preview-status { height: 1; color: $text-muted; padding: 0 1; }
    Preview > VerticalScroll { height: 1fr; }
    Preview Markdown { margin: 0 1; }
    """

    class TemplateChosen(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, current: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current = current
        self._pending: tuple[str, str] | None = None

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
        from textual.widgets import Markdown  # loaded with the first preview, not at startup

        body = markdown
        found = self.query("#preview-markdown")
        if found:
            found.first(Markdown).update(body)
        else:
            self.query_one("#preview-scroll").mount(Markdown(body, id="preview-markdown"))

    def show_error(self, message: str) -> None:
        self.query_one("#preview-status", Static).update(f"[red]cannot render:[/] {message}")

    @on(Chooser.Changed, "#template")
    def _chosen(self, event: Chooser.Changed) -> None:
        event.stop()
        if event.value != self.current:
            self.current = event.value
            self.post_message(self.TemplateChosen(event.value))

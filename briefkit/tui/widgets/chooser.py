"""A one-line chooser: shows the current choice; Enter or a click lists the choices in a picker.

Used where a `Select` would do: a `Select` mounts a hidden option list with its own styles, and
the two the side panel needed cost about a fifth of the app's start-up.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget


class Chooser(Widget, can_focus=True):
    """A choice among (label, value) pairs; posts `Chooser.Changed` when the analyst picks one."""

    DEFAULT_CSS = """
    Chooser { height: 1; padding: 0 1; background: $boost; }
    Chooser:focus { background: $block-cursor-background; color: $block-cursor-foreground; }
    """
    BINDINGS = [Binding("enter,space", "open", "Choose", show=False)]

    class Changed(Message):
        def __init__(self, chooser: Chooser, value: str) -> None:
            super().__init__()
            self.chooser = chooser
            self.value = value

        @property
        def control(self) -> Chooser:
            return self.chooser

    def __init__(self, prompt: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.prompt = prompt
        self.options: list[tuple[str, str]] = []
        self.value: str | None = None

    def set_options(self, options: list[tuple[str, str]], value: str | None = None) -> None:
        """Offer these choices and show `value` (kept if still offered); posts nothing."""
        self.options = list(options)
        values = [v for _, v in self.options]
        chosen = value if value is not None else self.value
        self.value = chosen if chosen in values else None
        self.refresh()

    def select(self, value: str) -> None:
        """Show `value` as chosen (an offered one); posts nothing."""
        if value in [v for _, v in self.options]:
            self.value = value
            self.refresh()

    def render(self) -> Text:
        label = next((lbl for lbl, v in self.options if v == self.value), self.prompt)
        width = max(1, self.content_region.width - 2)
        return Text(f"{label[:width]:<{width}} ▼", no_wrap=True, overflow="ellipsis")

    def on_click(self, event: events.Click) -> None:
        self.action_open()

    def action_open(self) -> None:
        if not self.options:
            return
        from briefkit.tui.screens.picker import PickScreen

        items = [(value, label) for label, value in self.options]
        self.app.push_screen(PickScreen(self.prompt, items), self._picked)

    def _picked(self, value: str | None) -> None:
        if value is None or value == self.value:
            return
        self.value = value
        self.refresh()
        self.post_message(self.Changed(self, value))

"""The footer: the keys that matter where the focus is, drawn as one line.

Textual's Footer shows the same bindings but recomposes a widget per key on every focus change
(about 40 ms a change here, half the cost of pressing Tab); this draws them as text. Clicking a
key presses it, as in Textual's Footer.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    KeyBar > .keybar--key { color: $footer-key-foreground; text-style: bold; }
    """
    COMPONENT_CLASSES = {"keybar--key"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each key, for clicks
        self._shown: tuple[tuple[str, str, bool], ...] = ()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        """Called after every key; redraw only when the keys to show have changed."""
        if screen is not self.screen:
            return
        shown = tuple((key, binding.description, enabled)
                      for key, (_, binding, enabled, _) in screen.active_bindings.items() if binding.show)
        if shown != self._shown:
            self._shown = shown
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        text = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        seen: set[str] = set()
        palette = None
        for _, binding, enabled, _ in self.screen.active_bindings.values():
            if binding.action in ("command_palette", "app.command_palette"):
                palette = binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            start = len(text)
            text.append(" ")
            text.append(self.app.get_key_display(binding), style=key_style if enabled else "dim")
            text.append(f" {binding.description} ", style="" if enabled else "dim")
            self._spans.append((start, len(text), binding.key))
        if palette is not None:
            hint = Text.assemble(" ", (self.app.get_key_display(palette), key_style), " palette ")
            room = self.size.width - hint.cell_len
            if text.cell_len > room:
                text.truncate(max(0, room), overflow="ellipsis")
            text.append(" " * max(0, room - text.cell_len))
            self._spans.append((len(text), len(text) + len(hint), palette.key))
            text.append_text(hint)
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key.split(",")[0])
                return

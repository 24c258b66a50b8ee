"""Suggestions: library passages most related to the current position that it does not cite yet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from briefkit.library.index import Hit


class SuggestionsList(OptionList):
    BINDINGS = [Binding("c", "cite", "Cite passage")]

    class OpenRequested(Message):
        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    class CiteRequested(Message):
        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[Hit] = []

    def show(self, heading: str, hits: list[Hit], titles: dict[str, str]) -> None:
        from briefkit.tui.widgets.hits import hit_lines

        self.hits = hits
        options = [Option(Text(heading, style="bold"), disabled=True)]
        width = self.scrollable_content_region.width - self.styles.scrollbar_size_vertical  # room for the scrollbar to come
        options += [Option(Text("\n").join(hit_lines(h, titles.get(h.source_id, h.source_id), self.app.console, width)),
                           id=str(i))
                    for i, h in enumerate(hits)]
        if not hits:
            options.append(Option(Text("Nothing related found.", style="dim"), disabled=True))
        self.set_options(options)
        self.highlighted = 1 if hits else None

    def _hit(self) -> Hit | None:
        if self.highlighted is None:
            return None
        ident = self.get_option_at_index(self.highlighted).id
        return self.hits[int(ident)] if ident is not None else None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.OpenRequested(self.hits[int(event.option.id)]))

    def action_cite(self) -> None:
        hit = self._hit()
        if hit is not None:
            self.post_message(self.CiteRequested(hit))

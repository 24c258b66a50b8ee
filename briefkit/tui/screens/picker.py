"""Pick one item from a filterable list: a citation to reference in prose, a position to move to."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option


class PickScreen(ModalScreen[str | None]):
    """Returns the id of the chosen item, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, heading: str, items: list[tuple[str, str]]) -> None:
        super().__init__()
        self.heading = heading
        self.items = items  # (id, label)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(placeholder="type to filter, Enter to choose", id="filter")
            yield OptionList(id="choices")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, needle: str) -> None:
        words = needle.casefold().split()
        options = [Option(Text(label, no_wrap=True, overflow="ellipsis"), id=ident)
                   for ident, label in self.items
                   if all(w in f"{ident} {label}".casefold() for w in words)]
        choices = self.query_one("#choices", OptionList)
        choices.set_options(options)
        choices.highlighted = 0 if options else None

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _submit(self) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.highlighted is not None:
            self.dismiss(choices.get_option_at_index(choices.highlighted).id)

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            choices.highlighted = max(0, min((choices.highlighted or 0) + step, choices.option_count - 1))

    def action_cancel(self) -> None:
        self.dismiss(None)

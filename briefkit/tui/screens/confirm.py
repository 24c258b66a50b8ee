"""A yes-or-no question, asked before an action the analyst may not mean (citing a passage twice)."""

from __future__ import annotations

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ConfirmScreen(ModalScreen[bool]):
    """True for yes (`y`, Enter on the first button), False for no (`n`, esc)."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "No"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(self, heading: str, message: str, yes: str) -> None:
        super().__init__()
        self.heading = heading
        self.message = message
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Static(escape(self.message), classes="dialog-quote")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} [y]", variant="primary", id="yes", compact=True)
                yield Button("Cancel [esc]", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # the safe answer is the one Enter gives

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

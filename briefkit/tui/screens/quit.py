"""Asked on quit with unsaved changes."""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

QuitChoice = Literal["save", "discard", "stay"]


class QuitScreen(ModalScreen[QuitChoice]):
    BINDINGS = [
        Binding("escape", "choose('stay')", "Cancel"),
        Binding("s", "choose('save')", "Save and quit"),
        Binding("d", "choose('discard')", "Quit without saving"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("The brief has unsaved changes.", classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save and quit [s]", variant="primary", id="save")
                yield Button("Quit without saving [d]", variant="error", id="discard")
                yield Button("Cancel [esc]", id="stay")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)  # type: ignore[arg-type]

    def action_choose(self, choice: QuitChoice) -> None:
        self.dismiss(choice)

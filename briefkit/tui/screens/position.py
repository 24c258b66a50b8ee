"""Title, holder and summary of a position, for a new one or an edit."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea


@dataclass(frozen=True, slots=True)
class PositionFields:
    title: str
    holder: str
    summary: str


class PositionScreen(ModalScreen[PositionFields | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "ok", "Done", priority=True)]

    def __init__(self, heading: str, fields: PositionFields = PositionFields("", "", "")) -> None:
        super().__init__()
        self.heading = heading
        self.fields = fields

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(self.heading, classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Title", classes="field-label")
                yield Input(self.fields.title, placeholder="required", id="title", compact=True)
            with Horizontal(classes="field"):
                yield Label("Held by", classes="field-label")
                yield Input(self.fields.holder, placeholder="optional: who argues for it", id="holder",
                            compact=True)
            yield Label("Summary", classes="field-label")
            yield TextArea(self.fields.summary, id="summary", soft_wrap=True, compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("enter (in a field) or ctrl+s done · tab next field · esc cancel", classes="dialog-keys")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self.notify("A position needs a title.", severity="warning")
            self.query_one("#title", Input).focus()
            return
        self.dismiss(PositionFields(title, self.query_one("#holder", Input).value.strip(),
                                    self.query_one("#summary", TextArea).text.strip()))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

"""Stance and note of a citation, asked when citing and when editing one later."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from briefkit.brief.model import STANCES


@dataclass(frozen=True, slots=True)
class CiteChoice:
    stance: str
    note: str


class CiteScreen(ModalScreen[CiteChoice | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+1,alt+1", "stance(0)", "Supports", show=False),
        Binding("ctrl+2,alt+2", "stance(1)", "Opposes", show=False),
        Binding("ctrl+3,alt+3", "stance(2)", "Context", show=False),
    ]

    def __init__(self, title: str, quote: str, position: str, stance: str = "supports", note: str = "") -> None:
        super().__init__()
        self.heading = title
        self.quote = " ".join(quote.split())
        self.position = position
        self.stance = stance
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Static(f"into: [b]{self.position}[/b]", classes="dialog-hint")
            yield Static(f"“{self.quote[:300]}{'…' if len(self.quote) > 300 else ''}”", classes="dialog-quote")
            with RadioSet(id="stance"):
                for stance in STANCES:
                    yield RadioButton(stance, value=stance == self.stance)
            yield Input(self.note, placeholder="note (optional) — Enter to confirm", id="note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    def _choice(self) -> CiteChoice:
        index = self.query_one("#stance", RadioSet).pressed_index
        stance = STANCES[index] if index >= 0 else "supports"
        return CiteChoice(stance, self.query_one("#note", Input).value)

    @on(Input.Submitted, "#note")
    def _submitted(self) -> None:
        self.dismiss(self._choice())

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(self._choice())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_stance(self, index: int) -> None:
        buttons = list(self.query(RadioButton))
        buttons[index].value = True

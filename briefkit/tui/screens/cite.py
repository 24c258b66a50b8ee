"""Stance and note of a citation, asked when citing and when editing one later."""

from __future__ import annotations

from dataclasses import dataclass

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from briefkit.brief.model import STANCES
from briefkit.tui.widgets.outline import STANCE_MARK


class StanceButton(RadioButton):
    """A stance's radio button: the chosen one shows a filled dot, the others a hollow one, so
    the choice reads without its colour (the three dots differed only by colour)."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else "○"
        return super()._button


@dataclass(frozen=True, slots=True)
class CiteChoice:
    stance: str
    note: str


class CiteScreen(ModalScreen[CiteChoice | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Priority, or the note field would take the letter. Letters, since alt+digit arrives as
        # another character in some terminals (alt+3 is £ in tmux).
        Binding("alt+s", "stance(0)", "Supports", show=False, priority=True),
        Binding("alt+o", "stance(1)", "Opposes", show=False, priority=True),
        Binding("alt+c", "stance(2)", "Context", show=False, priority=True),
    ]

    def __init__(self, title: str, quote: str, position: str, stance: str = "supports", note: str = "",
                 verb: str = "Cite") -> None:
        super().__init__()
        self.heading = title
        self.verb = verb  # the button: "Cite" for a new citation, "Save" for an edit
        self.quote = " ".join(quote.split())
        self.position = position
        self.stance = stance
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(self.heading, classes="dialog-title")
            yield Static(f"into: [b]{escape(self.position)}[/b]", classes="dialog-hint")
            yield Static(escape(f"“{self.quote[:300]}{'…' if len(self.quote) > 300 else ''}”"), classes="dialog-quote")
            with Horizontal(classes="field"):
                yield Label("Stance", classes="field-label")
                with RadioSet(id="stance", compact=True):
                    for stance in STANCES:
                        yield StanceButton(f"{STANCE_MARK[stance][0]} {stance}", value=stance == self.stance)
            with Horizontal(classes="field"):
                yield Label("Note", classes="field-label")
                yield Input(self.note, placeholder="optional", id="note", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.verb, variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static(f"enter {self.verb.lower()} · alt+s/o/c stance · tab next field · esc cancel",
                         classes="dialog-keys")

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

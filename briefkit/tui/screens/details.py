"""The brief's own details: what its title block shows, its template and its citation style."""

from __future__ import annotations

from dataclasses import dataclass, fields

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from briefkit.brief.model import Brief
from briefkit.tui.widgets.chooser import Chooser


@dataclass(frozen=True, slots=True)
class BriefDetails:
    """The brief's top-level fields as typed (`briefkit new` sets the same ones)."""

    title: str
    subtitle: str
    author: str
    organisation: str
    audience: str
    date: str
    template: str
    style: str

    @classmethod
    def of(cls, brief: Brief) -> BriefDetails:
        return cls(**{f.name: getattr(brief, f.name) for f in fields(cls)})


TEXT_FIELDS = (  # (attribute, label, placeholder)
    ("title", "Title", "required"),
    ("subtitle", "Subtitle", "optional"),
    ("author", "Author", "who wrote it"),
    ("organisation", "For", "organisation"),
    ("audience", "Audience", "who it is for: a principal, a committee…"),
    ("date", "Date", "YYYY-MM-DD"),
)


class DetailsScreen(ModalScreen[BriefDetails | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "ok", "Save", priority=True)]

    def __init__(self, details: BriefDetails, templates: list[tuple[str, str]]) -> None:
        super().__init__()
        self.details = details
        self.templates = templates or [(details.template, details.template)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form details"):
            yield Label("Brief details", classes="dialog-title")
            for name, label, placeholder in TEXT_FIELDS:
                with Horizontal(classes="field"):
                    yield Label(label, classes="field-label")
                    yield Input(getattr(self.details, name), placeholder=placeholder, id=name, compact=True)
            with Horizontal(classes="field"):
                yield Label("Template", classes="field-label")
                yield Chooser("Template", id="template")
            with Horizontal(classes="field"):
                yield Label("Style", classes="field-label")
                yield Input(self.details.style, placeholder="CSL style name or a .csl file", id="style",
                            compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("enter (in a field) or ctrl+s save · tab next field · esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#template", Chooser).set_options(self.templates, self.details.template)
        self.query_one("#title", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        typed = {name: self.query_one(f"#{name}", Input).value.strip() for name, _, _ in TEXT_FIELDS}
        if not typed["title"]:
            self.notify("A brief needs a title.", severity="warning")
            self.query_one("#title", Input).focus()
            return
        template = self.query_one("#template", Chooser).value or self.details.template
        style = self.query_one("#style", Input).value.strip() or self.details.style
        self.dismiss(BriefDetails(**typed, template=template, style=style))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

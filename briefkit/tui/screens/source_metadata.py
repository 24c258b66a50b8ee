"""Title, authors, date, URL and type of one source, as `sources edit` sets them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from briefkit.library.model import SourceEntry


@dataclass(frozen=True, slots=True)
class SourceFields:
    """The fields as typed: authors as "Family, Given; Family, Given", date as YYYY[-MM[-DD]]."""

    title: str
    authors: str
    date: str
    url: str
    kind: str

    @classmethod
    def of(cls, entry: SourceEntry) -> SourceFields:
        authors = entry.csl.get("author") or []
        return cls(entry.title, "; ".join(_name_text(a) for a in authors), entry.issued,
                   str(entry.csl.get("URL") or ""), str(entry.csl.get("type") or ""))


def _name_text(name: Any) -> str:
    """A CSL name as the dialog shows it: "Family, Given", or an organisation as written."""
    if not isinstance(name, dict):
        return str(name)
    if name.get("literal"):
        return str(name["literal"])
    family = " ".join(str(name[k]) for k in ("non-dropping-particle", "family") if name.get(k))
    given = " ".join(str(name[k]) for k in ("given", "dropping-particle") if name.get(k))
    return f"{family}, {given}" if family and given else family or given


FIELDS = (  # (attribute, label, placeholder)
    ("title", "Title", "required"),
    ("authors", "Authors", "Family, Given; Family, Given (or an organisation)"),
    ("date", "Date", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ("url", "URL", "optional"),
    ("kind", "Type", "CSL type: report, webpage, article-journal…"),
)


class SourceMetadataScreen(ModalScreen[SourceFields | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "ok", "Save", priority=True)]

    def __init__(self, source_id: str, fields: SourceFields) -> None:
        super().__init__()
        self.source_id = source_id
        self.fields = fields

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(escape(f"Source {self.source_id}"), classes="dialog-title")
            for name, label, placeholder in FIELDS:
                with Horizontal(classes="field"):
                    yield Label(label, classes="field-label")
                    yield Input(getattr(self.fields, name), placeholder=placeholder, id=name, compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("enter (in a field) or ctrl+s save · tab next field · esc cancel", classes="dialog-keys")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        typed = {name: self.query_one(f"#{name}", Input).value.strip() for name, _, _ in FIELDS}
        if not typed["title"]:
            self.notify("A source needs a title.", severity="warning")
            self.query_one("#title", Input).focus()
            return
        self.dismiss(SourceFields(**typed))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

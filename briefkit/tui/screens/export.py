"""The export dialog: format, copy, file, template and reference document, returned as one request.

One line per field, so the dialog fits a 24-row terminal with room to spare.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static

FORMATS = (("docx", "Word (.docx)"), ("pdf", "PDF"), ("md", "Markdown (.md)"))
COPIES = (("principal", "Principal’s"), ("reviewer", "Reviewer’s (all parts)"))
STYLED = ("docx", "pdf")  # the formats a reference document's styles apply to


@dataclass(frozen=True, slots=True)
class ExportRequest:
    fmt: str
    out: Path
    template: str
    reference_doc: Path | None
    copy: str = "principal"


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Paths are shown relative to the brief's folder and resolved against it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, folder: Path, stem: str, templates: list[tuple[str, str]], template: str) -> None:
        super().__init__()
        self.folder = folder
        self.stem = stem
        self.templates = templates
        self.template = template

    def compose(self) -> ComposeResult:
        known = any(name == self.template for _, name in self.templates)
        with Vertical(classes="dialog form"):
            yield Label("Export the brief", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Format", classes="field-label")
                with RadioSet(id="format", compact=True):
                    for i, (key, label) in enumerate(FORMATS):
                        yield RadioButton(label, value=i == 0, id=f"fmt-{key}")
            with Horizontal(classes="field"):
                yield Label("Copy", classes="field-label")
                with RadioSet(id="copy", compact=True):
                    for i, (key, label) in enumerate(COPIES):
                        yield RadioButton(label, value=i == 0, id=f"copy-{key}")
            with Horizontal(classes="field"):
                yield Label("File", classes="field-label")
                yield Input(f"{self.stem}.docx", id="out", compact=True)
            with Horizontal(classes="field"):
                yield Label("Template", classes="field-label")
                yield Select(self.templates, value=self.template if known else Select.BLANK,
                             allow_blank=not known, id="template", compact=True)
            with Horizontal(classes="field"):
                yield Label("Styles", classes="field-label")
                yield Input(placeholder="reference .docx (optional)", id="reference", compact=True)
            yield Static("File names are relative to the brief's folder.", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("enter export · tab next field · esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#out", Input).focus()

    def _fmt(self) -> str:
        index = self.query_one("#format", RadioSet).pressed_index
        return FORMATS[max(index, 0)][0]

    def _copy(self) -> str:
        return COPIES[max(self.query_one("#copy", RadioSet).pressed_index, 0)][0]

    @on(RadioSet.Changed, "#format")
    def _format_changed(self) -> None:
        out = self.query_one("#out", Input)
        path = Path(out.value or self.stem)
        out.value = str(path.with_suffix("." + self._fmt()))
        self.query_one("#reference", Input).disabled = self._fmt() not in STYLED

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        out = self.query_one("#out", Input).value.strip()
        if not out:
            self.notify("Give a file name.", severity="warning")
            return
        reference = self.query_one("#reference", Input).value.strip()
        template = self.query_one("#template", Select).value
        self.dismiss(ExportRequest(
            self._fmt(),
            (self.folder / Path(out).expanduser()).resolve(),
            template if isinstance(template, str) else self.template,
            (self.folder / Path(reference).expanduser()).resolve() if reference and self._fmt() in STYLED else None,
            self._copy(),
        ))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

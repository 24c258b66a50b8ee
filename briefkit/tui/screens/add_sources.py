"""Asks for the files and folders to bring into the library, and optionally the id of a single one.

Paths are read as a shell would split them, so a path pasted or dropped by the terminal (quoted,
or with escaped spaces) arrives whole; relative ones are taken from the brief's folder.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from briefkit.library.library import SOURCE_ID, SOURCE_ID_RULE

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from briefkit.workflows.source_updates import SourcesAdded


def parse_paths(typed: str, base: Path) -> list[Path]:
    """The paths in `typed`, split like a shell line, `~` expanded, relative to `base`.

    Raises:
        ValueError: an unclosed quote.
    """
    return [base / Path(word).expanduser() for word in shlex.split(typed)]


@dataclass(frozen=True, slots=True)
class AddRequest:
    paths: list[Path]
    source_id: str | None = None  # for a single file; None takes the id from its name


class AddSourcesScreen(ModalScreen[AddRequest | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "ok", "Add", priority=True)]

    def __init__(self, base: Path, library: Path) -> None:
        super().__init__()
        self.base = base
        self.library = library

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label("Add sources", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Paths", classes="field-label")
                yield Input(placeholder="files or folders, separated by spaces", id="paths", compact=True)
            with Horizontal(classes="field"):
                yield Label("Id", classes="field-label")
                yield Input(placeholder="optional, for one file (default: from its name)", id="source-id",
                            compact=True)
            yield Static(escape(f"Relative to {self.base}. Into the library {self.library}; quote paths "
                                "with spaces. Text, Markdown, HTML, PDF and Word files."),
                         classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add", variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("enter or ctrl+s add · esc cancel", classes="dialog-keys")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        field = self.query_one("#paths", Input)
        try:
            paths = parse_paths(field.value, self.base)
        except ValueError as exc:
            self.notify(f"Cannot read the paths: {exc}.", severity="warning")
            field.focus()
            return
        if not paths:
            self.notify("Name at least one file or folder.", severity="warning")
            field.focus()
            return
        id_field = self.query_one("#source-id", Input)
        source_id = id_field.value.strip() or None
        problem = None
        if source_id is not None and not SOURCE_ID.fullmatch(source_id):
            problem = f"An id is {SOURCE_ID_RULE}."
        elif source_id is not None and (len(paths) != 1 or paths[0].is_dir()):
            problem = "An id names the source of one file: give exactly one file, or no id."
        if problem:
            self.notify(problem, severity="warning")
            id_field.focus()
            return
        self.dismiss(AddRequest(paths, source_id))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def add_summary(report: SourcesAdded) -> tuple[str, SeverityLevel]:
    """What the analyst is told once files were added: counts, quotes that moved or were
    orphaned, and each failure with its file's name."""
    counts = {"added": 0, "updated": 0, "skipped": 0}
    for added in report.added.files:
        if added.action in ("added", "updated"):
            counts[added.action] += 1
        elif added.action in ("unchanged", "duplicate"):
            counts["skipped"] += 1
    lines = [", ".join(f"{what} {n}" for what, n in counts.items()).capitalize() + "."]
    moved = len(report.reanchored) - len(report.orphaned) - len(report.needs_review)
    if moved:
        lines.append(f"{moved} quote{'s' * (moved != 1)} moved with the new text.")
    if report.needs_review:
        n = len(report.needs_review)
        lines.append(f"{n} quote{'s' * (n != 1)} need review: " + ", ".join(r.citation for r in report.needs_review)
                     + " (accept in Problems).")
    if report.orphaned:
        n = len(report.orphaned)
        lines.append(f"{n} quote{'s' * (n != 1)} orphaned: " + ", ".join(r.citation for r in report.orphaned)
                     + " (see Problems).")
    lines += [f"Failed {a.path.name}: {a.detail}" for a in report.added.failed]
    lines += [f"Brief not re-anchored: {error}" for error in report.brief_errors]
    severity: SeverityLevel = ("error" if report.added.failed or report.brief_errors
                               else "warning" if report.orphaned or report.needs_review else "information")
    return "\n".join(escape(line) for line in lines), severity

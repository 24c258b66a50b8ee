"""Shown when someone else saved the brief (its file on disk, or a team brief in the library) and
both sides changed the same elements: the analyst chooses, element by element, which version to
keep. Nothing is saved until they do."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList
from textual.widgets.option_list import Option

from briefkit.brief.merge import Conflict

Choices = dict[str, str]  # conflict key -> "mine" | "theirs"


class ConflictScreen(ModalScreen[Choices | None]):
    """Returns a choice for every conflict, or None to decide later (nothing is saved then)."""

    BINDINGS = [
        Binding("escape", "later", "Decide later"),
        Binding("m", "choose('mine')", "Keep mine"),
        Binding("t", "choose('theirs')", "Take theirs"),
        Binding("M", "choose_all('mine')", "Keep all mine", show=False),
        Binding("T", "choose_all('theirs')", "Take all theirs", show=False),
        Binding("ctrl+s", "apply", "Apply"),
    ]

    def __init__(self, path_name: str, conflicts: list[Conflict], taken: int,
                 origin: str = "disk") -> None:
        """`origin` is where the other version comes from ("disk", "the team library")."""
        super().__init__()
        self.path_name = path_name
        self.on_disk = origin == "disk"
        self.origin = origin
        self.theirs = "the file's" if self.on_disk else "the saved one"
        self.conflicts = conflicts
        self.taken = taken
        self.choices: Choices = {}

    def compose(self) -> ComposeResult:
        n = len(self.conflicts)
        with Vertical(classes="dialog picker conflicts"):
            changed = "changed on disk" if self.on_disk else f"was saved by someone else in {self.origin}"
            yield Label(f"{self.path_name} {changed}: {n} element{'s' * (n != 1)} changed "
                        "both here and there", classes="dialog-title")
            merged = f"{self.taken} other change{'s' * (self.taken != 1)} from {self.origin} will be " \
                "merged. " if self.taken else ""
            yield Label(f"{merged}Choose for each: m keeps yours, t takes {self.theirs} "
                        "(M, T for all); ctrl+s applies, esc decides later (nothing is saved).",
                        classes="dialog-hint")
            yield OptionList(*self._options(), id="conflicts")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply [ctrl+s]", variant="primary", id="apply", disabled=True)
                yield Button("Decide later [esc]", id="later")

    def _options(self) -> list[Option]:
        options = []
        for c in self.conflicts:
            choice = self.choices.get(c.key)
            mark = {"mine": "keep yours", "theirs": f"take {self.theirs}"}.get(choice or "", "choose m or t")
            text = Text()
            text.append(f"{c.label}  [{mark}]\n", style="bold")
            text.append(f"  yours:  {c.mine}\n", style="bold" if choice == "mine" else "")
            theirs = f"  file's: {c.theirs}" if self.on_disk else f"  saved:  {c.theirs}"
            text.append(theirs, style="bold" if choice == "theirs" else "")
            options.append(Option(text, id=c.key))
        return options

    def _refresh(self) -> None:
        listing = self.query_one("#conflicts", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(self._options())
        listing.highlighted = highlighted
        self.query_one("#apply", Button).disabled = len(self.choices) < len(self.conflicts)

    def action_choose(self, side: str) -> None:
        listing = self.query_one("#conflicts", OptionList)
        if listing.highlighted is None:
            return
        self.choices[self.conflicts[listing.highlighted].key] = side
        if listing.highlighted < len(self.conflicts) - 1:
            listing.highlighted += 1
        self._refresh()

    def action_choose_all(self, side: str) -> None:
        self.choices = {c.key: side for c in self.conflicts}
        self._refresh()

    def action_apply(self) -> None:
        if len(self.choices) == len(self.conflicts):
            self.dismiss(dict(self.choices))
        else:
            self.notify("Choose a version for every element first (m or t).", severity="warning")

    def action_later(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#later")
    def _later(self) -> None:
        self.dismiss(None)

    def on_mount(self) -> None:
        self.query_one("#conflicts", OptionList).highlighted = 0

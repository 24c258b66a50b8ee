"""The positions outline: each position, then its citations, as one flat, keyboard-driven list."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from briefkit.brief.model import Brief

# A glyph as well as a colour for each stance, as in the evidence matrix.
STANCE_MARK = {"supports": ("+", "green"), "opposes": ("−", "red"), "context": ("○", "blue")}


class Outline(OptionList):
    """Positions and their citations; the actions it offers are the app's, bound here for the footer."""

    BINDINGS = [
        Binding("n", "app.new_position", "New"),
        Binding("e", "app.edit_item", "Edit"),
        Binding("d,delete", "app.delete_item", "Delete"),
        Binding("shift+up,K", "app.move_item(-1)", "Move up", key_display="⇧↑"),
        Binding("shift+down,J", "app.move_item(1)", "Move down", key_display="⇧↓", show=False),
        Binding("m", "app.move_citation", "To position", show=False),
        Binding("t", "app.cycle_stance", "Stance", show=False),
        Binding("g", "app.goto_citation", "Go to", show=False),
        Binding("s", "app.suggest", "Suggest"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._owners: list[str] = []  # the position each row belongs to

    def show(self, brief: Brief, orphaned: set[str] | frozenset[str] = frozenset(),
             keep: str | None = None) -> None:
        """Rebuild from the brief, keeping the highlighted item (or `keep`) highlighted.

        When that item is gone (deleted, undone), the highlight stays in the position it was in,
        on the row that took its place, since citations go to the highlighted position: it used
        to fall back to the first position, and the next quote went there."""
        keep = keep or self.current_id
        row = self.highlighted
        owner = self._owners[row] if row is not None and row < len(self._owners) else None
        options: list[Option] = []
        owners: list[str] = []
        for n, position in enumerate(brief.positions, 1):
            head = Text(no_wrap=True, overflow="ellipsis")
            head.append(f"{n}. ", style="bold")
            head.append(position.title, style="bold")
            if position.holder:
                head.append(f" — {position.holder}", style="dim")
            head.append(f" ({len(position.citations)})", style="dim")
            options.append(Option(head, id=f"p:{position.id}"))
            owners.append(position.id)
            for cite in position.citations:
                mark, colour = STANCE_MARK.get(cite.stance, ("?", "white"))
                line = Text(no_wrap=True, overflow="ellipsis")
                line.append(f"   {mark} ", style=f"bold {colour}")
                if cite.id in orphaned:
                    line.append("⚠ ", style="bold red")
                line.append("“" + " ".join(cite.anchor.quote.split()) + "”")
                line.append(f"  {cite.source}", style="dim")
                options.append(Option(line, id=f"c:{cite.id}"))
                owners.append(position.id)
        if not options:
            options.append(Option(Text("No positions yet — press n to add one.", style="dim italic"),
                                  id="empty", disabled=True))
        self.set_options(options)
        self._owners = owners
        if keep is not None and keep not in {o.id for o in options} and owner in owners:
            rows = [i for i, o in enumerate(owners) if o == owner]  # one run of rows
            here = row or 0
            self.highlighted = here if here in rows else max((i for i in rows if i < here), default=rows[0])
        else:
            self.select_id(keep)

    def select_id(self, option_id: str | None) -> None:
        if option_id is None:
            self.highlighted = 0 if self.option_count and not self.get_option_at_index(0).disabled else None
            return
        try:
            self.highlighted = self.get_option_index(option_id)
        except OptionDoesNotExist:
            self.highlighted = 0 if self.option_count else None

    @property
    def current_id(self) -> str | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    @property
    def current(self) -> tuple[str, str]:
        """("position" | "citation" | "", id) of the highlighted item."""
        ident = self.current_id or ""
        kind, _, key = ident.partition(":")
        return {"p": "position", "c": "citation"}.get(kind, ""), key

    def position_of_highlight(self, brief: Brief) -> str | None:
        """The position the highlighted item belongs to (a citation's parent)."""
        kind, key = self.current
        if kind == "position":
            return key
        if kind == "citation":
            found = brief.find_citation(key)
            return found[0].id if found else None
        return None

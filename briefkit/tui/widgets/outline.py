"""The positions outline: each position, then its citations, as one flat, keyboard-driven list.

A RowList, so only the rows on screen are drawn: an OptionList renders every option when its
options are set, which for a brief of 5,000 citations took seconds at start-up and again after
every check of the brief (the outline is rebuilt then, to mark orphaned quotes).
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from briefkit.brief.model import Brief, Citation, Position
from briefkit.tui.widgets.rowlist import RowList

# A glyph as well as a colour for each stance, as in the evidence matrix.
STANCE_MARK = {"supports": ("+", "green"), "opposes": ("−", "red"), "context": ("○", "blue")}
EMPTY = "No positions yet — press n to add one."


class Outline(RowList):
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

    class Moved(Message):
        """The highlight moved to another row (the position citations go to may have changed)."""

        def __init__(self, outline: Outline) -> None:
            super().__init__()
            self.outline = outline

        @property
        def control(self) -> Outline:
            return self.outline

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._ids: list[str] = []  # "p:<position>" or "c:<citation>" per row
        self._owners: list[str] = []  # the position each row belongs to
        self._items: list[tuple[int, Position, Citation | None]] = []  # (number, position, citation)
        self._orphaned: set[str] | frozenset[str] = frozenset()
        self._shown: str | None = None  # the id highlighted when `Moved` was last posted

    def show(self, brief: Brief, orphaned: set[str] | frozenset[str] = frozenset(),
             keep: str | None = None) -> None:
        """Rebuild from the brief, keeping the highlighted item (or `keep`) highlighted.

        When that item is gone (deleted, undone), the highlight stays in the position it was in,
        on the row that took its place, since citations go to the highlighted position: it used
        to fall back to the first position, and the next quote went there."""
        keep = keep or self.current_id
        row = self.highlighted
        owner = self._owners[row] if row is not None and row < len(self._owners) else None
        ids: list[str] = []
        owners: list[str] = []
        items: list[tuple[int, Position, Citation | None]] = []
        for n, position in enumerate(brief.positions, 1):
            ids.append(f"p:{position.id}")
            owners.append(position.id)
            items.append((n, position, None))
            for cite in position.citations:
                ids.append(f"c:{cite.id}")
                owners.append(position.id)
                items.append((n, position, cite))
        self._ids, self._owners, self._items, self._orphaned = ids, owners, items, orphaned
        self.set_items(len(ids), 1, self._line, empty=EMPTY, keep=True)
        index = {ident: i for i, ident in enumerate(ids)}
        if keep is not None and keep not in index and owner in owners:
            rows = [i for i, o in enumerate(owners) if o == owner]  # one run of rows
            here = row or 0
            self.highlight(here if here in rows else max((i for i in rows if i < here), default=rows[0]))
        else:
            self.select_id(keep, index)

    def _line(self, index: int, width: int) -> list[Text]:
        number, position, cite = self._items[index]
        line = Text(no_wrap=True, overflow="ellipsis")
        if cite is None:
            line.append(f"{number}. {position.title}", style="bold")
            if position.holder:
                line.append(f" — {position.holder}", style="dim")
            line.append(f" ({len(position.citations)})", style="dim")
        else:
            mark, colour = STANCE_MARK.get(cite.stance, ("?", "white"))
            line.append(f"   {mark} ", style=f"bold {colour}")
            if cite.id in self._orphaned:
                line.append("⚠ ", style="bold red")
            line.append("“" + " ".join(cite.anchor.quote[:4 * width].split()) + "”")
            line.append(f"  {cite.source}", style="dim")
        line.truncate(width, overflow="ellipsis")
        return [line]

    def select_id(self, option_id: str | None, index: dict[str, int] | None = None) -> None:
        """Highlight the row of `option_id` ("p:…" or "c:…"); the first row when it is not listed."""
        if not self.count:
            return
        if option_id is None:
            found = None
        elif index is not None:
            found = index.get(option_id)
        else:
            found = self._ids.index(option_id) if option_id in self._ids else None
        self.highlight(0 if found is None else found)

    def highlight(self, index: int) -> None:
        super().highlight(index)
        if self.current_id != self._shown:
            self._shown = self.current_id
            self.post_message(self.Moved(self))

    @property
    def row_ids(self) -> list[str]:
        """The id of every row, in order ("p:<position>", "c:<citation>")."""
        return list(self._ids)

    @property
    def current_id(self) -> str | None:
        if self.highlighted is None or self.highlighted >= len(self._ids):
            return None
        return self._ids[self.highlighted]

    @property
    def current(self) -> tuple[str, str]:
        """("position" | "citation" | "", id) of the highlighted item."""
        ident = self.current_id or ""
        kind, _, key = ident.partition(":")
        return {"p": "position", "c": "citation"}.get(kind, ""), key

    def position_of_highlight(self, brief: Brief) -> str | None:
        """The position the highlighted item belongs to (a citation's parent)."""
        if self.highlighted is None or self.highlighted >= len(self._owners):
            return None
        return self._owners[self.highlighted]

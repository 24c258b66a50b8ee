"""The brief being edited in the TUI: every change goes through here so it can be undone and saved.

Edits are plain operations on briefkit.brief.model objects; anchors come from the core's
anchoring module. Undo keeps whole snapshots of the positions, since a brief holds tens of
citations, not thousands, and a snapshot cannot drift out of step with the edit it undoes.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefkit.brief.anchoring import anchor_range
from briefkit.brief.model import STANCES, Anchor, Brief, Citation, Position
from briefkit.brief.store import save_brief

UNDO_DEPTH = 50


@dataclass(frozen=True, slots=True)
class Snapshot:
    label: str
    positions: list[Position]
    sections: dict[str, str]


class Draft:
    """A brief plus its unsaved state and undo history."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.modified = False
        self._undo: list[Snapshot] = []

    @property
    def path(self) -> Path:
        assert self.brief.path is not None
        return self.brief.path

    # History ------------------------------------------------------------------------------------

    def checkpoint(self, label: str) -> None:
        """Remember the state before an edit, so `undo` can bring it back."""
        self._undo.append(Snapshot(label, copy.deepcopy(self.brief.positions), dict(self.brief.sections)))
        del self._undo[:-UNDO_DEPTH]
        self.modified = True

    def undo(self) -> str | None:
        """Restore the state before the last edit; returns what was undone."""
        if not self._undo:
            return None
        snap = self._undo.pop()
        self.brief.positions = snap.positions
        self.brief.sections = snap.sections
        self.modified = True
        return snap.label

    def save(self) -> Path:
        path = save_brief(self.brief)
        self.modified = False
        return path

    # Positions ----------------------------------------------------------------------------------

    def add_position(self, title: str, holder: str = "", summary: str = "", after: str | None = None) -> Position:
        self.checkpoint("add position")
        position = Position(id=self._new_position_id(title), title=title, holder=holder, summary=summary)
        index = len(self.brief.positions)
        if after is not None:
            index = next((i + 1 for i, p in enumerate(self.brief.positions) if p.id == after), index)
        self.brief.positions.insert(index, position)
        return position

    def update_position(self, position_id: str, *, title: str, holder: str, summary: str) -> None:
        position = self._position(position_id)
        if (position.title, position.holder, position.summary) == (title, holder, summary):
            return
        self.checkpoint("edit position")
        position.title, position.holder, position.summary = title, holder, summary

    def delete_position(self, position_id: str) -> Position:
        position = self._position(position_id)
        self.checkpoint(f"delete position '{position.title}'")
        self.brief.positions.remove(position)
        return position

    def move_position(self, position_id: str, step: int) -> bool:
        return self._swap(self.brief.positions, self._position(position_id), step, "reorder positions")

    def _swap(self, items: list[Any], item: Any, step: int, label: str) -> bool:
        """Move `item` `step` places in `items` (undoably); False at either end."""
        i = items.index(item)
        j = i + step
        if not 0 <= j < len(items):
            return False
        self.checkpoint(label)
        items[i], items[j] = items[j], items[i]
        return True

    # Citations ----------------------------------------------------------------------------------

    def cite(self, position_id: str, source_id: str, text: str, start: int, end: int,
             stance: str = "supports", note: str = "") -> Citation:
        """Anchor text[start:end] of a source as a new citation of a position."""
        position = self._position(position_id)
        anchor = anchor_range(text, start, end)
        self.checkpoint("cite")
        citation = Citation(self.brief.new_citation_id(source_id), source_id, anchor, stance, note.strip())
        position.citations.append(citation)
        return citation

    def update_citation(self, citation_id: str, *, stance: str, note: str) -> None:
        _, citation = self._citation(citation_id)
        if stance not in STANCES:
            raise ValueError(f"unknown stance {stance!r}")
        if (citation.stance, citation.note) == (stance, note.strip()):
            return
        self.checkpoint("edit citation")
        citation.stance, citation.note = stance, note.strip()

    def delete_citation(self, citation_id: str) -> Citation:
        position, citation = self._citation(citation_id)
        self.checkpoint(f"delete citation '{citation_id}'")
        position.citations.remove(citation)
        return citation

    def move_citation(self, citation_id: str, step: int) -> bool:
        position, citation = self._citation(citation_id)
        return self._swap(position.citations, citation, step, "reorder citations")

    def move_citation_to(self, citation_id: str, position_id: str) -> None:
        old, citation = self._citation(citation_id)
        new = self._position(position_id)
        if old is new:
            return
        self.checkpoint("move citation")
        old.citations.remove(citation)
        new.citations.append(citation)

    def take_anchors(self, anchors: dict[str, Anchor]) -> int:
        """Adopt anchors the core moved when a source's text was replaced (keyed by citation id),
        in the brief and in the undo history, so that undo never brings back an outdated offset.
        Returns the number of citations changed in the brief."""
        changed = 0
        for positions in [self.brief.positions, *(snap.positions for snap in self._undo)]:
            for position in positions:
                for citation in position.citations:
                    anchor = anchors.get(citation.id)
                    if anchor is not None and citation.anchor != anchor:
                        citation.anchor = anchor
                        changed += positions is self.brief.positions
        if changed:
            self.modified = True
        return changed

    # Prose --------------------------------------------------------------------------------------

    def set_section(self, name: str, text: str) -> bool:
        """Store a section's prose; typing is not an undo step (the editor has its own undo)."""
        if self.brief.sections.get(name, "") == text:
            return False
        if text.strip():
            self.brief.sections[name] = text
        else:
            self.brief.sections.pop(name, None)
        self.modified = True
        return True

    def set_template(self, name: str) -> None:
        if self.brief.template != name:
            self.brief.template = name
            self.modified = True

    # Lookups ------------------------------------------------------------------------------------

    def _position(self, position_id: str) -> Position:
        position = self.brief.position(position_id)
        if position is None:
            raise KeyError(position_id)
        return position

    def _citation(self, citation_id: str) -> tuple[Position, Citation]:
        found = self.brief.find_citation(citation_id)
        if found is None:
            raise KeyError(citation_id)
        return found

    def _new_position_id(self, title: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:32].strip("-") or "position"
        taken = {p.id for p in self.brief.positions}
        ident, n = base, 2
        while ident in taken:
            ident, n = f"{base}-{n}", n + 1
        return ident

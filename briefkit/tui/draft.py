"""The brief being edited in the TUI: every change goes through here so it can be undone and saved.

Edits are plain operations on briefkit.brief.model objects; anchors come from the core's
anchoring module. Undo keeps whole snapshots of the positions, since a snapshot cannot drift out
of step with the edit it undoes; they are copies of the positions and citations that share the
anchors (an anchor is never changed in place, only replaced), so a brief of 5,000 citations is
copied in milliseconds (a deep copy took a second and more, at every edit).

The draft remembers the revision of the file it last read or wrote (`base`). Saves go through
`brief.revisions.save_over`, which merges what someone else wrote meanwhile; `outside_change`
notices such writes while the analyst is idle, and `take_outside` merges them in. Undo
snapshots are merged with them too, so an undo never takes away someone else's citation.
A save can run in a worker thread (a 5,000-citation brief takes a second and more to write,
fsync and read back): `begin_save` takes a copy on the loop, `store` writes it in the thread,
and `finish_save`, back on the loop, takes the result while keeping the edits made meanwhile.
A brief stored in a team library has the same life in `tui.team_draft.TeamDraft`.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefkit.brief.anchoring import anchor_range
from briefkit.brief.merge import Merge, merge_briefs
from briefkit.brief.model import STANCES, Anchor, Brief, Citation, Position
from briefkit.brief.revisions import SaveResult, revision, save_over
from briefkit.brief.store import load_brief

UNDO_DEPTH = 50


def copy_positions(positions: list[Position]) -> list[Position]:
    """Copies of the positions and their citations, sharing the citations' anchors."""
    return [Position(p.id, p.title, p.holder, p.summary,
                     [Citation(c.id, c.source, c.anchor, c.stance, c.note, c.line) for c in p.citations], p.line)
            for p in positions]


def snapshot_of(brief: Brief) -> Brief:
    """A copy of the brief that edits to `brief` leave alone (for a worker, or as a merge base)."""
    return dataclasses.replace(brief, positions=copy_positions(brief.positions), sections=dict(brief.sections),
                               review=copy.deepcopy(brief.review), document=None)


@dataclass(frozen=True, slots=True)
class SaveJob:
    """One save: the brief as it was when the save began, what it was changed from, and how
    many edits the draft had had then (more by the end: edits were made during the save)."""

    brief: Brief
    base: Brief
    base_revision: str
    edits: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    label: str
    positions: list[Position]
    sections: dict[str, str]


class Draft:
    """A brief plus its unsaved state and undo history."""

    origin = "disk"  # where others' changes come from, in messages ("merged 2 changes from disk")
    elsewhere = "the file on disk"  # what changed meanwhile, in messages

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.modified = False
        self.edits = 0  # counts every change to the brief made here, so a save sees those made during it
        self._undo: list[Snapshot] = []
        self.base = snapshot_of(brief)  # the brief as the file held it when last read or written
        self.base_revision = revision(brief.source_text)
        # the file's stat then: unchanged stat, unchanged file
        self._seen = file_stamp(self.path) if brief.path is not None else None

    @property
    def path(self) -> Path:
        assert self.brief.path is not None
        return self.brief.path

    # History ------------------------------------------------------------------------------------

    def checkpoint(self, label: str) -> None:
        """Remember the state before an edit, so `undo` can bring it back."""
        self._undo.append(Snapshot(label, copy_positions(self.brief.positions), dict(self.brief.sections)))
        del self._undo[:-UNDO_DEPTH]
        self.edited()

    def undo(self) -> str | None:
        """Restore the state before the last edit; returns what was undone."""
        if not self._undo:
            return None
        snap = self._undo.pop()
        self.brief.positions = snap.positions
        self.brief.sections = snap.sections
        self.edited()
        return snap.label

    # Saving and outside changes ------------------------------------------------------------------

    def edited(self) -> None:
        """Count a change to the brief: made here, or straight to it (the Review tab replies so)."""
        self.modified = True
        self.edits += 1

    def save(self, choices: Mapping[str, str] | None = None, timeout: float | None = None) -> SaveResult:
        """Save, merging what someone else saved meanwhile; with unsettled conflicts nothing is
        written and the result lists them (settle them with `choices` and save again).

        Raises:
            BriefkitError: the file cannot be read back or written, or its lock timed out.
        """
        job = self.begin_save()
        result = self.store(job, choices, timeout)
        self.finish_save(job, result)
        return result

    def begin_save(self) -> SaveJob:
        """What a save started now writes: a copy, which edits made during the save leave alone."""
        return SaveJob(snapshot_of(self.brief), self.base, self.base_revision, self.edits)

    def store(self, job: SaveJob, choices: Mapping[str, str] | None = None,
              timeout: float | None = None) -> SaveResult:
        """Write the job's brief, merged with what someone else saved since its base; touches
        nothing of the draft's, so it may run in a worker thread while the analyst edits.

        Raises:
            BriefkitError: the file cannot be read back or written, or its lock timed out.
        """
        return save_over(job.brief, job.base, job.base_revision, choices, timeout=timeout)

    def finish_save(self, job: SaveJob, result: SaveResult) -> Merge | None:
        """Take a save's result, keeping the edits made while it ran (on the loop). With none,
        the draft is what was saved; with some, they stay on top of it and the draft stays
        modified, others' changes the save merged brought into them by a merge based on the job's
        copy. Returns that merge when it has conflicts: then the draft keeps its brief and, as its
        base, the job's copy at the old revision, so the next look at the file offers what was
        saved as an outside change, whose conflicts the analyst settles as any other's."""
        if not result.saved:
            return None
        if self.edits == job.edits:
            if result.merge is not None:
                self._rebase_undo(result.merge)
            self.brief = result.brief
            self._now_at(snapshot_of(result.brief), result.text)
            self.modified = False
            return None
        self.base = job.brief
        if result.merge is None:  # the file holds the job's copy: the edits since stay on it
            self._now_at(job.brief, result.text)
            return None
        merge = merge_briefs(job.brief, self.brief, result.brief)
        if merge.unresolved:
            return merge
        self._rebase_undo(merge)
        self.brief = merge.brief
        self._now_at(snapshot_of(result.brief), result.text)
        return None

    def outside_change(self) -> Brief | None:
        """The file as someone else left it, if it changed since it was last read or written
        here (a stat first, so an idle check costs next to nothing).

        Raises:
            BriefkitError: the file changed into one that cannot be read.
        """
        seen = file_stamp(self.path)
        if seen == self._seen or seen is None:
            return None
        theirs = load_brief(self.path)
        if revision(theirs.source_text) == self.base_revision:
            self._seen = seen
            return None
        return theirs

    def set_aside(self) -> None:
        """The file as it is now was shown and its conflicts put off: idle looks skip it (no
        reading and merging it again every tick) until it changes again; a save still merges it."""
        self._seen = file_stamp(self.path)

    def take_outside(self, theirs: Brief, choices: Mapping[str, str] | None = None) -> Merge:
        """Merge the file's new content into the draft, unless conflicts are left unsettled."""
        merge = merge_briefs(self.base, self.brief, theirs, choices)
        if not merge.unresolved:
            self._rebase_undo(merge)
            self.brief = merge.brief
            self._took(theirs)
        return merge

    def unreadable(self, exc: Exception) -> str:
        """What to tell the analyst when `outside_change` fails."""
        return (f"The file changed on disk and cannot be read: {exc}. Your changes are kept here "
                "and will not overwrite it.")

    def close(self) -> None:
        """Let go of what the draft holds open (a file brief holds nothing)."""

    def _took(self, theirs: Brief) -> None:
        self._now_at(snapshot_of(theirs), theirs.source_text)

    def _now_at(self, base: Brief, text: str) -> None:
        self.base, self.base_revision = base, revision(text)
        self._seen = file_stamp(self.path)

    def _rebase_undo(self, merge: Merge) -> None:
        """Bring what the merge took from the file into every undo snapshot (a snapshot's own
        changes win where they conflict), so that undo restores the analyst's work only."""
        for i, snap in enumerate(self._undo):
            then = dataclasses.replace(self.brief, positions=snap.positions, sections=snap.sections)
            first = merge_briefs(self.base, then, merge.theirs)
            rebased = merge_briefs(self.base, then, merge.theirs, {c.key: "mine" for c in first.conflicts})
            self._undo[i] = Snapshot(snap.label, rebased.brief.positions, rebased.brief.sections)

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
            self.edited()
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
        self.edited()
        return True

    def set_details(self, details: Mapping[str, str]) -> list[str]:
        """Set the brief's top-level fields (title, author, template, style…); returns the names
        that changed. Not an undo step: undo covers positions, citations and prose."""
        changed = [name for name, value in details.items() if getattr(self.brief, name) != value]
        for name in changed:
            setattr(self.brief, name, details[name])
        if changed:
            self.edited()
        return changed

    def set_template(self, name: str) -> None:
        if self.brief.template != name:
            self.brief.template = name
            self.edited()

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
        """An id from the title's words, as many whole words as fit in 32 characters: it is typed
        in `briefkit cite --position`, and a word cut short ("...-adjustm") reads as a typo."""
        words = re.findall(r"[a-z0-9]+", title.lower())
        base = words[0][:32] if words else "position"
        for word in words[1:]:
            if len(base) + 1 + len(word) > 32:
                break
            base += "-" + word
        taken = {p.id for p in self.brief.positions}
        ident, n = base, 2
        while ident in taken:
            ident, n = f"{base}-{n}", n + 1
        return ident


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """Inode, size and modification time: an unchanged stamp means an unchanged file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)

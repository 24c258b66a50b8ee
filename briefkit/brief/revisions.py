"""Saves that know which revision of the file they started from, so no one's update is lost.

Every read-modify-write of a brief holds the file's advisory lock (`briefkit.locks`): the CLI's
`update_brief` loads, changes and saves under it; an editor that keeps a brief open for long
(the TUI) saves with `save_over`, which under the same lock compares the file with the revision
the editor last saw and merges what someone else wrote meanwhile (`briefkit.brief.merge`).
A revision is the SHA-256 of the file's text.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefkit.brief.merge import Merge, merge_briefs
from briefkit.brief.model import Brief
from briefkit.brief.store import load_brief, save_brief
from briefkit.errors import BriefkitError
from briefkit.locks import locked

__all__ = ["SaveResult", "base_copy", "revision", "save_over", "update_brief"]


def revision(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def update_brief(path: Path, change: Callable[[Brief], bool]) -> Brief:
    """Load the brief at `path`, apply `change` and save if it returns True, all under the lock.

    Raises:
        BriefkitError: the brief cannot be read or saved, `change` refused, or the lock timed out.
    """
    with locked(path):
        brief = load_brief(Path(path))
        if change(brief):
            save_brief(brief)
        return brief


def base_copy(brief: Brief) -> Brief:
    """A copy of `brief` as it stands, to merge against later (the editor keeps changing its own)."""
    return dataclasses.replace(brief, positions=copy.deepcopy(brief.positions),
                               sections=dict(brief.sections), review=copy.deepcopy(brief.review),
                               document=None)


@dataclass(frozen=True, slots=True)
class SaveResult:
    """`brief` is what the file now holds (or would, once `merge`'s conflicts are settled)."""

    brief: Brief
    saved: bool
    text: str  # the file's text now: the new base revision
    merge: Merge | None = None  # what came from the file, if someone else had changed it
    recreated: bool = False  # the file had been deleted meanwhile and was written again


def save_over(brief: Brief, base: Brief, base_revision: str,
              choices: Mapping[str, str] | None = None, *, timeout: float | None = None) -> SaveResult:
    """Save `brief`, which its editor changed from `base` (read or written at `base_revision`).

    Under the file's lock: a file still at `base_revision` (or gone) is simply saved; one someone
    else changed is merged by element with the editor's brief and the merge saved, unless it has
    conflicts `choices` do not settle: then nothing is written and the result's merge lists them.

    Raises:
        BriefkitError: the file changed into something that cannot be read (nothing is written:
            overwriting it would lose that change), cannot be saved, or the lock timed out.
    """
    path = Path(brief.path or "")
    with locked(path, **({} if timeout is None else {"timeout": timeout})):
        if not path.exists():
            return SaveResult(brief, saved=True, text=_save(brief), recreated=True)
        try:
            theirs = load_brief(path)
        except BriefkitError as exc:
            raise BriefkitError(f"changed on disk into a brief that cannot be read ({exc.message}); "
                                "not saved, so that change is kept: fix or restore the file",
                                path=path, line=exc.line, field=exc.field) from None
        if revision(theirs.source_text) == base_revision:
            return SaveResult(brief, saved=True, text=_save(brief))
        merge = merge_briefs(base, brief, theirs, choices)
        if merge.unresolved:
            return SaveResult(merge.brief, saved=False, text=theirs.source_text, merge=merge)
        return SaveResult(merge.brief, saved=True, text=_save(merge.brief), merge=merge)


def _save(brief: Brief) -> str:
    """Save and return the text now in the file (the save leaves it in `source_text`)."""
    save_brief(brief)
    return brief.source_text

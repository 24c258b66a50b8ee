"""After sources are added or replaced: re-anchor the citations that briefs hold into them.

The library layer adds the files (`briefkit.library.additions`) and, still holding the lock on
`sources.yaml`, hands back the ids whose text changed; this module then verifies every brief that
cites them, so no other `sources add` changes a text between the check and the save. Briefs are
found as `*.brief.yaml` files in the library folder's tree (hidden folders skipped) plus any named
explicitly. The rules are `briefkit.brief.anchoring.verify`'s: a quote whose exact text occurs
once, where its recorded context still agrees, moves, and the brief is saved with its new offsets;
a copy less certain needs review and an absent quote is an orphan, both reported and left as they
were for `briefkit check` (`--accept` takes a reviewed copy). Running this again over the same text
is harmless and finishes what an interrupted run began.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefkit.brief.anchoring import show_in_context, verify
from briefkit.brief.model import Brief
from briefkit.brief.store import load_brief, save_brief
from briefkit.errors import BriefkitError
from briefkit.library import additions
from briefkit.library.ingest import Progress
from briefkit.library.interface import SourceLibrary
from briefkit.library.library import BRIEF_SUFFIX, Library
from briefkit.locks import locked

__all__ = ["Reanchored", "SourcesAdded", "add_sources", "find_briefs", "reanchor_briefs"]


@dataclass(frozen=True, slots=True)
class Reanchored:
    """One citation whose quote did not stay put: "moved" (saved), "needs-review" or "orphaned"
    (reported, the brief left as it was)."""

    brief: Path
    citation: str
    source: str
    status: str  # "moved" | "needs-review" | "orphaned"
    detail: str
    recorded: str = ""  # needs-review: the stored quote in its recorded context (one line)
    found: str = ""  # needs-review: the copy offered, in its context now

    def __str__(self) -> str:
        head = f"{self.brief}: citation {self.citation} ({self.source}) {self.status}: {self.detail}"
        if not self.recorded:
            return head
        return f"{head}\n    recorded:  {self.recorded}\n    found now: {self.found}"


@dataclass(slots=True)
class SourcesAdded:
    """What `sources add` did to each file, and to the briefs citing a source it changed."""

    added: additions.AddReport
    reanchored: list[Reanchored] = field(default_factory=list)
    brief_errors: list[BriefkitError] = field(default_factory=list)

    @property
    def orphaned(self) -> list[Reanchored]:
        return [r for r in self.reanchored if r.status == "orphaned"]

    @property
    def needs_review(self) -> list[Reanchored]:
        return [r for r in self.reanchored if r.status == "needs-review"]

    @property
    def ok(self) -> bool:
        return (not self.added.failed and not self.orphaned and not self.needs_review
                and not self.brief_errors)


def add_sources(root: Path, paths: Sequence[Path], *, source_id: str | None = None,
                briefs: Sequence[Path] = (), progress: Progress | None = None,
                reread: bool = False) -> SourcesAdded:
    """Add files to the folder library in `root` and re-anchor the briefs citing what changed.

    Args:
        root, paths, source_id, progress, reread: as `briefkit.library.additions.add_sources`
            takes them.
        briefs: brief files to re-anchor besides the `*.brief.yaml` under `root`.

    Raises:
        BriefkitError: as `briefkit.library.additions.add_sources` raises; a brief that cannot be
            read or saved is reported in the result instead.
    """
    reanchored: list[Reanchored] = []
    errors: list[BriefkitError] = []

    def reanchor(library: Library, changed: list[str]) -> None:
        found, failed = reanchor_briefs(library, changed, find_briefs(library.root, briefs))
        reanchored.extend(found)
        errors.extend(failed)

    added = additions.add_sources(root, paths, source_id=source_id, progress=progress,
                                  reread=reread, on_change=reanchor)
    return SourcesAdded(added, reanchored, errors)


def find_briefs(root: Path, extra: Iterable[Path] = ()) -> list[Path]:
    """Brief files under `root` (not in hidden folders) and the `extra` ones, each once."""
    found: dict[Path, None] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(BRIEF_SUFFIX):
                found[(Path(folder) / name).resolve()] = None
    for path in extra:
        found[Path(path).resolve()] = None
    return list(found)


def reanchor_briefs(library: SourceLibrary, source_ids: Iterable[str], briefs: Iterable[Path], *,
                    uses: Callable[[Brief], bool] | None = None,
                    ) -> tuple[list[Reanchored], list[BriefkitError]]:
    """Verify every citation of `source_ids` in `briefs` that use `library`; save moved ones.

    `uses` tells whether a brief names this library (default: its folder is the library's).

    Returns:
        The citations that moved, need review or were orphaned, and the briefs that could not be read or
        saved (as errors naming them).
    """
    ids = set(source_ids)
    results: list[Reanchored] = []
    errors: list[BriefkitError] = []
    for path in briefs:
        try:
            with locked(path):  # no cite or TUI save in between the load and the save
                brief = load_brief(path)
                if not (uses(brief) if uses is not None
                        else brief.library_dir().resolve() == Path(library.location)):
                    continue
                moved = False
                for _, citation in brief.citations():
                    if citation.source not in ids:
                        continue
                    check = verify(citation.anchor, library.source(citation.source).text)
                    if check.status == "ok":
                        continue
                    if check.status == "moved":
                        citation.anchor = check.anchor
                        moved = True
                    candidate = check.candidate
                    results.append(Reanchored(
                        path, citation.id, citation.source, check.status, check.reason,
                        show_in_context(citation.anchor) if candidate else "",
                        show_in_context(candidate) if candidate else ""))
                if moved:
                    save_brief(brief)
        except BriefkitError as exc:
            errors.append(exc)
    return results, errors

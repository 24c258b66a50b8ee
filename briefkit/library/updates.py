"""After a source's text is replaced: re-anchor the citations that briefs hold into it.

Briefs are found as `*.brief.yaml` files in the library folder's tree (hidden folders skipped)
plus any named explicitly. The rules are `briefkit.brief.anchoring.verify`'s: a quote whose
exact text occurs once, where its recorded context still agrees, moves, and the brief is saved
with its new offsets; a copy less certain needs review and an absent quote is an orphan, both
reported and left as they were for `briefkit check` (`--accept` takes a reviewed copy).
Running this again over the same text is harmless and finishes what an interrupted run began.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from briefkit.brief.anchoring import show_in_context, verify
from briefkit.brief.store import load_brief, save_brief
from briefkit.errors import BriefkitError
from briefkit.brief.model import Brief
from briefkit.library.interface import SourceLibrary
from briefkit.locks import locked

__all__ = ["BRIEF_SUFFIX", "Reanchored", "find_briefs", "reanchor_briefs"]

BRIEF_SUFFIX = ".brief.yaml"


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

"""After a source's text is replaced: re-anchor the citations that briefs hold into it.

Briefs are found as `*.brief.yaml` files in the library folder's tree (hidden folders skipped)
plus any named explicitly. The rules are `briefkit.brief.anchoring.verify`'s: a quote whose
exact text still occurs once (or once in its old context) moves, and the brief is saved with
its new offsets; anything else is an orphan, reported and left as it was for `briefkit check`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from briefkit.brief.anchoring import verify
from briefkit.brief.store import load_brief, save_brief
from briefkit.errors import BriefkitError
from briefkit.library.library import Library
from briefkit.locks import locked

__all__ = ["BRIEF_SUFFIX", "Reanchored", "find_briefs", "reanchor_briefs"]

BRIEF_SUFFIX = ".brief.yaml"


@dataclass(frozen=True, slots=True)
class Reanchored:
    """One citation whose quote did not stay put: "moved" (saved) or "orphaned" (reported)."""

    brief: Path
    citation: str
    source: str
    status: str  # "moved" | "orphaned"
    detail: str

    def __str__(self) -> str:
        return f"{self.brief}: citation {self.citation} ({self.source}) {self.status}: {self.detail}"


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


def reanchor_briefs(library: Library, source_ids: Iterable[str],
                    briefs: Iterable[Path]) -> tuple[list[Reanchored], list[BriefkitError]]:
    """Verify every citation of `source_ids` in `briefs` that use `library`; save moved ones.

    Returns:
        The citations that moved or were orphaned, and the briefs that could not be read or
        saved (as errors naming them).
    """
    ids = set(source_ids)
    results: list[Reanchored] = []
    errors: list[BriefkitError] = []
    for path in briefs:
        try:
            with locked(path):  # no cite or TUI save in between the load and the save
                brief = load_brief(path)
                if brief.library_dir().resolve() != library.root:
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
                    results.append(Reanchored(path, citation.id, citation.source, check.status,
                                              check.reason))
                if moved:
                    save_brief(brief)
        except BriefkitError as exc:
            errors.append(exc)
    return results, errors

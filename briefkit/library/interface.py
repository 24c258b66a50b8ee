"""What the rest of briefkit asks of a library, whichever backend holds it.

A library is named by a folder path (the folder library: `sources.yaml` plus files, indexed by
SQLite FTS5) or by a URL, `postgresql://host/dbname?library=NAME` (the team library). CLI, TUI,
check and export talk to both through `SourceLibrary`; what only a folder can do (`sources.yaml`
edits, copying files in) stays on the folder class.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from briefkit.errors import BriefkitError
from briefkit.library.model import Source, SourceEntry

if TYPE_CHECKING:
    from briefkit.library.index import Hit, IndexReport

__all__ = ["URL_SCHEMES", "SearchIndex", "SourceLibrary", "is_library_url", "open_library"]

URL_SCHEMES = ("postgresql://", "postgres://")


@runtime_checkable
class SearchIndex(Protocol):
    """Ranked passage search over one library; `Hit.snippet` marks matches with `[[` `]]`."""

    def update(self) -> IndexReport:
        """Bring the index in line with the library (a database library is always in line)."""
        ...

    def search(self, query: str, *, source: str | None = None, limit: int = 20) -> list[Hit]:
        """Passages matching `query` (words, `"phrases"`, `prefix*`, OR, NOT), best first."""
        ...

    def related(self, text: str, *, exclude: Iterable[str] = (), limit: int = 10) -> list[Hit]:
        """Passages sharing the most distinctive words of `text`, minus `exclude` (passage ids)."""
        ...


@runtime_checkable
class SourceLibrary(Protocol):
    """The sources of one library, in their listed order."""

    @property
    def location(self) -> str:
        """The folder or the URL the library was opened from, for messages and summaries."""
        ...

    @property
    def entries(self) -> Mapping[str, SourceEntry]:
        """Each source's metadata by id."""
        ...

    def entry(self, source_id: str) -> SourceEntry:
        """The entry for `source_id`; an unknown id raises a message suggesting close matches."""
        ...

    def source(self, source_id: str) -> Source:
        """The source's reading text and paragraphs (what anchors point into)."""
        ...

    def index(self) -> SearchIndex:
        """The library's search index."""
        ...

    def files(self) -> Iterator[tuple[Path, str]]:
        """The local files reading this library touches, each with what it is (an export must
        never overwrite one); a database library has none."""
        ...


def is_library_url(spec: str) -> bool:
    """`spec` names a database library rather than a folder."""
    return spec.startswith(URL_SCHEMES)


def open_library(spec: str | Path, *, base: Path | None = None) -> SourceLibrary:
    """Open the library named by a folder path or a `postgresql://` URL.

    Args:
        spec: a folder (relative to `base` when given and relative) or a library URL.
        base: the folder a relative path is relative to (a brief's own folder).

    Raises:
        BriefkitError: the folder or the database library does not exist or cannot be read.
    """
    text = str(spec)
    if is_library_url(text):
        from briefkit.library.postgres.library import PostgresLibrary  # psycopg loads only here

        return PostgresLibrary.open(text)
    from briefkit.library.library import Library

    folder = Path(text).expanduser()
    if base is not None and not folder.is_absolute():
        folder = base / folder
    if not folder.is_dir():
        raise BriefkitError(f"library folder not found: {folder}")
    return Library.open(folder)

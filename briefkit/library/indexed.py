"""What a folder library's search index reads of the library it indexes.

`Library.index()` builds an `Index` over itself, so `index.py` types its library by this protocol
rather than by importing `library.py` back (an import cycle).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from briefkit.library.model import SourceEntry

__all__ = ["IndexedFolder"]


class IndexedFolder(Protocol):
    """A folder of sources (`briefkit.library.library.Library` is one)."""

    root: Path  # the library folder, where the index file lives unless it cannot be written
    entries: dict[str, SourceEntry]  # each source's entry by id, in the listed order

    def entry(self, source_id: str) -> SourceEntry:
        """The entry for `source_id`; an unknown id raises a message suggesting close matches."""
        ...

    def check_inside(self, entry: SourceEntry) -> None:
        """Refuse to read a source whose file resolves outside the folder."""
        ...

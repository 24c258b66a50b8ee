"""What the team library's search reads of the `PostgresLibrary` it searches.

`PostgresLibrary.index()` builds a `PostgresIndex` over itself, so `search.py` types its library
by this protocol rather than by importing `library.py` back (an import cycle).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol, TypeVar

from briefkit.library.model import SourceEntry
from briefkit.library.postgres.target import LibraryTarget

if TYPE_CHECKING:
    import psycopg

__all__ = ["IndexedDatabase"]

T = TypeVar("T")


class IndexedDatabase(Protocol):
    """A library's sources in the database (`PostgresLibrary` is one)."""

    @property
    def target(self) -> LibraryTarget:
        """The server and library named, for messages about server errors."""
        ...

    @property
    def lock(self) -> threading.Lock:
        """Held around each statement: the connection is shared between threads."""
        ...

    @property
    def conn(self) -> psycopg.Connection:
        """The connection searches run on."""
        ...

    def read(self, work: Callable[[psycopg.Connection], T]) -> T:
        """`work(conn)` under the lock with server errors as messages, run again once on a
        fresh connection if the server had dropped the connection."""
        ...

    @property
    def library_id(self) -> int:
        """The library's row id, which every table's rows carry."""
        ...

    @property
    def entries(self) -> Mapping[str, SourceEntry]:
        """Each source's entry by id, in the listed order."""
        ...

    def entry(self, source_id: str) -> SourceEntry:
        """The entry for `source_id`; an unknown id raises a message suggesting close matches."""
        ...

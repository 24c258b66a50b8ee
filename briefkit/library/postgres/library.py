"""A team library: the `SourceLibrary` backend whose sources live in PostgreSQL.

Opening reads every source's metadata (one query, no texts); a source's reading text and
paragraphs are fetched on first use and kept until another analyst's change gives the text a
new SHA-256 (checked with one small query per use).

The server may drop the connection (a restart, an idle timeout, a network blip): reads run
through `read()`, which reconnects once and runs the read again; a write finds a fresh
connection at the start of its transaction if an earlier statement left the old one broken, but
a write whose connection breaks mid-transaction is not retried (the server rolled it back; the
caller gets one message).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import psycopg

from briefkit.errors import BriefkitError
from briefkit.library.library import unknown_source
from briefkit.library.model import Paragraph, Removal, Source, SourceEntry
from briefkit.library.postgres.connection import connect, library_id, server_errors
from briefkit.library.postgres.schema import LATEST, schema_version
from briefkit.library.postgres.target import LibraryTarget

if TYPE_CHECKING:
    from briefkit.library.postgres.search import PostgresIndex

__all__ = ["PostgresLibrary"]

T = TypeVar("T")


class PostgresLibrary:
    """The sources of one named library in a PostgreSQL database, in their listed order."""

    def __init__(self, target: LibraryTarget, conn: psycopg.Connection, library_id: int,
                 entries: dict[str, SourceEntry]) -> None:
        self.target = target
        self.library_id = library_id
        self._entries = entries
        self._cache: dict[str, Source] = {}
        self.lock = threading.Lock()  # one statement at a time on the shared connection
        self._swap = threading.Lock()  # one reconnection at a time
        self._closed = False
        self._conn = conn
        self._finalizer = weakref.finalize(self, conn.close)  # closed with the library
        _set_session(conn)

    @property
    def conn(self) -> psycopg.Connection:
        """The library's connection; one the server dropped is replaced by a fresh one here
        (libpq marks it broken once a statement on it failed, so never mid-transaction).

        Raises:
            BriefkitError: the server cannot be reached to reconnect.
        """
        with self._swap:
            old = self._conn
            if not self._closed and (old.closed or old.broken):
                fresh = connect(self.target)
                _set_session(fresh)
                old.close()
                self._finalizer.detach()
                self._conn, self._finalizer = fresh, weakref.finalize(self, fresh.close)
            return self._conn

    def read(self, work: Callable[[psycopg.Connection], T]) -> T:
        """`work(conn)` under the lock, run once more on a fresh connection if the server had
        dropped this one (reads only: `work` must be safe to run twice).

        Raises:
            BriefkitError: the server fails, or cannot be reached again (one line, no retry
                loop).
        """
        with self.lock, server_errors(self.target):
            conn = self.conn
            try:
                return work(conn)
            except psycopg.OperationalError:
                if self._closed or not (conn.closed or conn.broken):
                    raise  # a statement timeout, a cancel: the connection is fine
            return work(self.conn)

    @classmethod
    def open(cls, url: str) -> PostgresLibrary:
        """Connect and read the library's source list.

        Raises:
            BriefkitError: the server cannot be reached, the database is not set up (or is
                behind this briefkit's schema), or it holds no library of that name.
        """
        target = LibraryTarget.parse(url)
        conn = connect(target)
        try:
            with server_errors(target):
                version = schema_version(conn)
                if version != LATEST:
                    state = "has no briefkit tables" if version == 0 else (
                        f"is at schema version {version}, this briefkit needs {LATEST}")
                    raise BriefkitError(f"{url}: the database {state}: run "
                                        f"'briefkit library init {url}'")
                library = cls(target, conn, library_id(conn, target), {})
                library.reload()
        except BaseException:
            conn.close()
            raise
        return library

    @property
    def location(self) -> str:
        return self.target.url

    @property
    def entries(self) -> dict[str, SourceEntry]:
        return self._entries

    def reload(self) -> None:
        """Read the source list again (after this or another process changed it)."""
        rows = self.read(lambda conn: conn.execute(
            "SELECT id, csl, file_name, format, sha256, page_labels FROM sources "
            "WHERE library_id = %s ORDER BY position, id", (self.library_id,)).fetchall())
        self._entries = {
            sid: SourceEntry(sid, Path(file_name), dict(csl), None, format=fmt, sha256=sha256,
                             page_labels=tuple(labels))
            for sid, csl, file_name, fmt, sha256, labels in rows
        }

    def entry(self, source_id: str) -> SourceEntry:
        try:
            return self._entries[source_id]
        except KeyError:
            raise unknown_source(source_id, list(self._entries),
                                 where=f"{self.target.url}: ") from None

    def source(self, source_id: str) -> Source:
        """The source's reading text and paragraphs as the database holds them now.

        Raises:
            BriefkitError: `source_id` is not in the library, or the server fails.
        """
        entry = self.entry(source_id)
        cached = self._cache.get(source_id)
        fetched = self.read(lambda conn: self._fetch(conn, source_id, cached))
        if isinstance(fetched, Source):
            return fetched
        row, paragraphs = fetched
        text, sha256, encoding, removed = row
        source = Source(entry, text, sha256, encoding, [_removal(r) for r in removed], paragraphs)
        self._cache[source_id] = source
        return source

    def _fetch(self, conn: psycopg.Connection, source_id: str, cached: Source | None,
               ) -> Source | tuple[tuple[Any, ...], list[Paragraph]]:
        """`cached` if the database's text still has its SHA-256, else the source's row and
        paragraphs."""
        if cached is not None:
            row = conn.execute(
                "SELECT text_sha256 FROM sources WHERE library_id = %s AND id = %s",
                (self.library_id, source_id)).fetchone()
            if row is not None and row[0] == cached.sha256:
                return cached
        row = conn.execute(
            "SELECT text, text_sha256, encoding, removed FROM sources "
            "WHERE library_id = %s AND id = %s", (self.library_id, source_id)).fetchone()
        if row is None:
            raise BriefkitError(f"{self.target.url}: source '{source_id}' was removed from "
                                "the library since it was opened")
        paragraphs = [Paragraph(n, s, e, p) for n, s, e, p in conn.execute(
            'SELECT paragraph, start, "end", page FROM passages '
            "WHERE library_id = %s AND source_id = %s ORDER BY paragraph",
            (self.library_id, source_id))]
        return tuple(row), paragraphs

    def index(self) -> PostgresIndex:
        from briefkit.library.postgres.search import PostgresIndex

        return PostgresIndex(self)

    def files(self) -> Iterator[tuple[Path, str]]:
        return iter(())

    def close(self) -> None:
        self._closed = True  # no reconnecting after this
        self._conn.close()


def _set_session(conn: psycopg.Connection) -> None:
    """Session settings every connection of the library gets (again after a reconnect)."""
    # A scan of a big table may start where another session's is: search reads the first
    # passages in the table, so always from its first page (the same hits).
    conn.execute("SET synchronize_seqscans = off")


def _removal(data: dict[str, Any]) -> Removal:
    return Removal(str(data["kind"]), int(data.get("line", 0)), str(data["text"]),
                   data.get("page"), str(data.get("place", "")))


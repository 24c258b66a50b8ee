"""A team library: the `SourceLibrary` backend whose sources live in PostgreSQL.

Opening reads every source's metadata (one query, no texts); a source's reading text and
paragraphs are fetched on first use and kept until another analyst's change gives the text a
new SHA-256 (checked with one small query per use).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


class PostgresLibrary:
    """The sources of one named library in a PostgreSQL database, in their listed order."""

    def __init__(self, target: LibraryTarget, conn: psycopg.Connection, library_id: int,
                 entries: dict[str, SourceEntry]) -> None:
        self.target = target
        self.conn = conn
        self.library_id = library_id
        self._entries = entries
        self._cache: dict[str, Source] = {}
        self.lock = threading.Lock()  # one statement at a time on the shared connection
        weakref.finalize(self, conn.close)  # closed with the library, however it is dropped

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
        with self.lock, server_errors(self.target):
            rows = self.conn.execute(
                "SELECT id, csl, file_name, format, sha256, page_labels FROM sources "
                "WHERE library_id = %s ORDER BY position, id", (self.library_id,)).fetchall()
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
        with self.lock, server_errors(self.target):
            if cached is not None:
                row = self.conn.execute(
                    "SELECT text_sha256 FROM sources WHERE library_id = %s AND id = %s",
                    (self.library_id, source_id)).fetchone()
                if row is not None and row[0] == cached.sha256:
                    return cached
            row = self.conn.execute(
                "SELECT text, text_sha256, encoding, removed FROM sources "
                "WHERE library_id = %s AND id = %s", (self.library_id, source_id)).fetchone()
            if row is None:
                raise BriefkitError(f"{self.target.url}: source '{source_id}' was removed from "
                                    "the library since it was opened")
            paragraphs = [Paragraph(n, s, e, p) for n, s, e, p in self.conn.execute(
                'SELECT paragraph, start, "end", page FROM passages '
                "WHERE library_id = %s AND source_id = %s ORDER BY paragraph",
                (self.library_id, source_id))]
        text, sha256, encoding, removed = row
        source = Source(entry, text, sha256, encoding, [_removal(r) for r in removed], paragraphs)
        self._cache[source_id] = source
        return source

    def index(self) -> PostgresIndex:
        from briefkit.library.postgres.search import PostgresIndex

        return PostgresIndex(self)

    def files(self) -> Iterator[tuple[Path, str]]:
        return iter(())

    def close(self) -> None:
        self.conn.close()


def _removal(data: dict[str, Any]) -> Removal:
    return Removal(str(data["kind"]), int(data.get("line", 0)), str(data["text"]),
                   data.get("page"), str(data.get("place", "")))


"""`sources edit` and `import-csl`/`import-bib` on a team library: the folder's rules, on jsonb.

The folder library edits `sources.yaml` through `SourcesFile` (`item()` to change one entry,
`save()` to write); here `StoredItems` offers the same two calls over the `sources` rows, so the
rules (names, dates, matching by DOI, URL, title) are the folder's own code. An edit or an
import is one transaction: the rows it may change are locked first (`FOR NO KEY UPDATE`), so
an analyst's edit and another's import made at the same moment both land, one after the
other; each changed source is announced on `briefkit_sources` as "updated".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import psycopg

from briefkit.errors import BriefkitError
from briefkit.library.metadata import ImportReport, edit_items, import_items, match_keys
from briefkit.library.postgres.connection import server_errors
from briefkit.library.postgres.library import PostgresLibrary
from briefkit.library.postgres.writes import announce

__all__ = ["StoredItems", "edit_source", "import_references"]


class StoredItems:
    """The CSL items of some sources of a team library, locked for the running transaction:
    what `SourcesFile` offers the folder's metadata rules (`item`, `save`)."""

    def __init__(self, conn: psycopg.Connection, library_id: int, source_ids: list[str]) -> None:
        self.conn = conn
        self.library_id = library_id
        rows = conn.execute("SELECT id, csl FROM sources WHERE library_id = %s AND id = ANY(%s) "
                            "ORDER BY id FOR NO KEY UPDATE", (library_id, source_ids)
                            ).fetchall()
        self._items: dict[str, dict[str, Any]] = {sid: dict(csl) for sid, csl in rows}
        self._stored = {sid: json.dumps(csl, sort_keys=True) for sid, csl in rows}

    def item(self, source_id: str) -> dict[str, Any]:
        """The item of `source_id`, to change in place.

        Raises:
            BriefkitError: another analyst removed the source since the library was opened.
        """
        try:
            return self._items[source_id]
        except KeyError:
            raise BriefkitError(f"source '{source_id}' was removed from the library since it "
                                "was opened") from None

    def save(self) -> None:
        """Write the items that changed (their rows are locked: nobody changed them since)."""
        for source_id, item in self._items.items():
            text = json.dumps(item, sort_keys=True)
            if text == self._stored[source_id]:
                continue
            self.conn.execute("UPDATE sources SET csl = %s, updated = now(), "
                              "updated_by = current_user WHERE library_id = %s AND id = %s",
                              (text, self.library_id, source_id))
            announce(self.conn, self.library_id, source_id, "updated")
            self._stored[source_id] = text


def edit_source(library: PostgresLibrary, source_id: str, *, title: str | None = None,
                authors: Sequence[str] | None = None, date: str | None = None,
                url: str | None = None, kind: str | None = None) -> list[str]:
    """Set metadata fields of one source, as `briefkit.library.metadata.edit_source` does in a
    folder (an empty value removes the field). Returns the CSL fields changed.

    Raises:
        BriefkitError: unknown source, empty title, a date that is not YYYY[-MM[-DD]], or the
            server refuses (a read-only user).
    """
    entry = library.entry(source_id)
    with library.lock, server_errors(library.target), library.conn.transaction():
        items = StoredItems(library.conn, library.library_id, [entry.id])
        changed = edit_items(items, entry.id, title=title, authors=authors,
                             date=date, url=url, kind=kind)
    library.reload()
    return changed


def import_references(library: PostgresLibrary, items: Sequence[dict[str, Any]]) -> ImportReport:
    """Apply imported CSL items to the sources they match (by DOI, URL, then title), as
    `briefkit.library.metadata.import_references` does in a folder, in one transaction."""
    library.reload()  # match against the items as stored now
    keys: dict[str, dict[str, list[str]]] = {"DOI": {}, "URL": {}, "title": {}}
    for entry in library.entries.values():
        for by, value in match_keys(entry.csl).items():
            keys[by].setdefault(value, []).append(entry.id)
    with library.lock, server_errors(library.target), library.conn.transaction():
        stored = StoredItems(library.conn, library.library_id, list(library.entries))
        report = import_items(stored, keys, items, list(library.entries))
    library.reload()
    return report

"""Setting up a team library, pushing a folder library into it and pulling a copy out.

`push` is idempotent and resumable: each batch of new sources (several written at once, on
their own connections) and each replaced source is one transaction, and a source whose file
bytes, metadata and place are already stored is skipped after hashing the file (its text is
not read again), so an interrupted push run again picks up where it stopped. It adds and
replaces; sources the folder lacks stay in the team library (others may have added them).
`pull` writes a folder library (files, originals, extraction records, `sources.yaml`) that
`Library.open` reads back to the same reading texts.
"""

from __future__ import annotations

import hashlib
import queue
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from briefkit import yamlio
from briefkit.errors import BriefkitError
from briefkit.fsio import atomic_write, read_bytes
from briefkit.library.extraction_record import record_path
from briefkit.library.library import SOURCES_FILE, Library
from briefkit.library.postgres.connection import connect, library_id, server_errors
from briefkit.library.postgres.schema import migrate
from briefkit.library.postgres.target import LibraryTarget
from briefkit.library.postgres.writes import (SourceRecord, put_new_sources, put_source,
                                              source_changes)

__all__ = ["PushReport", "init_library", "pull_library", "push_library"]

Progress = Callable[[str], None]
OnReplace = Callable[[psycopg.Connection, int, str, str], object]
BATCH_BYTES = 8_000_000  # of files and texts per transaction of new sources
WRITERS = 2  # connections writing batches at once (the server stems on one core for each)


def init_library(url: str) -> tuple[list[int], bool]:
    """Apply pending migrations and create the URL's library if missing.

    Returns:
        The migrations applied now, and whether the library was created.
    """
    target = LibraryTarget.parse(url)
    with connect(target) as conn, server_errors(target):
        applied = migrate(conn)
        row = conn.execute("INSERT INTO libraries (name) VALUES (%s) ON CONFLICT (name) "
                           "DO NOTHING RETURNING id", (target.name,)).fetchone()
    return applied, row is not None


@dataclass(slots=True)
class PushReport:
    """Source ids by what the push did to them, and the bytes read from the folder."""

    actions: dict[str, list[str]] = field(default_factory=dict)
    bytes: int = 0

    def count(self, action: str) -> int:
        return len(self.actions.get(action, []))


def push_library(folder: Path, url: str, progress: Progress | None = None, *,
                 on_replace: OnReplace | None = None, batch_bytes: int = BATCH_BYTES,
                 writers: int = WRITERS) -> PushReport:
    """Copy the folder library at `folder` into the team library at `url` (set up if needed).

    Sources the team library lacks go in batches of about `batch_bytes` of files, one
    transaction each (`put_new_sources`), written by `writers` connections at once while the
    folder is read on; a changed source is replaced in a transaction of its own. Progress
    names each source once its transaction has committed.
    `on_replace(conn, library_id, source_id, text)` runs inside the transaction that replaces a
    source's text (the layer above re-anchors the team briefs citing it there).

    Raises:
        BriefkitError: the folder is not a library, a source cannot be read, or the server fails
            (sources pushed before stay pushed).
    """
    folder_library = Library.open(folder)
    init_library(url)
    target = LibraryTarget.parse(url)
    report = PushReport()
    total = len(folder_library.entries)
    with connect(target) as conn, server_errors(target), _BatchWriters(target, writers) as out:
        # A commit lost in a server crash is pushed again next time: no need to wait for it.
        conn.execute("SET synchronous_commit = off")
        library = library_id(conn, target)
        stored = source_changes(conn, library)
        batch: list[tuple[SourceRecord, int]] = []
        pending = 0

        def done(source_id: str, action: str) -> None:
            report.actions.setdefault(action, []).append(source_id)
            if progress is not None:
                progress(f"push: {sum(map(len, report.actions.values()))}/{total} sources, "
                         f"{report.bytes / 1e6:.1f} MB ({source_id} {action})")

        def replace(record: SourceRecord, position: int) -> str:
            def within(conn: psycopg.Connection) -> object:
                return on_replace(conn, library, record.id, record.text) if on_replace else None
            return put_source(conn, library, record, position, within=within)

        def written(batch: list[tuple[SourceRecord, int]], added: set[str]) -> None:
            for record, position in batch:
                done(record.id, "added" if record.id in added else replace(record, position))

        for position, entry in enumerate(folder_library.entries.values()):
            folder_library.check_inside(entry)
            data = read_bytes(entry.file, what="source file")
            digest = hashlib.sha256(data).hexdigest()
            report.bytes += len(data)
            known = stored.get(entry.id)
            if known is not None and known == (digest, entry.csl, position):
                done(entry.id, "unchanged")
                continue
            record = SourceRecord.from_folder(folder_library, entry, data, digest)
            if known is not None:
                done(entry.id, replace(record, position))
                continue
            batch.append((record, position))
            pending += len(data) + len(record.text.encode("utf-8"))
            if pending >= batch_bytes:
                out.submit(library, batch, written)
                batch, pending = [], 0
        if batch:
            out.submit(library, batch, written)
        out.finish(written)
    return report


class _BatchWriters:
    """Batches of new sources written on their own connections, `count` at a time, while the
    caller reads the next ones (the server stems and indexes on one core per connection).

    Results are handed back in the order the batches were submitted, on the caller's thread:
    progress and replacements stay there.
    """

    def __init__(self, target: LibraryTarget, count: int) -> None:
        self.target = target
        self.count = max(1, count)
        self.pool = ThreadPoolExecutor(self.count, thread_name_prefix="briefkit-push")
        self.free: queue.SimpleQueue[psycopg.Connection] = queue.SimpleQueue()
        self.conns: list[psycopg.Connection] = []
        self.running: deque[tuple[list[tuple[SourceRecord, int]], Future[list[str]]]] = deque()

    def __enter__(self) -> _BatchWriters:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)  # a batch in flight commits or not
        for conn in self.conns:
            conn.close()

    def submit(self, library: int, batch: list[tuple[SourceRecord, int]],
               written: Callable[[list[tuple[SourceRecord, int]], set[str]], None]) -> None:
        """Queue a batch; once `count` are in flight, wait for the oldest and hand it back."""
        if len(self.running) >= self.count:
            self._hand_back(written)
        self.running.append((batch, self.pool.submit(self._write, library, list(batch))))

    def finish(self, written: Callable[[list[tuple[SourceRecord, int]], set[str]], None]) -> None:
        while self.running:
            self._hand_back(written)

    def _hand_back(self, written: Callable[[list[tuple[SourceRecord, int]], set[str]],
                                           None]) -> None:
        batch, future = self.running.popleft()
        written(batch, set(future.result()))

    def _write(self, library: int, batch: list[tuple[SourceRecord, int]]) -> list[str]:
        try:
            conn = self.free.get_nowait()
        except queue.Empty:
            conn = connect(self.target)
            conn.execute("SET synchronous_commit = off")
            self.conns.append(conn)
        try:
            with server_errors(self.target):
                return put_new_sources(conn, library, batch)
        finally:
            self.free.put(conn)


def pull_library(url: str, folder: Path, progress: Progress | None = None) -> int:
    """Write the team library at `url` as a folder library in `folder`; returns the sources.

    The folder must be empty, new, or a library (its `sources.yaml` is replaced; files of the
    team library's sources are overwritten with the stored bytes).

    Raises:
        BriefkitError: the folder holds other files, or the server fails.
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()) and not (folder / SOURCES_FILE).is_file():
        raise BriefkitError("the folder holds files but no sources.yaml: pull into a new or "
                            "empty folder, or a library folder", path=folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = LibraryTarget.parse(url)
    items: list[dict[str, Any]] = []
    with connect(target) as conn, server_errors(target):
        library = library_id(conn, target)
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM sources WHERE library_id = %s ORDER BY position, id", (library,))]
        for n, source_id in enumerate(ids, 1):
            row = conn.execute(
                "SELECT csl, format, file_name, file_bytes, original_name, original_bytes, "
                "sha256, extraction_record, page_labels FROM sources "
                "WHERE library_id = %s AND id = %s", (library, source_id)).fetchone()
            if row is None:
                continue  # removed by someone else since the list was read
            (csl, fmt, file_name, file_bytes, original_name, original_bytes, sha256, record,
             labels) = row
            _write_inside(folder, file_name, bytes(file_bytes))
            item: dict[str, Any] = {"id": source_id, **{k: v for k, v in csl.items() if k != "id"},
                                    "file": file_name}
            if original_name is not None:
                _write_inside(folder, original_name, bytes(original_bytes))
                item["original"] = original_name
                if record is not None:
                    _write_inside(folder, str(record_path(Path(original_name))),
                                  record.encode("utf-8"))
            if fmt:
                item["format"] = fmt
            if sha256:
                item["sha256"] = sha256
            if labels:
                item["page-labels"] = list(labels)
            items.append(item)
            if progress is not None:
                progress(f"pull: {n}/{len(ids)} sources ({source_id})")
    atomic_write(folder / SOURCES_FILE, yamlio.dump({"sources": items}))
    return len(items)


def _write_inside(folder: Path, name: str, data: bytes) -> None:
    """Write a stored file under `folder`, refusing a name that would leave it."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise BriefkitError(f"stored file name {name!r} leads outside the folder", path=folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data)

"""Writing one source into a team library, in one transaction.

A source's row, passages, sentences, the library's document frequencies and passage counts
change together, or not at all: a push or an add interrupted at any point leaves every source
either as it was or wholly replaced, and running it again finishes the job. Every change is
announced on the `briefkit_sources` channel (LISTEN/NOTIFY).

Locks, always taken in this order, so writers queue instead of deadlocking: a per-library
advisory lock, shared by batches of new sources (several may copy their rows at once, as a
push's writers do) and exclusive for a replacement (which must see no batch half-written);
then the `libraries` row, by every writer, around the document frequencies, words and totals
(lexemes shared by all sources). That row lock is `FOR NO KEY UPDATE`: the rows a batch adds
hold the row `FOR KEY SHARE` (their foreign keys), which `FOR UPDATE` would wait for, so two
batches in flight would deadlock.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from briefkit.fsio import read_bytes
from briefkit.library.extraction_record import record_path
from briefkit.library.library import Library
from briefkit.library.model import Paragraph, Removal, Source, SourceEntry
from briefkit.library.segment import split_sentences
from briefkit.library.source_text import read_source

__all__ = ["CHANNEL", "SourceRecord", "announce", "put_new_sources", "put_source",
           "source_changes"]

CHANNEL = "briefkit_sources"
_WORD = re.compile(r"[^\W_]+")
_WRITES = 7_311_403  # pg_advisory_xact_lock(_WRITES, library): briefkit's source writes
_SOURCE_COLUMNS = (  # binary COPY: no text escaping of files and texts either side
    ("library_id", "int4"), ("id", "text"), ("position", "int4"), ("csl", "jsonb"),
    ("format", "text"), ("file_name", "text"), ("file_bytes", "bytea"),
    ("file_sha256", "text"), ("original_name", "text"), ("original_bytes", "bytea"),
    ("sha256", "text"), ("extraction_record", "text"), ("page_labels", "text[]"),
    ("text", "text"), ("text_sha256", "text"), ("encoding", "text"), ("removed", "jsonb"))
_PASSAGE_COLUMNS = (("library_id", "int4"), ("source_id", "text"), ("paragraph", "int4"),
                    ("passage_id", "text"), ("start", "int4"), ('"end"', "int4"),
                    ("page", "int4"), ("length", "int4"), ("body", "text"))
_SENTENCE_COLUMNS = (("library_id", "int4"), ("source_id", "text"), ("paragraph", "int4"),
                     ("number", "int4"), ("start", "int4"), ('"end"', "int4"))


@dataclass(slots=True)
class SourceRecord:
    """Everything a folder library holds of one source, as the database stores it."""

    id: str
    csl: dict[str, Any]
    format: str
    file_name: str
    file_bytes: bytes
    file_sha256: str
    text: str
    text_sha256: str
    encoding: str
    original_name: str | None = None
    original_bytes: bytes | None = None
    sha256: str = ""
    extraction_record: str | None = None
    page_labels: tuple[str, ...] = ()
    removed: list[Removal] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)

    @classmethod
    def from_folder(cls, library: Library, entry: SourceEntry, file_bytes: bytes,
                    file_sha256: str) -> SourceRecord:
        """Read `entry` of a folder library (its text decoded, cleaned and split as there)."""
        source: Source = library.source(entry.id)
        original = record = None
        if entry.original is not None:
            original = read_bytes(entry.original, what="original file")
            path = record_path(entry.original)
            record = path.read_text(encoding="utf-8") if path.is_file() else None
        rel = lambda p: os.path.relpath(p, library.root)  # noqa: E731
        return cls(entry.id, entry.csl, entry.format, rel(entry.file), file_bytes, file_sha256,
                   source.text, source.sha256, source.encoding,
                   rel(entry.original) if entry.original else None, original, entry.sha256,
                   record, entry.page_labels, source.removed, source.paragraphs)


def source_changes(conn: psycopg.Connection, library_id: int) -> dict[str, tuple[str, Any, int]]:
    """Each stored source's file SHA-256, CSL item and position: what a push compares."""
    return {sid: (sha, csl, pos) for sid, sha, csl, pos in conn.execute(
        "SELECT id, file_sha256, csl, position FROM sources WHERE library_id = %s",
        (library_id,))}


def put_source(conn: psycopg.Connection, library_id: int, record: SourceRecord, position: int,
               *, keep_metadata: bool = False,
               within: Callable[[psycopg.Connection], object] | None = None) -> str:
    """Add or replace one source in one transaction.

    Args:
        keep_metadata: a replaced source keeps its stored CSL item (a new file's text, the
            analyst's metadata), as `sources add` does in a folder.
        within: run in the same transaction once the new text is in (re-anchoring briefs).

    Returns:
        "added", "replaced" (the text changed), "updated" (only metadata) or "unchanged".
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (_WRITES, library_id))
        _hold_totals(conn, library_id)
        old = conn.execute(
            "SELECT file_sha256, text_sha256, csl, position FROM sources "
            "WHERE library_id = %s AND id = %s", (library_id, record.id)).fetchone()
        csl = old[2] if old is not None and keep_metadata else record.csl
        if old is not None and old[0] == record.file_sha256 and old[1] == record.text_sha256:
            if old[2] == csl and old[3] == position:
                return "unchanged"
            conn.execute("UPDATE sources SET csl = %s, position = %s, updated = now(), "
                         "updated_by = current_user WHERE library_id = %s AND id = %s",
                         (json.dumps(csl), position, library_id, record.id))
            announce(conn, library_id, record.id, "updated")
            return "updated"
        if old is not None:
            _count_out(conn, library_id, record.id)
            conn.execute("DELETE FROM sources WHERE library_id = %s AND id = %s",
                         (library_id, record.id))
        _count_in(conn, library_id, _copy_rows(conn, library_id, [(record, csl, position)]))
        action = "added" if old is None else "replaced"
        if within is not None and old is not None:
            within(conn)
        announce(conn, library_id, record.id, action)
        return action


def put_new_sources(conn: psycopg.Connection, library_id: int,
                    batch: list[tuple[SourceRecord, int]]) -> list[str]:
    """Add a batch of sources the library lacks in one transaction, set-based: one binary COPY
    per table, then, holding the `libraries` row only for that, one statement each for
    document frequencies, words and totals. Several batches may be written at once, on
    several connections (a push of many sources pays per batch what `put_source` pays per
    source, and uses the server's cores).

    Returns:
        The ids added; none when a source of the batch was stored by someone else meanwhile
        (the batch is rolled back: the caller passes its sources to `put_source`).
    """
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", (_WRITES, library_id))
            present = {row[0] for row in conn.execute(
                "SELECT id FROM sources WHERE library_id = %s AND id = ANY(%s)",
                (library_id, [record.id for record, _ in batch]))}
            fresh = [(record, record.csl, position) for record, position in batch
                     if record.id not in present]
            if fresh:
                counts = _copy_rows(conn, library_id, fresh)
                _hold_totals(conn, library_id)
                _count_in(conn, library_id, counts)
                for record, _, _ in fresh:
                    announce(conn, library_id, record.id, "added")
    except (psycopg.errors.UniqueViolation, psycopg.errors.DeadlockDetected):
        return []  # another writer's batch holds one of these ids: one at a time, then
    return [record.id for record, _, _ in fresh]


def _hold_totals(conn: psycopg.Connection, library_id: int) -> None:
    """Lock the library's row (its totals, and so its lexemes and words) until commit."""
    conn.execute("SELECT 1 FROM libraries WHERE id = %s FOR NO KEY UPDATE", (library_id,))


@dataclass(slots=True)
class _Counts:
    """What `_copy_rows` stored, for the document frequencies and the library's totals."""

    source_ids: list[str]
    passages: int = 0
    words: int = 0
    vocabulary: set[str] = field(default_factory=set)


def _copy_rows(conn: psycopg.Connection, library_id: int,
               rows: list[tuple[SourceRecord, Any, int]]) -> _Counts:
    """Store sources (each with its CSL item and position), their passages and sentences."""
    counts = _Counts([record.id for record, _, _ in rows])
    with conn.cursor() as cur:
        with _binary_copy(cur, "sources", _SOURCE_COLUMNS) as copy:
            for record, csl, position in rows:
                copy.write_row((library_id, record.id, position, Jsonb(csl), record.format,
                                record.file_name, record.file_bytes, record.file_sha256,
                                record.original_name, record.original_bytes, record.sha256,
                                record.extraction_record, list(record.page_labels),
                                record.text, record.text_sha256, record.encoding,
                                Jsonb([_plain(r) for r in record.removed])))
        with _binary_copy(cur, "passages", _PASSAGE_COLUMNS) as copy:
            for record, csl, _ in rows:
                source = Source(SourceEntry(record.id, Path(record.file_name), csl), record.text,
                                record.text_sha256, record.encoding, [], record.paragraphs)
                for passage in source.passages():
                    found = _WORD.findall(passage.text)
                    counts.words += len(found)
                    counts.vocabulary.update(found)
                    copy.write_row((library_id, record.id, passage.paragraph, passage.id,
                                    passage.start, passage.end, passage.page, len(found),
                                    passage.text))
                counts.passages += len(record.paragraphs)
        with _binary_copy(cur, "sentences", _SENTENCE_COLUMNS) as copy:
            for record, _, _ in rows:
                for para in record.paragraphs:
                    for n, span in enumerate(split_sentences(record.text, para.start, para.end),
                                             1):
                        copy.write_row((library_id, record.id, para.number, n, span.start,
                                        span.end))
    return counts


@contextmanager
def _binary_copy(cur: psycopg.Cursor, table: str,
                 columns: tuple[tuple[str, str], ...]) -> Iterator[psycopg.Copy]:
    with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.SQL(name) for name, _ in columns))
                  ) as copy:
        copy.set_types([kind for _, kind in columns])
        yield copy


def _count_in(conn: psycopg.Connection, library_id: int, counts: _Counts) -> None:
    """Count stored sources into the document frequencies, words and totals (the caller holds
    the `libraries` row)."""
    _count(conn, library_id, counts.source_ids, +1)
    conn.execute(  # stem new words only; the words go as one string (an array costs more)
        "INSERT INTO words (library_id, word, lexeme) "
        "SELECT %s, w, coalesce(s.lexeme, '') FROM string_to_table(%s, ' ') w LEFT JOIN LATERAL "
        "(SELECT lexeme FROM unnest(to_tsvector('english', w)) LIMIT 1) s ON true "
        "WHERE NOT EXISTS (SELECT 1 FROM words k WHERE k.library_id = %s AND k.word = w) "
        "ON CONFLICT DO NOTHING",
        (library_id, " ".join(sorted({w.casefold() for w in counts.vocabulary})), library_id))
    conn.execute("UPDATE libraries SET passages = passages + %s, total_length = total_length + %s "
                 "WHERE id = %s", (counts.passages, counts.words, library_id))


def _count_out(conn: psycopg.Connection, library_id: int, source_id: str) -> None:
    """Take a source's passages out of the document frequencies and the library's totals."""
    _count(conn, library_id, [source_id], -1)
    conn.execute(
        "UPDATE libraries SET passages = passages - s.n, total_length = total_length - s.words "
        "FROM (SELECT count(*) AS n, coalesce(sum(length), 0) AS words FROM passages "
        "WHERE library_id = %s AND source_id = %s) s WHERE id = %s",
        (library_id, source_id, library_id))


def _count(conn: psycopg.Connection, library_id: int, source_ids: list[str], sign: int) -> None:
    """Add (+1) or take away (-1) the sources' passages to each lexeme's document frequency.
    A lexeme no passage holds any more stays with df 0: harmless, and cheaper than a sweep."""
    passages = sql.SQL("SELECT tsv FROM passages WHERE library_id = {} AND source_id = ANY({})"
                       ).format(sql.Literal(library_id), sql.Literal(source_ids))
    conn.execute(  # ts_stat counts in C what unnest() and GROUP BY count in rows (~1.5x)
        "INSERT INTO lexemes (library_id, lexeme, df) "
        "SELECT %s, word, %s * ndoc FROM ts_stat(%s) ORDER BY word "
        "ON CONFLICT (library_id, lexeme) DO UPDATE SET df = lexemes.df + EXCLUDED.df",
        (library_id, sign, passages.as_string(conn)))


def announce(conn: psycopg.Connection, library_id: int, source_id: str, action: str) -> None:
    """Tell listening sessions a source was added, replaced or updated (sent at commit)."""
    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, json.dumps(
        {"library": library_id, "source": source_id, "action": action})))


def _plain(removal: Removal) -> dict[str, object]:
    out: dict[str, object] = {"kind": removal.kind, "text": removal.text}
    for key, value in (("line", removal.line), ("page", removal.page), ("place", removal.place)):
        if value:
            out[key] = value
    return out

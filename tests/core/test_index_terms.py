"""Reading the terms of a prefix from an FTS5 index's leaf pages: the terms fts5vocab lists."""

from __future__ import annotations

import contextlib
import random
import sqlite3
from collections.abc import Iterator

import pytest

from briefkit.library.index_terms import prefix_terms, segment_count

PREFIXES = ["a", "p", "pre", "pre01", "pre02999", "the", "x", "xxx", "guaid", "stra", "东", "z", "0"]


def fts5vocab_terms(conn: sqlite3.Connection, prefix: str) -> list[bytes]:
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, t, row)")
    return sorted(term.encode() for (term,) in conn.execute("SELECT term FROM temp.vocab")
                  if term.startswith(prefix))


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    with contextlib.closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(text, content = '',"
                     " tokenize = 'unicode61 remove_diacritics 2')")
        yield conn


def test_an_empty_index_has_no_terms(conn: sqlite3.Connection) -> None:
    assert prefix_terms(conn, "t", b"a") == []
    assert segment_count(conn, "t") == 0


def test_terms_of_many_segments_and_long_words_are_those_fts5vocab_lists(
        conn: sqlite3.Connection) -> None:
    rng = random.Random(7)
    # Words sharing long prefixes, words longer than 127 bytes (two-byte lengths), non-ASCII ones.
    words = [f"pre{n:05d}" for n in range(3000)] + ["x" * 200 + str(n) for n in range(50)] + [
        "Guaidó", "naïve", "straße", "东京", "the", "their", "them", "a", "zebra", "0.5"]
    for _ in range(12):  # each transaction ends in a segment of its own; FTS5 merges some
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO t(text) VALUES (?)", [
            (" ".join(rng.choice(words) for _ in range(rng.randint(1, 60))),) for _ in range(400)])
        conn.execute("COMMIT")
    (segments,) = conn.execute("SELECT count(DISTINCT segid) FROM t_idx").fetchone()
    assert segments > 1
    for prefix in PREFIXES:
        assert prefix_terms(conn, "t", prefix.encode()) == fts5vocab_terms(conn, prefix), prefix
    assert segment_count(conn, "t") == segments
    conn.execute("INSERT INTO t(t) VALUES ('optimize')")
    assert segment_count(conn, "t") == 1
    assert len(prefix_terms(conn, "t", b"pre") or []) == 3000


def test_after_deletes_the_terms_still_hold_every_word_fts5vocab_lists(
        conn: sqlite3.Connection) -> None:
    rows = ["alpha beta", "alder delta", "alpine alpha"]
    for rowid, row in enumerate(rows, 1):
        conn.execute("INSERT INTO t(rowid, text) VALUES (?, ?)", (rowid, row))
    conn.execute("INSERT INTO t(t, rowid, text) VALUES ('delete', 2, ?)", (rows[1],))
    terms = prefix_terms(conn, "t", b"al") or []
    assert set(fts5vocab_terms(conn, "al")) <= set(terms) and b"alpha" in terms

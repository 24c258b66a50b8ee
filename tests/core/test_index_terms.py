"""Reading the terms of a prefix from an FTS5 index's leaf pages: the terms fts5vocab lists."""

from __future__ import annotations

import contextlib
import random
import sqlite3
from collections.abc import Iterator

import pytest

from briefkit.library import index_terms
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


def fts5vocab_tokens(conn: sqlite3.Connection, low: str, high: str,
                     rows: tuple[int, int]) -> dict[int, int]:
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.instances USING"
                 " fts5vocab(main, t, instance)")
    counts: dict[int, int] = {}
    for (doc,) in conn.execute("SELECT doc FROM temp.instances WHERE term >= ? AND term < ?",
                               (low, high)):
        if rows[0] <= doc <= rows[1]:
            counts[doc] = counts.get(doc, 0) + 1
    return counts


def test_tokens_of_a_prefix_in_each_row_are_those_fts5vocab_lists(
        conn: sqlite3.Connection) -> None:
    rng = random.Random(11)
    # Rows long enough that doclists and position lists run on over many pages.
    words = [f"pre{n:03d}" for n in range(300)] + ["press", "prefix", "the", "a", "zebra"]
    texts: dict[int, str] = {}
    for _ in range(8):  # segments, with deletes and rows written again in newer ones
        conn.execute("BEGIN")
        for _ in range(300):
            rowid = rng.randint(1, 3000)
            if rowid in texts:
                conn.execute("INSERT INTO t(t, rowid, text) VALUES ('delete', ?, ?)",
                             (rowid, texts.pop(rowid)))
            if rng.random() < 0.8:
                texts[rowid] = " ".join(rng.choice(words) for _ in range(
                    rng.choice([1, 5, 40, 2000])))
                conn.execute("INSERT INTO t(rowid, text) VALUES (?, ?)", (rowid, texts[rowid]))
        conn.execute("COMMIT")
    assert (segment_count(conn, "t") or 0) > 1
    for low, high in [("pre", "prf"), ("pre1", "pre2"), ("press", "press\0"), ("a", "b"),
                      ("q", "r")]:
        for rows in [(1, 2**63 - 1), (1, 40), (1200, 1900), (2990, 2**63 - 1), (7, 7)]:
            assert index_terms.term_frequencies(conn, "t", low.encode(), high.encode(), rows) == \
                fts5vocab_tokens(conn, low, high, rows), (low, rows)


def test_row_lengths_and_totals_are_those_fts5_counts(conn: sqlite3.Connection) -> None:
    texts = ["one two three", "a b c d e f", "x"]
    for rowid, text in enumerate(texts, 1):
        conn.execute("INSERT INTO t(rowid, text) VALUES (?, ?)", (rowid, text))
    conn.execute("INSERT INTO t(t, rowid, text) VALUES ('delete', 3, 'x')")
    assert index_terms.index_totals(conn, "t") == (2, 9)
    assert index_terms.row_tokens(conn, "t", [1, 2, 3]) == {1: 3, 2: 6}


def test_the_pages_a_prefix_spans_grow_with_its_words_rows(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t(text) VALUES (?)",
                     [(f"common word{n}" + (" single" if n == 7 else ""),) for n in range(20000)])
    conn.execute("COMMIT")
    conn.execute("INSERT INTO t(t) VALUES ('optimize')")
    (leaves,) = conn.execute("SELECT count(*) FROM t_data WHERE id > 10").fetchone()
    common = index_terms.doclist_pages(conn, "t", b"common", b"common\0") or 0
    words = index_terms.doclist_pages(conn, "t", b"word", b"wore") or 0
    assert index_terms.doclist_pages(conn, "t", b"single", b"single\0") == 1
    assert 5 < common < words <= leaves
    assert (index_terms.doclist_pages(conn, "t", b"zzz", b"zz{") or 0) <= 1  # where they would be

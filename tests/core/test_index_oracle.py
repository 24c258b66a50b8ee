"""The index answers as a plain FTS5 table holding the same passages would.

The index keeps a contentless FTS5 table, stores the rows' texts beside it and makes snippets in a
small table of the hits; the oracle is the simplest FTS5 table there is, with its content and its
own snippet(). For every step of a search (what matches, in which order, with which bm25 score and
snippet) both must agree exactly, on queries of every kind the index plans.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefkit.library.index import HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, SCORED_PAGES, Hit, Index
from briefkit.library.index_reader import SourceRows, read_rows
from briefkit.library.library import Library

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
QUERIES = [
    "sanctions", "Maduro", "the", "of the", "the sanctions", "maximum pressure", '"maximum pressure"',
    "U.S. sanctions", "Guaidó", "snapb*", "sanc*", "san*", "the*", "ma*", "pre* neg*", "the ven*",
    '"the interim"*', "negotiat* OR talks", "Venezuela NOT oil", "oil NEAR sanctions",
    "opposition government", "xylophone", "Redlines:", "a to in", "sanc* OR pre*",
    "ma* OR oil OR ven*", "sanc* AND the", '"oil"* OR "sanctions"', "the* OR a*", "x* OR zzz*",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    folder = Path(shutil.copytree(SEEDS, tmp_path_factory.mktemp("oracle") / "seeds",
                                  ignore=shutil.ignore_patterns(".briefkit", "*.brief.yaml")))
    index = Library.open(folder).index()
    index.update()
    return index


@pytest.fixture(scope="module")
def oracle(index: Index) -> Iterator[sqlite3.Connection]:
    """A plain FTS5 table of the same rows under the same rowids, read afresh from the sources."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE plain USING fts5(text, passage_id UNINDEXED,"
                 " source_id UNINDEXED, paragraph UNINDEXED, start UNINDEXED, \"end\" UNINDEXED,"
                 " tokenize = 'unicode61 remove_diacritics 2')")
    with contextlib.closing(sqlite3.connect(index.path)) as stored:
        first_rows = dict(stored.execute("SELECT id, first_row FROM sources"))
    for source_id, entry in index.library.entries.items():
        read = read_rows(entry)
        assert isinstance(read, SourceRows)
        numbers = read.numbers
        first = first_rows[source_id]
        conn.executemany("INSERT INTO plain(rowid, text, passage_id, source_id, paragraph, start,"
                         " \"end\") VALUES (?, ?, ?, ?, ?, ?, ?)", (
            (first + n, read.text[numbers[4 * n + 1] : numbers[4 * n + 2]], passage_id,
             source_id, numbers[4 * n], numbers[4 * n + 1], numbers[4 * n + 2])
            for n, passage_id in enumerate(read.ids)))
    yield conn
    conn.close()


def oracle_hits(oracle: sqlite3.Connection, expression: str, rows: tuple[int, int], limit: int,
                ranked: bool) -> list[Hit]:
    order, score = ("score", "bm25(plain)") if ranked else ("rowid", "0.0")
    cursor = oracle.execute(
        "SELECT passage_id, source_id, paragraph, start, \"end\","
        f" snippet(plain, 0, ?, ?, '…', 24), {score} AS score FROM plain"
        f" WHERE plain MATCH ? AND rowid BETWEEN ? AND ? ORDER BY {order} LIMIT ?",
        (HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE, expression, *rows, limit))
    return [Hit(*row[:6], -row[6] if ranked else 0.0) for row in cursor]


def test_the_oracle_holds_the_same_rows_as_the_index(index: Index,
                                                     oracle: sqlite3.Connection) -> None:
    with contextlib.closing(sqlite3.connect(index.path)) as stored:
        (count,) = stored.execute("SELECT value FROM meta WHERE key = 'passages'").fetchone()
    assert oracle.execute("SELECT count(*) FROM plain").fetchone()[0] == int(count) > 100


@pytest.mark.parametrize("scored_pages", [SCORED_PAGES, 0])
@pytest.mark.parametrize("rank_limit", [2000, 20])
@pytest.mark.parametrize("source", [None, "crisisgroup-reboot"])
@pytest.mark.parametrize("query", QUERIES)
def test_each_step_of_a_search_answers_as_a_plain_fts5_table(
        index: Index, oracle: sqlite3.Connection, query: str, source: str | None,
        rank_limit: int, scored_pages: int) -> None:
    index.rank_limit = rank_limit
    index.scored_pages = scored_pages  # 0: every OR of prefixes is ranked by Index._scored
    with index._connection() as conn:
        rows = index._rows(conn, source)
        assert rows is not None
        plan = index._plan(conn, index._compile(conn, query), rows)
        if plan is None:  # the plan found a word no passage holds
            assert index.search(query, source=source) == []
            return
        expression, window, ranked = plan
        assert index._ranked(conn, expression, window, 30, ranked) == oracle_hits(
            oracle, expression, window, 30, ranked)
    assert index.search(query, source=source, limit=30) == oracle_hits(
        oracle, expression, window, 30, ranked)


PREFIXES = ["the*", "th*", "sanc*", "san*", "ma*", "pre*", "Ven*", "neg*", "zzz*", "a*", "x*",
            '"the"*', '"Guaidó"*', "guaid*"]


@pytest.mark.parametrize("cap", [2000, 20, 3])
@pytest.mark.parametrize("word", PREFIXES)
def test_a_prefix_counts_and_bounds_its_rows_as_fts5s_own_prefix_query_does(
        index: Index, oracle: sqlite3.Connection, word: str, cap: int) -> None:
    everywhere = (1, 2**63 - 1)
    expected = oracle.execute("SELECT count(*) FROM (SELECT 1 FROM plain WHERE plain MATCH ?"
                              " LIMIT ?)", (word, cap + 1)).fetchone()[0]
    bound = oracle.execute("SELECT rowid FROM plain WHERE plain MATCH ? ORDER BY rowid"
                           " LIMIT 1 OFFSET ?", (word, cap - 1)).fetchone()
    index.rank_limit = cap
    with index._connection() as conn:
        assert index._matches(conn, word, everywhere, cap) == (
            expected, None if bound is None else bound[0])


OPERATOR_PREFIXES = ["negotiat* OR talks", "sanc* NOT oil", "(pre* OR neg*) AND the", "a* OR b*",
                     "ma* the AND (sanctions OR oil)", "Venezuela NOT (ma* OR oil*)", "the ma* OR neg*",
                     '"the interim"* OR ven*', "oil NOT sanc* pre*", "ma* AND (x* OR y*) OR zz*",
                     "oil NEAR sanc*", "ven* \"Guaidó\"*"]


@pytest.mark.parametrize("expression", OPERATOR_PREFIXES)
def test_a_prefix_rewritten_as_its_words_matches_the_rows_fts5s_prefix_query_does(
        index: Index, oracle: sqlite3.Connection, expression: str) -> None:
    expected = [r for (r,) in oracle.execute(
        "SELECT rowid FROM plain WHERE plain MATCH ? ORDER BY rowid", (expression,))]
    with index._connection() as conn:
        lazy = index._lazy(conn, expression)
        found = [r for (r,) in conn.execute(
            "SELECT rowid FROM passages WHERE passages MATCH ? ORDER BY rowid", (lazy,))]
    assert found == expected
    assert (lazy == expression) == ("NEAR" in expression)  # rewritten unless NEAR is there


COMMON = ["the*", "ma*", "the ven*", "a* s*", "the of", "o* t* a*", "of ma* the*", "a",
          "in to* the"]


@pytest.mark.parametrize("source", [None, "crisisgroup-reboot"])
@pytest.mark.parametrize("rank_limit", [40, 8])
@pytest.mark.parametrize("query", COMMON)
def test_an_unranked_query_answered_from_the_rows_its_plan_counted_is_fts5s_answer(
        index: Index, oracle: sqlite3.Connection, query: str, rank_limit: int,
        source: str | None) -> None:
    index.rank_limit = rank_limit
    with index._connection() as conn:
        rows = index._rows(conn, source)
        assert rows is not None
        plan = index._plan(conn, index._compile(conn, query), rows)
        assert plan is not None and not plan[2], "a query of common words only is not ranked"
        expression, window, _ = plan
        for limit in (1, 5, rank_limit, 3 * rank_limit):
            expected = [r for (r,) in oracle.execute(
                "SELECT rowid FROM plain WHERE plain MATCH ? AND rowid BETWEEN ? AND ?"
                " ORDER BY rowid LIMIT ?", (expression, *window, limit))]
            remembered = index._remembered(expression, window, limit)
            assert remembered in (None, expected)
            if limit <= 5:  # the first rows of every word were counted far enough
                assert remembered == expected
        assert index._ranked(conn, expression, window, 30, False) == oracle_hits(
            oracle, expression, window, 30, False)


TYPED = ["se* OR vo*", "U.S. sanctions", "Maduro's", "foo:bar", "text:sanc*", "a AND", "OR",
         "NEAR(oil sanctions, 3)", "(oil", '"unclosed', "oil -gas", "^oil", "x* NOT", "+oil"]


@pytest.mark.parametrize("query", TYPED)
def test_a_query_is_read_as_the_index_table_itself_would_parse_it(index: Index,
                                                                  query: str) -> None:
    with index._connection() as conn:
        def parses(expression: str) -> bool:
            try:
                conn.execute("SELECT 1 FROM passages WHERE passages MATCH ? AND rowid = 0",
                             (expression,)).fetchall()
            except sqlite3.OperationalError:
                return False
            return True

        expression = index._compile(conn, query)
        assert parses(expression)
        assert expression == query or not parses(query)


@pytest.mark.parametrize("query", ["sanc* OR pre*", "ma* OR oil OR ven*", "pre* OR talks OR x*",
                                   "the* OR a*", "negotiat* OR talks"])
def test_an_or_of_prefixes_ranks_as_fts5_after_updates_left_segments_and_deletes(
        tmp_path: Path, query: str) -> None:
    folder = Path(shutil.copytree(SEEDS, tmp_path / "seeds",
                                  ignore=shutil.ignore_patterns(".briefkit", "*.brief.yaml")))
    index = Library.open(folder).index()
    index.scored_pages = 0
    index.update()
    texts = sorted(folder.glob("*.txt")) + sorted(folder.glob("*.md"))
    for n, path in enumerate(texts[:3]):  # each update: a new segment, deletes of the old rows
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("sanctions", "prefixed", n + 1)
                        + "\n\nSanctions on oil, prices, talks and a market.\n", encoding="utf-8")
        index.update()
    with contextlib.closing(sqlite3.connect(index.path)) as stored:
        assert stored.execute("SELECT count(DISTINCT segid) FROM passages_idx").fetchone()[0] > 1
    oracle = sqlite3.connect(":memory:")
    oracle.execute("CREATE VIRTUAL TABLE plain USING fts5(text,"
                   " tokenize = 'unicode61 remove_diacritics 2')")
    with contextlib.closing(sqlite3.connect(index.path)) as stored:
        ranges = list(stored.execute("SELECT id, first_row FROM sources"))
    for source_id, first in ranges:
        read = read_rows(index.library.entry(source_id))
        assert isinstance(read, SourceRows)
        oracle.executemany("INSERT INTO plain(rowid, text) VALUES (?, ?)", read.texts(first))
    for rank_limit in (2000, 20):
        index.rank_limit = rank_limit
        with index._connection() as conn:
            expression, window, ranked = index._plan(conn, query, (1, 2**63 - 1)) or ("", (0, 0), 0)
            assert ranked and window[0] == 1
            scored = index._scored(conn, expression, window, 30)
        expected = oracle.execute(
            "SELECT rowid, bm25(plain) AS score FROM plain WHERE plain MATCH ?"
            " AND rowid BETWEEN ? AND ? ORDER BY score, rowid LIMIT 30", (expression, *window))
        assert scored == expected.fetchall()
    oracle.close()


@pytest.mark.parametrize("expression", ["sanc* AND the", "the ma* OR neg*", "sanc* NOT oil",
                                        "(sanc* OR pre*)", "oil OR talks", "Guaidó* OR ma*",
                                        "oil NEAR sanc*", "ma* OR text:oil", '"the interim"* OR ven*'])
def test_other_expressions_are_left_to_fts5s_own_ranking(index: Index, expression: str) -> None:
    index.scored_pages = 0
    with index._connection() as conn:
        assert index._scored(conn, expression, (1, 2**63 - 1), 30) is None


@pytest.mark.parametrize("expression", ["sanc* OR pre*", "ma* OR oil OR ven*", "the* OR a*"])
def test_rows_of_a_range_inside_remembered_ones_are_fts5s_first_matches_there(
        index: Index, oracle: sqlite3.Connection, expression: str) -> None:
    everywhere = (1, 2**63 - 1)
    with index._connection() as conn:
        index._counts.clear()  # what other tests left: only the first 41 rows are remembered
        index._matched_rows(conn, expression, everywhere, 40)
        asked: list[str] = []
        conn.set_trace_callback(asked.append)
        every = [r for (r,) in oracle.execute("SELECT rowid FROM plain WHERE plain MATCH ?"
                                              " ORDER BY rowid", (expression,))]
        for rows in [(1, every[20]), (every[3], every[40]), (every[5], every[60]),
                     (every[39], 2**63 - 1), (1, 2**63 - 1)]:
            for cap in (1, 10, 40, 100):
                expected = [r for r in every if rows[0] <= r <= rows[1]][:cap + 1]
                assert list(index._matched_rows(conn, expression, rows, cap)) == expected
        conn.set_trace_callback(None)
    # Only ranges that remembered rows do not tell about all the way were asked of FTS5: a few
    # of the 20 (rows, cap) pairs, such as the 101 rows after the 40th match.
    assert 0 < sum("MATCH" in sql for sql in asked) < 10


def test_the_window_of_an_or_of_prefixes_is_ranked_without_asking_fts5_for_its_rows_again(
        index: Index) -> None:
    index.scored_pages = 0
    index.rank_limit = 20
    with index._connection() as conn:
        plan = index._plan(conn, "sanc* OR pre*", (1, 2**63 - 1))
        assert plan is not None
        expression, window, _ = plan
        asked: list[str] = []
        conn.set_trace_callback(asked.append)
        assert index._scored(conn, expression, window, 30)
        conn.set_trace_callback(None)
    assert not [sql for sql in asked if "SELECT rowid FROM passages WHERE passages MATCH" in sql]


def test_an_or_of_prefixes_ranked_again_after_an_update_ranks_the_new_rows(
        tmp_path: Path) -> None:
    folder = Path(shutil.copytree(SEEDS, tmp_path / "seeds",
                                  ignore=shutil.ignore_patterns(".briefkit", "*.brief.yaml")))
    index = Library.open(folder).index()
    index.scored_pages = 0
    query = "sanc* OR pre*"
    before = index.search(query, limit=30)
    path = min(folder.glob("*.txt"))
    path.write_text("Sanctions, sanctioned, pressure and presidents.\n\n"
                    + path.read_text(encoding="utf-8"), encoding="utf-8")
    index.update()
    oracle = sqlite3.connect(":memory:")
    oracle.execute("CREATE VIRTUAL TABLE plain USING fts5(text,"
                   " tokenize = 'unicode61 remove_diacritics 2')")
    with contextlib.closing(sqlite3.connect(index.path)) as stored:
        ranges = list(stored.execute("SELECT id, first_row FROM sources"))
    passage_ids = {}
    for source_id, first in ranges:
        read = read_rows(index.library.entry(source_id))
        assert isinstance(read, SourceRows)
        oracle.executemany("INSERT INTO plain(rowid, text) VALUES (?, ?)", read.texts(first))
        passage_ids.update((first + n, passage_id) for n, passage_id in enumerate(read.ids))
    with index._connection() as conn:
        expression, window, _ = index._plan(conn, query, (1, 2**63 - 1)) or ("", (0, 0), 0)
    expected = oracle.execute(
        "SELECT rowid, -bm25(plain) AS score FROM plain WHERE plain MATCH ?"
        " AND rowid BETWEEN ? AND ? ORDER BY score DESC, rowid LIMIT 30", (expression, *window))
    after = index.search(query, limit=30)
    assert after != before
    assert [(hit.passage_id, hit.score) for hit in after] == [
        (passage_ids[rowid], score) for rowid, score in expected]
    oracle.close()

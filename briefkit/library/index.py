"""Full-text search over a library's passages: SQLite FTS5, kept in step by content hash.

The index is a cache: it lives in `<library>/.briefkit/index.sqlite` (or, when the library folder
cannot be written, in the user cache folder), can be deleted at any time, and is rebuilt when its
schema version differs from this code's. `update()` re-reads only sources whose file bytes
changed and streams their passages into FTS5 in one transaction. Reading a source (decoding,
cleaning, splitting, hashing passages) costs about as much as FTS5's insert, so for a big update a
second process reads while this one writes (`index_reader`); a new index file is filled without
syncs.

Each source's passages occupy one contiguous range of rowids, recorded in the `sources` table,
so filtering by source is a rowid range FTS5 can use directly and removing a source is a range
delete. The FTS5 table is contentless: it holds the index alone, and each row's text, passage id
and offsets are stored in `blocks` of consecutive rows, one insert per block (one per row for
FTS5's content and its columns cost about a quarter of a build). Snippets are made by FTS5 from
a small in-memory table of the hits' texts, searched with the same query: snippet() looks only
at the row it shortens.

Ranking is bm25, whose cost grows with how many passages hold each query word (FTS5 counts
them on every query, about a microsecond each): see `Index._plan` for how very common words are
kept cheap, `Index._lazy` for prefixes, `Index._scored` for an OR of prefixes ranked as
bm25() would without FTS5's merges, and `Index._remembered` for why an unranked query is
mostly answered from the rows its plan counted. `related()` builds its OR query only from words
rare enough to stay within a budget.

Snippets mark matched words with `HIGHLIGHT_OPEN` and `HIGHLIGHT_CLOSE` ("[[" and "]]").
"""

from __future__ import annotations

import bisect
import contextlib
import math
import os
import re
import sqlite3
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from briefkit.errors import BriefkitError, QueryError, SourceError
from briefkit.library.cachedir import cache_folder
from briefkit.library.index_reader import (
    PIECE_CHARS,
    Read,
    ReaderProcess,
    SourceRows,
    Unreadable,
    file_sha256,
    read_rows,
)
from briefkit.library.index_terms import (
    doclist_pages,
    index_totals,
    prefix_terms,
    row_tokens,
    segment_count,
    term_frequencies,
)
from briefkit.library.indexed import IndexedFolder
from briefkit.library.model import SourceEntry

__all__ = ["HIGHLIGHT_CLOSE", "HIGHLIGHT_OPEN", "PIECE_CHARS", "SCHEMA_VERSION", "SCORED_PAGES", "Hit",
           "Index", "IndexReport"]

# Bump when the tables, the tokenizer or the way sources become passages change.
SCHEMA_VERSION = 4
HIGHLIGHT_OPEN = "[["
HIGHLIGHT_CLOSE = "]]"
INDEX_FILE = "index.sqlite"

# A query whose words are all in more passages than this is ranked over a bounded set of rows.
RANK_LIMIT = 2000
# related(): it looks up this many of the text's most frequent words, keeps those in at most
# RELATED_MAX_DF passages, and ORs the most distinctive ones matching RELATED_BUDGET rows in all.
RELATED_CANDIDATES = 40
RELATED_MAX_DF = 500
RELATED_BUDGET = 3000
RELATED_TERMS = 12
_SNIPPET_TOKENS = 24
FTS_HASH_BYTES = 16 << 20
# No FTS5 prefix index (`prefix=`): a three-letter one costs about 55% of FTS5's insert time on
# every build (50 MB: 2.8 -> 4.4 s CPU). A prefix term is instead found as an OR of the words it
# matches (see `Index._lazy`), where they are at most this many.
PREFIX_TERMS = 2000
# An OR holding prefix terms is ranked by `Index._scored` where their words' doclists span at
# least this many leaf pages (of about 4 KB): FTS5 merges them twice a query, about 0.1 ms a
# page each time, where reading their heads costs 5-10 ms a prefix.
SCORED_PAGES = 64
# A new index left in more segments than this by FTS5's merging is merged into one: a prefix
# term's words are each looked up in every segment (`_lazy`), and at 1M passages (5 segments)
# merging them halves the cost of a short prefix, for about 6% more build time. Smaller builds
# (50 MB: 2 segments) are left as they are.
MERGED_SEGMENTS = 2
# The best rows of this many queries ranked by `Index._scored` are remembered, at most.
_SCORED_QUERIES = 64
# Rows remembered from counting words (`Index._matches`), at most: 8 bytes each.
_REMEMBERED = 1 << 20
# When the sources to (re)index hold at least this many bytes, a second process reads, cleans
# and splits them while this one writes to FTS5: each step takes about as long as the other.
PARALLEL_BYTES = 8 << 20
# The reader process takes a moment to start (about 0.12 s: its interpreter and imports): this
# one reads and writes sources meanwhile, until the reader is ready, up to this much and at most
# a quarter of the update. The reader's first batch is small, so its first reads come soon.
_HEAD_BYTES = 4 << 20
_FIRST_BATCH_BYTES = 256 << 10
_BATCH_BYTES = 1 << 20  # then sources go to the reader in batches of about this size

# Idempotent, and run under one write lock, so two processes creating the index at once agree.
_SCHEMA = """
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources(
    id TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,      -- of the file's bytes
    first_row INTEGER NOT NULL,
    last_row INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS blocks(  -- consecutive rows of one source (SourceRows.blocks)
    first_row INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL,
    base INTEGER NOT NULL,     -- where `text` begins in the source's reading text
    text TEXT NOT NULL,
    ids TEXT NOT NULL,         -- each row's passage id, one a line
    numbers BLOB NOT NULL      -- paragraph, start, end, page (-1: none) of each row
);
CREATE VIRTUAL TABLE IF NOT EXISTS passages USING fts5(text, content = '', tokenize = {tokenize});
-- A bigger in-memory term hash before FTS5 writes a segment: fewer merges while building.
INSERT INTO passages(passages, rank) VALUES ('hashsize', {hash_bytes});
INSERT OR IGNORE INTO meta VALUES
    ('schema_version', '{version}'), ('generation', '0'), ('passages', '0');
COMMIT;
"""

_TOKENIZE = "'unicode61 remove_diacritics 2'"
# The hits of one search, for snippet(): in the connection's temporary (in-memory) database.
_FOUND = f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.found USING fts5(text, tokenize = {_TOKENIZE})"
_TOKEN = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer calls a token
# Query syntax that is only terms and phrases (an implicit AND), optionally prefix queries.
_QUERY_ATOM = re.compile(r'"(?:[^"]|"")*"\*?|[^\s"]+')
_PHRASE = re.compile(r'"(?:[^"]|"")*"\*?')
# An FTS5 expression's tokens: strings (with a prefix star), brackets, anything else up to a
# space; a lone '"' (never in an expression FTS5 accepted) is a token of its own.
_SYNTAX = re.compile(r'"(?:[^"]|"")*"\*?|[()]|[^\s"()]+|"')
_BOOLEAN = frozenset({"AND", "OR", "NOT"})
_BAREWORD = re.compile(r"[\w\x80-\U0010ffff]+\*?")
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_STOPWORDS = frozenset([
    "a", "about", "above", "after", "again", "against", "all", "also", "although", "am", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each",
    "even", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here",
    "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "may", "me", "might", "more", "most", "must", "my", "no", "nor", "not", "now", "of",
    "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same",
    "shall", "she", "should", "since", "so", "some", "such", "than", "that", "the", "their",
    "theirs", "them", "then", "there", "these", "they", "this", "those", "though", "through", "to",
    "too", "under", "until", "up", "upon", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "within", "without", "would", "yet",
    "you", "your"
])


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked search result: a passage, where it is, and a highlighted snippet."""

    passage_id: str
    source_id: str
    paragraph: int
    start: int
    end: int
    snippet: str  # matched words between HIGHLIGHT_OPEN and HIGHLIGHT_CLOSE
    score: float  # higher is better (negated bm25); 0.0 when the query was not ranked


@dataclass(slots=True)
class IndexReport:
    """What an `update()` did, by source id."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rebuilt: bool = False  # the index was missing, unreadable or of another schema version

    @property
    def touched(self) -> list[str]:
        """Sources whose passages were (re)written or deleted."""
        return [*self.added, *self.changed, *self.removed]


class Index:
    """The FTS5 index of one library. Each call opens its own connection, so threads may share it."""

    def __init__(self, library: IndexedFolder) -> None:
        self.library = library
        self._path: Path | None = None
        self._fresh = False  # update() has run through this object
        # The first rows (at most cap + 1) each one-word query matched, by word and (rows, cap).
        self._counts: dict[str, dict[tuple[int, int, int], array]] = {}
        self._counted = 0  # rows held in _counts
        self._counts_generation = -1
        self._terms: dict[bytes, str | None] = {}  # a prefix's words as an OR (None: too many)
        self._phrase_rows: dict[str, int] = {}  # rows holding each phrase bm25 weighed (_scored)
        # The best rows of each query `_scored` ranked, and their scores, by (query, window,
        # limit, rank_limit).
        self._scores: dict[tuple[str, int, int, int, int], list[tuple[int, float]]] = {}
        self.rank_limit = RANK_LIMIT
        self.parallel_bytes = PARALLEL_BYTES
        self.merged_segments = MERGED_SEGMENTS
        self.scored_pages = SCORED_PAGES

    @property
    def path(self) -> Path:
        """The database file, chosen (and its folder created) on first use."""
        if self._path is None:
            self._path = _database_path(self.library.root)
        return self._path

    def update(self) -> IndexReport:
        """Bring the index in line with the library, re-reading only sources whose bytes changed.

        Raises:
            SourceError: a changed source cannot be read; the index is left as it was.
        """
        report = IndexReport()
        with self._connection(report) as conn:
            if report.rebuilt:
                # A new file holds nothing to lose: skip the syncs while it is filled. Should the
                # machine stop mid-way, the damaged cache is found and rebuilt on next use.
                conn.execute("PRAGMA synchronous = OFF")
            conn.execute("BEGIN IMMEDIATE")
            try:
                stored = {row[0]: row for row in conn.execute(
                    "SELECT id, file, size, mtime_ns, sha256, first_row, last_row FROM sources")}
                pending = [change for source_id, entry in self.library.entries.items()
                           if (change := self._change(conn, entry, stored.pop(source_id, None),
                                                      report)) is not None]
                for source_id, row in stored.items():
                    _delete_rows(conn, row[5], row[6])
                    conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
                    report.removed.append(source_id)
                next_row = 1 + (conn.execute(
                    "SELECT max(last_row) FROM sources").fetchone()[0] or 0)
                parallel = (bool(pending) and (os.cpu_count() or 1) > 1
                            and sum(change.size for change in pending) >= self.parallel_bytes)
                written: list[tuple[str, str, int, int, str, int, int]] = []
                for change, read in _read_all(pending, parallel):
                    written.append(_write_source(conn, change, read, next_row))
                    next_row += len(read.ids)
                conn.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 written)
                conn.execute("UPDATE meta SET value = value + ? WHERE key = 'passages'",
                             (sum(row[6] - row[5] + 1 for row in written),))
                if report.touched:
                    conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
                if (report.rebuilt
                        and (segment_count(conn, "passages") or 0) > self.merged_segments):
                    conn.execute("INSERT INTO passages(passages) VALUES ('optimize')")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("PRAGMA journal_mode = WAL")
        self._fresh = True
        return report

    def search(self, query: str, *, source: str | None = None, limit: int = 20) -> list[Hit]:
        """Passages matching `query`, best first.

        The query may use FTS5 syntax (`"exact phrase"`, `sanction*`, `AND`/`OR`/`NOT`); text
        that is not valid FTS5 syntax (`U.S. sanctions`, `Maduro's`) is searched as its words.
        The first search through an `Index` object updates the index.

        Raises:
            QueryError: the query has nothing to search for or cannot be run.
            BriefkitError: `source` is not a source of the library.
        """
        if source is not None:
            self.library.entry(source)  # an unknown id gets the "did you mean" message
        if limit < 1:
            return []
        self._ensure_fresh()
        with self._connection() as conn:
            rows = self._rows(conn, source)
            if rows is None:
                return []
            plan = self._plan(conn, self._compile(conn, query), rows)
            if plan is None:
                return []
            expression, window, ranked = plan
            return self._ranked(conn, expression, window, limit, ranked)

    def related(self, text: str, *, exclude: Iterable[str] = (), limit: int = 10) -> list[Hit]:
        """Passages that share the most distinctive words of `text` (say, a position's summary).

        Args:
            text: any prose; its rarer words (by how few passages hold them) form an OR query.
            exclude: passage ids to leave out, such as passages already cited.
            limit: at most this many hits.
        """
        skip = set(exclude)
        if limit < 1:
            return []
        self._ensure_fresh()
        words = Counter(w for w in _TOKEN.findall(text.casefold())
                        if len(w) > 2 and w not in _STOPWORDS and not w.isdigit())
        if not words:
            return []
        with self._connection() as conn:
            rows = (1, _MAX_ROWID)
            total = conn.execute("SELECT value FROM meta WHERE key = 'passages'").fetchone()
            passages = max(1, int(total[0]) if total else 1)
            weighted: list[tuple[float, str, int]] = []
            for word, tf in words.most_common(RELATED_CANDIDATES):
                df = self._count(conn, _quote(word), rows, RELATED_MAX_DF)
                if 0 < df <= RELATED_MAX_DF:  # words in more passages than that say little
                    weighted.append((tf * math.log(1 + passages / df), word, df))
            weighted.sort(reverse=True)
            chosen: list[str] = []
            budget = RELATED_BUDGET
            for _, word, df in weighted:
                if df <= budget:
                    chosen.append(_quote(word))
                    budget -= df
                if len(chosen) == RELATED_TERMS:
                    break
            if not chosen:
                return []
            hits = self._ranked(conn, " OR ".join(chosen), rows, limit + len(skip))
        return [hit for hit in hits if hit.passage_id not in skip][:limit]

    # -- internals ---------------------------------------------------------------------------

    def _ensure_fresh(self) -> None:
        if not self._fresh:
            self.update()

    @contextlib.contextmanager
    def _connection(self, report: IndexReport | None = None) -> Iterator[sqlite3.Connection]:
        try:
            conn = _open(self.path, report)
        except sqlite3.Error as exc:
            raise BriefkitError(f"cannot open the search index: {exc}", path=self.path) from None
        try:
            generation = int(conn.execute(
                "SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])
            if generation != self._counts_generation:
                self._counts.clear()
                self._counted = 0
                self._terms.clear()
                self._phrase_rows.clear()
                self._scores.clear()
                self._counts_generation = generation
            yield conn
        except sqlite3.Error as exc:
            raise BriefkitError(f"search index error: {exc}", path=self.path) from None
        finally:
            conn.close()

    def _change(self, conn: sqlite3.Connection, entry: SourceEntry, row: tuple | None,
                report: IndexReport) -> _Change | None:
        """What must be written for one source: nothing when its bytes are the ones indexed."""
        try:
            stat = entry.file.stat()
        except OSError as exc:
            raise SourceError(f"cannot read source file: {exc.strerror}",
                              path=entry.file) from None
        name = _relative(entry.file, self.library.root)
        if row is not None and (row[1], row[2], row[3]) == (name, stat.st_size, stat.st_mtime_ns):
            report.unchanged.append(entry.id)
            return None
        self.library.check_inside(entry)  # read only files inside the library folder
        # A new source's bytes are hashed where they are read (in the reader process, if any).
        if row is not None and row[4] == file_sha256(entry.file):
            conn.execute("UPDATE sources SET file = ?, size = ?, mtime_ns = ? WHERE id = ?",
                         (name, stat.st_size, stat.st_mtime_ns, entry.id))
            report.unchanged.append(entry.id)
            return None
        (report.added if row is None else report.changed).append(entry.id)
        old = (row[5], row[6]) if row is not None else None
        return _Change(entry, name, stat.st_size, stat.st_mtime_ns, old)

    def _rows(self, conn: sqlite3.Connection, source: str | None) -> tuple[int, int] | None:
        """The rowid range to search: everything, or one source's passages (None: it has none)."""
        if source is None:
            return (1, _MAX_ROWID)
        row = conn.execute("SELECT first_row, last_row FROM sources WHERE id = ?",
                           (source,)).fetchone()
        return None if row is None else (row[0], row[1])

    def _compile(self, conn: sqlite3.Connection, query: str) -> str:
        """The FTS5 expression for `query`: as typed when FTS5 accepts it, else its quoted words."""
        text = "".join(ch for ch in query if ch.isprintable()).strip()
        if not _TOKEN.search(text):
            raise QueryError(f"nothing to search for in {query!r}: type some words")
        if _atoms(text) is not None:
            return text  # only words and phrases: valid as it stands
        quoted = " ".join(_quote(atom) for atom in text.split() if _TOKEN.search(atom))
        conn.execute(_FOUND)
        for expression in dict.fromkeys((text, quoted)):
            # Parsed by the small table of hits (same column, same tokenizer): FTS5 sets up a
            # prefix term on the index by merging all its words' rows, even to match no rowid
            # ('se* OR vo*' at 1M passages: 93-117 ms on a loaded machine; 0.3 ms here).
            try:
                conn.execute("SELECT 1 FROM temp.found WHERE found MATCH ? AND rowid = 0",
                             (expression,)).fetchall()
                return expression
            except sqlite3.OperationalError as exc:
                error = exc
        raise QueryError(f"cannot search for {query!r}: {error}")

    def _plan(self, conn: sqlite3.Connection, expression: str,
              rows: tuple[int, int]) -> tuple[str, tuple[int, int], bool] | None:
        """What to run: (expression, rowid range, ranked?); None when nothing can match.

        bm25 weighs each word by how many passages of the whole library hold it, and FTS5
        counts those passages on every query, about a microsecond each: a word in most passages
        ("the") costs that much even beside a rare one. So single words held by more than
        `rank_limit` passages are dropped from a query that keeps a rarer word. A query of such
        words only ("the", "of the") is not ranked: its first `limit` matches in library order
        are taken from below the `rank_limit`-th row holding its first word, which bounds the
        work. A query with operators is ranked as typed, over its first `rank_limit` matches.
        """
        atoms = _atoms(expression)
        if atoms is None:
            return expression, self._window(conn, expression, rows), True
        everywhere = (1, _MAX_ROWID)
        kept: list[str] = []
        ranked = False
        for atom, words in atoms:
            counts = [self._count(conn, word, everywhere, self.rank_limit) for word in words]
            if min(counts) == 0:
                return None
            common = min(counts) > self.rank_limit
            if not common or len(words) > 1:
                kept.append(atom)  # a phrase stays even when all its words are common
            ranked = ranked or not common
        if ranked:
            return " ".join(kept), rows, True
        bound = self._matches(conn, atoms[0][1][0], rows, self.rank_limit)[1]
        return expression, rows if bound is None else (rows[0], bound), False

    def _window(self, conn: sqlite3.Connection, expression: str,
                rows: tuple[int, int]) -> tuple[int, int]:
        """`rows`, cut at the `rank_limit`-th row that `expression` matches."""
        bound = self._matches(conn, expression, rows, self.rank_limit)[1]
        return rows if bound is None else (rows[0], bound)

    def _count(self, conn: sqlite3.Connection, expression: str, rows: tuple[int, int],
               cap: int) -> int:
        """How many rows match, counting no further than `cap` + 1 (remembered per update)."""
        return self._matches(conn, expression, rows, cap)[0]

    def _matches(self, conn: sqlite3.Connection, expression: str, rows: tuple[int, int],
                 cap: int) -> tuple[int, int | None]:
        """`_count`, and the rowid of the `cap`-th match (None: fewer match), found at once."""
        found = self._matched_rows(conn, expression, rows, cap)
        return len(found), found[cap - 1] if 0 < cap <= len(found) else None

    def _matched_rows(self, conn: sqlite3.Connection, expression: str, rows: tuple[int, int],
                      cap: int) -> array:
        """The first `cap` + 1 rowids in `rows` that `expression` matches (remembered)."""
        remembered = self._counts.get(expression, {})
        found = remembered.get((*rows, cap))
        if found is None:
            found = _told(remembered, rows, cap)
            if found is not None:
                return found
            found = array("q", (rowid for (rowid,) in conn.execute(
                "SELECT rowid FROM passages WHERE passages MATCH ? AND rowid BETWEEN ? AND ?"
                " ORDER BY rowid LIMIT ?", (self._lazy(conn, expression), *rows, cap + 1))))
            self._counted += len(found)
            if self._counted > _REMEMBERED:  # a long session's words: start again, not grow
                self._counts.clear()
                self._counted = len(found)
            self._counts.setdefault(expression, {})[(*rows, cap)] = found
        return found

    def _remembered(self, expression: str, rows: tuple[int, int],
                    limit: int) -> list[int] | None:
        """The first `limit` rowids in `rows` that an implicit AND of one-word terms matches,
        from the rows `_matches` found for each word; None when those do not tell (a phrase, an
        operator, or a word whose remembered rows end too soon). The rows an unranked query
        returns were nearly always found while planning it, and asking FTS5 again costs as
        much as finding them did: a common prefix's OR of a thousand words is set up anew."""
        atoms = _atoms(expression)
        if atoms is None or any(len(words) != 1 for _, words in atoms):
            return None
        spans = []  # per word: (first, last) rowids its remembered rows tell about, and them
        for _, (word,) in atoms:
            best = None
            for (low, high, cap), found in list(self._counts.get(word, {}).items()):
                known = high if len(found) <= cap else found[-1]
                if low <= rows[0] and (best is None or known > best[1]):
                    best = (low, known, found)
            if best is None:
                return None
            spans.append(best)
        (_, driver_end, driver), others = spans[0], spans[1:]
        members = [set(found) for _, _, found in others]
        horizon = min((end for _, end, _ in others), default=_MAX_ROWID)
        hits: list[int] = []
        for rowid in driver[bisect.bisect_left(driver, rows[0]):]:
            if rowid > rows[1]:
                return hits
            if rowid > horizon:
                return None
            if all(rowid in found for found in members):
                hits.append(rowid)
                if len(hits) == limit:
                    return hits
        return hits if driver_end >= rows[1] else None

    def _lazy(self, conn: sqlite3.Connection, expression: str) -> str:
        """`expression` matching the same rows, its one-word prefix terms ("gover*") written as
        an OR of the index's words with that prefix: FTS5 reads such an OR as far as a query
        needs, where its own prefix query merges the full lists of all those words first (0.7 s
        for "the*" at 1.1M passages). Not for ranking: bm25 weighs an OR's words one by one.

        Terms side by side are an implicit AND that binds tighter than NOT, AND and OR, and FTS5
        allows no "(" among them: a run of terms holding a rewritten one becomes a bracketed
        explicit AND. Expressions with other syntax (NEAR, column filters, ^) stay as they are."""
        if "*" not in expression:
            return expression
        out: list[str] = []
        run: list[str] = []  # the terms of the current implicit AND, rewritten
        changed = False
        for token in _SYNTAX.findall(expression):
            if token in ("(", ")") or token in _BOOLEAN:
                if run:
                    out.append(run[0] if len(run) == 1 else "(" + " AND ".join(run) + ")")
                    run = []
                out.append(token)
            elif token in _OPERATORS or not (_BAREWORD.fullmatch(token)
                                             or _PHRASE.fullmatch(token)):
                return expression
            else:
                lazy = self._prefix_terms(conn, token)
                changed = changed or lazy != token
                run.append(lazy)
        if run:
            out.append(run[0] if len(run) == 1 else "(" + " AND ".join(run) + ")")
        return " ".join(out) if changed else expression

    def _prefix_terms(self, conn: sqlite3.Connection, atom: str) -> str:
        """A one-word prefix term as an OR of the words it matches, or `atom` as it is: where
        it is something else, where FTS5 folds its letters otherwise than ASCII lowercasing
        does, or where too many or no words match (FTS5's own query is then as good)."""
        words = _TOKEN.findall(atom)
        if not (atom.endswith("*") and len(words) == 1 and words[0].isascii()
                and (_BAREWORD.fullmatch(atom) or _PHRASE.fullmatch(atom))):
            return atom
        prefix = words[0].lower().encode()
        if prefix not in self._terms:
            terms = prefix_terms(conn, "passages", prefix)
            self._terms[prefix] = None if terms is None or not 0 < len(terms) <= PREFIX_TERMS \
                else "(" + " OR ".join(_quote(term.decode()) for term in terms) + ")"
        return self._terms[prefix] or atom

    def _scored(self, conn: sqlite3.Connection, expression: str, rows: tuple[int, int],
                limit: int) -> list[tuple[int, float]] | None:
        """(rowid, bm25) of the best `limit` rows in `rows` that `expression` matches, as FTS5's
        bm25() ranks them, for an OR of one-word terms holding prefix terms that `_lazy`
        rewrites, whose words' doclists span `scored_pages` pages or more; None for other
        expressions (FTS5 ranks them), or where the index's records do not tell.

        For a prefix term FTS5 merges the whole doclists of all its words twice, to match rows
        and to count the rows bm25 weighs it by ('se* OR vo*' at 1M passages: 120 ms). Here the
        rows come from the lazy OR, each term's tokens in each row from the heads of its words'
        doclists (`term_frequencies`), row lengths from FTS5's own records, and the rows holding
        each term are counted once per update; the sum is FTS5's, in its order of operations
        (fts5_aux.c), so the scores are the same numbers. Only from the index's first row: the
        doclists are read from their start. The best rows are remembered until the next update:
        type-ahead sends a query again, and reading the heads took 12-30 ms of each repeat."""
        terms = _or_terms(expression)
        if terms is None or rows[0] > 1:
            return None
        key = (expression, *rows, limit, self.rank_limit)
        if key in self._scores:
            return self._scores[key]
        prefixes = [(low, high) for atom, low, high in terms
                    if atom.endswith("*") and self._prefix_terms(conn, atom) != atom]
        pages = [doclist_pages(conn, "passages", low, high) for low, high in prefixes]
        if not prefixes or None in pages or sum(filter(None, pages)) < self.scored_pages:
            return None
        # The window holds at most rank_limit matches (`_window`): all of them, remembered.
        matched = list(self._matched_rows(conn, expression, rows, self.rank_limit))
        tokens: list[dict[int, int]] = []
        for _, low, high in terms:
            found = term_frequencies(conn, "passages", low, high, rows)
            if found is None:
                return None
            tokens.append(found)
        totals = index_totals(conn, "passages")
        if totals is None or set(matched) != set().union(*tokens):
            return None  # the doclists as read disagree with FTS5: let it rank
        total_rows, total_tokens = totals
        average = total_tokens / total_rows
        weights = []
        for atom, _, _ in terms:
            hits = self._phrase_count(conn, atom)
            idf = math.log((total_rows - hits + 0.5) / (hits + 0.5))
            weights.append(idf if idf > 0.0 else 1e-6)
        k1, b = 1.2, 0.75
        sizes = row_tokens(conn, "passages", matched)
        if len(sizes) != len(matched):
            return None  # no row lengths kept (columnsize=0)
        scores = []
        for rowid in matched:
            length = float(sizes[rowid])
            norm = k1 * (1 - b + b * length / average)
            score = 0.0
            for weight, found in zip(weights, tokens):
                if rowid in found:  # a term the row lacks adds 0.0, which changes no sum
                    frequency = float(found[rowid])
                    score += weight * ((frequency * (k1 + 1.0)) / (frequency + norm))
            scores.append((-1.0 * score, rowid))
        scores.sort()
        if len(self._scores) >= _SCORED_QUERIES:
            self._scores.clear()
        best = self._scores[key] = [(rowid, score) for score, rowid in scores[:limit]]
        return best

    def _phrase_count(self, conn: sqlite3.Connection, atom: str) -> int:
        """How many rows hold `atom`, as bm25 counts them: FTS5 merges a prefix's whole
        doclists to count them ('se*' and 'vo*' at 1M passages: 70-140 ms), so once per update."""
        if atom not in self._phrase_rows:
            (self._phrase_rows[atom],) = conn.execute(
                "SELECT count(*) FROM passages WHERE passages MATCH ?", (atom,)).fetchone()
        return self._phrase_rows[atom]

    def _ranked(self, conn: sqlite3.Connection, expression: str, rows: tuple[int, int],
                limit: int, ranked: bool = True) -> list[Hit]:
        # ORDER BY bm25() rather than FTS5's "ORDER BY rank", which ignores the rowid range.
        remembered = None if ranked else self._remembered(expression, rows, limit)
        scored = self._scored(conn, expression, rows, limit) if ranked else None
        if remembered is not None:
            found = [(rowid, 0.0) for rowid in remembered]
        elif scored is not None:
            found = scored
        else:
            order = "score" if ranked else "rowid"
            score = "bm25(passages)" if ranked else "0.0"
            found = conn.execute(
                f"SELECT rowid, {score} AS score FROM passages WHERE passages MATCH ?"
                f" AND rowid BETWEEN ? AND ? ORDER BY {order} LIMIT ?",
                (expression if ranked else self._lazy(conn, expression), *rows, limit)).fetchall()
        if not found:
            return []
        stored = _stored_rows(conn, [rowid for rowid, _ in found])
        conn.execute(_FOUND)
        conn.execute("DELETE FROM temp.found")
        conn.executemany("INSERT INTO temp.found(rowid, text) VALUES (?, ?)",
                         ((rowid, row.text) for rowid, row in stored.items()))
        snippets = dict(conn.execute(
            "SELECT rowid, snippet(found, 0, ?, ?, '…', ?) FROM temp.found WHERE found MATCH ?",
            (HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE, _SNIPPET_TOKENS, expression)))
        return [Hit(row.passage_id, row.source_id, row.paragraph, row.start, row.end,
                    snippets[rowid], -score if ranked else 0.0)
                for rowid, score in found for row in (stored[rowid],)]


_MAX_ROWID = 2**63 - 1


@dataclass(frozen=True, slots=True)
class _Change:
    """A source whose passages are (re)written by an update."""

    entry: SourceEntry
    file: str  # relative to the library folder where possible
    size: int
    mtime_ns: int
    old: tuple[int, int] | None  # the rowid range its previous passages occupy


def _checked(read: Read) -> SourceRows:
    if isinstance(read, Unreadable):
        raise SourceError(read.message, path=read.path)
    return read


def _read_all(changes: list[_Change], parallel: bool) -> Iterator[tuple[_Change, SourceRows]]:
    """Each change with its rows, in order; read by a second process when `parallel`, or by
    this one where no process can be started."""
    done = 0
    if parallel:
        try:
            for item in _read_in_reader(changes):
                yield item
                done += 1
        except (OSError, RuntimeError):
            pass  # no reader process here, or it stopped: read the rest in this one
    for change in changes[done:]:
        yield change, _checked(read_rows(change.entry))


def _read_in_reader(changes: list[_Change]) -> Iterator[tuple[_Change, SourceRows]]:
    """The first sources read here while the reader process starts, the rest by that process."""
    reader = ReaderProcess()
    try:
        head_bytes = min(_HEAD_BYTES, sum(change.size for change in changes) // 4)
        head, size = 0, 0
        while head < len(changes) and size < head_bytes and not reader.started:
            yield changes[head], _checked(read_rows(changes[head].entry))
            size += changes[head].size
            head += 1
        batches: list[list[_Change]] = []
        size = _BATCH_BYTES
        for change in changes[head:]:
            if size >= _BATCH_BYTES or (len(batches) == 1 and size >= _FIRST_BATCH_BYTES):
                batches.append([])
                size = 0
            batches[-1].append(change)
            size += change.size
        reads = reader.reads([[change.entry for change in batch] for batch in batches])
        for batch, results in zip(batches, reads):
            for change, read in zip(batch, results):
                yield change, _checked(read)
    finally:
        reader.close()


def _write_source(conn: sqlite3.Connection, change: _Change, read: SourceRows,
                  first: int) -> tuple[str, str, int, int, str, int, int]:
    """Replace one source's passages from rowid `first` on; returns its `sources` row."""
    if change.old is not None:
        _delete_rows(conn, *change.old)
    source_id = change.entry.id
    conn.executemany("INSERT INTO passages(rowid, text) VALUES (?, ?)", read.texts(first))
    conn.executemany("INSERT INTO blocks VALUES (?, ?, ?, ?, ?, ?)",
                     read.blocks(first, source_id))
    return (source_id, change.file, change.size, change.mtime_ns, read.digest, first,
            first + len(read.ids) - 1)


def _delete_rows(conn: sqlite3.Connection, first: int, last: int) -> None:
    # A contentless FTS5 table forgets a row when it is given the text it indexed.
    conn.executemany("INSERT INTO passages(passages, rowid, text) VALUES ('delete', ?, ?)",
                     [(rowid, row.text) for rowid, row in _block_rows(conn, first, last)])
    conn.execute("DELETE FROM blocks WHERE first_row BETWEEN ? AND ?", (first, last))
    conn.execute("UPDATE meta SET value = value - ? WHERE key = 'passages'",
                 (last - first + 1,))


class _StoredRow(NamedTuple):
    """One row as `blocks` holds it."""

    passage_id: str
    source_id: str
    paragraph: int
    start: int
    end: int
    text: str


def _block_rows(conn: sqlite3.Connection, first: int, last: int,
                wanted: set[int] | None = None) -> Iterator[tuple[int, _StoredRow]]:
    """(rowid, row) of the rows of the blocks that begin between rowids `first` and `last`
    (only those in `wanted`, when given)."""
    for first_row, source_id, base, text, ids, blob in conn.execute(
            "SELECT first_row, source_id, base, text, ids, numbers FROM blocks"
            " WHERE first_row BETWEEN ? AND ? ORDER BY first_row", (first, last)):
        numbers = array("q")
        numbers.frombytes(blob)
        if sys.byteorder == "big":
            numbers.byteswap()
        passage_ids = ids.split("\n")
        for rowid in (range(first_row, first_row + len(passage_ids)) if wanted is None
                      else sorted(wanted)):
            at = rowid - first_row
            if 0 <= at < len(passage_ids):
                paragraph, start, end = numbers[4 * at : 4 * at + 3]
                yield rowid, _StoredRow(passage_ids[at], source_id, paragraph, start, end,
                                        text[start - base : end - base])


def _stored_rows(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, _StoredRow]:
    """The stored rows with these rowids, from the blocks that hold them."""
    rows: dict[int, _StoredRow] = {}
    wanted = set(rowids)
    for rowid in rowids:
        if rowid not in rows:
            (first,) = conn.execute("SELECT max(first_row) FROM blocks WHERE first_row <= ?",
                                    (rowid,)).fetchone()
            rows.update(_block_rows(conn, first, first, wanted))
    return {rowid: rows[rowid] for rowid in rowids}


def _told(remembered: dict[tuple[int, int, int], array], rows: tuple[int, int],
          cap: int) -> array | None:
    """The first `cap` + 1 rowids in `rows` matched, from rows remembered for a range that
    begins no later and tells about them all (None: none does). `_scored` ranks the rows of the
    window `_window` cut from the rows it counted: asking FTS5 again cost a prefix OR's set-up
    once more ('se* OR vo*' at 1M passages: 12-20 ms)."""
    for (low, high, known_cap), found in remembered.items():
        known = high if len(found) <= known_cap else found[-1]  # every match up to here is held
        if low <= rows[0]:
            inside = found[bisect.bisect_left(found, rows[0]):bisect.bisect_right(found, rows[1])]
            if known >= rows[1] or len(inside) > cap:
                return inside[:cap + 1]
    return None


def _quote(term: str) -> str:
    """A term as an FTS5 string (a phrase of its tokens), keeping a trailing `*` as a prefix."""
    star = term.endswith("*") and len(term) > 1
    body = term[:-1] if star else term
    return '"' + body.replace('"', '""') + '"' + ("*" if star else "")


def _or_terms(expression: str) -> list[tuple[str, bytes, bytes]] | None:
    """Each term (in order) of an OR of one-word ASCII terms, with the range of index terms it
    matches ("se*": from "se" up to "sf"); None for any other expression. In such an OR a term
    counts in a row bm25 ranks exactly where the row holds it, and the rows matched are all
    the rows holding a term: its doclists are read no further than the rows ranked."""
    tokens = _SYNTAX.findall(expression)
    if len(tokens) < 3 or len(tokens) % 2 == 0 or set(tokens[1::2]) != {"OR"}:
        return None
    terms = []
    for atom in tokens[0::2]:
        words = _TOKEN.findall(atom)
        if not ((_BAREWORD.fullmatch(atom) or _PHRASE.fullmatch(atom)) and len(words) == 1
                and words[0].isascii() and "_" not in atom):
            return None
        low = words[0].lower().encode()
        high = low[:-1] + bytes([low[-1] + 1]) if atom.endswith("*") else low + b"\0"
        terms.append((atom, low, high))
    return terms


def _atoms(expression: str) -> list[tuple[str, list[str]]] | None:
    """The terms and phrases of an implicit-AND query, each with its words as one-word FTS5
    queries (a prefix stays on the last word); None for a query that uses operators, or has
    a quote mark no phrase closes (`"maximum pre`, as typed on the way to a phrase)."""
    atoms: list[tuple[str, list[str]]] = []
    if _QUERY_ATOM.sub("", expression).strip():
        return None
    for atom in _QUERY_ATOM.findall(expression):
        if atom in _OPERATORS or not (_BAREWORD.fullmatch(atom) or _PHRASE.fullmatch(atom)):
            return None
        words = _TOKEN.findall(atom.rstrip("*"))
        if atom.endswith("*") and words:
            words[-1] += "*"
        if words:
            atoms.append((atom, [_quote(word) for word in words]))
    return atoms or None


def _relative(file: Path, root: Path) -> str:
    """`file` relative to `root` in POSIX form, or whole when outside it. A string prefix first:
    pathlib's relative_to took 18 µs a source (2,000 sources: 36 ms of a build)."""
    text, base = str(file), str(root) + os.sep
    if text.startswith(base) and os.sep == "/":
        return text[len(base):]
    try:
        return file.relative_to(root).as_posix()
    except ValueError:
        return str(file)


def _database_path(root: Path) -> Path:
    return cache_folder(root) / INDEX_FILE


def _open(path: Path, report: IndexReport | None) -> sqlite3.Connection:
    """Connect, creating the schema, and rebuilding a database of another version or a broken one."""
    for attempt in (1, 2):
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA temp_store = MEMORY")  # the hits of a search, for snippets
            version = _schema_version(conn)
            if version == SCHEMA_VERSION:
                # Write-ahead logging: searches read the last committed index during an update.
                conn.execute("PRAGMA journal_mode = WAL")
                return conn
            if version is None:
                # A new index is built with a rollback journal, which writes each page once
                # rather than twice; update() switches it to WAL when the build is committed.
                conn.executescript(_SCHEMA.format(version=SCHEMA_VERSION, hash_bytes=FTS_HASH_BYTES,
                                                  tokenize=_TOKENIZE))
                if report is not None:
                    report.rebuilt = True
                return conn
        except sqlite3.OperationalError:
            conn.close()  # locked or unreadable: not a reason to delete it
            raise
        except sqlite3.DatabaseError:  # not a database, or a damaged one: it is only a cache
            if attempt == 2:
                conn.close()
                raise
        conn.close()
        _remove_database(path)
    raise BriefkitError("cannot create the search index", path=path)


def _schema_version(conn: sqlite3.Connection) -> int | None:
    """The stored schema version; None for an empty database, -1 for a foreign one."""
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    if not tables:
        return None
    if "meta" not in tables:
        return -1
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else -1


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError as exc:
            raise BriefkitError(f"cannot replace the search index: {exc.strerror}",
                                path=path) from None

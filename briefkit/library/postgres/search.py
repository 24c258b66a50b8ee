"""Ranked passage search in a team library: PostgreSQL full text, re-ranked with BM25.

The query language is the folder index's: words (all must occur), `"exact phrases"`,
`prefix*`, `OR`, `NOT` or `-word`. Words are stemmed by PostgreSQL's English configuration.

PostgreSQL ranks with `ts_rank_cd`, which weighs term frequency and proximity but not how rare
a word is. The GIN index finds the matches (at most `RANK_LIMIT` of them are ranked: a word in
half the library would otherwise be ranked in every passage that holds it), or, for a query
of common words whose posting lists the index would read whole, the first passages in the
table (the order a push stored them in) are read until they hold enough (query_cost.py estimates both ways from the
document frequencies and chooses); the best `RERANK` by `ts_rank_cd` are re-ranked
with BM25 (k1 1.2, b 0.75, as SQLite FTS5) from the document frequencies kept in `lexemes`
and each passage's length; `ts_headline` then runs on the hits returned only (it re-parses
each body). tests/team/test_relevance.py measures both rankings against the folder index.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable
from typing import Any

import psycopg
from psycopg import sql

from briefkit.errors import QueryError
from briefkit.library.index import Hit, IndexReport
from briefkit.library.postgres.indexed import IndexedDatabase
from briefkit.library.postgres.query_cost import estimate, plan

__all__ = ["PREFIX_STEMS", "RANKINGS", "RANK_LIMIT", "RERANK", "Compiled", "PostgresIndex",
           "compile_query"]

PREFIX_STEMS = 16  # a prefix opens at most this many stems (the most frequent)
# A query matching more passages than this is ranked among the first RANK_LIMIT found (as the
# folder index does): ranking every passage holding a very common word costs in proportion.
RANK_LIMIT = 2000
RERANK = 200  # candidates re-ranked with BM25 (a query with fewer matches is ranked exactly)
RANKINGS = ("bm25", "ts_rank")
_K1, _B = 1.2, 0.75
# related(): as the folder index, the text's most frequent words, those in at most
# RELATED_MAX_DF passages, the most distinctive RELATED_TERMS of them ORed.
RELATED_CANDIDATES = 40
RELATED_MAX_DF = 500
RELATED_TERMS = 12
_HEADLINE = 'StartSel="[[", StopSel="]]", MaxWords=24, MinWords=12, ShortWord=2'

_ATOM = re.compile(r'-?"(?:[^"]|"")*"\*?|\S+')
_TOKEN = re.compile(r"[^\W_]+")
_QUERY_LEXEME = re.compile(r"(!?)'((?:[^']|'')*)'")


@dataclass(frozen=True, slots=True)
class Compiled:
    """A query as SQL: the tsquery expression, its parameters, and the exact phrases asked for
    (English stopwords drop out of a tsquery, so "against Venezuelan" would match any
    "Venezuelan": passages holding the phrase word for word rank first)."""

    expr: sql.Composable
    params: list[str]
    phrases: list[str]
    prefixes: list[list[str]] = field(default_factory=list)  # the stems each prefix opened


def compile_query(query: str, expand: Callable[[str], list[str]]) -> Compiled:
    """The tsquery for `query` in the folder index's syntax.

    Args:
        expand: the stems of the words a prefix opens (`PostgresIndex.expand`); "" stands for
            stopwords, which a prefix opening only those ignores, as a stopword is ignored.

    Raises:
        QueryError: the query holds no word to search for.
    """
    expr: sql.Composable | None = None
    params: list[str] = []
    phrases: list[str] = []
    prefixes: list[list[str]] = []
    op = "&"
    for atom in _ATOM.findall(query):
        if atom in ("OR", "AND", "NOT"):
            op = {"OR": "|", "AND": "&", "NOT": "!"}[atom]
            continue
        negated = atom.startswith("-") and len(atom) > 1
        atom = atom[1:] if negated else atom
        prefix = atom.endswith("*")
        body = atom.rstrip("*")
        phrase = body.startswith('"') and body.endswith('"') and len(body) >= 2
        text = body[1:-1].replace('""', '"') if phrase else body
        tokens = _TOKEN.findall(text)
        if not tokens:
            continue
        if prefix:
            opened = expand(tokens[-1].casefold())
            stems = [stem for stem in opened if stem] or ([] if opened else [tokens[-1].casefold()])
            if not stems:
                continue
            prefixes.append(stems)
            part: sql.Composable = sql.SQL("%s::tsquery")
            params.append(" | ".join(_literal(stem) for stem in stems))
            if len(tokens) > 1:  # "united sta*": the words before, then the prefix
                part = sql.SQL("tsquery_phrase(phraseto_tsquery('english', %s), {})").format(part)
                params.insert(len(params) - 1, " ".join(tokens[:-1]))
        elif phrase:
            part = sql.SQL("phraseto_tsquery('english', %s)")
            params.append(text)
            if not negated and len(tokens) > 1:
                phrases.append(" ".join(tokens).casefold())
        else:
            part = sql.SQL("plainto_tsquery('english', %s)")
            params.append(text)
        if negated:
            op = "!"
        if expr is None:
            expr = sql.SQL("!!{}").format(part) if op == "!" else part
        else:
            joined = {"&": "({} && {})", "|": "({} || {})", "!": "({} && !!{})"}[op]
            expr = sql.SQL(joined).format(expr, part)  # type: ignore[arg-type]
        op = "&"
    if expr is None:
        raise QueryError(f"nothing to search for in {query!r}: give a word", field="QUERY")
    return Compiled(expr, params, phrases, prefixes)


class PostgresIndex:
    """Search over a `PostgresLibrary`; the database is the index, so `update()` has no work."""

    def __init__(self, library: IndexedDatabase, *, ranking: str = "bm25") -> None:
        if ranking not in RANKINGS:
            raise ValueError(f"ranking must be one of {RANKINGS}")
        self.library = library  # its connections read tables from their first page (library.py)
        self.ranking = ranking

    def update(self) -> IndexReport:
        return IndexReport(unchanged=list(self.library.entries))

    def search(self, query: str, *, source: str | None = None, limit: int = 20) -> list[Hit]:
        """Passages matching `query`, best first, with highlighted snippets.

        Raises:
            QueryError: the query has no word to search for.
            BriefkitError: `source` is not a source of the library, or the server fails.
        """
        if source is not None:
            self.library.entry(source)
        if limit < 1:
            return []
        return self._ranked(compile_query(query, self.expand), limit, source=source)

    def expand(self, prefix: str) -> list[str]:
        """The stems of the library's words that start with `prefix`, most frequent first."""
        lib = self.library
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = lib.read(lambda conn: conn.execute(
            "SELECT w.lexeme FROM (SELECT DISTINCT lexeme FROM words WHERE library_id = %s "
            "AND word >= %s AND word < %s) w LEFT JOIN lexemes l ON l.library_id = %s "
            "AND l.lexeme = w.lexeme ORDER BY l.df DESC NULLS LAST LIMIT %s",
            (lib.library_id, prefix, upper, lib.library_id, PREFIX_STEMS)).fetchall())
        return [row[0] for row in rows]

    def related(self, text: str, *, exclude: Iterable[str] = (), limit: int = 10) -> list[Hit]:
        """Passages sharing the most distinctive words of `text`, as the folder index chooses."""
        skip = set(exclude)
        if limit < 1 or not _TOKEN.search(text):
            return []
        def words(conn: psycopg.Connection) -> tuple[list[Any], int]:
            return conn.execute(
                "SELECT u.lexeme, array_length(u.positions, 1), l.df "
                "FROM unnest(to_tsvector('english', %s)) u "
                "JOIN lexemes l ON l.library_id = %s AND l.lexeme = u.lexeme "
                "WHERE length(u.lexeme) > 2 AND u.lexeme !~ '^[0-9]+$'",
                (text, self.library.library_id)).fetchall(), self._totals(conn)[0]

        rows, total = self.library.read(words)
        rows.sort(key=lambda r: -r[1])
        weighted = sorted(((tf * math.log(1 + total / df), lexeme)
                           for lexeme, tf, df in rows[:RELATED_CANDIDATES]
                           if 0 < df <= RELATED_MAX_DF), reverse=True)
        chosen = [lexeme for _, lexeme in weighted[:RELATED_TERMS]]
        if not chosen:
            return []
        literal = " | ".join(_literal(lexeme) for lexeme in chosen)
        hits = self._ranked(Compiled(sql.SQL("%s::tsquery"), [literal], []), limit + len(skip))
        return [hit for hit in hits if hit.passage_id not in skip][:limit]

    # -- internals ---------------------------------------------------------------------------

    def _totals(self, conn: psycopg.Connection) -> tuple[int, float]:
        """Passages in the library and their mean length in words (BM25's N and avgdl)."""
        row = conn.execute(
            "SELECT passages, total_length FROM libraries WHERE id = %s",
            (self.library.library_id,)).fetchone()
        passages = max(1, int(row[0])) if row else 1
        return passages, (int(row[1]) / passages if row else 1.0) or 1.0

    def _ranked(self, query: Compiled, limit: int, *, source: str | None = None) -> list[Hit]:
        return self.library.read(lambda conn: self._ranked_on(conn, query, limit, source))

    def _ranked_on(self, conn: psycopg.Connection, query: Compiled, limit: int,
                   source: str | None) -> list[Hit]:
        lib = self.library
        expr, params = query.expr, query.params
        only = sql.SQL(" AND m.source_id = %s") if source is not None else sql.SQL("")
        where: list[Any] = [lib.library_id, *([source] if source is not None else [])]
        # Cover density costs in proportion to the terms: a prefix's OR of 16 stems made
        # ts_rank_cd of 2,000 matches 110 ms (ts_rank: 18 ms); BM25 orders the candidates after.
        rank = sql.Identifier("ts_rank" if query.prefixes else "ts_rank_cd")
        tree_row = conn.execute(sql.SQL("SELECT querytree({})").format(expr), params).fetchone()
        tree = tree_row[0] if tree_row else ""
        lexemes = _lexemes(tree)
        df = dict(conn.execute(
            "SELECT lexeme, df FROM lexemes WHERE library_id = %s AND lexeme = ANY(%s)",
            (lib.library_id, _lexemes(tree, negated=True))).fetchall())
        totals = self._totals(conn)
        found = [sql.SQL("SELECT m.* FROM passages m, q WHERE m.library_id = %s{only} "
                         "AND m.tsv @@ q.q LIMIT %s").format(only=only)]
        # A common word: its first matches in the table, read in order, are the index's
        # first ones too (which it finds only after reading its whole list of passages).
        way = plan(estimate(tree, df, *totals), totals[0], limit, RANK_LIMIT, RERANK)
        if way.scan_rows:
            found.insert(0, sql.SQL(
                "SELECT m.* FROM (SELECT * FROM passages m WHERE m.library_id = %s{only} "
                "LIMIT {rows}) m, q WHERE m.tsv @@ q.q LIMIT %s").format(
                    only=only, rows=sql.Literal(way.scan_rows)))
        exact = way.scan_rows >= totals[0]  # the passages read in order were all of them
        for matches in found:
            candidates = conn.execute(sql.SQL(
                "WITH q AS (SELECT {expr} AS q), "
                "hits AS (SELECT p.passage_id, p.source_id, p.paragraph, p.start, p.\"end\", "
                "p.length, p.tsv, p.body, {rank}(p.tsv, q.q, 1) AS rank FROM ({matches}) p, q "
                "ORDER BY rank DESC, p.source_id, p.paragraph LIMIT %s) "
                "SELECT passage_id, source_id, paragraph, start, \"end\", length, rank, "
                "(SELECT coalesce(jsonb_object_agg(u.lexeme, array_length(u.positions, 1)), "
                "'{{}}') FROM unnest(hits.tsv) u WHERE u.lexeme = ANY(%s)), "
                "(SELECT count(*) FROM unnest(%s::text[]) ph WHERE strpos(' ' || "
                "regexp_replace(lower(hits.body), '[^[:alnum:]]+', ' ', 'g') || ' ', "
                "' ' || ph || ' ') > 0) FROM hits").format(expr=expr, matches=matches,
                                                           rank=rank),
                [*params, *where, way.found_limit, max(limit, RERANK), lexemes,
                 query.phrases]).fetchall()
            if len(candidates) >= limit or exact:
                break  # else the first passages held too few: the index finds them all
        if not candidates:
            return []
        if self.ranking == "bm25":
            scores = self._bm25(candidates, lexemes, query.prefixes, df, totals)
        else:
            scores = [float(row[6]) for row in candidates]
        order = sorted(range(len(candidates)),
                       key=lambda i: (-candidates[i][8], -scores[i]))[:limit]
        chosen = [candidates[i] for i in order]
        snippets: dict[str, str] = dict(conn.execute(sql.SQL(
            "SELECT passage_id, ts_headline('english', body, {expr}, %s) FROM passages "
            "WHERE library_id = %s AND passage_id = ANY(%s)").format(expr=expr),
            [*params, _HEADLINE, lib.library_id, [row[0] for row in chosen]]).fetchall())
        return [Hit(row[0], row[1], row[2], row[3], row[4], snippets.get(row[0], ""),
                    scores[i]) for i, row in zip(order, chosen)]

    def _bm25(self, candidates: list[tuple], lexemes: list[str], prefixes: list[list[str]],
              df: dict[str, int], totals: tuple[int, float]) -> list[float]:
        """BM25 of each candidate; the stems a prefix opened count as one term (their
        frequencies summed), as FTS5 counts a prefix."""
        total, mean = totals
        grouped = {stem for group in prefixes for stem in group}
        terms = [[lexeme] for lexeme in lexemes if lexeme not in grouped] + prefixes
        idf = [math.log(1 + (total - n + 0.5) / (n + 0.5))
               for n in (min(total, sum(df.get(stem, 0) for stem in term)) for term in terms)]
        scores: list[float] = []
        for row in candidates:
            norm = _K1 * (1 - _B + _B * row[5] / mean)
            tfs = [sum(row[7].get(stem, 0) for stem in term) for term in terms]
            scores.append(sum(w * tf * (_K1 + 1) / (tf + norm)
                              for w, tf in zip(idf, tfs) if tf))
        return scores


def _lexemes(tree: str, *, negated: bool = False) -> list[str]:
    """The lexemes a `querytree()` text asks for (the negated ones too if `negated`), each
    once."""
    return list(dict.fromkeys(lexeme.replace("''", "'")
                              for bang, lexeme in _QUERY_LEXEME.findall(tree)
                              if lexeme and (negated or not bang)))


def _literal(lexeme: str) -> str:
    """A lexeme quoted for a tsquery literal (no stemming: it is one already)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"

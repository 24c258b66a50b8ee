"""Relevance of team-library search against the folder library's SQLite FTS5 (BM25) index.

The test set is built from the sample library: known-item queries, each made of words of one
passage (three of its content words; two adjacent words as a phrase; a five-letter prefix and a
word), whose answer is that passage. Scores are the mean reciprocal rank of the answer within
the first 10 hits (MRR@10) and how often it is among them (recall@10), for the SQLite index,
PostgreSQL's ts_rank_cd alone, and ts_rank_cd re-ranked with BM25.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

from briefkit.library.index import Hit
from briefkit.library.interface import open_library
from briefkit.library.library import Library
from briefkit.library.postgres.library import PostgresLibrary
from briefkit.library.postgres.search import PostgresIndex
from briefkit.library.postgres.transfer import push_library

_WORD = re.compile(r"[A-Za-z]{4,}")
_COMMON = frozenset("""about after again also been before being could does from have into just
more most much only other over same should some such than that their them then there these they
this those through under very were what when where which while will with would your says said
""".split())


def known_items(library: Library, count: int = 120) -> list[tuple[str, str]]:
    """(query, passage id) pairs drawn with a fixed seed from passages of 25 words or more."""
    rng = random.Random(14)
    passages = [p for sid in library.entries for p in library.source(sid).passages()
                if len(p.text.split()) >= 25]
    rng.shuffle(passages)
    items: list[tuple[str, str]] = []
    for n, passage in enumerate(passages[:count]):
        words = [w for w in _WORD.findall(passage.text) if w.lower() not in _COMMON]
        if len(words) < 3:
            continue
        kind = n % 3
        if kind == 0:
            query = " ".join(rng.sample(words, 3))
        elif kind == 1:
            tokens = passage.text.split()
            pairs = [f"{a} {b}" for a, b in zip(tokens, tokens[1:])
                     if _WORD.fullmatch(a) and _WORD.fullmatch(b) and a.lower() not in _COMMON
                     and b.lower() not in _COMMON]
            if not pairs:
                continue
            query = f'"{rng.choice(pairs)}"'
        else:
            first, second = rng.sample(words, 2)
            query = f"{first[:5]}* {second}"
        items.append((query, passage.id))
    return items


def scores(search: Callable[[str], list[Hit]], items: list[tuple[str, str]]) -> tuple[float, float]:
    """MRR@10 and recall@10 of `search` over the known items."""
    reciprocal = found = 0.0
    for query, answer in items:
        ids = [h.passage_id for h in search(query)]
        if answer in ids:
            reciprocal += 1 / (ids.index(answer) + 1)
            found += 1
    return reciprocal / len(items), found / len(items)


def test_bm25_re_ranking_is_as_good_as_the_sqlite_index(sample_dir: Path, team_url: str) -> None:
    folder = Library.open(sample_dir)
    items = known_items(folder)
    assert len(items) >= 60
    push_library(sample_dir, team_url)
    team = open_library(team_url)
    assert isinstance(team, PostgresLibrary)
    sqlite = folder.index()
    sqlite.update()
    figures = {
        "sqlite-fts5": scores(lambda q: sqlite.search(q, limit=10), items),
        "pg-ts_rank": scores(lambda q: PostgresIndex(team, ranking="ts_rank").search(q, limit=10),
                             items),
        "pg-bm25": scores(lambda q: PostgresIndex(team).search(q, limit=10), items),
    }
    print(f"\n{len(items)} known-item queries: " + "; ".join(
        f"{name} MRR@10 {mrr:.3f} recall@10 {recall:.3f}" for name, (mrr, recall) in figures.items()))
    assert figures["pg-bm25"][0] >= figures["sqlite-fts5"][0] - 0.02
    assert figures["pg-bm25"][0] >= figures["pg-ts_rank"][0]

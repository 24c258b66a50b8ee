"""How team search chooses between the GIN index and reading passages in order: the estimates
from `querytree()` text and document frequencies, the choice itself, and that both ways return
the same hits where both see every match."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefkit.library.interface import open_library
from briefkit.library.postgres import query_cost, search
from briefkit.library.postgres.query_cost import Estimate, Plan, estimate, plan
from briefkit.library.postgres.search import RANK_LIMIT, RERANK, PostgresIndex
from briefkit.library.postgres.transfer import push_library

N = 1_000_000
DF = {"common": 800_000, "often": 300_000, "rare": 500, "war": 400_000, "world": 200_000}


def test_a_word_reads_its_postings_and_matches_its_passages() -> None:
    assert estimate("'rare'", DF, N, 60) == Estimate(500, 500, 500)


def test_an_and_walks_its_rarer_side_and_multiplies_the_chances() -> None:
    both = estimate("'common' & 'rare'", DF, N, 60)
    assert both.postings == 500
    assert both.candidates == both.matches == pytest.approx(800_000 * 500 / N)


def test_an_or_reads_both_lists() -> None:
    either = estimate("'rare' | 'often' | 'war'", DF, N, 60)
    assert either.postings == 500 + 300_000 + 400_000
    assert 400_000 < either.matches < 700_500


def test_a_phrase_checks_its_words_and_but_matches_fewer() -> None:
    phrase = estimate("'war' <3> 'world'", DF, N, 60)
    assert phrase.candidates == pytest.approx(400_000 * 200_000 / N)
    assert phrase.matches == pytest.approx(phrase.candidates / 60)


def test_parentheses_bind_and_unknown_lexemes_match_nothing() -> None:
    grouped = estimate("( 'war' | 'world' ) & 'missing'", DF, N, 60)
    assert grouped.matches == 0 and grouped.postings == 0
    everything = estimate("T", DF, N, 60)  # querytree's "no indexable part"
    assert everything.matches == N and everything.postings == float("inf")
    assert estimate("'it''s'", {"it's": 7}, N, 60).matches == 7


def test_a_common_word_is_read_in_order_a_rare_one_from_the_index() -> None:
    common = plan(estimate("'common'", DF, N, 60), N, 20, RANK_LIMIT, RERANK)
    assert common == Plan(query_cost.SCAN_ROWS, RANK_LIMIT)
    assert plan(estimate("'rare'", DF, N, 60), N, 20, RANK_LIMIT, RERANK).scan_rows == 0
    # Common words that rarely meet: the first passages would hold too few matches.
    assert plan(estimate("'common' & 'rare'", DF, N, 60), N, 20, RANK_LIMIT,
                RERANK).scan_rows == 0


def test_a_phrase_of_common_words_ranks_fewer_matches_to_check_fewer_candidates() -> None:
    phrase = plan(estimate("'war' <-> 'world'", DF, N, 60), N, 20, RANK_LIMIT, RERANK)
    assert RERANK <= phrase.found_limit < RANK_LIMIT
    assert plan(estimate("'often'", DF, N, 60), N, 20, RANK_LIMIT, RERANK).found_limit == (
        RANK_LIMIT)


@pytest.mark.parametrize("query", ["sanctions", "venezuela", "the*", '"maximum pressure"',
                                   "sanctions OR oil"])
def test_reading_in_order_finds_what_the_index_finds_in_a_small_library(
        monkeypatch: pytest.MonkeyPatch, sample_dir: Path, team_url: str, query: str) -> None:
    """The sample library is smaller than SCAN_MAX_ROWS: read in order it is read whole, so
    both ways see every match and must rank the same hits."""
    push_library(sample_dir, team_url)
    library = open_library(team_url)
    by_index = PostgresIndex(library).search(query, limit=30)  # type: ignore[arg-type]
    chosen: list[Plan] = []

    def read_in_order(cost: Estimate, passages: int, limit: int, rank_limit: int,
                      rerank: int) -> Plan:
        chosen.append(Plan(passages, rank_limit))
        return chosen[-1]

    monkeypatch.setattr(search, "plan", read_in_order)
    in_order = PostgresIndex(library).search(query, limit=30)  # type: ignore[arg-type]
    assert chosen and by_index
    assert [(h.passage_id, round(h.score, 6)) for h in in_order] == [
        (h.passage_id, round(h.score, 6)) for h in by_index]


def test_a_phrase_too_rare_for_the_first_passages_reads_as_many_as_should_hold_enough() -> None:
    ten_million = 10_000_000
    df = {"drasenne": 2_100_000, "codepa": 2_300_000}
    cost = estimate("'drasenne' <-> 'codepa'", df, ten_million, 60)
    way = plan(cost, ten_million, 20, RANK_LIMIT, RERANK)
    assert query_cost.SCAN_ROWS < way.scan_rows <= query_cost.SCAN_MAX_ROWS
    assert cost.matches * way.scan_rows / ten_million >= query_cost.SCAN_MARGIN * 20 - 1
    rarer = estimate("'drasenne' <-> 'codepa'", {"drasenne": 500_000, "codepa": 300_000},
                     ten_million, 60)
    assert plan(rarer, ten_million, 20, RANK_LIMIT, RERANK).scan_rows == 0  # index: cheaper

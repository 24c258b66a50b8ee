"""What a search will cost the GIN index, and how many passages it will match, before running it.

The GIN index answers a query by reading the posting list of each of its lexemes: a word in
most passages of a 1M-passage library is a list of 800,000 entries (80 ms here) before one row
is read, and ten times that at 10M. Such a query also matches so many passages that it is
ranked among the first ones found in the table (the index too returns them in table order), so
search reads the table from its start until it has enough instead. Both figures come from the
document frequencies in `lexemes` and the shape of the tsquery (`querytree()`'s text):

- postings: what the index reads; an AND (or phrase) walks its rarest side and skips through
  the other, an OR reads both;
- candidates: passages the index returns, each read from the table to check it (the index
  knows no word positions: a phrase's candidates are its words' AND);
- matches: passages expected to match, taking words as independent (a phrase of two words as
  their AND spread over a passage's length: it underestimates real phrases, which sends them
  to the index, the safe side).

`plan` weighs the two ways with costs per posting, per candidate and per passage read in
order, measured on this project's machine at 1M passages (shared, 2 cores).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Estimate", "Plan", "estimate", "plan"]

SCAN_ROWS = 30_000  # passages read in order at least (a common word's first 2,000 matches)
SCAN_MAX_ROWS = 100_000  # and at most (~3 us each: ~300 ms, where the index costs more)
SCAN_MARGIN = 2  # the passages read should hold this many times the hits asked for
CHECK_BUDGET = 10_000  # index candidates checked against the table (~5 us each: ~50 ms)
_ALL = float("inf")  # the postings of what the index cannot answer: it reads the table
_POSTING_MS, _CANDIDATE_MS, _ROW_MS = 0.0003, 0.008, 0.003

_TOKEN = re.compile(r"'((?:[^']|'')*)'(?::[*A-D]+)?|<->|<\d+>|[!&|()]|T")


@dataclass(frozen=True, slots=True)
class Estimate:
    """A query's expected index postings read, candidates checked and passages matched."""

    postings: float
    candidates: float
    matches: float


@dataclass(frozen=True, slots=True)
class Plan:
    """How to find a query's candidates: read `scan_rows` passages in order first (0: ask the
    index at once), keeping at most `found_limit` matches."""

    scan_rows: int
    found_limit: int


def plan(cost: Estimate, passages: int, limit: int, rank_limit: int, rerank: int) -> Plan:
    """Choose between the index and reading passages in order, and how many matches to rank.

    At most `rank_limit` matches are ranked, fewer (not under `rerank`) where finding them
    means checking more than `CHECK_BUDGET` candidates: a phrase of common words, whose index
    candidates are every passage holding both. Reading in order wins when the index would read
    long posting lists or check many candidates, and the passages read (`SCAN_ROWS`, or as many
    as should hold `SCAN_MARGIN` times `limit` matches, up to `SCAN_MAX_ROWS`) cost less (a
    library no larger than that is read whole: exactly).
    """
    found = rank_limit
    if cost.matches > 0 and cost.candidates > 0:
        found = int(max(rerank, min(rank_limit, cost.matches * CHECK_BUDGET / cost.candidates)))
    if cost.matches <= 0:
        return Plan(0, found)
    enough = SCAN_MARGIN * limit * passages / cost.matches  # passages that should hold enough
    rows = int(min(passages, max(SCAN_ROWS, enough)))
    if rows < passages and enough > SCAN_MAX_ROWS:
        return Plan(0, found)
    read = min(rows, found * passages / cost.matches)
    checked = min(cost.candidates, found * cost.candidates / cost.matches)
    index_ms = cost.postings * _POSTING_MS + checked * _CANDIDATE_MS
    return Plan(rows if read * _ROW_MS < index_ms else 0, found)


def estimate(tree: str, df: Mapping[str, int], passages: int, mean_length: float) -> Estimate:
    """Estimate the query whose `querytree()` text is `tree`.

    Args:
        df: each lexeme's document frequency (a lexeme missing from it matches nothing).
        passages: the passages in the library; mean_length: their mean length in words.
    """
    tokens = [m.group(0) if m.group(1) is None else "'" + m.group(1).replace("''", "'")
              for m in _TOKEN.finditer(tree)]
    if not tokens:
        return Estimate(0.0, 0.0, 0.0)
    parser = _Parser(tokens, df, max(1, passages), max(1.0, mean_length))
    return parser.either()


class _Parser:
    """Recursive descent over a tsquery's text: `|` binds loosest, then `&`, then `<->`, `!`."""

    def __init__(self, tokens: list[str], df: Mapping[str, int], n: int, length: float) -> None:
        self.tokens, self.at, self.df, self.n, self.length = tokens, 0, df, n, length

    def _peek(self) -> str:
        return self.tokens[self.at] if self.at < len(self.tokens) else ""

    def either(self) -> Estimate:
        left = self.both()
        while self._peek() == "|":
            self.at += 1
            right = self.both()
            left = Estimate(left.postings + right.postings, self._or(left.candidates,
                                                                     right.candidates),
                            self._or(left.matches, right.matches))
        return left

    def _or(self, left: float, right: float) -> float:
        return min(self.n, left + right - left * right / self.n)

    def both(self) -> Estimate:
        left = self.phrase()
        while self._peek() == "&":
            self.at += 1
            left = self._and(left, self.phrase(), 1.0)
        return left

    def phrase(self) -> Estimate:
        left = self.unary()
        while self._peek().startswith("<"):
            self.at += 1
            left = self._and(left, self.unary(), self.length)
        return left

    def unary(self) -> Estimate:
        token = self._peek()
        self.at += 1
        if token == "!":
            inner = self.unary()  # no index entry: alone it reads everything, in an AND the
            return Estimate(_ALL, self.n - inner.candidates, self.n - inner.matches)  # other side
        if token == "(":
            inner = self.either()
            if self._peek() == ")":
                self.at += 1
            return inner
        if token.startswith("'"):
            found = float(self.df.get(token[1:], 0))
            return Estimate(found, found, found)
        return Estimate(_ALL, float(self.n), float(self.n))  # 'T': querytree's "matches all"

    def _and(self, left: Estimate, right: Estimate, spread: float) -> Estimate:
        """Both sides (a phrase's spread over the passage's words): the index walks the side
        with fewer postings and returns the AND, which the table's rows then check."""
        return Estimate(min(left.postings, right.postings),
                        left.candidates * right.candidates / self.n,
                        left.matches * right.matches / self.n / spread)

"""Search hits in the TUI: how one reads in a list, and where in the source it opens."""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

from rich.console import Console
from rich.text import Text

from briefkit.library.index import HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, Hit
from briefkit.library.segment import split_sentences

SNIPPET_LINES = 3
HIT_ROWS = 1 + SNIPPET_LINES  # the source and paragraph, then the snippet


def hit_lines(hit: Hit, title: str, console: Console, width: int, lines: int = SNIPPET_LINES) -> list[Text]:
    """The source title and paragraph, then up to `lines` lines of snippet with matches highlighted.

    Wrapped here rather than by the list, so every hit takes the same rows and lists stay virtual.
    """
    head = Text(f"¶{hit.paragraph} {title}", style="dim")
    head.truncate(width, overflow="ellipsis")
    text = Text()
    snippet = " ".join(hit.snippet.split())
    pos = 0
    while True:
        opened = snippet.find(HIGHLIGHT_OPEN, pos)
        closed = snippet.find(HIGHLIGHT_CLOSE, opened) if opened != -1 else -1
        if closed == -1:
            text.append(snippet[pos:])
            break
        text.append(snippet[pos:opened])
        text.append(snippet[opened + len(HIGHLIGHT_OPEN) : closed], style="bold reverse")
        pos = closed + len(HIGHLIGHT_CLOSE)
    wrapped = list(text.wrap(console, max(10, width)))
    if len(wrapped) > lines:  # say that the snippet goes on
        wrapped = wrapped[:lines]
        wrapped[-1].rstrip()
        wrapped[-1].truncate(max(1, width - 1))
        wrapped[-1].append("…")
    return [head, *wrapped]


def match_offset(hit: Hit, text: str) -> int:
    """Offset in the source `text` of the hit's first highlighted word, so the reader can put the
    cursor on the matching sentence; the passage start when the snippet cannot be placed.

    The snippet is the passage's own text with markers and "…" where it was cut; the words just
    before the first match tell repeated occurrences of the matched word apart.
    """
    opened = hit.snippet.find(HIGHLIGHT_OPEN)
    closed = hit.snippet.find(HIGHLIGHT_CLOSE, opened + 1)
    if opened == -1 or closed == -1:
        return hit.start
    words = hit.snippet[opened + len(HIGHLIGHT_OPEN) : closed].split()
    if not words:
        return hit.start
    prefix = hit.snippet[:opened].rsplit("…", 1)[-1]
    before = prefix.split()[-6:]
    passage = text[hit.start : hit.end]
    match = r"(" + r"\s+".join(map(re.escape, words)) + r")"
    found = None
    if before:
        joint = r"\s+" if prefix[-1:].isspace() else ""
        found = re.search(r"\s+".join(map(re.escape, before)) + joint + match, passage)
    found = found or re.search(match, passage)
    return hit.start + found.start(1) if found else hit.start


_WORD = re.compile(r"[^\W_]+\*?")  # a token as FTS5's unicode61 tokenizer reads it, maybe a prefix
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


def _fold(word: str) -> str:
    """Lower case without diacritics, as the index compares words."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def query_terms(query: str) -> list[str]:
    """The query's words in order, folded; a prefix search keeps its `*`; operators dropped."""
    return [_fold(w) for w in _WORD.findall(query) if w not in _OPERATORS]


def best_sentence_offset(hit: Hit, query: str, text: str) -> int:
    """Where the sentence of the hit's passage that best matches `query` starts in `text`.

    A sentence scores each query word it holds, weighted by how few of the passage's sentences
    hold it, plus one for each pair of query words it holds side by side, as typed: a search for
    "exporters will pay the EU's fee whether or not" opened at "It is not." when the cursor went
    to the first matched word. Ties go to the earliest; no match at all falls back to
    `match_offset`.
    """
    terms = query_terms(query)
    start, end = hit.start, hit.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    spans = split_sentences(text, start, end) if terms and end > start else []
    if not spans:
        return match_offset(hit, text)
    words = [[_fold(w) for w in _WORD.findall(text[span.start:span.end])] for span in spans]

    def has(tokens: list[str], term: str) -> bool:
        return any(t.startswith(term[:-1]) for t in tokens) if term.endswith("*") else term in tokens

    counts = {term: sum(has(tokens, term) for tokens in words) for term in set(terms)}
    pairs = [(a.rstrip("*"), b.rstrip("*")) for a, b in pairwise(terms)]

    def score(tokens: list[str]) -> float:
        held = sum(1 / counts[term] for term in counts if counts[term] and has(tokens, term))
        side_by_side = set(pairwise(tokens))
        return held + sum(pair in side_by_side for pair in pairs)

    scores = [score(tokens) for tokens in words]
    best = max(range(len(spans)), key=lambda i: (scores[i], -i))
    return spans[best].start if scores[best] > 0 else match_offset(hit, text)

"""CSL text-case as pandoc's citeproc applies it; citeproc-py's rules differ (stop words,
sentence starts, the last word, `nocase` spans), and pandoc's output is the reference."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from citeproc.string import MixedString, NoCase, String

from briefkit.render.csl.markup import TAG_OPEN

# fmt: off
_STOP_WORDS = frozenset({
    "a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of",
    "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet",
    "about", "van", "von", "de", "d", "l",  # pandoc's additions
})
# fmt: on
_CHUNK = re.compile("\ue010[^\ue011]*\ue011|[^\\W_]+|\\s+|[^\\w\\s\ue010\ue011]+|_+")
_WORD_BREAKS = frozenset("-/\u2013\u2014")


def _chunk_state(state: str, chunk: str) -> str:
    last = chunk[-1]
    if last in ".?!:":
        return "after-sentence-punct"
    if last.isalnum():
        return "after-word-char"
    if last.isspace() and state == "after-sentence-punct":
        return "start-sentence"
    if last.isspace() or last in _WORD_BREAKS:
        return "after-word-end"
    return state


def _case_chunk(case: str, state: str, chunk: str) -> str:
    mixed = chunk != chunk.lower() and chunk != chunk.upper()
    if case == "lowercase":
        return chunk.lower()
    if case == "uppercase":
        return chunk.upper()
    if case == "capitalize-first":
        return chunk[0].upper() + chunk[1:] if state == "start" and chunk.islower() else chunk
    if case == "capitalize-all":
        starts = ("start", "start-sentence", "after-word-end", "before-last-word")
        return chunk[0].upper() + chunk[1:] if state in starts and chunk.islower() else chunk
    if case == "sentence":
        capitalised = chunk[0].isupper() and (len(chunk) == 1 or chunk[1:].islower())
        at_start = state in ("start", "start-sentence")
        if capitalised and not at_start:
            return chunk.lower()
        if at_start and (capitalised or chunk.islower()):
            return chunk[0].upper() + chunk[1:].lower()
        return chunk
    if case == "title":
        if mixed or chunk.isupper():
            return chunk
        if state in ("start", "start-sentence"):
            return chunk[0].upper() + chunk[1:].lower()
        if state == "after-word-end" and chunk not in _STOP_WORDS and len(chunk) > 1:
            return chunk[0].upper() + chunk[1:]
        if state == "before-last-word" and len(chunk) > 1:
            return chunk[0].upper() + chunk[1:]
    return chunk


def transform_case(text: Any, case: str, *, last_word_rule: bool = True) -> Any:
    """Apply a CSL text-case to a citeproc-py string as pandoc does, leaving `nocase` spans alone.

    Words are split into runs of letters/digits, spaces and punctuation; a state machine over the
    runs decides which words are capitalised. The last word (after the last space, when it holds no
    hyphen or slash) is capitalised in title case even if it is a stop word, unless the text is
    italic: pandoc applies the font style first, and an italic run is not a word it can look at.
    """
    segments = list(text) if isinstance(text, MixedString) else [text]
    chunks = [
        (chunk, isinstance(seg, NoCase), i)
        for i, seg in enumerate(segments)
        for chunk in _CHUNK.findall(str(seg))
    ]
    last_word = None
    for k in range(len(chunks) - 1, 0, -1):
        if not last_word_rule or chunks[k][1] or chunks[k][0][0] == TAG_OPEN:
            break  # the text ends in a formatted or nocase run, not a plain word
        if chunks[k][0].isspace():
            tail = "".join(c for c, _, _ in chunks[k + 1 :])
            if tail and not any(ch in _WORD_BREAKS for ch in tail):
                last_word = k + 1
            break
    state = "start"
    done: list[list[str]] = [[] for _ in segments]
    for k, (chunk, nocase, i) in enumerate(chunks):
        if k == last_word and state in ("after-word-end", "start-sentence", "start"):
            state = "before-last-word"
        if chunk[0] != TAG_OPEN:  # formatting tags neither change case nor move the state
            if not nocase and chunk.isalnum():
                chunk = _case_chunk(case, state, chunk)
            state = _chunk_state(state, chunk)
        done[i].append(chunk)
    out = [
        NoCase("".join(d)) if isinstance(seg, NoCase) else String("".join(d))
        for seg, d in zip(segments, done)
    ]
    return out[0] if len(out) == 1 else MixedString(out)


@lru_cache(maxsize=4096)
def cased(text: str, case: str, last_word_rule: bool) -> str:
    return str(transform_case(String(text), case, last_word_rule=last_word_rule))

"""Punctuation and spacing where rendered pieces meet, and at a note's ends, mended as pandoc's
citeproc does; citeproc-py only drops a doubled mark."""

from __future__ import annotations

import re
from functools import lru_cache

from briefkit.render.csl.markup import TAG, TAG_CLOSE, TAG_OPEN, TAGS
from briefkit.render.csl.styles import Style

_SEAM_RULES = {
    (":", ":"): 2,
    (";", ":"): 2,
    ("!", ":"): 2,
    ("?", ":"): 2,
    (":", "."): 2,
    (".", "."): 2,
    (";", "."): 2,
    ("!", "."): 2,
    ("?", "."): 2,
    (";", ";"): 2,
    (",", ";"): 2,
    (",", ","): 2,
    (":", "!"): 1,
    (";", "!"): 1,
    ("!", "!"): 1,
    (":", "?"): 1,
    (";", "?"): 1,
    ("?", "?"): 1,
    (" ", " "): 1,
    (" ", ","): 1,
    (" ", "."): 1,
}
_END_PUNCT = frozenset(".,;:!?")


def _visible(pieces: list[str], index: int, step: int) -> tuple[int, int] | None:
    """The nearest character outside tags from piece `index` on, going back (-1) or forward (1)."""
    while 0 <= index < len(pieces):
        at = _edge_at(pieces[index], step < 0)
        if at >= 0:
            return index, at
        index += step
    return None


_SEAM_MARKS = frozenset(".,;:!? ")


@lru_cache(maxsize=8192)
def _edge(text: str, last: bool) -> str:
    """The first or last visible character of a piece ("" if it holds none)."""
    at = _edge_at(text, last)
    return text[at] if at >= 0 else ""


@lru_cache(maxsize=8192)
def _edge_at(text: str, last: bool) -> int:
    """Index of the first or last character of `text` outside tags, or -1."""
    if text and text[-1 if last else 0] not in (TAG_OPEN, TAG_CLOSE):
        return len(text) - 1 if last else 0
    spans = [m.span() for m in TAG.finditer(text)]
    positions = range(len(text) - 1, -1, -1) if last else range(len(text))
    for pos in positions:
        if not any(start <= pos < end for start, end in spans):
            return pos
    return -1


def _delete(pieces: list[str], at: tuple[int, int]) -> None:
    i, pos = at
    pieces[i] = pieces[i][:pos] + pieces[i][pos + 1 :]


def fix_seams(pieces: list[str], style: Style) -> None:
    """Mend punctuation where pieces meet, as pandoc's citeproc does when it joins elements.

    citeproc-py only drops identical marks at a seam; pandoc also collapses "?." and the like, and
    (for locales with punctuation-in-quote) moves a following comma or period inside the closing
    quotation mark, dropping it when the quotation already ends in punctuation.
    """
    pieces[:] = [piece for piece in pieces if piece]
    for seam in range(1, len(pieces)):
        while True:
            a, b = _edge(pieces[seam - 1], True), _edge(pieces[seam], False)
            if a and b and not (b in _SEAM_MARKS and (a in _SEAM_MARKS or a == style.close_quote)):
                break  # the common case: nothing to mend, decided from cached edge characters
            left, right = _visible(pieces, seam - 1, -1), _visible(pieces, seam, 1)
            if left is None or right is None:
                break
            a, b = pieces[left[0]][left[1]], pieces[right[0]][right[1]]
            adjacent = (
                left[0] + 1 == right[0] and right[1] == 0 and left[1] == len(pieces[left[0]]) - 1
            )
            if style.punctuation_in_quote and a == style.close_quote and b in ".,!?" and adjacent:
                inner = _visible(pieces[: left[0]] + [pieces[left[0]][: left[1]]], left[0], -1)
                _delete(pieces, right)
                if inner is None or pieces[inner[0]][inner[1]] not in _END_PUNCT:
                    i, pos = left
                    pieces[i] = pieces[i][:pos] + b + pieces[i][pos:]
                continue
            if a == style.close_quote and b == "." and adjacent:  # ‘Here to Stay?’. loses the "."
                inner = _visible(pieces[: left[0]] + [pieces[left[0]][: left[1]]], left[0], -1)
                if inner is not None and pieces[inner[0]][inner[1]] in "?!":
                    _delete(pieces, right)
                    continue
            rule = _SEAM_RULES.get((a, b))
            if rule is None:
                break
            _delete(pieces, right if rule == 2 else left)


_LEADING = re.compile(f"^({TAGS}*)[\\s,;.:]+")
_TRAILING = re.compile(f"\\s+({TAGS}*)$")
_FIRST_WORD = re.compile(f"^((?:{TAGS}|[^\\w\\s])*)([^\\W_]+)")


_LEADING_MARKS = frozenset(" ,;.:\n\t" + TAG_OPEN)
_TRAILING_MARKS = frozenset(" \n\t" + TAG_CLOSE)


def finish(markup: str, close_quote: str, note_style: bool) -> str:
    """Tidy a note as pandoc's `inNote` does for note styles: no leading punctuation and a capital
    first letter ("Ibid."); and end it with a period when the style gives none. Citations in
    the text and bibliography entries are only trimmed."""
    if markup[:1] in _LEADING_MARKS:
        markup = _LEADING.sub(r"\1", markup)
    if markup[-1:] in _TRAILING_MARKS:
        markup = _TRAILING.sub(r"\1", markup)
    first = _FIRST_WORD.match(markup) if note_style else None
    if first and first.group(2).isalpha() and first.group(2).islower():
        at = first.start(2)
        markup = markup[:at] + markup[at].upper() + markup[at + 1 :]
    last = _edge_at(markup, True)
    ending = markup[last] if last >= 0 else ""
    if ending == close_quote:  # “…?” and “….” end the sentence too
        ending = TAG.sub("", markup[:last])[-1:] or ending
    if note_style and last >= 0 and ending not in (".", "?", "!"):
        markup += "."
    return markup

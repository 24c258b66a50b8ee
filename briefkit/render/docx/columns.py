"""Table columns fitted to their content, and tables too wide for the page split into column groups.

Word and LibreOffice, given equal fixed columns, break a long word inside a narrow column ("Sourc e");
given autofit, each lays the table out its own way. So briefkit measures the text itself, as a
browser's automatic table layout does: each column gets at least its longest word and, when there is
room, its longest cell, and the leftover width goes to the columns that wrap most. Widths are
estimated from character classes at the table's point size, generously, so a word
judged to fit does fit; when even the longest words do not fit side by side, the table is split into
several tables that each repeat the first column (the row labels), so no word is ever broken.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

CELL_PADDING = 230
"""Twips taken by a cell's left and right margins (Word's default 0.08 in each) plus a little slack."""

_NARROW = frozenset("fijlt.,;:'!|()[]{}\u2019\u2018 ")
_WIDE = frozenset("mwMW@%\u2014\u25cb")
_EM = 20  # twips per point


def char_width(ch: str, points: float, bold: bool) -> float:
    """Estimated advance of one character, in twips, at `points`.

    The classes are DejaVu Serif's (LibreOffice's stand-in for Cambria, and wider than Cambria),
    rounded up, so a width judged enough in one face is enough in the other.
    """
    if ch in _NARROW:
        em = 0.4
    elif ch in _WIDE:
        em = 1.0
    elif ch.isupper() or ch in "+\u2212&#":
        em = 0.82
    elif ch.isdigit():
        em = 0.7
    else:
        em = 0.63
    return em * points * _EM * (1.1 if bold else 1.0)


def text_width(text: str, points: float, bold: bool) -> float:
    """Estimated width of `text` set on one line, in twips."""
    return sum(char_width(ch, points, bold) for ch in text)


class ColumnNeeds(NamedTuple):
    """What one column asks for, in twips: its longest word (`least`) and its longest line (`most`)."""

    least: float
    most: float


def column_needs(cells: Iterable[tuple[str, bool]], points: float) -> ColumnNeeds:
    """The needs of a column from its cells' texts, each with whether it is set in bold."""
    least = most = 0.0
    for text, bold in cells:
        for line in text.split("\n"):
            most = max(most, text_width(line, points, bold))
            for word in line.split():
                least = max(least, text_width(word, points, bold))
    return ColumnNeeds(least + CELL_PADDING, most + CELL_PADDING)


def fit_widths(needs: list[ColumnNeeds], width: int) -> list[int] | None:
    """Column widths in twips summing to `width`, or None when the longest words cannot all fit.

    Every column gets its longest word; the rest of the width is shared in proportion to how much
    more each column would take to set its longest cell on one line (CSS 2.1 automatic layout).
    Columns that already fit take the remainder in proportion to their content.
    """
    least = sum(n.least for n in needs)
    if least > width:
        return None
    most = sum(n.most for n in needs)
    if most <= width:
        widths = [n.most * width / most for n in needs]
    else:
        share = (width - least) / (most - least)
        widths = [n.least + (n.most - n.least) * share for n in needs]
    rounded = [int(w) for w in widths]
    rounded[-1] += width - sum(rounded)
    return rounded


def column_groups(needs: list[ColumnNeeds], width: int) -> list[list[int]]:
    """Column indexes of the tables a too-wide table is split into, each led by column 0.

    The fewest tables whose longest words fit beside the first column, with the other columns
    dealt out evenly and in order (4 + 4 rather than 5 + 2 + 1); a column too wide even alone
    with the first still gets a table of its own, where its words wrap as they must.
    """
    rest = list(range(1, len(needs)))
    for count in range(1, len(rest) + 1):
        size, extra = divmod(len(rest), count)
        groups, at = [], 0
        for index in range(count):
            take = size + (index < extra)
            groups.append([0, *rest[at:at + take]])
            at += take
        if all(sum(needs[c].least for c in group) <= width for group in groups):
            return groups
    return [[0, column] for column in rest]

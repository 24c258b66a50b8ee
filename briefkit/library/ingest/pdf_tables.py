"""Ruled tables on a PDF page: each row one paragraph, its cells in order, as Word tables read.

A table's text, left to the line and paragraph rules, runs cells of one row together where they
share a baseline ("+1 −1 −1" from two cells) and cuts each cell's wrapped lines into paragraphs
of their own, so a cell's text cannot be quoted. The ruling lines a table is drawn with say
where its cells are: LibreOffice, reportlab and browsers draw each border as a thin line or a
thin filled box. A grid is a connected set of such rules with at least three vertical and three
horizontal ones (two columns, two rows), so a box around a paragraph, an underline or a figure's
axes is never a table. Lines are cut where a vertical rule passes between two characters
(`page_lines`' `cuts`), and each row becomes one line marked `row`: its cells' lines joined,
top down, the cells joined by " | " from left to right, empty cells left out (as the Word reader
does, so a table reads the same from a brief's DOCX and its PDF). Tables drawn without vertical
rules (horizontal rules only, or none) are left to the paragraph rules.
"""

from __future__ import annotations

import ctypes
import statistics
from dataclasses import dataclass
from typing import Any

from briefkit.library.ingest.pdf_lines import TextLine

__all__ = ["CELL_SEPARATOR", "Grid", "page_grids", "table_rows", "vertical_cuts"]

CELL_SEPARATOR = " | "  # the Word reader's, between the cells of a row
_THIN = 2.0  # a rule's thickness at most, in points
_LONG = 6.0  # a rule's length at least
_NEAR = 2.0  # rules this close meet (or are one drawn twice)


@dataclass(frozen=True, slots=True)
class _Rule:
    """A horizontal (`across`) or vertical rule: where it sits and the span it covers."""

    across: bool
    at: float  # y of a horizontal rule, x of a vertical one
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Grid:
    """A ruled table: its box, its horizontal rules top down, and its vertical rules."""

    left: float
    right: float
    bottom: float
    top: float
    rows: tuple[float, ...]  # the y of each horizontal rule, top down, doubles merged
    verticals: tuple[_Rule, ...]

    def separators(self, low: float, high: float) -> list[float]:
        """The x of the vertical rules that cross the band between `low` and `high` (a cell
        merged across columns has no rule inside it)."""
        middle = (low + high) / 2
        return _merged([v.at for v in self.verticals if v.start <= middle <= v.end])


def page_grids(page: Any) -> list[Grid]:
    """The ruled tables of a pypdfium2 page, from its top-level path objects."""
    from pypdfium2 import raw

    rules: list[_Rule] = []
    edges = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(e) for e in edges]
    for index in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, index)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        if not raw.FPDFPageObj_GetBounds(obj, *refs):
            continue
        left, bottom, right, top = (e.value for e in edges)
        if top - bottom <= _THIN and right - left >= _LONG:
            rules.append(_Rule(True, (bottom + top) / 2, left, right))
        elif right - left <= _THIN and top - bottom >= _LONG:
            rules.append(_Rule(False, (left + right) / 2, bottom, top))
    return _grids(rules)


def _grids(rules: list[_Rule]) -> list[Grid]:
    """The grids among `rules`: groups of rules that meet, with three or more rules each way."""
    parent = list(range(len(rules)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    across = [i for i, r in enumerate(rules) if r.across]
    down = [i for i, r in enumerate(rules) if not r.across]
    for h in across:
        for v in down:
            if _meet(rules[h], rules[v]):
                parent[root(h)] = root(v)
    groups: dict[int, list[_Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(root(i), []).append(rule)
    found: list[Grid] = []
    for group in groups.values():
        ys = _merged([r.at for r in group if r.across])
        xs = _merged([r.at for r in group if not r.across])
        if len(ys) < 3 or len(xs) < 3:
            continue
        verticals = tuple(r for r in group if not r.across)
        found.append(Grid(xs[0], xs[-1], ys[0], ys[-1], tuple(reversed(ys)), verticals))
    return found


def _meet(h: _Rule, v: _Rule) -> bool:
    return (h.start - _NEAR <= v.at <= h.end + _NEAR
            and v.start - _NEAR <= h.at <= v.end + _NEAR)


def _merged(values: list[float]) -> list[float]:
    """Sorted positions, those within `_NEAR` of the one before taken as one."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _NEAR:
            out.append(value)
    return out


def vertical_cuts(found: list[Grid]) -> list[tuple[float, float, float]]:
    """Where a line must be cut: each grid's vertical rules as (x, bottom, top)."""
    return [(v.at, v.start, v.end) for grid in found for v in grid.verticals]


def table_rows(lines: list[TextLine], found: list[Grid]) -> list[TextLine]:
    """`lines` with each grid's lines replaced by one line per table row, where its first line
    was, in reading order otherwise."""
    out = list(lines)
    for grid in found:
        inside = [ln for ln in out if _within(grid, ln)]
        if not inside:
            continue
        rows = [_row(grid, low, high, [ln for ln in inside if low < _middle(ln) < high])
                for high, low in zip(grid.rows, grid.rows[1:], strict=False)]
        ids = {id(ln) for ln in inside}
        at = next(i for i, ln in enumerate(out) if id(ln) in ids)
        rest = [ln for ln in out if id(ln) not in ids]
        out = rest[:at] + [r for r in rows if r is not None] + rest[at:]
    return out


def _middle(line: TextLine) -> float:
    """The height of the middle of a line's small letters: inside its cell, whereas a line set
    on a table's top rule (its descenders below it) has its baseline inside the table."""
    return line.baseline + 0.25 * line.size


def _within(grid: Grid, line: TextLine) -> bool:
    middle = (line.left + line.right) / 2
    return grid.bottom < _middle(line) < grid.top and grid.left < middle < grid.right


def _row(grid: Grid, low: float, high: float, lines: list[TextLine]) -> TextLine | None:
    """One table row as a line: its cells' text left to right, each cell's lines top down."""
    if not lines:
        return None
    separators = grid.separators(low, high)
    cells: list[list[TextLine]] = [[] for _ in range(max(1, len(separators) - 1))]
    for line in lines:
        middle = (line.left + line.right) / 2
        cell = sum(1 for x in separators[1:-1] if x < middle)
        cells[cell].append(line)
    texts = [_cell_text(cell) for cell in cells if cell]
    top = max(ln.baseline for ln in lines)
    size = statistics.median(ln.size for ln in lines)
    return TextLine(CELL_SEPARATOR.join(texts), grid.left, grid.right, top, size,
                    bold=all(ln.bold for ln in lines), row=True)


def _cell_text(lines: list[TextLine]) -> str:
    """A cell's lines top down, left to right on a baseline; a line-end hyphen is kept (tables
    are set unhyphenated, so the hyphen is the author's: "Venezuela-" + "U.S.")."""
    text = ""
    glue = True  # no space before the first line, nor after a line-end hyphen
    for line in sorted(lines, key=lambda ln: (-round(ln.baseline, 1), ln.left)):
        text += ("" if glue else " ") + line.text + ("-" if line.hyphen else "")
        glue = line.hyphen
    return text

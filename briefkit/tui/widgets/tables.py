"""Markdown pipe tables that do not fit the preview, rewritten as one block per row.

The evidence matrix has a column per position, headed by the position's title: at 120 columns
the preview has about 40, and Textual squeezed each column to a few letters. Laid out
vertically, each source is a bold line followed by its cells, one "header: value" item each.
"""

from __future__ import annotations

import re
from functools import lru_cache

MIN_COLUMN = 16  # narrower columns than this, wrapped, read as a few letters a line
_ALIGN_ROW = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_TABLE = re.compile(r"^\|.*\n\|(?:\s*:?-+:?\s*\|)+[ \t]*(?:\n\|.*)*", re.MULTILINE)  # header, alignment, rows


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in _CELL_SPLIT.split(line.strip().strip("|"))]


def _vertical(rows: list[list[str]]) -> list[str]:
    header, body = rows[0], rows[1:]
    out: list[str] = []
    for row in body:
        out += [f"**{row[0]}**" if row and row[0] else "**—**", ""]
        items = [f"- {name}: {cell}" for name, cell in zip(header[1:], row[1:], strict=False) if cell]
        out += (items or ["- —"]) + [""]
    return out


@lru_cache(maxsize=8)
def _fitted(table: str, width: int) -> str:
    """The table as is, or laid out vertically. Kept for the next rendering: the evidence matrix
    of a 5,000-citation brief (1,800 rows) took 100 ms to parse, and typing prose leaves it as it
    was."""
    lines = table.split("\n")
    rows = [_cells(lines[0])] + [_cells(row) for row in lines[2:]]
    columns = max(map(len, rows))
    frame = 3 * columns + 1
    if (width - frame) // columns < MIN_COLUMN and (frame > width or _natural(rows, columns) + frame > width):
        return "\n".join(_vertical(rows))
    return table


def _natural(rows: list[list[str]], columns: int) -> int:
    """Columns the table takes unwrapped, without its frame."""
    return sum(max((len(r[c]) for r in rows if c < len(r)), default=0) for c in range(columns))


def fit_tables(markdown: str, width: int) -> str:
    """`markdown` with each pipe table wider than `width` columns laid out vertically. (Tables
    are looked for only at lines starting with "|": a loop over every line of a 5,000-citation
    preview took 60 ms of the event loop.)"""
    out: list[str] = []
    done = 0  # where the text not yet copied to `out` starts
    start = 0 if markdown.startswith("|") else markdown.find("\n|") + 1 or -1  # -1: no more such lines
    while start >= 0:
        table = _TABLE.match(markdown, start)
        if table is not None:
            out += [markdown[done:start], _fitted(table.group(0), width)]
            done = table.end()
        found = markdown.find("\n|", table.end() if table else start)
        start = found + 1 if found >= 0 else -1
    return "".join(out) + markdown[done:] if out else markdown

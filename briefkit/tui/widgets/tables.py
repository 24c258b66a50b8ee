"""Markdown pipe tables that do not fit the preview, rewritten as one block per row.

The evidence matrix has a column per position, headed by the position's title: at 120 columns
the preview has about 40, and Textual squeezed each column to a few letters. Laid out
vertically, each source is a bold line followed by its cells, one "header: value" item each.
"""

from __future__ import annotations

import re

MIN_COLUMN = 16  # narrower columns than this, wrapped, read as a few letters a line
_ALIGN_ROW = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


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


def fit_tables(markdown: str, width: int) -> str:
    """`markdown` with each pipe table wider than `width` columns laid out vertically."""
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|") and i + 1 < len(lines) and _ALIGN_ROW.match(lines[i + 1]):
            end = i + 2
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            rows = [_cells(lines[i])] + [_cells(row) for row in lines[i + 2 : end]]
            columns = max(map(len, rows))
            natural = sum(max((len(r[c]) for r in rows if c < len(r)), default=0) for c in range(columns))
            frame = 3 * columns + 1
            if natural + frame > width and (width - frame) // columns < MIN_COLUMN:
                out += _vertical(rows)
                i = end
                continue
        out.append(line)
        i += 1
    return "\n".join(out)

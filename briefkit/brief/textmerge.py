"""Word-level diffs, and carrying a reviewer's edit of one text over to another it came from.

A reviewer edits the brief as exported (typography applied, Markdown and citations rendered); the
brief holds Markdown with `[@id]` references, and may have changed since the export. An edit is a
list of `Hunk`s (word-level, over the exported text); `Alignment` maps each hunk's ends from one
text to another by their common characters. Mapping onto the brief's text as exported is lenient
(only the two ends must fall on common characters: the text between may differ by typography or
markup); mapping onto the brief as it is now is strict (the whole range must be unchanged since
the export), so newer work is never overwritten: a hunk that cannot be placed is a conflict.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = ["Alignment", "Hunk", "apply_hunks", "has_change", "hunks", "merge_change", "word_diff"]

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


@dataclass(frozen=True, slots=True)
class Hunk:
    """Replace `old` (characters `start`..`end` of the old text) with `new`."""

    start: int
    end: int
    old: str
    new: str


def hunks(old: str, new: str) -> list[Hunk]:
    """The word-level differences from `old` to `new`, in order."""
    a, b = _tokens(old), _tokens(new)
    offsets = [0]
    for token in a:
        offsets.append(offsets[-1] + len(token))
    found = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            found.append(Hunk(offsets[i1], offsets[i2], "".join(a[i1:i2]), "".join(b[j1:j2])))
    return found


def word_diff(old: str, new: str, *, mark: str = "\n") -> str:
    """`new` with each change shown inline as ``[-removed-]{+added+}`` (git's word-diff style);
    a line break inside a change is shown as `mark` (¶ keeps each change on its line)."""
    out, at = [], 0
    for hunk in hunks(old, new):
        out.append(old[at:hunk.start])
        if hunk.old:
            out.append(f"[-{hunk.old.replace(chr(10), mark)}-]")
        if hunk.new:
            out.append(f"{{+{hunk.new.replace(chr(10), mark)}+}}")
        at = hunk.end
    out.append(old[at:])
    return "".join(out)


class Alignment:
    """Positions in text `a` mapped to text `b` through their common characters."""

    def __init__(self, a: str, b: str) -> None:
        self.a, self.b = a, b
        blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
        self._blocks = [(i, j, n) for i, j, n in blocks if n]
        self._starts = [i for i, _, _ in self._blocks]

    def _block_at(self, position: int, *, ending: bool) -> tuple[int, int, int] | None:
        """The block holding `position` (a point between characters); at a point where one
        block ends and another starts, the one ending there if `ending`, else the one starting."""
        k = bisect.bisect_right(self._starts, position)
        candidates = self._blocks[max(k - 2, 0):k]  # blocks do not overlap: only these can hold it
        inside = [blk for blk in candidates if blk[0] <= position <= blk[0] + blk[2]]
        if not inside:
            return None
        if len(inside) == 2:
            return inside[0] if ending else inside[1]
        return inside[0]

    def _interior(self, block: tuple[int, int, int], start: int, end: int) -> bool:
        """Whether `start`..`end` lies inside `block` with common text on both sides (or the
        texts' own ends): an edit touching the other side's change conflicts, as in diff3."""
        i, j, n = block
        before = i < start or (start == i == 0 and j == 0)
        after = end < i + n or (end == i + n == len(self.a) and j + n == len(self.b))
        return before and after

    def span(self, start: int, end: int, *, strict: bool = False) -> tuple[int, int] | None:
        """`a[start:end]` as a range of `b`, or None where it does not map.

        Lenient: each end falls on (or at the edge of) common characters. Strict: the whole range
        and a character either side are common, one unchanged stretch of both texts.
        """
        if strict:
            block = self._block_at(start, ending=start == end)
            if block is None or not self._interior(block, start, end):
                return None
            return block[1] + start - block[0], block[1] + end - block[0]
        first = self._block_at(start, ending=start == end)
        last = self._block_at(end, ending=True)
        if first is None or last is None:
            return None
        mapped = first[1] + start - first[0], last[1] + end - last[0]
        return mapped if mapped[0] <= mapped[1] else None


def apply_hunks(text: str, placed: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, new) replacement made; ranges must not overlap."""
    for start, end, new in sorted(placed, key=lambda p: (p[0], p[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def merge_change(base: str, changed: str, onto: str) -> str | None:
    """`onto` with the change from `base` to `changed`, where `onto` left those words (and their
    neighbours) as they were in `base`; None where the two overlap."""
    alignment = Alignment(base, onto)
    placed = []
    for hunk in hunks(base, changed):
        span = alignment.span(hunk.start, hunk.end, strict=True)
        if span is None:
            return None
        placed.append((span[0], span[1], hunk.new))
    return apply_hunks(onto, placed)


def has_change(base: str, changed: str, onto: str) -> bool:
    """Whether `onto` already holds the change from `base` to `changed`: each changed stretch
    of `changed`, with its neighbours, is unchanged in `onto`."""
    alignment = Alignment(changed, onto)
    shift = 0
    for hunk in hunks(base, changed):
        start = hunk.start + shift
        shift += len(hunk.new) - (hunk.end - hunk.start)
        if alignment.span(start, start + len(hunk.new), strict=True) is None:
            return False
    return True

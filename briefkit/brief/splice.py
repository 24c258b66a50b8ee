"""Saves that leave unchanged citations as they are in the file, byte for byte.

ruamel's round trip keeps comments and quoting, but it is pure Python: saving a brief of 5,000
citations took 27 s of CPU, nearly all in loading and emitting citations that had not changed.
Here unchanged citations' lines are set aside, each run of them standing as one token item, so
ruamel loads and writes only the rest (metadata, sections, positions, changed citations, with
their comments), and the lines are put back where the tokens come out. The caller reads the
result back field by field before writing it, as every save does, and saves the slow way if
anything does not fit.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from briefkit.yamlblock import LineMap, LineSeq

_TOKEN = "__briefkit_kept_{}__"
_TOKEN_LINE = re.compile(r"( *- )__briefkit_kept_(\d+)__")
_ITEM_START = re.compile(r" *- ")


@dataclass
class Skeleton:
    text: str  # the file with each run of kept citations replaced by one token item
    tokens: dict[str, str | None]  # kept citation id -> its run's token (None: not a run's first)
    lines: dict[str, list[str]]  # token -> the run's lines in the file


def skeleton(text: str, data: Any, order: Iterable[Iterable[str]], kept: Collection[str]) -> Skeleton | None:
    """`text` (read into `data` by yamlio) with the citations `kept` set aside, or None when the
    file's shape does not allow it (the caller then saves without splicing).

    `order` is each position's citation ids as they will be saved. Kept citations that follow
    each other there as they do in the file form one run and stand as one token, so ruamel reads
    a handful of items however many citations there are."""
    if "__briefkit_kept_" in text or not isinstance(data, LineMap):
        return None
    positions = data.get("positions")
    if not isinstance(positions, LineSeq):
        return None
    # Where anything other than a citation's own lines begins: a top-level key, a position, a
    # position's key, a citation. A citation's lines run up to the next of these.
    starts = set(data.key_lines.values()) | set(positions.item_lines)
    items: dict[str, int] = {}
    after_in_file: dict[str, str] = {}
    for position in positions:
        if not isinstance(position, LineMap):
            return None
        starts.update(position.key_lines.values())
        citations = position.get("citations")
        if not isinstance(citations, LineSeq):
            continue
        starts.update(citations.item_lines)
        previous = None
        for node, line in zip(citations, citations.item_lines):
            if not isinstance(node, LineMap) or node.line != line or node.get("id") in items:
                return None  # an item whose keys start below its dash, or a repeated id
            items[node.get("id")] = line
            if previous is not None:
                after_in_file[previous] = node.get("id")
            previous = node.get("id")
    runs: list[list[str]] = []
    for ids in order:
        last = None
        for cid in ids:
            if cid not in kept or cid not in items:
                last = None
            elif last is not None and after_in_file.get(last) == cid:
                runs[-1].append(cid)
                last = cid
            else:
                runs.append([cid])
                last = cid
    bounds = sorted(starts)
    lines = text.split("\n")
    cut: dict[int, tuple[int, str]] = {}  # first line index -> (end index, token)
    tokens: dict[str, str | None] = {}
    kept_lines: dict[str, list[str]] = {}
    for number, run in enumerate(runs):
        first, last_line = items[run[0]], items[run[-1]]
        after = bisect.bisect_right(bounds, last_line)
        end = bounds[after] - 1 if after < len(bounds) else len(lines) - 1
        if _ITEM_START.match(lines[first - 1]) is None:
            return None
        token = _TOKEN.format(number)
        tokens.update(dict.fromkeys(run[1:]))
        tokens[run[0]] = token
        kept_lines[token] = lines[first - 1: end]
        cut[first - 1] = (end, token)
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in cut:
            end, token = cut[i]
            dash = _ITEM_START.match(lines[i])
            assert dash is not None
            out.append(dash.group() + token)
            i = end
        else:
            out.append(lines[i])
            i += 1
    return Skeleton("\n".join(out), tokens, kept_lines)


def restore(dumped: str, sk: Skeleton) -> str | None:
    """The dumped skeleton with every token item replaced by its run's lines, or None if a
    token came out at another indentation than its lines have (or not exactly once)."""
    if "__briefkit_kept_" not in dumped:
        return dumped if not sk.lines else None
    out: list[str] = []
    seen: set[str] = set()
    for line in dumped.split("\n"):
        found = _TOKEN_LINE.fullmatch(line) if "__briefkit_kept_" in line else None
        if found is None:
            out.append(line)
            continue
        token = _TOKEN.format(found.group(2))
        original = sk.lines.get(token)
        if original is None or token in seen or not original[0].startswith(found.group(1)):
            return None
        seen.add(token)
        out.extend(original)
    return "\n".join(out) if seen == set(sk.lines) else None

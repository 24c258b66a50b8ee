"""Anchors: create them from a range or from quote text, verify them, re-anchor only when certain.

A quote is sacred: verification compares the exact characters; re-anchoring after a source changed
moves an anchor only to an exact occurrence that is unique, or made unique by its prefix/suffix
context. Anything less certain is an orphan, reported, never silently re-pointed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefkit.brief.model import Anchor
from briefkit.errors import BriefkitError

CONTEXT_CHARS = 32

_SINGLE = "'‘’‚‛′"
_DOUBLE = "\"“”„‟″«»"


class AnchorError(BriefkitError):
    """A quote that cannot be anchored (not found, ambiguous, empty range)."""


def anchor_range(text: str, start: int, end: int) -> Anchor:
    """Anchor the exact characters text[start:end], with surrounding context for re-finding them."""
    if not 0 <= start < end <= len(text):
        raise AnchorError(f"range {start}-{end} is outside the source text (0-{len(text)})")
    return Anchor(
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


def _pattern(quote: str) -> re.Pattern[str]:
    """Match `quote` exactly but for runs of whitespace and straight vs typographic quote marks."""
    parts: list[str] = []
    for token in re.findall(r"\s+|.", quote.strip(), flags=re.DOTALL):
        if token.isspace():
            parts.append(r"\s+")
        elif token in _SINGLE:
            parts.append(f"[{re.escape(_SINGLE)}]")
        elif token in _DOUBLE:
            parts.append(f"[{re.escape(_DOUBLE)}]")
        else:
            parts.append(re.escape(token))
    return re.compile("".join(parts))


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every place `quote` occurs, ignoring whitespace and quote-mark style; offsets into `text`."""
    if not quote.strip():
        return []
    return [(m.start(), m.end()) for m in _pattern(quote).finditer(text)]


def anchor_quote(text: str, quote: str, *, prefix: str = "", suffix: str = "") -> Anchor:
    """Anchor quote text typed or pasted by the analyst; the stored quote is the source's own text."""
    hits = find_quote(text, quote)
    if len(hits) > 1 and (prefix or suffix):
        hits = [h for h in hits if _context_fits(text, h, prefix, suffix)]
    if not hits:
        raise AnchorError(f"quote not found in the source: {_short(quote)}")
    if len(hits) > 1:
        raise AnchorError(
            f"quote occurs {len(hits)} times in the source; quote a longer passage to make it unique: "
            f"{_short(quote)}"
        )
    return anchor_range(text, *hits[0])


def _context_fits(text: str, hit: tuple[int, int], prefix: str, suffix: str) -> bool:
    start, end = hit
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    return (not prefix or before == prefix) and (not suffix or after == suffix)


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of checking one anchor against the current source text."""

    status: str  # "ok" | "moved" | "orphaned"
    anchor: Anchor  # the anchor to use: unchanged, re-anchored, or the original (orphaned)
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "orphaned"


def verify(anchor: Anchor, text: str) -> Verification:
    """Check the exact text at the offsets; if the source changed, re-anchor only when certain."""
    if 0 <= anchor.start <= anchor.end <= len(text) and text[anchor.start : anchor.end] == anchor.quote:
        return Verification("ok", anchor)
    hits = [m.start() for m in re.finditer(re.escape(anchor.quote), text)] if anchor.quote else []
    spans = [(s, s + len(anchor.quote)) for s in hits]
    if len(spans) > 1:
        spans = [h for h in spans if _context_fits(text, h, anchor.prefix, anchor.suffix)]
    if len(spans) == 1:
        start, end = spans[0]
        moved = anchor_range(text, start, end)
        return Verification("moved", moved, f"the source changed; quote moved from {anchor.start}-{anchor.end} "
                                            f"to {start}-{end}")
    if not hits:
        near = find_quote(text, anchor.quote)
        reason = "quote no longer occurs in the source"
        if near:
            reason += (f" (text differing only in spacing or quote marks is at {near[0][0]}-{near[0][1]}; "
                       "re-cite it to accept)")
        return Verification("orphaned", anchor, reason)
    return Verification(
        "orphaned", anchor,
        f"quote occurs {len(hits)} times and its context no longer singles out one occurrence",
    )


def _short(quote: str, limit: int = 60) -> str:
    flat = " ".join(quote.split())
    return f"“{flat}”" if len(flat) <= limit else f"“{flat[: limit - 1]}…”"

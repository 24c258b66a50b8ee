"""Disambiguation that changes what a source prints wherever it is cited: the year suffix of an
author-date style ("Kravitz, 2019a", "2019b"), given to sources of the same names and year in
the order of the style's bibliography, as pandoc does."""

from __future__ import annotations

from collections.abc import Sequence
from string import ascii_lowercase
from typing import Any

from briefkit.render.csl.cites import Bibliography, Cite
from briefkit.render.csl.styles import CSL_NS, Style

_ROLES = ("author", "editor", "translator", "director", "interviewer")


def year_suffixes(
    style: Style, cleaned: Sequence[dict[str, Any]], references: Bibliography
) -> dict[str, str]:
    """The suffix letter for each source that needs one; none unless the style asks for them
    (`disambiguate-add-year-suffix`)."""
    citation = style.root.citation
    if str(citation.get("disambiguate-add-year-suffix", "false")).lower() != "true":
        return {}
    groups: dict[tuple[Any, ...], list[str]] = {}
    for item in cleaned:
        names = next((item[role] for role in _ROLES if item.get(role)), None)
        parts = (item.get("issued") or {}).get("date-parts") or [[None]]
        if names is None or parts[0][0] is None:
            continue
        key = (tuple(tuple(sorted(name.items())) for name in names), parts[0][0])
        groups.setdefault(key, []).append(item["id"])
    suffixes: dict[str, str] = {}
    bibliography = style.root.bibliography
    for ids in groups.values():
        if len(ids) < 2:
            continue
        cites = [Cite(key, frozenset(), None, references) for key in ids]
        if bibliography is not None and bibliography.find(f"{{{CSL_NS}}}sort") is not None:
            with style.lock:
                cites = bibliography.sort(cites)
        for index, cite in enumerate(cites):
            suffixes[cite.key] = ascii_lowercase[index % 26] * (1 + index // 26)
    return suffixes

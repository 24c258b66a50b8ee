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


def first_names(item: dict[str, Any]) -> list[dict[str, str]] | None:
    """The names a source is cited under (author, else editor, ...), as cleaned."""
    return next((item[role] for role in _ROLES if item.get(role)), None)


def same_family_groups(style: Style, cleaned: Sequence[dict[str, Any]]) -> list[list[str]]:
    """Sources whose first names share a family name but not a given name ("Francisco" and
    "Jorge Rodríguez"): those a given name could tell apart, where the style asks to add them
    (`disambiguate-add-givenname`); none otherwise."""
    citation = style.root.citation
    if str(citation.get("disambiguate-add-givenname", "false")).lower() != "true":
        return []
    groups: dict[str, dict[str, list[str]]] = {}
    for item in cleaned:
        names = first_names(item)
        if names and names[0].get("family") and names[0].get("given"):
            by_given = groups.setdefault(names[0]["family"], {})
            by_given.setdefault(names[0]["given"], []).append(item["id"])
    return [
        [key for ids in by_given.values() for key in ids]
        for by_given in groups.values()
        if len(by_given) > 1
    ]


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
        names = first_names(item)
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

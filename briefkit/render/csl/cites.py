"""A cite of one source, the CSL positions it holds over the notes (which citeproc-py does not
track), and the citeproc-py citation item it becomes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from citeproc.source import Citation, CitationItem, Locator

from briefkit.render.csl.markup import Markup


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One cited source inside a footnote; `label` is a CSL locator term ("paragraph", "page")."""

    source_id: str
    locator: str | None = None
    label: str | None = None


def cite_positions(
    notes: Sequence[Sequence[CiteItem]], near_note_distance: int, tested: frozenset[str]
) -> list[list[frozenset[str]]]:
    """The CSL positions each cite holds, in reading order (CSL 1.0.2, "position" condition),
    limited to those the style tests, so that cites differing in others share a template."""
    last_note: dict[str, int] = {}
    previous: Sequence[CiteItem] = ()
    out: list[list[frozenset[str]]] = []
    for number, note in enumerate(notes, start=1):
        held_note = []
        for index, cite in enumerate(note):
            sid = cite.source_id.lower()
            if sid not in last_note:
                held = {"first"}
            else:
                held = {"subsequent"}
                if number - last_note[sid] <= near_note_distance:
                    held.add("near-note")
                before = note[index - 1] if index else (previous[0] if len(previous) == 1 else None)
                if (
                    before is not None
                    and before.source_id.lower() == sid
                    and not (before.locator and not cite.locator)
                ):
                    held.add("ibid")
                    if cite.locator and (cite.locator, cite.label) != (
                        before.locator,
                        before.label,
                    ):
                        held.add("ibid-with-locator")
            held_note.append(frozenset(held) & tested)
            last_note[sid] = number
        previous = note
        out.append(held_note)
    return out


class Cite(CitationItem):
    """A citeproc-py citation item that carries its CSL positions and holds its reference directly
    (citeproc-py looks it up through two properties and a dict on every variable access)."""

    positions: frozenset[str] = frozenset()
    reference: Any = None
    bibliography: Any = None
    csl_type: str = ""

    def __init__(
        self, key: str, positions: frozenset[str], locator: Locator | None, bibliography: Any
    ) -> None:
        if locator is None:
            super().__init__(key)
        else:
            super().__init__(key, locator=locator)
        Citation([self])
        reference = bibliography.source[key]
        for name, value in (
            ("positions", positions),
            ("bibliography", bibliography),
            ("reference", reference),
            ("csl_type", dict.__getitem__(reference, "type")),
        ):
            object.__setattr__(self, name, value)


class Bibliography:
    """What citeproc-py reaches through `citation.bibliography`: references and formatter."""

    def __init__(self, source: Mapping[str, Any]) -> None:
        self.source = source
        self.keys = list(source)
        self.formatter = Markup
        self.ambiguous: frozenset[str] = frozenset()  # sources `disambiguate="true"` holds for
        self.given_names: frozenset[str] = frozenset()  # sources cited with their initials

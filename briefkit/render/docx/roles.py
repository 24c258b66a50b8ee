"""The style id the writer gives each kind of node: found or added by `styles` when a base document
is prepared, and kept with it (see `package`), so writing needs no style lookups of its own."""

from __future__ import annotations

from typing import NamedTuple



class Roles(NamedTuple):
    """The style id for each kind of node the writer emits."""

    title: str
    subtitle: str
    details: str
    body: str
    compact: str
    list_item: str
    quote: str
    code_block: str
    code: str
    hyperlink: str
    footnote_text: str
    footnote_reference: str
    table: str
    footer: str
    headings: tuple[str, ...]
    bibliography: str

    def heading(self, level: int) -> str:
        return self.headings[min(max(level, 1), 6) - 1]

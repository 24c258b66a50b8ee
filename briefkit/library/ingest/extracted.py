"""What a reader takes out of one file: its reading text (when extracted) and its metadata."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from briefkit.library.model import Removal

# Called with a short status line ("page 120/500") while a long file is read.
Progress = Callable[[str], None]


@dataclass(slots=True)
class Extracted:
    """One ingested file. `text` is None for plain text and Markdown, whose reading text is made
    from the copied file itself at read time (as for any library file); PDF, HTML and DOCX get a
    stored reading text so anchors do not move when an extractor changes."""

    format: str  # "text" | "markdown" | "html" | "pdf" | "docx"
    text: str | None
    csl: dict[str, Any]  # CSL-JSON metadata found in the file (no id)
    encoding: str = ""  # of the input, for text and HTML
    pages: int = 0  # PDF pages
    page_labels: tuple[str, ...] = ()  # printed page labels, one per page, when not just 1, 2, ...
    notes: list[str] = field(default_factory=list)  # what the reader repaired or dropped
    removed: list[Removal] = field(default_factory=list)  # what it left out, and where it was

    def describe(self) -> str:
        """A short summary for the command line: "pdf, 12 pages", "text, cp1252"."""
        parts = [self.format]
        if self.pages:
            parts.append(f"{self.pages} pages")
        if self.encoding and self.format in ("text", "markdown", "html"):
            parts.append(self.encoding)
        return ", ".join(parts + self.notes)

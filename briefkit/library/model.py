"""Sources and the passages they split into; offsets always index the source's reading text.

Span, Paragraph and Passage are plain (not frozen) slotted dataclasses: a 50 MB library makes
hundreds of thousands of them, and frozen dataclasses are several times slower to create.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(slots=True)
class Span:
    """A half-open character range [start, end) in a reading text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Removal:
    """One piece of a file left out of its reading text (clutter, furniture, markup), kept so
    every stage's cuts can be audited: `briefkit show SOURCE --removed` lists them."""

    kind: str  # "icons", "pull-quote", "teaser", "page-number", "navigation", "header", ...
    line: int  # 1-based line of the file read (text, Markdown, an HTML page's source); 0: none
    text: str
    page: int | None = None  # PDF: the physical page it was on, from 1
    place: str = ""  # where, when no line or page says it: a DOCX part ("header", "comments")


@dataclass(slots=True)
class Paragraph:
    """A paragraph: its number is the "para. N" locator in footnotes for web sources."""

    number: int  # 1-based
    start: int
    end: int
    page: int | None = None


@dataclass(slots=True)
class Passage:
    """A citable, indexed unit (one paragraph) with an id that survives edits elsewhere in the source."""

    id: str  # "<source-id>:<12 hex of sha1(paragraph text)>", suffixed "-2", "-3" for repeats
    source_id: str
    paragraph: int
    start: int
    end: int
    text: str
    page: int | None = None


@dataclass(slots=True)
class SourceEntry:
    """A source as listed in sources.yaml: CSL-JSON metadata plus the file that holds its text."""

    id: str
    file: Path  # absolute
    csl: dict[str, Any]  # CSL-JSON item (id, type, title, author, issued, URL, ...), no briefkit keys
    line: int | None = None  # line of the entry in sources.yaml, for messages
    # Set for sources extracted from PDF, HTML or DOCX: `file` then holds the stored reading text
    # (pages separated by form feeds) and `original` the untouched file it was extracted from.
    original: Path | None = None
    format: str = ""  # "text", "markdown", "html", "pdf", "docx"; "" when not recorded
    sha256: str = ""  # of the original file's bytes, when recorded at ingestion
    page_labels: tuple[str, ...] = ()  # printed page labels in page order ("i", "ii", "1", ...)

    @property
    def title(self) -> str:
        return str(self.csl.get("title", self.id))

    @property
    def outlet(self) -> str:
        return str(self.csl.get("container-title") or self.csl.get("publisher") or "")

    @property
    def issued(self) -> str:
        """The issued date as ISO text ("2021-08-06", "2017"), or "" when unknown."""
        parts = (self.csl.get("issued") or {}).get("date-parts") or [[]]
        return "-".join(f"{int(p):02d}" if i else str(int(p)) for i, p in enumerate(parts[0]))


@dataclass(slots=True)
class Source:
    """A loaded source: the reading text that anchors point into, and its segmentation."""

    entry: SourceEntry
    text: str
    sha256: str  # of the reading text, UTF-8
    encoding: str
    removed: list[Removal] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.entry.id

    def passages(self) -> list[Passage]:
        """One passage per paragraph, with ids stable across edits to other paragraphs."""
        source_id, text = self.entry.id, self.text
        return [Passage(passage_id, source_id, para.number, para.start, para.end,
                        text[para.start : para.end], para.page)
                for para, passage_id in zip(self.paragraphs, self.passage_ids())]

    def passage_ids(self) -> list[str]:
        """Each paragraph's passage id: "<source id>:" and the first 12 hex digits of the SHA-1
        of its UTF-8 text, "-2", "-3"... after a text met again. The index needs only these, and
        building a Passage per paragraph cost it as much as hashing them."""
        seen: dict[str, int] = {}
        ids: list[str] = []
        prefix, text, sha1 = self.entry.id + ":", self.text, hashlib.sha1
        for para in self.paragraphs:
            digest = sha1(text[para.start : para.end].encode()).hexdigest()[:12]
            count = seen[digest] = seen.get(digest, 0) + 1
            ids.append(prefix + digest if count == 1 else f"{prefix}{digest}-{count}")
        return ids

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph containing `offset` (binary search; paragraphs are sorted)."""
        starts = [p.start for p in self.paragraphs]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.paragraphs[i].start <= offset <= self.paragraphs[i].end:
            return self.paragraphs[i]
        return None

    def locator(self, offset: int) -> tuple[str, str] | None:
        """The footnote locator for a quote starting at `offset`: ("page", label) for paged sources
        (the printed page label, "iv" or "12"), else ("paragraph", "N")."""
        para = self.paragraph_at(offset)
        if para is None:
            return None
        if para.page is not None:
            return ("page", self.page_label(para.page))
        return ("paragraph", str(para.number))

    def page_label(self, page: int) -> str:
        """The printed label of physical page `page` (1-based), as footnotes cite it.

        Labels where the entry gives them, physical numbers after: sources.yaml is checked without
        reading the text, so a hand-edited list may be shorter than the pages, and every page
        must still be citable.
        """
        labels = self.entry.page_labels
        return labels[page - 1] if 0 < page <= len(labels) else str(page)

"""What a DOCX export carries so that the file can find its way home after review in Word.

The brief's elements (prose sections, each position's title and summary, each quote and analyst
note) are wrapped, in the template context, in invisible marks (`MARK_OPEN` number `MARK_CLOSE`,
private-use characters no source or brief text holds) placed after typography; the DOCX writer
turns each pair into a bookmark named for the element. `ExportRecord` is what the writer stores
beside the bookmarks: the brief's identity and revision, template and style, and each quote's
source, offsets, exact text and source hash, so `briefkit verify` needs nothing but the file and
the library.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from briefkit.render.markdown_text import Markdown

if TYPE_CHECKING:  # the DOCX writer loads this module; an export from the run cache needs no brief
    from briefkit.brief.anchoring import Verification
    from briefkit.brief.model import Brief
    from briefkit.library.interface import SourceLibrary

MARK_OPEN, MARK_CLOSE = "\ue002", "\ue003"
MARK = re.compile(f"{MARK_OPEN}([0-9]+){MARK_CLOSE}")

KINDS = ("section", "title", "summary", "quote", "note")
"""The kinds of anchored element, in the order a brief holds them."""

# What may start a Markdown line without being its text: heading, list and quote markers. A
# start mark goes after them, so the line keeps its meaning.
_LINE_SYNTAX = re.compile(r"(?:[ ]{0,3}(?:#{1,6}[ \t]+|[-*+][ \t]+|[0-9]{1,9}[.)][ \t]+|>[ \t]?))*")
# First or last lines a mark cannot join without changing what they are: code fences, indented
# code, table rows, rules and setext underlines, HTML. Such an element's mark stands alone.
_NO_MARK_LINE = re.compile(r"[ ]{4}|\t|[ ]{0,3}(?:```|~~~|\||<|[-=_*][ \t]*[-=_*][ \t]*[-=_*])|.*\|[ \t]*$")


@dataclass(frozen=True, slots=True)
class Element:
    """One anchored element of the brief: `kind` (see `KINDS`) and the id it has in the brief
    (section name, position id or citation id); `source` is its text in the brief as saved."""

    kind: str
    id: str
    source: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def path(self) -> str:
        """The element as a brief's review entries name it: `sections.summary`,
        `positions.P.title` / `.summary`, `citations.C.quote` / `.note`."""
        if self.kind == "section":
            return f"sections.{self.id}"
        if self.kind in ("title", "summary"):
            return f"positions.{self.id}.{self.kind}"
        return f"citations.{self.id}.{self.kind}"


@dataclass(slots=True)
class Marks:
    """The marks placed in one rendering: mark number -> (element, opens?)."""

    elements: dict[str, Element] = field(default_factory=dict)
    points: list[tuple[Element, bool]] = field(default_factory=list)

    def _mark(self, element: Element, opens: bool) -> str:
        self.elements.setdefault(element.key, element)
        self.points.append((element, opens))
        return f"{MARK_OPEN}{len(self.points) - 1}{MARK_CLOSE}"

    def inline(self, element: Element, text: str) -> str:
        """`text` (one line of text or a quote) between the element's marks; empty stays empty."""
        if not text:
            return text
        return self._mark(element, True) + text + self._mark(element, False)

    def block(self, element: Element, markdown: str) -> str:
        """Markdown between the element's marks, each placed where it leaves the blocks as they were."""
        lines = markdown.split("\n")
        if not markdown.strip():
            return markdown
        first = next(i for i, line in enumerate(lines) if line.strip())
        last = max(i for i, line in enumerate(lines) if line.strip())
        start, end = self._mark(element, True), self._mark(element, False)
        if _NO_MARK_LINE.match(lines[first]):
            lines[first] = f"{start}\n\n{lines[first]}"
        else:
            prefix = _LINE_SYNTAX.match(lines[first]).end()  # type: ignore[union-attr]
            lines[first] = lines[first][:prefix] + start + lines[first][prefix:]
        if _NO_MARK_LINE.match(lines[last]) or lines[last].endswith(("  ", "\\")):
            lines[last] = f"{lines[last]}\n\n{end}"
        else:
            lines[last] += end
        return "\n".join(lines)

    def mark_context(self, context: dict[str, Any], brief: Brief) -> None:
        """Wrap the template context's element values (already through typography) in marks."""
        sections = context["sections"]
        for name, text in list(sections.items()):
            source = brief.sections.get(name, "")
            sections[name] = Markdown(self.block(Element("section", name, source), str(text)))
        by_position = {p.id: p for p in brief.positions}
        for view in context["positions"]:
            position = by_position[view.id]
            view.title = self.inline(Element("title", view.id, position.title), view.title)
            view.summary = Markdown(self.block(Element("summary", view.id, position.summary),
                                               str(view.summary)))
            for cview, citation in zip(view.citations, position.citations):
                cview.quote = self.inline(Element("quote", cview.id, cview.quote), cview.quote)
                cview.note = self.inline(Element("note", cview.id, citation.note), cview.note)


def strip_marks(text: str) -> str:
    return MARK.sub("", text) if MARK_OPEN in text else text


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    """A quote as exported: enough to check it against the library without the brief."""

    citation: str
    source: str
    start: int
    end: int
    exact: str
    source_sha256: str
    position: str = ""
    prefix: str = ""  # the context recorded around it, to find it again in a changed source
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """What a DOCX export records about its brief (stored in the file; see `docx.record`)."""

    brief_id: str
    revision: str
    title: str
    template: str
    style: str
    library: str  # as the brief names it
    library_path: str  # resolved when exported
    quotes: tuple[QuoteRecord, ...]
    exported: str = ""  # ISO time


@dataclass(slots=True)
class RoundTrip:
    """Everything the DOCX writer needs beyond the tree: the marks, the record, review comments."""

    marks: Marks
    record: ExportRecord
    comments: Sequence[Any] = ()


LEGACY_ID_PREFIX = "t-"  # of the identity of a brief without an id of its own (its title and date)


def brief_id(brief: Brief) -> str:
    """A path-independent identity: the brief's own `id` (given by `briefkit new`) when it has one,
    else a hash of its title and date (moving or renaming the file keeps it; another brief has
    another; a brief made before ids loses it when its title or date changes)."""
    if brief.id:
        return brief.id
    digest = hashlib.sha256(f"{brief.title.strip()}\0{brief.date.strip()}".encode("utf-8", "surrogatepass"))
    return LEGACY_ID_PREFIX + digest.hexdigest()[:24]


def build_record(brief: Brief, library: SourceLibrary, verifications: dict[str, Verification],
                 template: str, style: str) -> ExportRecord:
    """The record of one export; quotes carry the anchor actually exported (moved ones included).
    The revision is the brief file's as last loaded or saved (empty for a brief never saved)."""
    quotes = []
    for position, citation in brief.citations():
        result = verifications.get(citation.id)
        anchor = result.anchor if result is not None else citation.anchor
        quotes.append(QuoteRecord(citation.id, citation.source, anchor.start, anchor.end, anchor.quote,
                                  library.source(citation.source).sha256, position.id, anchor.prefix,
                                  anchor.suffix))
    from briefkit.brief.revisions import revision
    from briefkit.library.interface import is_library_url

    where = brief.library if is_library_url(brief.library) else str(brief.library_dir())
    return ExportRecord(brief_id(brief), revision(brief.source_text) if brief.source_text else "",
                        brief.title, template, style, brief.library, where,
                        tuple(quotes), export_time())


def export_time() -> str:
    """The moment of an export as its record says it (ISO, UTC, whole seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()

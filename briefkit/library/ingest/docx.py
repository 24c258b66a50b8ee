"""Word documents: the body's paragraphs, headings and tables in document order, then the
document's own footnotes and endnotes, with the file's core properties (title, author, created)
as metadata. Headers, footers and comments are not text an analyst quotes, so they are left out,
and recorded as left out (with tracked deletions, each with the paragraph it was cut from).

The text is read from the WordprocessingML elements themselves rather than python-docx's
proxies: a table row's `w:tc` elements are its cells, each once however many grid columns it
spans (python-docx's `row.cells` repeats a merged cell per column, and telling the repeats apart
by `id()` of short-lived proxies drops real cells); a vertically merged cell is read where the
merge starts. Tracked changes read as accepted: inserted and moved-to runs are text, deleted and
moved-from runs are not.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefkit.errors import SourceError
from briefkit.library.csl import csl_date, csl_names, title_from_filename
from briefkit.library.ingest.extracted import Extracted
from briefkit.library.model import Removal

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CELL_SEPARATOR = " | "
# Not the accepted text: tracked deletions, and the copy of a text box kept for old readers.
_SKIPPED = frozenset({f"{_W}del", f"{_W}moveFrom",
                      "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"})
_SPACES = frozenset({f"{_W}tab", f"{_W}br", f"{_W}cr"})
_NOTE_PARTS = ("word/footnotes.xml", "word/endnotes.xml")
_FURNITURE = re.compile(r"word/(header|footer|comment)s?\d*\.xml")


def read_docx(path: Path) -> Extracted:
    """Extract a DOCX file's paragraphs (one per line, blank-line separated) and metadata.

    Raises:
        SourceError: the file is damaged, truncated or holds no text.
    """
    import docx
    from lxml import etree

    path = Path(path)
    try:
        document = docx.Document(str(path))
        notes = _notes(path, etree)
        body = [(element, " ".join(text.split())) for element, text in
                _blocks(document.element.body)]
        removed = [*_deletions(body), *_furniture(path, etree)]
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError, OSError) as exc:
        raise SourceError(f"is a damaged Word document ({type(exc).__name__}: {exc})",
                          path=path) from None
    paragraphs = [*(text for _, text in body), *notes]
    text = "\n\n".join(p for p in (" ".join(p.split()) for p in paragraphs) if p)
    if not text:
        raise SourceError("is a Word document with no text", path=path)
    return Extracted("docx", text, _metadata(document.core_properties, path), removed=removed)


def _blocks(container: Any) -> Iterator[tuple[Any, str]]:
    """The paragraphs of a body, note or cell, each with its element: one per `w:p`, one per
    table row (`w:tr`), in order."""
    for child in container:
        if child.tag == f"{_W}p":
            yield child, _text(child)
        elif child.tag == f"{_W}tbl":
            for row in child.iterchildren(f"{_W}tr"):
                cells = [" ".join(t for _, t in _blocks(tc)) for tc in row.iterchildren(f"{_W}tc")
                         if not _merge_continues(tc)]
                yield row, _CELL_SEPARATOR.join(" ".join(c.split()) for c in cells if c.strip())
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins",
                           f"{_W}moveTo"):
            yield from _blocks(child)  # content controls and tracked block insertions


def _deletions(body: list[tuple[Any, str]]) -> Iterator[Removal]:
    """Tracked deletions and moved-away text of the body, each placed by the reading text's
    paragraph it was cut from (or the one it followed, when none of its paragraph is left)."""
    number = 0
    for element, text in body:
        number += bool(text)
        place = f"in paragraph {number}" if text else f"after paragraph {number}"
        for cut in element.iter(f"{_W}del", f"{_W}moveFrom"):
            words = " ".join("".join(t.text or "" for t in cut.iter(f"{_W}delText", f"{_W}t"))
                             .split())
            if words:
                kind = "tracked-deletion" if cut.tag == f"{_W}del" else "moved-away"
                yield Removal(kind, 0, words, place=place)


def _furniture(path: Path, etree: Any) -> Iterator[Removal]:
    """Headers, footers and comments, each part or comment once."""
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            kind = _FURNITURE.fullmatch(name)
            if kind is None:
                continue
            root = etree.fromstring(archive.read(name))
            pieces = ([" ".join(t for _, t in _blocks(c)) for c in root] if name.endswith(
                "comments.xml") else [" ".join(t for _, t in _blocks(root))])
            for piece in pieces:
                if piece.split():
                    yield Removal(kind.group(1), 0, " ".join(piece.split()), place=name)


def _merge_continues(tc: Any) -> bool:
    """A cell under the start of a vertical merge (`w:vMerge` without `restart`): no text."""
    merge = tc.find(f"{_W}tcPr/{_W}vMerge")
    return merge is not None and merge.get(f"{_W}val", "continue") != "restart"


def _text(paragraph: Any) -> str:
    """A paragraph's accepted text: its runs' `w:t`, with tabs and breaks as spaces."""
    out: list[str] = []
    for element in paragraph.iter(f"{_W}t", *_SPACES, f"{_W}noBreakHyphen"):
        if any(a.tag in _SKIPPED for a in element.iterancestors()):
            continue
        if element.tag == f"{_W}t":
            out.append(element.text or "")
        else:
            out.append("-" if element.tag == f"{_W}noBreakHyphen" else " ")
    return "".join(out)


def _notes(path: Path, etree: Any) -> list[str]:
    """The document's footnotes then endnotes, each a paragraph (separators left out)."""
    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for part in _NOTE_PARTS:
            if part not in names:
                continue
            root = etree.fromstring(archive.read(part))
            for note in root:
                if note.get(f"{_W}type") in (None, "normal"):
                    found.append(" ".join(t for _, t in _blocks(note)))
    return found


def _metadata(props: Any, path: Path) -> dict[str, Any]:
    csl: dict[str, Any] = {"type": "report",
                           "title": (props.title or "").strip() or title_from_filename(path.stem)}
    if (props.author or "").strip():
        csl["author"] = csl_names(props.author)
    issued = csl_date(props.created) if props.created else None
    if issued is not None:
        csl["issued"] = issued
    return csl

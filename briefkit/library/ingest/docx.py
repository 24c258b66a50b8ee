"""Word documents: body paragraphs and table cells in document order, with the file's core
properties (title, author, created) as metadata. Headers, footers and comments are not text an
analyst quotes, so they are left out."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from briefkit.errors import SourceError
from briefkit.library.csl import csl_date, csl_names, title_from_filename
from briefkit.library.ingest.extracted import Extracted

__all__ = ["read_docx"]


def read_docx(path: Path) -> Extracted:
    """Extract a DOCX file's paragraphs (one per line, blank-line separated) and metadata.

    Raises:
        SourceError: the file is damaged, truncated or holds no text.
    """
    import docx
    from lxml.etree import XMLSyntaxError

    path = Path(path)
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError, OSError) as exc:
        raise SourceError(f"is a damaged Word document ({type(exc).__name__}: {exc})",
                          path=path) from None
    paragraphs: list[str] = []
    seen_cells: set[int] = set()
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) not in seen_cells:  # a merged cell repeats across its span
                        seen_cells.add(id(cell._tc))
                        paragraphs.extend(p.text for p in cell.paragraphs)
        else:
            paragraphs.append(block.text)
    text = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
    if not text:
        raise SourceError("is a Word document with no text", path=path)
    return Extracted("docx", text, _metadata(document.core_properties, path))


def _metadata(props: Any, path: Path) -> dict[str, Any]:
    csl: dict[str, Any] = {"type": "report",
                           "title": (props.title or "").strip() or title_from_filename(path.stem)}
    if (props.author or "").strip():
        csl["author"] = csl_names(props.author)
    issued = csl_date(props.created) if props.created else None
    if issued is not None:
        csl["issued"] = issued
    return csl

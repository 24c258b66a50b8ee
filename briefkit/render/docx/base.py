"""The base document: python-docx's default template, or a user's reference .docx emptied of samples.

A reference document is used as pandoc uses one: its styles, page setup, headers and footers stay,
while its body, sample notes, sample comments and the relationships they alone used go.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart

from briefkit.errors import ExportError
from briefkit.render.document import Meta
from briefkit.render.docx.footnotes import FootnotesPart
from briefkit.render.docx.links import drop_unreferenced
from briefkit.render.docx.text import one_line

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_CORE_TEXT_LIMIT = 255  # python-docx refuses longer core property values


def open_base(reference_doc: Path | None) -> DocxDocument:
    """python-docx's default template, or the reference document with its sample content removed.

    Raises:
        ExportError: the reference document is missing or is not a Word .docx file.
    """
    if reference_doc is None:
        document = docx.Document()
        _drop_template_extras(document)
        return document
    path = Path(reference_doc)
    if not path.exists():
        raise ExportError("reference document not found", path=path)
    if not path.is_file():
        raise ExportError("reference document is not a file", path=path)
    try:
        document = docx.Document(str(path))
    except Exception:  # noqa: BLE001 - whatever the reader trips on, the file is not usable .docx
        raise ExportError("reference document is not a Word .docx file", path=path) from None
    _clear_samples(document)
    return document


def _drop_template_extras(document: DocxDocument) -> None:
    """python-docx's template carries a thumbnail of another document and a Word 2010 copy of its
    styles (stylesWithEffects.xml) that would disagree with the house look; neither is needed."""
    for rels, reltype in (
        (document.part.package.rels, RT.THUMBNAIL),
        (document.part.rels, _STYLES_WITH_EFFECTS),
    ):
        for rid in [rid for rid, rel in rels.items() if rel.reltype == reltype]:
            del rels[rid]
            rels.related_parts.pop(rid, None)


def _clear_samples(document: DocxDocument) -> None:
    document.element.body.clear_content()
    document_part = document.part
    drop_unreferenced(document_part)
    for rel in list(document_part.rels.values()):
        if rel.is_external:
            continue
        part = rel.target_part
        if rel.reltype == RT.FOOTNOTES and isinstance(part, FootnotesPart):
            part.footnotes.remove_notes()
            drop_unreferenced(part)
        elif rel.reltype == RT.COMMENTS and isinstance(part, XmlPart):
            for comment in list(part.element):
                part.element.remove(comment)


def set_properties(document: DocxDocument, meta: Meta) -> None:
    """Title and author from the brief; the base document's own values (pandoc's reference says
    "Title" and "Author") are all reset."""
    props = document.core_properties
    author = _core_text(meta.author or meta.organisation)
    props.title = _core_text(meta.title)
    props.author = author
    props.last_modified_by = author
    props.subject = _core_text(meta.subtitle)
    for field in (
        "keywords",
        "comments",
        "category",
        "content_status",
        "identifier",
        "language",
        "version",
    ):
        setattr(props, field, "")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now
    props.revision = 1


def _core_text(text: str) -> str:
    return one_line(text)[:_CORE_TEXT_LIMIT]

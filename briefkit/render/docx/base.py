"""The base document: python-docx's default template, or a user's reference .docx emptied of samples.

A reference document is used as pandoc uses one: its styles, page setup, headers and footers stay,
while its body, sample notes, sample comments and the relationships they alone used go.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from lxml import etree

from briefkit.errors import ExportError
from briefkit.render.docx.footnotes import FootnotesPart

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def open_base(reference_doc: Path | None, data: bytes = b"") -> DocxDocument:
    """python-docx's default template, or the reference document (`data`, the bytes of the file
    at `reference_doc`) with its sample content removed.

    Raises:
        ExportError: the reference document is not a Word .docx file.
    """
    if reference_doc is None:
        document = docx.Document()
        _drop_template_extras(document)
        return document
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - whatever the reader trips on, the file is not usable .docx
        raise ExportError("reference document is not a Word .docx file", path=Path(reference_doc)) from None
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


# Relationships that only body or note content points at (by r:id or r:embed); once that
# content is gone they are unused. Structural ones (styles, numbering, headers...) are kept.
_CONTENT_RELTYPES = frozenset({RT.HYPERLINK, RT.IMAGE, RT.OLE_OBJECT, RT.PACKAGE, RT.CHART})
_R_NAMESPACE = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def drop_unreferenced(part: Part) -> None:
    """Remove content relationships (links, images...) that nothing in the part points at any more.

    Run after clearing a reference document's sample content, so that its sample links and images
    do not travel into the brief.
    """
    used = {
        value
        for element in part._element.iter(etree.Element)  # type: ignore[attr-defined]
        for key, value in element.attrib.items()
        if key.startswith(_R_NAMESPACE)
    }
    for rid, rel in list(part.rels.items()):
        if rel.reltype in _CONTENT_RELTYPES and rid not in used:
            del part.rels[rid]
            part.rels.related_parts.pop(rid, None)

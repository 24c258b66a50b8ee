"""A base document prepared through python-docx, once per reference document (see `package`).

What every export did to its base before writing a word (the house look or a reference's page
setup, the page-number footer, the footnotes part and its separators, briefkit's style roles) is
done here, with marked places for the body, the notes and the list definitions, and placeholders
for the core properties; the parts are then serialised as python-docx saves them.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import cast

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.opc.spec import default_content_types
from docx.oxml.ns import nsmap, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from briefkit.render.docx.base import open_base
from briefkit.render.docx.footnotes import declare_separators, footnotes_part_of
from briefkit.render.docx.package import CORE_TYPE, PLACEHOLDER_DATE, Base, BasePart, Rel
from briefkit.render.docx.page import (
    add_page_number_footer,
    fill_page_setup,
    last_section,
    set_house_margins,
    text_width,
)
from briefkit.render.docx.record import is_record
from briefkit.render.docx.styles import StyleSheet, apply_house_look, resolve_roles
from briefkit.render.docx.zipped import BEST, deflate

_RESET_FIELDS = ("keywords", "comments", "category", "content_status", "identifier", "language", "version")


def prepare_base(reference_doc: Path | None, data: bytes) -> Base:
    """The base for `reference_doc` (whose bytes are `data`), or for the house template (None).

    Raises:
        ExportError: the reference document is not a Word .docx file.
    """
    document = open_base(reference_doc, data)
    sheet = StyleSheet(document.styles)
    roles = resolve_roles(sheet)
    section = last_section(document)
    if reference_doc is None:
        apply_house_look(sheet, roles)
        set_house_margins(section)
    else:
        fill_page_setup(section)
    add_page_number_footer(section, roles.footer)
    key = f"briefkit-{uuid.uuid4().hex}"
    _placeholder_properties(document, key)
    footnotes_part = footnotes_part_of(document.part)
    footnotes = footnotes_part.footnotes
    declare_separators(document.settings.element, footnotes.separator_ids())

    places = {"body": document.part, "notes": footnotes_part}
    body = document.element.body
    body.find(qn("w:sectPr")).addprevious(etree.Comment(f"{key}-body"))
    footnotes_part.element.append(etree.Comment(f"{key}-notes"))
    next_abstract_id = next_num_id = 1
    try:
        numbering_part = cast(Part, document.part.part_related_by(RT.NUMBERING))
    except KeyError:
        numbering_part = None
    if numbering_part is not None:
        numbering = numbering_part.element  # type: ignore[attr-defined]
        next_abstract_id = 1 + _max_int_attr(numbering.findall(qn("w:abstractNum")), qn("w:abstractNumId"))
        next_num_id = 1 + _max_int_attr(numbering.findall(qn("w:num")), qn("w:numId"))
        _insert(numbering, etree.Comment(f"{key}-abstract"), "w:num", "w:numIdMacAtCleanup")
        _insert(numbering, etree.Comment(f"{key}-nums"), "w:numIdMacAtCleanup")
        places["abstract"] = places["nums"] = numbering_part
    text_places = frozenset(place for place, part in places.items() if _binds_markup_prefixes(
        body if place == "body" else part.element))  # type: ignore[attr-defined]

    package = document.part.package
    changing = {str(part.partname) for part in places.values()}  # and the core properties
    parts = {}
    for part in package.iter_parts():
        part.before_marshal()
        name, blob = str(part.partname), part.blob
        fixed = name not in changing and part.content_type != CORE_TYPE
        parts[name] = BasePart(name, part.content_type, b"" if fixed else blob, _rels(part.rels),
                               deflate(blob, BEST) if fixed else None)
    return Base(
        parts=parts, package_rels=_rels(package.rels), default_types=frozenset(default_content_types),
        key=key, places={place: str(part.partname) for place, part in places.items()}, text_places=text_places,
        document=str(document.part.partname), records=_records(document),
        numbering=str(numbering_part.partname) if numbering_part is not None else None,
        roles=roles, width=text_width(section),
        points=(sheet.font_points(roles.compact), sheet.font_points(roles.footnote_text)),
        next_note_id=footnotes.next_id, next_abstract_id=next_abstract_id, next_num_id=next_num_id,
    )


def _placeholder_properties(document: DocxDocument, key: str) -> None:
    """Core properties holding placeholders for what each export sets (`package.CORE_FIELDS`);
    the base document's own values (pandoc's reference says "Title" and "Author") are all reset."""
    props = document.core_properties
    props.title = f"{key}-title"
    props.author = props.last_modified_by = f"{key}-author"
    props.subject = f"{key}-subject"
    for field in _RESET_FIELDS:
        setattr(props, field, "")
    props.created = props.modified = PLACEHOLDER_DATE
    props.revision = 1


def _records(document: DocxDocument) -> tuple[str, ...]:
    """The rIds relating the export record a reference document brought along (an export that
    adds its own record drops them)."""
    return tuple(rid for rid, rel in document.part.rels.items()
                 if rel.reltype == RT.CUSTOM_XML and not rel.is_external and is_record(rel.target_part.blob))


def _binds_markup_prefixes(element: etree._Element) -> bool:
    """Whether markup written with `w:` and `r:` prefixes means the same inside `element`."""
    scope = element.nsmap
    return scope.get("w") == nsmap["w"] and scope.get("r") == nsmap["r"]


def _insert(parent: BaseOxmlElement, child: etree._Element, *before: str) -> None:
    """`child` before the first child of `parent` named in `before`, else at the end."""
    successor = parent.first_child_found_in(*before)
    if successor is None:
        parent.append(child)
    else:
        successor.addprevious(child)


def _max_int_attr(elements: list[etree._Element], attr: str) -> int:
    values = [int(v) for e in elements if (v := e.get(attr, "")).lstrip("-").isdigit()]
    return max(values, default=0)


def _rels(rels: object) -> tuple[Rel, ...]:
    return tuple(
        Rel(rel.rId, rel.reltype, rel.target_ref, rel.is_external,
            "" if rel.is_external else str(rel.target_part.partname))
        for rel in rels.values()  # type: ignore[attr-defined]
    )

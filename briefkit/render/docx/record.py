"""The export record as a custom XML part of the DOCX (`customXml/itemN.xml`, with its itemProps
and a relationship from the document part, as Word stores its own).

LibreOffice 7.4 keeps the part through a DOCX round trip (it writes it twice, as item1 and item2;
both read the same), and Word keeps custom XML parts by design. The record holds, for each
printed element, its bookmark name, kind and brief id, its text in the brief and its text as
exported; and for each quote its source, offsets, exact text and the source's SHA-256. A reference
document's own record is dropped when the base is prepared (`prepare`); `package` adds the new one.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Sequence
from typing import NamedTuple

from briefkit.render.docx.package import XML_DECLARATION
from briefkit.render.docx.text import clean
from briefkit.render.docx.wml import attr, esc
from briefkit.render.roundtrip import Element, ExportRecord, QuoteRecord

NAMESPACE = "urn:briefkit:export:1"
_ROOT = f"{{{NAMESPACE}}}briefkit-export"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


class ElementRecord(NamedTuple):
    """One printed element: its bookmark, what it is in the brief, and its text as exported."""

    name: str
    element: Element
    occurrence: int
    text: str


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def record_xml(record: ExportRecord, elements: Sequence[ElementRecord]) -> bytes:
    """The record part, written as text: the bytes lxml would serialise for the same tree."""
    out = [f'<briefkit-export xmlns="{NAMESPACE}" version="1">', _empty("brief", {
        "id": record.brief_id, "revision": record.revision, "title": record.title,
        "template": record.template, "style": record.style, "library": record.library,
        "library-path": record.library_path, "exported": record.exported,
    })]
    for item in elements:
        out.append(_open("element", {"name": item.name, "kind": item.element.kind, "id": item.element.id,
                                     "occurrence": str(item.occurrence)}))
        if item.element.source != item.text:  # a quote's, and plain titles', are the same: once
            out.append(_text("source", item.element.source))
        out.append(_text("text", item.text) + "</element>")
    for quote in record.quotes:
        out.append(_open("quote", {
            "citation": quote.citation, "source": quote.source, "position": quote.position,
            "start": str(quote.start), "end": str(quote.end), "source-sha256": quote.source_sha256,
        }))
        out.extend(_text(tag, text) for tag, text in (("exact", quote.exact), ("prefix", quote.prefix),
                                                      ("suffix", quote.suffix)))
        out.append("</quote>")
    out.append("</briefkit-export>")
    return XML_DECLARATION + "".join(out).encode()


def _attrs(values: dict[str, str]) -> str:
    return "".join(f' {name}="{_attr_value(clean(value))}"' for name, value in values.items())


def _attr_value(text: str) -> str:
    """Escaped as libxml2 escapes an attribute value: quotes, and line breaks and tabs as references."""
    return attr(text).replace("\n", "&#10;").replace("\t", "&#9;")


def _open(tag: str, values: dict[str, str]) -> str:
    return f"<{tag}{_attrs(values)}>"


def _empty(tag: str, values: dict[str, str]) -> str:
    return f"<{tag}{_attrs(values)}/>"


def _text(tag: str, text: str) -> str:
    return f"<{tag}>{esc(clean(text))}</{tag}>"


def _props_xml(item_id: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{{{item_id}}}" xmlns:ds="{_DS}"><ds:schemaRefs>'
        f'<ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()


def is_record(blob: bytes) -> bool:
    return NAMESPACE.encode() in blob[:400] and _root_tag(blob) == _ROOT


def _root_tag(blob: bytes) -> str | None:
    from lxml import etree  # reading records only: writing one needs no parser

    try:
        return etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True)).tag
    except etree.XMLSyntaxError:
        return None


def record_parts(record: ExportRecord, elements: Sequence[ElementRecord]) -> tuple[bytes, bytes]:
    """The custom XML part holding the record, and its properties part (as Word stores them)."""
    return record_xml(record, elements), _props_xml(item_id(record))


_NAMESPACE_URL = bytes.fromhex("6ba7b8119dad11d180b400c04fd430c8")  # uuid.NAMESPACE_URL


def item_id(record: ExportRecord) -> str:
    """The part's item id: the name-based (version 5) UUID of the brief and revision, upper case;
    computed here as RFC 4122 defines it, as `uuid` would (whose import loads `platform`)."""
    name = f"{NAMESPACE}:{record.brief_id}:{record.revision}".encode()
    digest = bytearray(hashlib.sha1(_NAMESPACE_URL + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex().upper()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def find_record(archive: zipfile.ZipFile) -> tuple[ExportRecord, list[ElementRecord]] | None:
    """The record stored in an opened DOCX, or None when it holds none (not from briefkit, or
    the part was removed)."""
    for name in sorted(archive.namelist()):
        if not (name.startswith("customXml/") and name.endswith(".xml")) or "/_rels/" in name:
            continue
        blob = archive.read(name)
        if is_record(blob):
            return parse_record(blob)
    return None


def parse_record(blob: bytes) -> tuple[ExportRecord, list[ElementRecord]]:
    from lxml import etree

    root = etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    brief = root.find(_q("brief"))
    b = brief.attrib if brief is not None else {}
    quotes = tuple(
        QuoteRecord(q.get("citation", ""), q.get("source", ""), _int(q.get("start")), _int(q.get("end")),
                    q.findtext(_q("exact")) or "", q.get("source-sha256", ""), q.get("position", ""),
                    q.findtext(_q("prefix")) or "", q.findtext(_q("suffix")) or "")
        for q in root.iter(_q("quote"))
    )
    record = ExportRecord(b.get("id", ""), b.get("revision", ""), b.get("title", ""), b.get("template", ""),
                          b.get("style", ""), b.get("library", ""), b.get("library-path", ""), quotes,
                          b.get("exported", ""))
    elements = []
    for e in root.iter(_q("element")):
        text = e.findtext(_q("text")) or ""
        source = e.findtext(_q("source"))
        elements.append(ElementRecord(e.get("name", ""), Element(e.get("kind", ""), e.get("id", ""),
                                                                 text if source is None else source),
                                      _int(e.get("occurrence")) or 1, text))
    return record, elements


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0

"""The Word package, written without python-docx from a prepared base document.

Everything an export takes from its base document (python-docx's template with the house look, or
a user's reference .docx emptied of samples) is the same from one export to the next: the parts,
serialised, with a marked place where the body, the notes and the list definitions go; the style
of each node kind; the page's text width; the ids notes and lists continue from. `prepare` works
that out once through python-docx and the run cache keeps it, named by the reference document's
bytes and the code that prepared it. An export then fills the marked places with the writer's
markup, adds its hyperlinks and export record, and zips the parts as python-docx would have
written them (same parts, relationships, ids and bytes; only the zip's timestamps differ).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from briefkit.errors import ExportError
from briefkit.render import run_cache
from briefkit.render.docx.roles import Roles
from briefkit.render.docx.text import one_line
from briefkit.render.docx.wml import W_NS, attr, esc, insert_parsed, parse_fragment
from briefkit.render.docx.zipped import Deflated, archive, deflate

XML_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NUMBERING = f"{_OFFICE}/numbering"
CUSTOM_XML = f"{_OFFICE}/customXml"
CUSTOM_XML_PROPS = f"{_OFFICE}/customXmlProps"
NUMBERING_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
XML_TYPE = "application/xml"
CUSTOM_XML_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"

PLACES = ("body", "notes", "abstract", "nums")
"""The marked places: the body's content (before its final `w:sectPr`), the notes (after the
separators), briefkit's list definitions and its lists' `w:num`s (each after the template's own)."""
CORE_FIELDS = ("title", "author", "subject", "created")
"""Core properties set per export, prepared as placeholders (`Base.core_placeholder`)."""
_CORE_TEXT_LIMIT = 255  # Word's (and python-docx's) limit on a core property's length


class Rel(NamedTuple):
    """One relationship of a part (or of the package), as its .rels file lists it."""

    rid: str
    reltype: str
    target: str  # as written: a URL, or the target part's name relative to the source's folder
    external: bool = False
    part: str = ""  # the target part's name, for an internal relationship


class BasePart(NamedTuple):
    name: str  # the part's name in the package: "/word/document.xml"
    content_type: str
    blob: bytes  # serialised, for a part exports change (marked places, core properties)
    rels: tuple[Rel, ...]
    deflated: Deflated | None = None  # instead, for a part no export changes: deflated once


class Base(NamedTuple):
    """A base document prepared for writing (see the module's docstring)."""

    parts: dict[str, BasePart]
    package_rels: tuple[Rel, ...]
    default_types: frozenset[tuple[str, str]]  # (extension, content type) pairs written as a Default
    key: str  # names the marked places and the placeholders; in no base part's own text
    places: dict[str, str]  # place -> the part holding it
    text_places: frozenset[str]  # places whose part binds w: and r: as the markup does
    document: str
    records: tuple[str, ...]  # rIds of the document's relationships to a reference's export record
    numbering: str | None  # the numbering part, if the base has one
    roles: Roles
    width: int  # twips between the margins
    points: tuple[float, float]  # font sizes of table cells in the body and in notes
    next_note_id: int
    next_abstract_id: int
    next_num_id: int

    def marker(self, place: str) -> bytes:
        return f"<!--{self.key}-{place}-->".encode()

    def core_placeholder(self, field: str) -> str:
        """What the prepared core properties hold for `field` (a date is a fixed, unlikely one)."""
        if field == "created":
            return PLACEHOLDER_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"{self.key}-{field}"


PLACEHOLDER_DATE = dt.datetime(1901, 2, 3, 4, 5, 6)


def prepared_base(reference_doc: Path | None) -> Base:
    """The base for `reference_doc` (None: the house template), from the run cache when this
    document was prepared before by the same code.

    Raises:
        ExportError: the reference document is missing or is not a Word .docx file.
    """
    data = b""
    if reference_doc is not None:
        path = Path(reference_doc)
        if not path.exists():
            raise ExportError("reference document not found", path=path)
        if not path.is_file():
            raise ExportError("reference document is not a file", path=path)
        data = path.read_bytes()

    def prepare() -> Base:
        from briefkit.render.docx.prepare import prepare_base  # python-docx loads here, once

        return prepare_base(reference_doc, data)

    key = b"reference:" + hashlib.sha256(data).digest() if reference_doc is not None else b"house"
    return run_cache.remember("docx-base", key, prepare, *_preparing_code())


def _preparing_code() -> tuple[Path, ...]:
    """briefkit's DOCX modules, python-docx's version and its template, found without importing it."""
    code = sorted(Path(__file__).parent.glob("*.py"))
    spec = importlib.util.find_spec("docx")
    if spec is not None and spec.origin:
        home = Path(spec.origin).parent
        code += [home / "__init__.py", home / "templates" / "default.docx"]
    return tuple(code)


class PartRels:
    """A part's relationships during one export: the base's, then those the export adds."""

    def __init__(self, rels: tuple[Rel, ...], source: str) -> None:
        self._rels = {rel.rid: rel for rel in rels}
        self._base_uri = posixpath.split(source)[0] if source != "/" else "/"

    def __iter__(self) -> Iterator[str]:
        return iter(self._rels)

    def __contains__(self, rid: object) -> bool:
        return rid in self._rels

    def __len__(self) -> int:
        return len(self._rels)

    def values(self) -> Iterator[Rel]:
        return iter(self._rels.values())

    def add(self, rid: str, reltype: str, target: str, *, external: bool = False, part: str = "") -> None:
        self._rels[rid] = Rel(rid, reltype, target, external, part)

    def drop(self, rid: str) -> None:
        del self._rels[rid]

    def relate(self, reltype: str, part: str) -> str:
        """Relate a new part, under the lowest free rId (python-docx's `relate_to`)."""
        rid = next(f"rId{n}" for n in range(1, len(self._rels) + 2) if f"rId{n}" not in self._rels)
        target = part[1:] if self._base_uri == "/" else posixpath.relpath(part, self._base_uri)
        self.add(rid, reltype, target, part=part)
        return rid

    def xml(self) -> bytes:
        return rels_xml(self._rels.values())


def rels_xml(rels: Iterator[Rel] | tuple[Rel, ...] | list[Rel]) -> bytes:
    """A .rels file as python-docx (lxml) serialises one."""
    rows = "".join(
        f'<Relationship Id="{attr(rel.rid)}" Type="{attr(rel.reltype)}" Target="{attr(rel.target)}"'
        + (' TargetMode="External"/>' if rel.external else "/>")
        for rel in rels
    )
    return XML_DECLARATION + f'<Relationships xmlns="{_RELS_NS}">{rows}</Relationships>'.encode()


class Package:
    """One export's package: the base's parts, the markup for their marked places, and the parts
    and relationships the export adds."""

    def __init__(self, base: Base) -> None:
        self.base = base
        self._rels = {name: PartRels(part.rels, name) for name, part in base.parts.items()}
        self._package_rels = PartRels(base.package_rels, "/")
        self._new: dict[str, tuple[str, bytes]] = {}  # name -> (content type, blob)
        self._markup: dict[str, str] = {}
        self._numbering = base.numbering

    def rels(self, part: str) -> PartRels:
        return self._rels[part]

    def put(self, place: str, markup: str) -> None:
        """The markup for one of `PLACES`."""
        self._markup[place] = markup

    def need_numbering(self) -> None:
        """Give the document a numbering part if the base has none (as the first list needs)."""
        if self._numbering is None:
            self._numbering = "/word/numbering.xml"
            self._new[self._numbering] = (NUMBERING_TYPE, b"")
            self._rels[self._numbering] = PartRels((), self._numbering)
            self._rels[self.base.document].relate(NUMBERING, self._numbering)

    def add_record(self, item: bytes, props: bytes) -> None:
        """The export record: a custom XML part (`customXml/itemN.xml`, N the lowest free) with its
        properties part, related from the document, in place of any the reference document had."""
        for rid in self.base.records:
            self._rels[self.base.document].drop(rid)
        taken = {name for name, _ in self._walk()}
        n = next(n for n in range(1, len(taken) + 2)
                 if f"/customXml/item{n}.xml" not in taken and f"/customXml/itemProps{n}.xml" not in taken)
        item_name, props_name = f"/customXml/item{n}.xml", f"/customXml/itemProps{n}.xml"
        self._new[item_name] = (XML_TYPE, item)
        self._new[props_name] = (CUSTOM_XML_PROPS_TYPE, props)
        self._rels[item_name] = PartRels((), item_name)
        self._rels[props_name] = PartRels((), props_name)
        self._rels[item_name].relate(CUSTOM_XML_PROPS, props_name)
        self._rels[self.base.document].relate(CUSTOM_XML, item_name)

    def _walk(self) -> Iterator[tuple[str, str]]:
        """(name, content type) of every part reachable from the package's relationships, depth
        first in relationship order: the order python-docx writes parts in."""
        seen: set[str] = set()

        def walk(rels: PartRels) -> Iterator[tuple[str, str]]:
            for rel in rels.values():
                if rel.external or rel.part in seen:
                    continue
                seen.add(rel.part)
                new = self._new.get(rel.part)
                yield rel.part, new[0] if new is not None else self.base.parts[rel.part].content_type
                yield from walk(self._rels[rel.part])

        return walk(self._package_rels)

    def save(self, title: str, author: str, subject: str, now: dt.datetime) -> bytes:
        """The .docx file's bytes, with the core properties of this export."""
        core = {"title": title, "author": author, "subject": subject,
                "created": now.strftime("%Y-%m-%dT%H:%M:%SZ")}
        parts = list(self._walk())
        members = [("[Content_Types].xml", deflate(self._content_types(parts))),
                   ("_rels/.rels", deflate(self._package_rels.xml()))]
        for name, content_type in parts:
            base = self.base.parts.get(name)
            if base is not None and base.deflated is not None and name not in self._new:
                members.append((name[1:], base.deflated))
            else:
                members.append((name[1:], deflate(self._blob(name, content_type, core))))
            if len(self._rels[name]):
                folder, file = posixpath.split(name)
                rels_name = posixpath.join(folder, "_rels", f"{file}.rels")[1:]
                members.append((rels_name, deflate(self._rels[name].xml())))
        return archive(members)

    def _blob(self, name: str, content_type: str, core: dict[str, str]) -> bytes:
        new = self._new.get(name)
        if name == self._numbering and new is not None:  # made for the first list
            return (XML_DECLARATION + f'<w:numbering xmlns:w="{W_NS}">'.encode()
                    + (self._markup.get("abstract", "") + self._markup.get("nums", "")).encode()
                    + b"</w:numbering>")
        if new is not None:
            return new[1]
        blob = self.base.parts[name].blob
        if content_type == CORE_TYPE:
            return self._core(blob, core)
        places = [p for p in PLACES if self.base.places.get(p) == name]
        if not places:
            return blob
        if all(p in self.base.text_places for p in places):
            for place in places:
                blob = blob.replace(self.base.marker(place), self._markup.get(place, "").encode(), 1)
            return blob
        return self._parsed(blob, places)

    def _parsed(self, blob: bytes, places: list[str]) -> bytes:
        """A part whose elements do not bind the markup's prefixes: the markup parsed into it."""
        from lxml import etree

        root = etree.fromstring(blob, etree.XMLParser(huge_tree=True, resolve_entities=False))
        found = {c.text: c for c in root.iter(etree.Comment)}
        for place in places:
            comment = found[f"{self.base.key}-{place}"]
            parent = comment.getparent()
            markup = self._markup.get(place, "")
            if markup:
                insert_parsed(parent, parse_fragment(markup), comment)
            parent.remove(comment)
        return etree.tostring(root, encoding="UTF-8", standalone=True)  # type: ignore[no-any-return]

    def _core(self, blob: bytes, core: dict[str, str]) -> bytes:
        for field in CORE_FIELDS:
            value = core[field] if field == "created" else esc(one_line(core[field])[:_CORE_TEXT_LIMIT])
            blob = blob.replace(f">{self.base.core_placeholder(field)}<".encode(), f">{value}<".encode())
        return blob

    def _content_types(self, parts: list[tuple[str, str]]) -> bytes:
        """[Content_Types].xml as python-docx writes it: Defaults by extension, then Overrides by
        part name, each sorted."""
        defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": XML_TYPE}
        overrides = {}
        for name, content_type in parts:
            ext = posixpath.splitext(name)[1][1:]
            if (ext.lower(), content_type) in self.base.default_types:
                defaults[ext.lower()] = content_type
            else:
                overrides[name] = content_type
        rows = [f'<Default Extension="{attr(ext)}" ContentType="{attr(defaults[ext])}"/>'
                for ext in sorted(defaults)]
        rows += [f'<Override PartName="{attr(name)}" ContentType="{attr(overrides[name])}"/>'
                 for name in sorted(overrides)]
        return XML_DECLARATION + f'<Types xmlns="{_TYPES_NS}">{"".join(rows)}</Types>'.encode()


CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"

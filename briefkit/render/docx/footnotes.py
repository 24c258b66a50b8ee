"""Real Word footnotes, the layer python-docx lacks: the footnotes part, its notes, its settings.

Importing this module registers `CT_Footnotes` for `w:footnotes` (python-docx's relationship
bookkeeping runs namespaced XPath on every part it walks) and `FootnotesPart` for the footnotes
content type, so that documents opened afterwards load an existing footnotes part as a story part.
Used when a base document is prepared (see `prepare`); the notes themselves are markup (`notes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import PartFactory
from docx.opc.rel import Relationships
from docx.oxml import register_element_cls
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.package import Package
from docx.parts.document import DocumentPart
from docx.parts.story import StoryPart
from docx.shared import lazyproperty
from lxml import etree

from briefkit.render.docx.package import Rel, rels_xml

_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FOOTNOTE = qn("w:footnote")
_FOOTNOTE_PR = qn("w:footnotePr")
_ID = qn("w:id")
_TYPE = qn("w:type")
_P = qn("w:p")
_R = qn("w:r")

# Notes Word lays out itself; every other `w:footnote` is a note with text.
_SPECIAL_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})

# Children of `w:settings` that the schema puts after `w:footnotePr`.
_AFTER_FOOTNOTE_PR = (
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
    "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
    "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
    "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip

_NEW_PART_XML = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr>'
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr>'
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


class TextRelationships(Relationships):
    """A part's relationships, serialised as text: python-docx builds a .rels file by parsing one
    XML snippet per relationship, which for a thousand links in notes costs more than the notes
    (this matters where python-docx saves a package: the review comments' pass)."""

    @property
    def xml(self) -> bytes:  # type: ignore[override]  # python-docx says str; it writes bytes
        return rels_xml([Rel(r.rId, r.reltype, r.target_ref, r.is_external) for r in self.values()])


class CT_Footnotes(BaseOxmlElement):
    """`w:footnotes`, the root element of footnotes.xml."""


class FootnotesPart(StoryPart):
    """The footnotes part (/word/footnotes.xml): a story part, so its notes can hold links."""

    @classmethod
    def new(cls, package: Package) -> FootnotesPart:
        """A footnotes part holding only the separator (-1) and continuation separator (0)."""
        partname = PackURI("/word/footnotes.xml")
        return cls(partname, CT.WML_FOOTNOTES, parse_xml(_NEW_PART_XML), package)

    @lazyproperty
    def rels(self) -> Relationships:  # type: ignore[override]
        """Its relationships (one per link in the notes), serialised without python-docx's
        per-relationship parsing."""
        self._rels = TextRelationships(self._partname.baseURI)
        return self._rels

    @property
    def footnotes(self) -> Footnotes:
        return Footnotes(self._element)


register_element_cls("w:footnotes", CT_Footnotes)
PartFactory.part_type_for[CT.WML_FOOTNOTES] = FootnotesPart


def footnotes_part_of(document_part: DocumentPart) -> FootnotesPart:
    """The document's footnotes part, created (with both separators) when it has none."""
    try:
        return cast(FootnotesPart, document_part.part_related_by(RT.FOOTNOTES))
    except KeyError:
        part = FootnotesPart.new(document_part.package)
        document_part.relate_to(part, RT.FOOTNOTES)
        return part


class Footnotes:
    """Proxy for `w:footnotes`: the separator notes it keeps and the first id free for new notes.

    Ids are never assumed: Word and pandoc number the separators -1 and 0, LibreOffice 0 and 1.
    New notes take the highest id in use plus one.
    """

    def __init__(self, element: BaseOxmlElement) -> None:
        self._element = element
        self._next_id = 1 + max((_note_id(n) for n in self._notes()), default=0)

    def _notes(self) -> list[etree._Element]:
        return self._element.findall(_FOOTNOTE)

    def remove_notes(self) -> None:
        """Delete every note with text (a reference document's samples), keeping the separators."""
        for note in self._notes():
            if note.get(_TYPE) not in _SPECIAL_TYPES:
                self._element.remove(note)

    def separator_ids(self) -> list[int]:
        """Ids of the separator and continuation separator, in that order, added when missing."""
        found = {note.get(_TYPE): _note_id(note) for note in self._notes()}
        ids = []
        for kind in ("separator", "continuationSeparator"):
            if kind not in found:
                found[kind] = self._add_separator(kind)
            ids.append(found[kind])
        return ids

    def _add_separator(self, kind: str) -> int:
        note_id = self._take_id()
        note = etree.Element(_FOOTNOTE, {_TYPE: kind, _ID: str(note_id)})
        etree.SubElement(etree.SubElement(etree.SubElement(note, _P), _R), qn(f"w:{kind}"))
        specials = [n for n in self._notes() if n.get(_TYPE) in _SPECIAL_TYPES]
        if specials:
            specials[-1].addnext(note)
        else:
            self._element.insert(0, note)
        return note_id

    def _take_id(self) -> int:
        note_id = self._next_id
        self._next_id += 1
        return note_id

    @property
    def next_id(self) -> int:
        """The id the first new note takes."""
        return self._next_id


def _is_w_element(node: etree._Element) -> bool:
    return isinstance(node.tag, str) and node.tag.startswith(_W_NS)


def _note_id(note: etree._Element) -> int:
    """A note's `w:id`; a malformed one (hand-edited reference documents) counts as 0."""
    try:
        return int(note.get(_ID, "0"))
    except ValueError:
        return 0


def declare_separators(settings: BaseOxmlElement, ids: Sequence[int]) -> None:
    """Name the separator notes in `w:settings/w:footnotePr`, at its place in the schema.

    Keeps any numbering properties (`w:pos`, `w:numFmt`...) a reference document set there.
    """
    footnote_pr = settings.find(_FOOTNOTE_PR)
    if footnote_pr is None:
        footnote_pr = etree.Element(_FOOTNOTE_PR)
        successor = settings.first_child_found_in(*_AFTER_FOOTNOTE_PR)
        if successor is None:  # extensions (w14:docId...) come last: stay before them
            successor = next((c for c in settings if not _is_w_element(c)), None)
        if successor is None:
            settings.append(footnote_pr)
        else:
            successor.addprevious(footnote_pr)
    for old in footnote_pr.findall(_FOOTNOTE):
        footnote_pr.remove(old)
    for note_id in ids:
        etree.SubElement(footnote_pr, _FOOTNOTE, {_ID: str(note_id)})

"""Relationships of one part: hyperlinks added in constant time, written fast, samples pruned.

python-docx's `Part.relate_to()` scans every relationship of the part for a match and then for a
free rId, so a thousand links in notes cost quadratic time. `HyperlinkRels` keeps its own index of
URLs and its own rId counter instead, and adds each relationship directly.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.opc.rel import Relationships
from lxml import etree

from briefkit.render.docx.text import clean
from briefkit.render.docx.wml import attr

_RID_NUMBER = re.compile(r"rId(\d+)")
# Characters a URI may hold as they are; anything else (spaces, quotes, non-ASCII) is
# percent-encoded so that Word accepts the relationship target.
_URI_SAFE = "!#$%&'()*+,-./:;=?@[]_~"
# Relationships that only body or note content points at (by r:id or r:embed); once that
# content is gone they are unused. Structural ones (styles, numbering, headers...) are kept.
_CONTENT_RELTYPES = frozenset({RT.HYPERLINK, RT.IMAGE, RT.OLE_OBJECT, RT.PACKAGE, RT.CHART})
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_R_NAMESPACE = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def safe_url(url: str) -> str:
    """A relationship target Word accepts: cleaned, trimmed, and percent-encoded where needed."""
    return quote(clean(url).strip(), safe=_URI_SAFE)


class HyperlinkRels:
    """The external `hyperlink` relationships of one part, each added in constant time.

    The same URL in the same part reuses its relationship, as `relate_to()` would.
    """

    def __init__(self, part: Part) -> None:
        self._rels = part.rels
        numbers = (_RID_NUMBER.fullmatch(rid) for rid in self._rels)
        self._next = 1 + max((int(m.group(1)) for m in numbers if m), default=0)
        self._by_url: dict[str, str] = {}

    def rid_for(self, url: str) -> str:
        """The rId of the hyperlink relationship to `url` (already made safe), added if new."""
        rid = self._by_url.get(url)
        if rid is None:
            rid = f"rId{self._next}"
            while rid in self._rels:  # taken by a part python-docx related after we counted
                self._next += 1
                rid = f"rId{self._next}"
            self._next += 1
            self._rels.add_relationship(RT.HYPERLINK, url, rid, is_external=True)
            self._by_url[url] = rid
        return rid


class TextRelationships(Relationships):
    """A part's relationships, serialised as text.

    python-docx builds a .rels file by parsing one XML snippet per relationship, which for a
    thousand links in notes costs more than the notes themselves.
    """

    @property
    def xml(self) -> bytes:  # type: ignore[override]  # python-docx says str; it writes bytes
        rows = "".join(
            f'<Relationship Id="{attr(rel.rId)}" Type="{attr(rel.reltype)}" '
            f'Target="{attr(rel.target_ref)}"'
            + (' TargetMode="External"/>' if rel.is_external else "/>")
            for rel in self.values()
        )
        return (
            f'{_XML_DECLARATION}<Relationships xmlns="{_RELS_NS}">{rows}</Relationships>'
        ).encode()


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

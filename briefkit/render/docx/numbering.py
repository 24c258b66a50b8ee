"""List numbering: briefkit's own bullet and decimal definitions in numbering.xml.

pandoc's reference.docx has no "List Bullet" style and no bullet numbering, and a house template may
have none either, so lists never rely on the template: briefkit adds two `w:abstractNum`s of its own
(ids after the template's) and points each list at them through a `w:num`.
"""

from __future__ import annotations

from typing import cast

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.document import DocumentPart
from docx.parts.numbering import NumberingPart
from lxml import etree

from briefkit.render.docx.columns import text_width

MAX_LEVEL = 8
"""Word lists have nine levels (0..8); deeper nesting stays at the last one."""

_ABSTRACT_NUM = qn("w:abstractNum")
_ABSTRACT_NUM_ID = qn("w:abstractNumId")
_NUM = qn("w:num")
_NUM_ID = qn("w:numId")
_VAL = qn("w:val")
_ILVL = qn("w:ilvl")

_BULLETS = ("\u2022", "\u25e6", "\u25aa")  # bullet, white bullet, small square
_ORDERED_FORMATS = ("decimal", "lowerLetter", "lowerRoman")


BULLET_HANGING = 360
"""Twips between a bullet and its text: the least any list label hangs by."""

_LABEL_GAP = 160  # twips, at least, between the end of a number and the text
_LABEL_POINTS = 11.0  # the house look's body size, to measure numbers


def level_indent(level: int) -> int:
    """Left indent, in twips, of list text at `level` (also used for an item's later paragraphs)."""
    return 720 * (min(level, MAX_LEVEL) + 1)


def label_hanging(level: int, first: int, last: int) -> int:
    """How far, in twips, the labels of a numbered list at `level` counting `first`..`last` hang
    left of its text: the widest label (as the level's format writes it) plus a gap, in steps of
    20 twips."""
    fmt = _ORDERED_FORMATS[min(level, MAX_LEVEL) % 3]
    if fmt == "decimal":  # widths grow with the digits, so the last number is the widest
        numbers: range | tuple[int, ...] = (max(abs(first), abs(last)),)
    else:
        numbers = range(max(first, 1), max(last, 1) + 1)
    widest = max(text_width(f"{_label(fmt, n)}.", _LABEL_POINTS, False) for n in numbers)
    hanging = -(-int(widest + _LABEL_GAP) // 20) * 20
    return max(hanging, BULLET_HANGING)


def _label(fmt: str, number: int) -> str:
    """A number as Word writes it in `fmt` (lowerLetter: a..z, aa..zz; lowerRoman: i, ii, ...)."""
    if fmt == "lowerLetter":
        return chr(ord("a") + (number - 1) % 26) * (1 + (number - 1) // 26)
    if fmt == "lowerRoman":
        out = []
        for value, letters in _ROMAN:
            count, number = divmod(number, value)
            out.append(letters * count)
        return "".join(out)
    return str(number)


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _abstract_num_xml(abstract_id: int, ordered: bool) -> str:
    levels = []
    for level in range(MAX_LEVEL + 1):
        if ordered:
            fmt, text = _ORDERED_FORMATS[level % 3], f"%{level + 1}."
        else:
            fmt, text = "bullet", _BULLETS[level % 3]
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{level_indent(level)}" w:hanging="360"/></w:pPr></w:lvl>'
        )
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="hybridMultilevel"/>' + "".join(levels) + "</w:abstractNum>"
    )


def _max_int_attr(elements: list[etree._Element], attr: str) -> int:
    values = [int(v) for e in elements if (v := e.get(attr, "")).lstrip("-").isdigit()]
    return max(values, default=0)


class ListNumbering:
    """Proxy for `w:numbering`: briefkit's two list definitions and one `w:num` per list.

    Nothing is touched until the first list: a brief without lists leaves numbering.xml as the
    template had it. Ids are counted once, not searched for per list.
    """

    def __init__(self, document_part: DocumentPart) -> None:
        self._document_part = document_part
        self._element: BaseOxmlElement | None = None
        self._abstract_ids: dict[bool, int] = {}
        self._bullet_num_id: int | None = None
        self._next_abstract_id = 0
        self._next_num_id = 0

    def bullet(self) -> int:
        """The numId shared by every bulleted list (bullets have no counter to restart)."""
        if self._bullet_num_id is None:
            self._bullet_num_id = self._add_num(ordered=False)
        return self._bullet_num_id

    def ordered(self, level: int, start: int) -> int:
        """A new numId for one numbered list whose items sit at `level` and count from `start`."""
        return self._add_num(ordered=True, level=level, start=start)

    def _add_num(self, *, ordered: bool, level: int = 0, start: int = 1) -> int:
        numbering = self._numbering()
        abstract_id = self._abstract_ids.get(ordered)
        if abstract_id is None:
            abstract_id = self._add_abstract_num(numbering, ordered)
        num_id = self._next_num_id
        self._next_num_id += 1
        num = etree.Element(_NUM, {_NUM_ID: str(num_id)})
        etree.SubElement(num, _ABSTRACT_NUM_ID, {_VAL: str(abstract_id)})
        if ordered:
            override = etree.SubElement(num, qn("w:lvlOverride"), {_ILVL: str(level)})
            etree.SubElement(override, qn("w:startOverride"), {_VAL: str(start)})
        numbering.insert_element_before(num, "w:numIdMacAtCleanup")
        return num_id

    def _add_abstract_num(self, numbering: BaseOxmlElement, ordered: bool) -> int:
        abstract_id = self._next_abstract_id
        self._next_abstract_id += 1
        numbering.insert_element_before(
            parse_xml(_abstract_num_xml(abstract_id, ordered)), "w:num", "w:numIdMacAtCleanup"
        )
        self._abstract_ids[ordered] = abstract_id
        return abstract_id

    def _numbering(self) -> BaseOxmlElement:
        if self._element is None:
            try:
                part = cast(NumberingPart, self._document_part.part_related_by(RT.NUMBERING))
            except KeyError:
                part = NumberingPart(
                    PackURI("/word/numbering.xml"),
                    CT.WML_NUMBERING,
                    parse_xml(f"<w:numbering {nsdecls('w')}/>"),
                    self._document_part.package,
                )
                self._document_part.relate_to(part, RT.NUMBERING)
            self._element = part.element
            self._next_abstract_id = 1 + _max_int_attr(
                self._element.findall(_ABSTRACT_NUM), _ABSTRACT_NUM_ID
            )
            self._next_num_id = 1 + _max_int_attr(self._element.findall(_NUM), _NUM_ID)
        return self._element

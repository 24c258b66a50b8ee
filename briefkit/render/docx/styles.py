"""Styles: which named style each node kind gets, found in the base document or added to it.

As in pandoc, the writer never puts fonts on body text: it maps node kinds to named styles and takes
them from the base document, so a user's reference .docx restyles the whole brief. Names are matched
case-insensitively (Word writes "heading 1" and "footnote text", pandoc "Heading 1" and "Footnote
Text") and the style id the document already uses is kept. A style the base lacks is added with
plain defaults based on its Normal style. Only python-docx's own template gets the house look
(`apply_house_look`); a reference document's styles are never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.oxml.styles import CT_Style
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor, Twips
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle, StyleFactory
from docx.styles.styles import Styles
from lxml import etree

from briefkit.render.docx.roles import Roles

HOUSE_COLOUR = "1F3864"
"""Dark navy for the title, headings and table header of the default look."""

_STYLE = qn("w:style")
_NAME = qn("w:name")
_TYPE = qn("w:type")
_STYLE_ID = qn("w:styleId")
_DEFAULT = qn("w:default")
_VAL = qn("w:val")
_PPR, _IND, _LEFT, _START = qn("w:pPr"), qn("w:ind"), qn("w:left"), qn("w:start")
_RPR, _SZ = qn("w:rPr"), qn("w:sz")
_DOC_DEFAULTS, _RPR_DEFAULT = qn("w:docDefaults"), qn("w:rPrDefault")

_PARAGRAPH, _CHARACTER, _TABLE = "paragraph", "character", "table"
_WD_TYPE = {
    _PARAGRAPH: WD_STYLE_TYPE.PARAGRAPH,
    _CHARACTER: WD_STYLE_TYPE.CHARACTER,
    _TABLE: WD_STYLE_TYPE.TABLE,
}


class StyleSheet:
    """Proxy for `w:styles`: styles found by name case-insensitively, and added when missing.

    The name index is built once, so every lookup costs a dict probe.
    """

    def __init__(self, styles: Styles) -> None:
        self._element = styles.element
        self._by_name: dict[tuple[str, str], str] = {}
        self._by_id: dict[str, CT_Style] = {}
        self._default_paragraph: str | None = None
        for style in self._element.iterchildren(_STYLE):
            self._index(style)
            if style.get(_TYPE) == _PARAGRAPH and style.get(_DEFAULT) in ("1", "true", "on"):
                self._default_paragraph = style.get(_STYLE_ID)

    def _index(self, style: etree._Element) -> None:
        style_id = style.get(_STYLE_ID)
        if style_id is None:
            return
        self._by_id[style_id] = style
        name = style.find(_NAME)
        key = name.get(_VAL, "") if name is not None else style_id
        self._by_name.setdefault((style.get(_TYPE, _PARAGRAPH), key.casefold()), style_id)

    def find(self, kind: str, *names: str) -> str | None:
        """The id of the first style of `kind` ("paragraph", "character", "table") named so."""
        for name in names:
            style_id = self._by_name.get((kind, name.casefold()))
            if style_id is not None:
                return style_id
        return None

    def style(self, style_id: str) -> BaseStyle:
        """The python-docx proxy of the style with this id (which must exist)."""
        return StyleFactory(self._by_id[style_id])

    def default_paragraph(self) -> str | None:
        """The id of the document's default paragraph style ("Normal"), if it declares one."""
        return self._default_paragraph

    def _lineage(self, style_id: str) -> Iterator[CT_Style]:
        """The style and the styles it is based on, nearest first (a loop is followed once)."""
        seen: set[str] = set()
        current: str | None = style_id
        while current is not None and current not in seen:
            seen.add(current)
            element = self._by_id.get(current)
            if element is None:
                return
            yield element
            current = element.basedOn_val

    def font_points(self, style_id: str) -> float:
        """The font size, in points, of text in this style: its own, a base style's, the document
        defaults', or Word's 10 points when none is set (`w:sz` counts half-points)."""
        sizes = [element.find(f"{_RPR}/{_SZ}") for element in self._lineage(style_id)]
        sizes.append(self._element.find(f"{_DOC_DEFAULTS}/{_RPR_DEFAULT}/{_RPR}/{_SZ}"))
        for size in sizes:
            if size is not None and (value := size.get(_VAL, "")).isdigit():
                return int(value) / 2
        return 10.0

    def indents(self, style_id: str) -> bool:
        """Whether paragraphs in this style (or a style it is based on) are indented from the left."""
        for element in self._lineage(style_id):
            indent = element.find(f"{_PPR}/{_IND}")
            if indent is not None:
                left = indent.get(_LEFT) or indent.get(_START) or "0"
                return left.lstrip("-").isdigit() and int(left) > 0
        return False

    def ensure(self, kind: str, names: tuple[str, ...], add: Callable[[BaseStyle], None]) -> str:
        """The id of the style of `kind` with one of `names`, else of a new one named `names[0]`.

        `add` formats the new style; it is called only when the base has none of the names.
        """
        found = self.find(kind, *names)
        if found is not None:
            return found
        name = names[0]
        element: CT_Style = self._element.add_style_of_type(name, _WD_TYPE[kind], False)
        stem = element.styleId or "Style"
        style_id, n = stem, 1
        while style_id in self._by_id:
            n += 1
            style_id = f"{stem}{n}"
        element.styleId = style_id
        normal = self.default_paragraph()
        if normal is not None and kind == _PARAGRAPH:
            element.basedOn_val = normal
        add(StyleFactory(element))
        self._index(element)
        return style_id


def resolve_roles(sheet: StyleSheet) -> Roles:
    """Find (or add) the style of every node kind, pandoc's names first."""
    normal = sheet.ensure(_PARAGRAPH, ("Normal",), _as_it_is)
    body = sheet.find(_PARAGRAPH, "Body Text") or normal
    return Roles(
        title=sheet.ensure(_PARAGRAPH, ("Title",), _plain_title),
        subtitle=sheet.ensure(_PARAGRAPH, ("Subtitle",), _plain_subtitle),
        details=sheet.ensure(_PARAGRAPH, ("Brief Details",), _compact_spacing(0, 0)),
        body=body,
        compact=sheet.ensure(_PARAGRAPH, ("Compact",), _compact_spacing(36, 36)),
        list_item=sheet.find(_PARAGRAPH, "List Paragraph")
        or sheet.ensure(_PARAGRAPH, ("Compact",), _compact_spacing(36, 36)),
        quote=_quote_style(sheet),
        code_block=sheet.ensure(_PARAGRAPH, ("Source Code",), _plain_source_code),
        code=sheet.ensure(_CHARACTER, ("Verbatim Char",), _plain_verbatim),
        hyperlink=sheet.ensure(_CHARACTER, ("Hyperlink",), _plain_hyperlink),
        footnote_text=sheet.ensure(_PARAGRAPH, ("Footnote Text", "Footnote"), _plain_footnote_text),
        footnote_reference=sheet.ensure(
            _CHARACTER, ("Footnote Reference", "Footnote Anchor"), _plain_footnote_reference
        ),
        table=sheet.ensure(_TABLE, ("Table Grid", "Table"), _plain_table_grid),
        footer=sheet.ensure(_PARAGRAPH, ("Footer",), _compact_spacing(0, 0)),
        headings=tuple(
            sheet.ensure(_PARAGRAPH, (f"Heading {n}",), _plain_heading(n)) for n in range(1, 7)
        ),
        bibliography=sheet.ensure(_PARAGRAPH, ("Bibliography",), _plain_bibliography),
    )


def _quote_style(sheet: StyleSheet) -> str:
    """pandoc's "Block Text", else Word's "Quote" if it is indented, else a new "Block Text":
    a block quote must stand out from the text around it."""
    found = sheet.find(_PARAGRAPH, "Block Text")
    if found is not None:
        return found
    quote = sheet.find(_PARAGRAPH, "Quote")
    if quote is not None and sheet.indents(quote):
        return quote
    return sheet.ensure(_PARAGRAPH, ("Block Text",), _plain_block_text)


# Plain defaults for styles a base document lacks ---------------------------------------------


def _as_it_is(style: BaseStyle) -> None:
    """A style needing no formatting of its own (it inherits the document defaults)."""


def _paragraph(style: BaseStyle) -> ParagraphStyle:
    assert isinstance(style, ParagraphStyle)
    return style


def _plain_title(style: BaseStyle) -> None:
    title = _paragraph(style)
    title.font.size = Pt(24)
    title.paragraph_format.space_after = Pt(4)
    title.paragraph_format.keep_with_next = True


def _plain_subtitle(style: BaseStyle) -> None:
    subtitle = _paragraph(style)
    subtitle.font.size = Pt(14)
    subtitle.font.italic = True
    subtitle.paragraph_format.space_after = Pt(12)
    subtitle.paragraph_format.keep_with_next = True


def _plain_heading(level: int) -> Callable[[BaseStyle], None]:
    sizes = (16, 13, 12, 11, 11, 11)

    def add(style: BaseStyle) -> None:
        heading = _paragraph(style)
        heading.font.bold = True
        heading.font.size = Pt(sizes[level - 1])
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True
        heading.element.get_or_add_pPr().append(
            parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{level - 1}"/>')
        )

    return add


def _compact_spacing(before: int, after: int) -> Callable[[BaseStyle], None]:
    def add(style: BaseStyle) -> None:
        fmt = _paragraph(style).paragraph_format
        fmt.space_before = Twips(before)
        fmt.space_after = Twips(after)

    return add


def _plain_block_text(style: BaseStyle) -> None:
    fmt = _paragraph(style).paragraph_format
    fmt.left_indent = Twips(720)
    fmt.right_indent = Twips(720)


def _plain_source_code(style: BaseStyle) -> None:
    code = _paragraph(style)
    code.font.name = "Courier New"
    code.font.size = Pt(9.5)
    code.paragraph_format.space_before = Pt(6)
    code.paragraph_format.space_after = Pt(6)
    code.paragraph_format.line_spacing = 1.0


def _plain_verbatim(style: BaseStyle) -> None:
    assert isinstance(style, CharacterStyle)
    style.font.name = "Courier New"


def _plain_hyperlink(style: BaseStyle) -> None:
    assert isinstance(style, CharacterStyle)
    style.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    style.font.underline = True


def _plain_footnote_text(style: BaseStyle) -> None:
    note = _paragraph(style)
    note.font.size = Pt(10)
    note.paragraph_format.space_after = Pt(0)
    note.paragraph_format.line_spacing = 1.0


def _plain_bibliography(style: BaseStyle) -> None:
    """A hanging indent of half an inch, as reference lists are set (pandoc's name)."""
    fmt = _paragraph(style).paragraph_format
    fmt.left_indent = Twips(720)
    fmt.first_line_indent = Twips(-720)


def _plain_footnote_reference(style: BaseStyle) -> None:
    assert isinstance(style, CharacterStyle)
    style.font.superscript = True


def _plain_table_grid(style: BaseStyle) -> None:
    style.element.append(parse_xml(_TABLE_PR_XML.format(border="auto")))


_TABLE_PR_XML = (
    f"<w:tblPr {nsdecls('w')}><w:tblBorders>"
    + "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="{{border}}"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + '</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>'
)


# Children of `w:pPr` that the schema puts after `w:pBdr`.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


# The house look, for python-docx's default template only --------------------------------------


def apply_house_look(sheet: StyleSheet, roles: Roles) -> None:
    """Restyle the default template as a policy office's brief: Cambria 11 pt body text, Calibri
    headings and title in the house colour, indented quotes, a shaded table header row.

    The template's theme fonts are Calibri (headings) and Cambria (body); they are kept.
    """
    house = RGBColor.from_string(HOUSE_COLOUR)
    normal = _paragraph(sheet.style(sheet.default_paragraph() or roles.body))
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1

    title = _paragraph(sheet.style(roles.title))
    title.font.color.rgb = house
    title.font.size = Pt(24)
    title.font.bold = True
    title.paragraph_format.space_after = Pt(4)
    _remove(title.element, "w:pPr/w:pBdr")

    subtitle = _paragraph(sheet.style(roles.subtitle))
    _remove(subtitle.element, "w:pPr/w:numPr")  # the template's stray list level
    subtitle.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    subtitle.font.size = Pt(14)
    subtitle.paragraph_format.space_after = Pt(14)

    details = _paragraph(sheet.style(roles.details))
    details.font.color.rgb = RGBColor(0x26, 0x26, 0x26)
    details.paragraph_format.space_after = Pt(1)

    for level, style_id in enumerate(roles.headings, start=1):
        heading = _paragraph(sheet.style(style_id))
        heading.font.color.rgb = house
        heading.font.size = Pt((16, 13, 12, 11, 11, 11)[level - 1])
        heading.paragraph_format.space_before = Pt(18 if level == 1 else 12)
        heading.paragraph_format.space_after = Pt(6 if level == 1 else 3)

    quote = _paragraph(sheet.style(roles.quote))
    quote.paragraph_format.left_indent = Twips(720)
    quote.paragraph_format.right_indent = Twips(720)
    quote.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    quote.font.italic = True
    _replace(
        quote.element.get_or_add_pPr(),
        "w:pBdr",
        f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="18" w:space="8" '
        f'w:color="8EAADB"/></w:pBdr>',
        before=_AFTER_PBDR,
    )

    table = sheet.style(roles.table)
    _remove(table.element, "w:tblPr")
    _remove(table.element, "w:tblStylePr")
    table.element.append(parse_xml(_TABLE_PR_XML.format(border="A6A6A6")))
    table.element.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/><w:color '
            f'w:val="FFFFFF"/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" '
            f'w:fill="{HOUSE_COLOUR}"/></w:tcPr></w:tblStylePr>'
        )
    )

    footer = _paragraph(sheet.style(roles.footer))
    footer.font.size = Pt(9)
    footer.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _remove(element: BaseOxmlElement, path: str) -> None:
    for found in element.xpath(path):
        found.getparent().remove(found)


def _replace(parent: BaseOxmlElement, tag: str, xml: str, *, before: tuple[str, ...]) -> None:
    _remove(parent, tag)
    parent.insert_element_before(parse_xml(xml), *before)

"""The page: size and margins in `w:sectPr`, and the centred page number in the footer."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.section import Section
from docx.shared import Inches, Twips

_LETTER = '<w:pgSz {ns} w:w="12240" w:h="15840"/>'
_ONE_INCH = (
    '<w:pgMar {ns} w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" '
    'w:header="720" w:footer="720" w:gutter="0"/>'
)


def last_section(document: DocxDocument) -> Section:
    """The final section, whose `w:sectPr` ends the body; added when a reference has none."""
    body = document.element.body
    if body.find(qn("w:sectPr")) is None:
        body.append(parse_xml(f"<w:sectPr {nsdecls('w')}/>"))
    return document.sections[-1]


def fill_page_setup(section: Section) -> None:
    """Give a section without page size or margins Word's own defaults (Letter, one inch).

    pandoc's reference.docx has an empty `w:sectPr`; a house template that sets a page keeps it.
    """
    sect_pr = section._sectPr
    if sect_pr.find(qn("w:pgSz")) is None:
        sect_pr.insert_element_before(
            parse_xml(_LETTER.format(ns=nsdecls("w"))),
            "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols",
            "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
            "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
        )  # fmt: skip
    if sect_pr.find(qn("w:pgMar")) is None:
        sect_pr.insert_element_before(
            parse_xml(_ONE_INCH.format(ns=nsdecls("w"))),
            "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt",
            "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
            "w:docGrid", "w:printerSettings", "w:sectPrChange",
        )  # fmt: skip


def set_house_margins(section: Section) -> None:
    """One-inch margins all round, header and footer half an inch from the edge."""
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Inches(1))
    section.header_distance = Inches(0.5)
    section.footer_distance = Inches(0.5)


def text_width(section: Section) -> int:
    """Width between the margins, in twips (tables are laid out to it)."""
    width = section.page_width or Twips(12240)
    left = section.left_margin if section.left_margin is not None else Twips(1440)
    right = section.right_margin if section.right_margin is not None else Twips(1440)
    return max(int((width - left - right) / 635), 1440)  # 635 EMU per twip


def add_page_number_footer(section: Section, footer_style: str) -> None:
    """A centred PAGE field in the section's footer, unless the base document has its own footer."""
    if not section.footer.is_linked_to_previous:
        return
    footer = section.footer
    footer.is_linked_to_previous = False
    ftr = footer._element
    for child in list(ftr):
        ftr.remove(child)
    ftr.append(
        parse_xml(
            f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{footer_style}"/><w:jc w:val="center"/>'
            '</w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        )
    )

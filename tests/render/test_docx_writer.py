"""The DOCX writer, checked on real files: read back with python-docx, by their XML parts, and with
pandoc (`-f docx`) as an independent reader."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor
from lxml import etree

from briefkit.errors import ExportError
from briefkit.render.document import (
    BlockQuote,
    BulletList,
    Cite,
    Code,
    CodeBlock,
    Document,
    Emph,
    Heading,
    LineBreak,
    Link,
    Meta,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    Text,
    ThematicBreak,
    Unverified,
)
from briefkit.render.docx import write_docx
from briefkit.render.docx.styles import HOUSE_COLOUR

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
W = f"{{{NS['w']}}}"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed")


# Building trees and reading files back ---------------------------------------------------------


def note(number: int, *inlines: object) -> Note:
    return Note(number, [Paragraph(list(inlines))])  # type: ignore[arg-type]


def sample_brief() -> Document:
    """A brief using every node kind, with four notes (one with a link, one in a table cell)."""
    return Document(
        Meta(
            title="Venezuela: Options for U.S. Policy",
            subtitle="An options memo",
            author="A. Analyst",
            organisation="Policy Unit",
            date="23 November 2026",
            audience="The Deputy Secretary",
        ),
        [
            Heading(1, [Text("Bottom line")]),
            Paragraph(
                [
                    Text("Maximum pressure "),
                    Emph([Text("has not")]),
                    Text(" dislodged the government."),
                    NoteRef(1),
                ]
            ),
            BlockQuote(
                [
                    Paragraph(
                        [Text("Washington should prepare new rounds of sanctions."), NoteRef(2)]
                    )
                ]
            ),
            Heading(2, [Text("Options")]),
            BulletList(
                [
                    [Paragraph([Text("Keep pressure")])],
                    [
                        Paragraph([Text("Negotiate")]),
                        BulletList([[Paragraph([Text("through Norway")])]]),
                    ],
                ]
            ),
            OrderedList([[Paragraph([Text("Consult allies")])], [Paragraph([Text("Decide")])]], 3),
            Table(
                [[Text("Position")], [Text("Evidence")]],
                [[[Text("Pressure")], [Text("Supports"), NoteRef(3)]]],
                ["left", "center"],
            ),
            CodeBlock("x = 1\n\ty = 2\n"),
            ThematicBreak(),
            Paragraph(
                [
                    Link("https://example.com/brief", [Text("the full report")]),
                    LineBreak(),
                    Strong([Text("Note:")]),
                    Text(" run "),
                    Code("briefkit check"),
                    Text(". "),
                    Unverified([Text("an altered quote")]),
                    NoteRef(4),
                ]
            ),
        ],
        [
            note(
                1,
                Text("David Smilde, "),
                Emph([Text("Failed Pressure")]),
                Text(", "),
                Link("https://example.org/smilde", [Text("example.org/smilde")]),
                Text("."),
            ),
            note(2, Text("Forum for American Leadership, para. 4.")),
            note(3, Text("Ibid., para. 7.")),
            note(4, Text("Smilde, "), Emph([Text("Failed Pressure")]), Text(", p. 2.")),
        ],
    )


def export(tmp_path: Path, doc: Document, reference_doc: Path | None = None) -> Path:
    out = tmp_path / "brief.docx"
    out.write_bytes(write_docx(doc, reference_doc=reference_doc))
    return out


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def part_names(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as package:
        return set(package.namelist())


def pandoc_markdown(path: Path) -> str:
    result = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "markdown", "--wrap=none", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def pandoc_notes(markdown: str) -> dict[int, str]:
    return {int(n): text for n, text in re.findall(r"^\[\^(\d+)\]: (.*)$", markdown, re.MULTILINE)}


def rewritten(src: Path, dst: Path, edit: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of the package `src` at `dst`, each part's bytes passed through `edit` (None drops it)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for item in old.infolist():
            data = edit(item.filename, old.read(item.filename))
            if data is not None:
                new.writestr(item, data)
    return dst


def val(element: etree._Element, path: str) -> str:
    """The `w:val` of the element at `path`, or "" when there is none."""
    found = element.find(path, NS)
    return "" if found is None else found.get(W + "val", "")


def style_ids_by_name(path: Path) -> dict[str, str]:
    styles = part(path, "word/styles.xml")
    return {
        s.find("w:name", NS).get(W + "val").casefold(): s.get(W + "styleId")
        for s in styles.iterfind("w:style", NS)
    }


def paragraph_styles(path: Path) -> list[tuple[str, str]]:
    """(style id, text) of each body paragraph, in order."""
    body = part(path, "word/document.xml").find("w:body", NS)
    return [
        (val(p, "w:pPr/w:pStyle") or "", "".join(p.itertext())) for p in body.iterfind("w:p", NS)
    ]


def footnotes_with_text(path: Path) -> list[etree._Element]:
    notes = part(path, "word/footnotes.xml")
    return [n for n in notes.iterfind("w:footnote", NS) if n.get(W + "type") is None]


@pytest.fixture(scope="module")
def pandoc_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pandoc's own reference.docx: styles by other names, sample notes, no bullet numbering."""
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc not installed")
    path = tmp_path_factory.mktemp("pandoc") / "reference.docx"
    subprocess.run(
        ["pandoc", "-o", str(path), "--print-default-data-file", "reference.docx"], check=True
    )
    return path


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(tmp_path_factory.mktemp("sample"), sample_brief())


# Footnotes -------------------------------------------------------------------------------------


@needs_pandoc
def test_pandoc_reads_every_note_back_as_a_numbered_footnote_with_its_text(sample: Path) -> None:
    notes = pandoc_notes(pandoc_markdown(sample))
    assert notes == {
        1: "David Smilde, *Failed Pressure*, [example.org/smilde](https://example.org/smilde).",
        2: "Forum for American Leadership, para. 4.",
        3: "Ibid., para. 7.",
        4: "Smilde, *Failed Pressure*, p. 2.",
    }


@needs_pandoc
def test_note_references_sit_where_the_tree_put_them(sample: Path) -> None:
    markdown = pandoc_markdown(sample)
    assert "dislodged the government.[^1]" in markdown
    assert "new rounds of sanctions.[^2]" in markdown
    assert "Supports[^3]" in markdown
    assert "an altered quote[^4]" in markdown


def test_note_bodies_follow_the_separators_in_reading_order(sample: Path) -> None:
    notes = part(sample, "word/footnotes.xml").findall("w:footnote", NS)
    kinds = [n.get(W + "type") for n in notes]
    assert kinds[:2] == ["separator", "continuationSeparator"]
    assert kinds[2:] == [None] * 4
    texts = ["".join(n.itertext()).strip() for n in notes[2:]]
    assert texts[0].startswith("David Smilde") and texts[3].startswith("Smilde, Failed")
    body = part(sample, "word/document.xml")
    referenced = [r.get(W + "id") for r in body.iter(W + "footnoteReference")]
    assert referenced == [n.get(W + "id") for n in notes[2:]]


def test_each_note_starts_with_its_number_in_the_footnote_styles(sample: Path) -> None:
    ids = style_ids_by_name(sample)
    for footnote in footnotes_with_text(sample):
        first = footnote.find("w:p", NS)
        assert val(first, "w:pPr/w:pStyle") == ids["footnote text"]
        mark = first.find("w:r", NS)
        assert mark.find("w:footnoteRef", NS) is not None
        assert val(mark, "w:rPr/w:rStyle") == ids["footnote reference"]


def test_settings_name_the_separators_at_the_schema_position(sample: Path) -> None:
    settings = part(sample, "word/settings.xml")
    tags = [etree.QName(child).localname for child in settings]
    assert tags.count("footnotePr") == 1
    assert tags.index("footnotePr") == tags.index("compat") - 1
    assert tags.index("footnotePr") > tags.index("defaultTabStop")
    declared = [f.get(W + "id") for f in settings.find("w:footnotePr", NS)]
    separators = {
        n.get(W + "type"): n.get(W + "id")
        for n in part(sample, "word/footnotes.xml").iterfind("w:footnote", NS)
    }
    assert declared == [separators["separator"], separators["continuationSeparator"]]


def test_links_in_notes_are_related_from_the_footnotes_part(sample: Path) -> None:
    rels = part(sample, "word/_rels/footnotes.xml.rels")
    by_id = {r.get("Id"): r for r in rels}
    notes = part(sample, "word/footnotes.xml")
    links = list(notes.iter(W + "hyperlink"))
    assert len(links) == 1
    rel = by_id[links[0].get(f"{{{NS['r']}}}id")]
    assert rel.get("Target") == "https://example.org/smilde"
    assert rel.get("TargetMode") == "External"
    assert rel.get("Type") == HYPERLINK


def test_the_same_address_in_many_notes_shares_one_relationship(tmp_path: Path) -> None:
    url = "https://example.org/report"
    doc = Document(
        Meta(title="Links"),
        [Paragraph([NoteRef(n) for n in range(1, 4)])],
        [note(n, Link(url, [Text("report")])) for n in range(1, 4)],
    )
    rels = part(export(tmp_path, doc), "word/_rels/footnotes.xml.rels")
    assert [r.get("Target") for r in rels] == [url]


def test_notes_nobody_refers_to_are_not_written(tmp_path: Path) -> None:
    doc = Document(
        Meta(title="Orphans"),
        [Paragraph([Text("One reference."), NoteRef(1)])],
        [note(1, Text("Referenced.")), note(2, Text("Never referenced."))],
    )
    texts = ["".join(n.itertext()).strip() for n in footnotes_with_text(export(tmp_path, doc))]
    assert texts == ["Referenced."]


def test_a_note_holding_a_table_gets_paragraphs_before_and_after_it(
    tmp_path: Path,
) -> None:
    doc = Document(
        Meta(title="Table note"),
        [Paragraph([Text("See"), NoteRef(1)])],
        [Note(1, [Table([[Text("A")]], [[[Text("1")]]])])],
    )
    (footnote,) = footnotes_with_text(export(tmp_path, doc))
    assert [etree.QName(child).localname for child in footnote] == ["p", "tbl", "p"]
    assert footnote[0].find(".//w:footnoteRef", NS) is not None


def test_a_reference_to_a_note_the_document_lacks_is_an_export_error(tmp_path: Path) -> None:
    doc = Document(Meta(title="Bad"), [Paragraph([NoteRef(2)])], [note(1, Text("Only one."))])
    with pytest.raises(ExportError, match="note 2 is referenced but the document has 1 notes"):
        write_docx(doc)


def test_a_note_inside_a_note_is_an_export_error(tmp_path: Path) -> None:
    doc = Document(
        Meta(title="Nested"),
        [Paragraph([NoteRef(1)])],
        [note(1, Text("Outer"), NoteRef(2)), note(2, Text("Inner"))],
    )
    with pytest.raises(ExportError, match="notes cannot nest"):
        write_docx(doc)


def test_an_unnumbered_citation_is_an_export_error_naming_it() -> None:
    doc = Document(Meta(title="Cite"), [Paragraph([Cite(["smilde-failed"])])], [])
    with pytest.raises(ExportError, match="@smilde-failed"):
        write_docx(doc)


# Body content ----------------------------------------------------------------------------------


def test_title_block_shows_title_subtitle_and_the_labelled_details(sample: Path) -> None:
    ids = style_ids_by_name(sample)
    paragraphs = paragraph_styles(sample)
    assert paragraphs[0] == (ids["title"], "Venezuela: Options for U.S. Policy")
    assert paragraphs[1] == (ids["subtitle"], "An options memo")
    assert [text for _, text in paragraphs[2:5]] == [
        "For:The Deputy Secretary",
        "Prepared by:A. Analyst, Policy Unit",
        "Date:23 November 2026",
    ]
    assert paragraphs[5] == (ids["heading 1"], "Bottom line")


def test_title_block_leaves_out_details_that_are_not_given(tmp_path: Path) -> None:
    doc = Document(Meta(title="Only a title", organisation="Policy Unit"), [], [])
    texts = [text for _, text in paragraph_styles(export(tmp_path, doc))]
    assert texts == ["Only a title", "Prepared by:Policy Unit"]


def test_headings_use_heading_styles_one_to_six(tmp_path: Path) -> None:
    doc = Document(Meta(), [Heading(n, [Text(f"Level {n}")]) for n in range(1, 7)], [])
    path = export(tmp_path, doc)
    ids = style_ids_by_name(path)
    assert paragraph_styles(path) == [(ids[f"heading {n}"], f"Level {n}") for n in range(1, 7)]


def test_a_paragraph_of_bold_text_only_keeps_with_the_next(tmp_path: Path) -> None:
    """The templates' "Evidence for" heads the quotes after it: never alone at a page's foot."""
    doc = Document(Meta(), [
        Paragraph([Strong([Text("Evidence for")])]),
        BlockQuote([Paragraph([Text("A quote.")])]),
        Paragraph([Strong([Text("Bold")]), Text(" then plain text.")]),
        Paragraph([Text("Plain.")]),
    ], [])
    paragraphs = docx.Document(str(export(tmp_path, doc))).paragraphs
    assert [p.paragraph_format.keep_with_next for p in paragraphs] == [True, None, None, None]


@needs_pandoc
def test_lists_tables_and_quotes_come_back_from_pandoc(sample: Path) -> None:
    markdown = pandoc_markdown(sample)
    assert re.search(r"^-\s+Keep pressure$", markdown, re.MULTILINE)
    assert re.search(r"^\s{4}-\s+through Norway$", markdown, re.MULTILINE)
    assert re.search(r"^3\.\s+Consult allies$", markdown, re.MULTILINE)
    assert re.search(r"^4\.\s+Decide$", markdown, re.MULTILINE)
    assert "> Washington should prepare new rounds of sanctions.[^2]" in markdown
    assert re.search(r"\*\*Position\*\*\s+\*\*Evidence\*\*", markdown)
    assert "[the full report](https://example.com/brief)" in markdown
    assert "`briefkit check`" in markdown


def test_lists_use_briefkits_own_bullet_and_decimal_definitions(sample: Path) -> None:
    numbering = part(sample, "word/numbering.xml")
    formats = {
        a.get(W + "abstractNumId"): a.find("w:lvl/w:numFmt", NS).get(W + "val")
        for a in numbering.iterfind("w:abstractNum", NS)
    }
    body = part(sample, "word/document.xml")
    used = {
        p.find("w:pPr/w:numPr/w:numId", NS).get(W + "val"): "".join(p.itertext())
        for p in body.iter(W + "p")
        if p.find("w:pPr/w:numPr", NS) is not None
    }
    nums = {
        n.get(W + "numId"): n.find("w:abstractNumId", NS).get(W + "val")
        for n in numbering.iterfind("w:num", NS)
    }
    kinds = {text: formats[nums[num_id]] for num_id, text in used.items()}
    assert set(kinds.values()) == {"bullet", "decimal"}
    start = numbering.find(".//w:num/w:lvlOverride/w:startOverride", NS)
    assert start.get(W + "val") == "3"


def test_nested_list_items_sit_one_level_deeper(sample: Path) -> None:
    body = part(sample, "word/document.xml")
    levels = {
        "".join(p.itertext()): p.find("w:pPr/w:numPr/w:ilvl", NS).get(W + "val")
        for p in body.iter(W + "p")
        if p.find("w:pPr/w:numPr", NS) is not None
    }
    assert levels == {"Keep pressure": "0", "Negotiate": "0", "through Norway": "1",
                      "Consult allies": "0", "Decide": "0"}  # fmt: skip


def test_tables_have_a_grid_style_a_repeating_header_and_notes_in_cells(sample: Path) -> None:
    ids = style_ids_by_name(sample)
    table = part(sample, "word/document.xml").find(".//w:tbl", NS)
    assert table.find("w:tblPr/w:tblStyle", NS).get(W + "val") == ids["table grid"]
    header, row = table.findall("w:tr", NS)
    assert header.find("w:trPr/w:tblHeader", NS) is not None
    assert row.find(".//w:footnoteReference", NS) is not None
    assert row.findall("w:tc", NS)[1].find(".//w:jc", NS).get(W + "val") == "center"


def test_block_quotes_use_an_indented_quote_style(sample: Path) -> None:
    ids = style_ids_by_name(sample)
    quote = next(s for s, text in paragraph_styles(sample) if text.startswith("Washington"))
    assert quote == ids["block text"]
    style = part(sample, "word/styles.xml").find(f"w:style[@w:styleId='{quote}']/w:pPr/w:ind", NS)
    assert int(style.get(W + "left")) > 0


def test_runs_carry_emphasis_code_links_and_line_breaks(sample: Path) -> None:
    ids = style_ids_by_name(sample)
    body = part(sample, "word/document.xml")
    runs = {"".join(r.itertext()): r for r in body.iter(W + "r")}
    assert runs["has not"].find("w:rPr/w:i", NS) is not None
    assert runs["Note:"].find("w:rPr/w:b", NS) is not None
    assert val(runs["briefkit check"], "w:rPr/w:rStyle") == ids["verbatim char"]
    assert val(runs["the full report"], "w:rPr/w:rStyle") == ids["hyperlink"]
    assert runs["the full report"].getparent().tag == W + "hyperlink"
    assert body.find(".//w:r/w:br", NS) is not None


def test_code_blocks_keep_lines_and_tabs_in_a_monospace_style(sample: Path) -> None:
    ids = style_ids_by_name(sample)
    body = part(sample, "word/document.xml")
    code = next(p for p in body.iter(W + "p") if val(p, "w:pPr/w:pStyle") == ids["source code"])
    kinds = [etree.QName(c).localname for c in code.find("w:r", NS)]
    assert kinds == ["t", "br", "tab", "t"]
    font = part(sample, "word/styles.xml").find(
        f"w:style[@w:styleId='{ids['source code']}']/w:rPr/w:rFonts", NS
    )
    assert font.get(W + "ascii") == "Courier New"


def test_a_thematic_break_is_a_paragraph_with_a_bottom_border(sample: Path) -> None:
    body = part(sample, "word/document.xml")
    rules = [p for p in body.iter(W + "p") if p.find("w:pPr/w:pBdr/w:bottom", NS) is not None]
    assert ["".join(p.itertext()) for p in rules] == ["Date:23 November 2026", ""]


def test_an_unverified_quote_is_visibly_marked(sample: Path) -> None:
    body = part(sample, "word/document.xml")
    runs = list(body.iter(W + "r"))
    label = next(r for r in runs if "".join(r.itertext()) == "[UNVERIFIED]")
    assert label.find("w:rPr/w:highlight", NS).get(W + "val") == "red"
    quote = next(r for r in runs if "".join(r.itertext()) == "an altered quote")
    assert quote.find("w:rPr/w:shd", NS) is not None


def test_the_footer_holds_a_centred_page_number(sample: Path) -> None:
    footer = part(sample, "word/footer1.xml")
    assert "PAGE" in footer.findtext(".//w:instrText", namespaces=NS)
    assert footer.find(".//w:pPr/w:jc", NS).get(W + "val") == "center"
    sect_pr = part(sample, "word/document.xml").find("w:body/w:sectPr", NS)
    assert sect_pr.find("w:footerReference", NS) is not None


def test_core_properties_carry_the_briefs_title_and_author(sample: Path) -> None:
    props = docx.Document(str(sample)).core_properties
    assert props.title == "Venezuela: Options for U.S. Policy"
    assert props.author == "A. Analyst"


def test_the_default_look_has_house_headings_and_one_inch_margins(sample: Path) -> None:
    document = docx.Document(str(sample))
    heading = next(s for s in document.styles if s.name == "Heading 1")
    assert heading.font.color.rgb == RGBColor.from_string(HOUSE_COLOUR)
    section = document.sections[-1]
    assert section.left_margin == section.right_margin == 914400


def test_footnote_styles_are_added_once_to_the_default_template(sample: Path) -> None:
    styles = part(sample, "word/styles.xml")
    names = [val(s, "w:name").casefold() for s in styles.iterfind("w:style", NS)]
    for name in ("footnote text", "footnote reference", "hyperlink"):
        assert names.count(name) == 1


def test_the_template_thumbnail_does_not_travel_into_the_brief(sample: Path) -> None:
    assert not any("thumbnail" in name for name in part_names(sample))


# Text hygiene ----------------------------------------------------------------------------------


def test_control_characters_are_dropped_wherever_text_enters(tmp_path: Path) -> None:
    dirty = "a\x00b\x0bc\x1f\ufffe\ud800d"
    doc = Document(
        Meta(title=dirty, author=dirty, date=dirty),
        [
            Paragraph([Text(dirty), NoteRef(1)]),
            Table([[Text(dirty)]], [[[Text(dirty)]]]),
            CodeBlock(dirty),
            Paragraph([Link(f"https://example.org/{dirty}", [Text(dirty)])]),
        ],
        [note(1, Text(dirty), Link(f"https://example.org/{dirty}", [Text(dirty)]))],
    )
    path = export(tmp_path, doc)
    texts = [t.text for t in part(path, "word/document.xml").iter(W + "t")]
    assert texts.count("abcd") >= 5
    assert "abcd" in "".join(footnotes_with_text(path)[0].itertext())
    assert docx.Document(str(path)).core_properties.title == "abcd"


def test_windows_line_endings_become_one_break_and_tabs_become_tabs(tmp_path: Path) -> None:
    doc = Document(Meta(), [Paragraph([Text("one\r\ntwo\tthree\rfour")])], [])
    run = part(export(tmp_path, doc), "word/document.xml").find(".//w:body/w:p/w:r", NS)
    assert [etree.QName(c).localname for c in run] == ["t", "br", "t", "tab", "t", "br", "t"]


def test_markup_characters_in_text_are_escaped(tmp_path: Path) -> None:
    text = 'a <b> & "c" ]]>'
    doc = Document(Meta(title=text), [Paragraph([Text(text), NoteRef(1)])], [note(1, Text(text))])
    path = export(tmp_path, doc)
    # The title is the analyst's and gets typographic quotes; body text is printed as it is.
    assert [text for _, text in paragraph_styles(path)][:2] == ['a <b> & “c” ]]>', text]


# Reference documents ---------------------------------------------------------------------------


def test_a_missing_reference_document_is_an_export_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "house.docx"
    with pytest.raises(ExportError, match="not found") as caught:
        write_docx(Document(Meta(), [], []), reference_doc=missing)
    assert caught.value.path == missing


@pytest.mark.parametrize(
    "content",
    [b"just text, not a Word file", b"PK\x03\x04 truncated zip", None],
    ids=["text file", "broken zip", "zip without a document"],
)
def test_a_reference_document_that_is_not_a_word_file_is_an_export_error(
    tmp_path: Path, content: bytes | None
) -> None:
    bad = tmp_path / "house.docx"
    if content is None:
        with zipfile.ZipFile(bad, "w") as package:
            package.writestr("hello.txt", "hello")
    else:
        bad.write_bytes(content)
    with pytest.raises(ExportError, match="not a Word .docx file") as caught:
        write_docx(Document(Meta(), [], []), reference_doc=bad)
    assert caught.value.path == bad
    assert str(bad) in str(caught.value)


def test_a_folder_given_as_reference_document_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="not a file"):
        write_docx(Document(Meta(), [], []), reference_doc=tmp_path)


def test_pandocs_reference_loses_its_samples_and_keeps_its_styles(
    tmp_path: Path, pandoc_reference: Path
) -> None:
    path = export(tmp_path, sample_brief(), pandoc_reference)
    texts = [text for _, text in paragraph_styles(path)]
    assert "Heading 1" not in texts and "Abstract" not in texts
    notes = ["".join(n.itertext()).strip() for n in footnotes_with_text(path)]
    assert [text.split(",")[0] for text in notes] == ["David Smilde", "Forum for American Leadership",
                                                       "Ibid.", "Smilde"]  # fmt: skip
    document_rels = part(path, "word/_rels/document.xml.rels")
    assert "http://example.com" not in [r.get("Target") for r in document_rels]
    note_rels = part(path, "word/_rels/footnotes.xml.rels")
    assert [r.get("Target") for r in note_rels] == ["https://example.org/smilde"]
    props = docx.Document(str(path)).core_properties
    assert (props.title, props.author) == ("Venezuela: Options for U.S. Policy", "A. Analyst")
    ids = style_ids_by_name(path)
    styles = dict(paragraph_styles(path)[i] for i in (0, 5))
    assert styles == {"Title": "Venezuela: Options for U.S. Policy", "Heading1": "Bottom line"}
    assert ids["footnote text"] == "FootnoteText" and ids["block text"] == "BlockText"
    assert HOUSE_COLOUR not in etree.tostring(part(path, "word/styles.xml")).decode()


@needs_pandoc
def test_pandocs_reference_still_gets_bullets_and_notes(
    tmp_path: Path, pandoc_reference: Path
) -> None:
    markdown = pandoc_markdown(export(tmp_path, sample_brief(), pandoc_reference))
    assert re.search(r"^-\s+Keep pressure$", markdown, re.MULTILINE)
    assert len(pandoc_notes(markdown)) == 4


def test_a_house_reference_keeps_its_own_heading_colour_and_body_font(tmp_path: Path) -> None:
    house = docx.Document()
    house.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    house.styles["Normal"].font.name = "Georgia"
    house.add_paragraph("Sample text that must not survive.")
    reference = tmp_path / "house.docx"
    house.save(str(reference))
    path = export(tmp_path, sample_brief(), reference)
    document = docx.Document(str(path))
    heading = next(s for s in document.styles if s.name == "Heading 1")
    assert heading.font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert document.styles["Normal"].font.name == "Georgia"
    assert "Sample text that must not survive." not in [p.text for p in document.paragraphs]
    assert document.paragraphs[5].style.name == "Heading 1"


def test_a_house_reference_with_its_own_footer_keeps_it(tmp_path: Path) -> None:
    house = docx.Document()
    house.sections[0].footer.paragraphs[0].text = "Policy Unit - Official"
    reference = tmp_path / "house.docx"
    house.save(str(reference))
    document = docx.Document(io.BytesIO(write_docx(sample_brief(), reference_doc=reference)))
    footer = document.sections[-1].footer
    assert [p.text for p in footer.paragraphs] == ["Policy Unit - Official"]


def test_a_reference_without_numbering_gets_a_numbering_part_for_its_lists(
    tmp_path: Path,
) -> None:
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))

    def drop_numbering(name: str, data: bytes) -> bytes | None:
        if name == "word/numbering.xml":
            return None
        if name in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
            return re.sub(rb"<(Relationship|Override)[^>]*numbering[^>]*/>", b"", data)
        return data

    without = rewritten(plain, tmp_path / "no-numbering.docx", drop_numbering)
    assert "word/numbering.xml" not in part_names(without)
    path = export(tmp_path, sample_brief(), without)
    numbering = part(path, "word/numbering.xml")
    formats = [
        lvl.get(W + "val") for lvl in numbering.iterfind("w:abstractNum/w:lvl[1]/w:numFmt", NS)
    ]
    assert sorted(formats) == ["bullet", "decimal"]


def test_separator_ids_of_a_reference_are_reused_not_assumed(
    tmp_path: Path, pandoc_reference: Path
) -> None:

    def renumber_separators(name: str, data: bytes) -> bytes:
        if name == "word/footnotes.xml":
            return data.replace(b'w:id="0"', b'w:id="1"').replace(b'w:id="-1"', b'w:id="0"')
        if name == "word/settings.xml":
            return re.sub(rb"<w:footnotePr>.*?</w:footnotePr>", b"", data, flags=re.DOTALL)
        return data

    libreoffice_like = rewritten(pandoc_reference, tmp_path / "lo.docx", renumber_separators)
    path = export(tmp_path, sample_brief(), libreoffice_like)
    settings = part(path, "word/settings.xml")
    assert [f.get(W + "id") for f in settings.find("w:footnotePr", NS)] == ["0", "1"]
    ids = [int(n.get(W + "id")) for n in footnotes_with_text(path)]
    assert len(ids) == 4 and min(ids) > 1 and len(set(ids)) == 4


def test_a_reference_that_binds_the_main_namespace_to_another_prefix_still_gets_everything(
    tmp_path: Path,
) -> None:
    # Content is normally spliced into the saved XML as `w:` markup; a part that does not bind
    # `w:` (legal XML, though no Word writes it) gets its content parsed into the tree instead.
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))

    def rename_prefix(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        return re.sub(rb"(</?|\s)w:", rb"\1wm:", data).replace(b"xmlns:w=", b"xmlns:wm=")

    other_prefix = rewritten(plain, tmp_path / "other-prefix.docx", rename_prefix)
    assert b"<w:body" not in zipfile.ZipFile(other_prefix).read("word/document.xml")
    path = export(tmp_path, sample_brief(), other_prefix)
    assert b"briefkit-" not in zipfile.ZipFile(path).read("word/document.xml")
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == "Venezuela: Options for U.S. Policy"
    body = part(path, "word/document.xml")
    assert len(list(body.iter(W + "footnoteReference"))) == 4
    assert len(footnotes_with_text(path)) == 4


def test_no_placeholder_is_left_in_any_part(sample: Path) -> None:
    with zipfile.ZipFile(sample) as package:
        assert not [name for name in package.namelist() if b"briefkit-" in package.read(name)]


# Robustness and speed --------------------------------------------------------------------------


@needs_pandoc
def test_the_file_survives_being_reopened_and_saved_by_python_docx(
    tmp_path: Path, sample: Path
) -> None:
    resaved = tmp_path / "resaved.docx"
    docx.Document(str(sample)).save(str(resaved))
    assert pandoc_notes(pandoc_markdown(resaved)) == pandoc_notes(pandoc_markdown(sample))


def big_brief(notes: int = 1000, paragraphs: int = 500) -> Document:
    """`paragraphs` paragraphs sharing `notes` notes, each note with its own link."""
    per = notes // paragraphs
    blocks = [
        Paragraph(
            [
                inline
                for k in range(p * per + 1, (p + 1) * per + 1)
                for inline in (Text(f"Claim {k} about sanctions relief. "), NoteRef(k))
            ]
        )
        for p in range(paragraphs)
    ]
    bodies = [
        note(k, Text(f"Author {k}, "), Emph([Text("Report")]), Text(", para. 3, "),
             Link(f"https://example.org/source/{k}", [Text(f"example.org/source/{k}")]))
        for k in range(1, notes + 1)
    ]  # fmt: skip
    return Document(Meta(title="Big brief", author="A. Analyst"), blocks, bodies)


def test_a_thousand_linked_notes_each_get_their_own_relationship(tmp_path: Path) -> None:
    """Speed is measured in bench/bench_export.py; here, that every note and link is written."""
    data = write_docx(big_brief())
    path = tmp_path / "big.docx"
    path.write_bytes(data)
    rels = part(path, "word/_rels/footnotes.xml.rels")
    assert len({r.get("Id") for r in rels}) == 1000
    assert len(footnotes_with_text(path)) == 1000

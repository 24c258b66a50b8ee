"""DOCX reading text: every table cell once with each row one paragraph, headings, the
document's own notes after the body, and tracked changes read as accepted."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from briefkit.library.ingest.docx import read_docx

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _paragraphs(path: Path) -> list[str]:
    return (read_docx(path).text or "").split("\n\n")


def _table(rows: int, cols: int) -> tuple[docx.document.Document, docx.table.Table]:
    document = docx.Document()
    table = document.add_table(rows=rows, cols=cols)
    for row in range(rows):
        for col in range(cols):
            table.cell(row, col).text = f"Row {row + 1} column {col + 1}"
    return document, table


def test_a_3x2_table_keeps_all_six_cells_each_row_one_paragraph(tmp_path: Path) -> None:
    document, _ = _table(3, 2)
    document.save(str(tmp_path / "t.docx"))
    assert _paragraphs(tmp_path / "t.docx") == [
        "Row 1 column 1 | Row 1 column 2", "Row 2 column 1 | Row 2 column 2",
        "Row 3 column 1 | Row 3 column 2"]


def test_merged_cells_come_once_where_the_merge_starts(tmp_path: Path) -> None:
    document, table = _table(3, 3)
    table.cell(0, 0).merge(table.cell(0, 1))  # across: one cell over two columns
    table.cell(1, 2).merge(table.cell(2, 2))  # down: one cell over two rows
    document.save(str(tmp_path / "m.docx"))
    paras = _paragraphs(tmp_path / "m.docx")
    assert paras == ["Row 1 column 1 Row 1 column 2 | Row 1 column 3",
                     "Row 2 column 1 | Row 2 column 2 | Row 2 column 3 Row 3 column 3",
                     "Row 3 column 1 | Row 3 column 2"]


def test_headings_are_paragraphs_and_notes_follow_the_body() -> None:
    # Made by LibreOffice Writer from a document with a footnote and an endnote.
    assert _paragraphs(FIXTURES / "notes.docx") == [
        "Findings", "The mission met officials. Talks resumed in May.",
        "A second round is planned.", "Two deputy ministers attended.",
        "According to the foreign ministry."]


def test_tracked_changes_read_as_the_accepted_text(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("The talks ")
    w = nsdecls("w")
    paragraph._p.append(parse_xml(
        f'<w:del {w} w:id="1" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r>'
        "<w:delText>failed </w:delText></w:r></w:del>"))
    paragraph._p.append(parse_xml(
        f'<w:ins {w} w:id="2" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r>'
        "<w:t xml:space=\"preserve\">resumed </w:t></w:r></w:ins>"))
    paragraph._p.append(parse_xml(f'<w:r {w}><w:t>in May.</w:t></w:r>'))
    document.save(str(tmp_path / "tracked.docx"))
    assert _paragraphs(tmp_path / "tracked.docx") == ["The talks resumed in May."]


def test_a_text_box_is_read_once_not_again_from_its_fallback_copy(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Before the box. ")
    box = ("<w:txbxContent><w:p><w:r><w:t>Boxed note.</w:t></w:r></w:p></w:txbxContent>")
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/'
        '2006"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f"{box}</w:drawing></mc:Choice><mc:Fallback><w:pict>{box}</w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"))
    document.save(str(tmp_path / "box.docx"))
    assert _paragraphs(tmp_path / "box.docx") == ["Before the box. Boxed note."]

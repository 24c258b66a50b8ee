"""Page layout of DOCX tables and lists: widths fitted to content, wide tables split, rows kept
together, numbers that never run into their text. Checked in the XML, read back with pandoc, and,
where LibreOffice is installed, in the text of the rendered PDF (no word broken across lines)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from itertools import pairwise
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from lxml import etree

from briefkit.render.document import (
    Document,
    Emph,
    Heading,
    Meta,
    OrderedList,
    Paragraph,
    Table,
    Text,
)
from briefkit.render.docx import write_docx
from briefkit.render.docx.columns import CELL_PADDING, text_width
from briefkit.render.docx.numbering import label_hanging

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
W = f"{{{NS['w']}}}"
TEXT_WIDTH = 12240 - 2 * 1440  # Letter, one-inch margins (the house look), in twips

needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed")
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (libreoffice-writer-nogui) or pdftotext not installed",
)

SOURCES = [
    "Op-ed on the July 16 plebiscite and a regional “group of friends” for Venezuela",
    "A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?",
    "Venezuela: Negotiations, Leverage, and U.S. Redlines",
]
POSITIONS = [
    "Keep maximum pressure, with a sanctions snapback",
    "Negotiate phased sanctions relief tied to electoral steps",
    "Back a regional group of friends",
    "Recognise the federalist 10 governors",
    "Targeted individual sanctions only",
    "Humanitarian corridor under UN auspices",
    "Lift oil sanctions unconditionally",
    "Military deterrence posture in the Caribbean",
]
LEGEND = "Quotes from each source on each position: + supporting, − opposing."


def matrix(positions: list[str], rows: int = len(SOURCES)) -> Table:
    sources = [SOURCES[i % len(SOURCES)] + (f" ({i})" if i >= len(SOURCES) else "")
               for i in range(rows)]
    return Table(
        [[Text("Source")], *([Text(p)] for p in positions)],
        [[[Text(s)], *([Text("+1 −1")] for _ in positions)] for s in sources],
        ["left", *("center" for _ in positions)],
    )


def brief(*blocks: object) -> Document:
    return Document(Meta(title="Layout"), [Heading(1, [Text("Evidence")]), *blocks], [])  # type: ignore[list-item]


def body(doc: Document) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(write_docx(doc))) as z:
        return etree.fromstring(z.read("word/document.xml"))


def cell_texts(tbl: etree._Element) -> list[list[str]]:
    return [["".join(tc.itertext()) for tc in tr.findall("w:tc", NS)] for tr in tbl.findall("w:tr", NS)]


def grid(tbl: etree._Element) -> list[int]:
    return [int(c.get(W + "w")) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]


def longest_word(texts: list[str], bold: bool) -> float:
    return max(text_width(w, 11, bold) for t in texts for w in t.split())


# Widths -----------------------------------------------------------------------------------------


def test_columns_fill_the_text_width_and_each_holds_its_longest_word() -> None:
    tbl = body(brief(matrix(POSITIONS[:3]))).find(".//w:tbl", NS)
    widths = grid(tbl)
    assert sum(widths) == TEXT_WIDTH
    rows = cell_texts(tbl)
    for column, width in enumerate(widths):
        texts = [row[column] for row in rows]
        assert width >= longest_word(texts[:1], True) + CELL_PADDING
        assert width >= longest_word(texts[1:], False) + CELL_PADDING


def test_the_column_with_long_titles_gets_more_room_than_the_columns_of_marks() -> None:
    doc = brief(Table([[Text("Source")], [Text("Count")]],
                      [[[Text(s)], [Text("+1")]] for s in SOURCES]))
    source, count = grid(body(doc).find(".//w:tbl", NS))
    assert source > 3 * count


def test_a_table_that_fits_on_one_line_per_cell_keeps_its_proportions() -> None:
    doc = brief(Table([[Text("A")], [Text("Somewhat longer heading")]], [[[Text("x")], [Text("y")]]]))
    narrow, wide = grid(body(doc).find(".//w:tbl", NS))
    assert narrow + wide == TEXT_WIDTH and narrow < wide


def test_cell_widths_match_the_grid_and_the_layout_is_fixed() -> None:
    tbl = body(brief(matrix(POSITIONS[:3]))).find(".//w:tbl", NS)
    assert tbl.find("w:tblPr/w:tblLayout", NS).get(W + "type") == "fixed"
    for tr in tbl.findall("w:tr", NS):
        assert [int(w.get(W + "w")) for w in tr.findall("w:tc/w:tcPr/w:tcW", NS)] == grid(tbl)


# Wide tables ----------------------------------------------------------------------------------------


def test_eight_positions_split_into_tables_that_each_repeat_the_source_column() -> None:
    tables = body(brief(matrix(POSITIONS))).findall(".//w:tbl", NS)
    assert len(tables) >= 2
    headers: list[str] = []
    for tbl in tables:
        rows = cell_texts(tbl)
        assert [row[0] for row in rows] == ["Source", *SOURCES]
        headers += rows[0][1:]
        widths = grid(tbl)
        assert sum(widths) == TEXT_WIDTH
        for column, width in enumerate(widths):
            assert width >= longest_word([rows[0][column]], True) + CELL_PADDING
    assert headers == POSITIONS  # every position once, in order


def test_split_tables_are_dealt_out_evenly() -> None:
    tables = body(brief(matrix(POSITIONS))).findall(".//w:tbl", NS)
    sizes = [len(grid(t)) - 1 for t in tables]
    assert max(sizes) - min(sizes) <= 1


def test_split_tables_are_separated_by_a_paragraph_so_word_keeps_them_apart() -> None:
    doc_body = body(brief(matrix(POSITIONS))).find("w:body", NS)
    kinds = [etree.QName(child).localname for child in doc_body]
    first = kinds.index("tbl")
    assert "tbl" in kinds[first + 1:]
    assert all(a != "tbl" or b != "tbl" for a, b in pairwise(kinds))


@needs_pandoc
def test_pandoc_reads_every_cell_of_a_split_table_back(tmp_path: Path) -> None:
    path = tmp_path / "wide.docx"
    path.write_bytes(write_docx(brief(matrix(POSITIONS))))
    plain = subprocess.run(["pandoc", "-f", "docx", "-t", "plain", "--wrap=none", str(path)],
                           capture_output=True, text=True, check=True).stdout
    words = re.sub(r"\s+", " ", plain)
    for text in POSITIONS + SOURCES:
        for word in text.split():
            assert word in words


# Pages ------------------------------------------------------------------------------------------


def keeps(tr: etree._Element) -> bool:
    return all(p.find("w:pPr/w:keepNext", NS) is not None for p in tr.findall("w:tc/w:p", NS))


def test_rows_never_split_and_the_header_row_repeats() -> None:
    tbl = body(brief(matrix(POSITIONS[:3]))).find(".//w:tbl", NS)
    rows = tbl.findall("w:tr", NS)
    assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in rows)
    assert [tr.find("w:trPr/w:tblHeader", NS) is not None for tr in rows] == [True] + [False] * 3


def test_a_short_table_is_kept_on_one_page_and_with_its_caption() -> None:
    captioned = body(brief(matrix(POSITIONS[:3]), Paragraph([Emph([Text(LEGEND)])])))
    assert all(keeps(tr) for tr in captioned.find(".//w:tbl", NS).findall("w:tr", NS))
    bare = body(brief(matrix(POSITIONS[:3]), Paragraph([Text("Next section.")])))
    assert [keeps(tr) for tr in bare.find(".//w:tbl", NS).findall("w:tr", NS)] == [True] * 3 + [False]


def test_a_long_table_keeps_its_first_rows_with_the_header_and_its_last_with_the_caption() -> None:
    doc = brief(matrix(POSITIONS[:3], rows=30), Paragraph([Emph([Text(LEGEND)])]))
    kept = [keeps(tr) for tr in body(doc).find(".//w:tbl", NS).findall("w:tr", NS)]
    assert kept[:3] == [True, True, True]  # header and two rows
    assert kept[-2:] == [True, True]  # the last rows and the caption
    assert not any(kept[4:-3])  # the middle may break anywhere


# Lists -----------------------------------------------------------------------------------------------


def numbered(count: int) -> OrderedList:
    return OrderedList([[Paragraph([Text(f"Item number {n} of a long list.")])] for n in range(1, count + 1)])


def indents(doc: Document) -> list[tuple[int, int]]:
    out = []
    for p in body(doc).iter(W + "p"):
        ind = p.find("w:pPr/w:ind", NS)
        if p.find("w:pPr/w:numPr", NS) is not None:
            out.append((int(ind.get(W + "left")), int(ind.get(W + "hanging"))))
    return out


@pytest.mark.parametrize("count", [3, 12, 120, 1200])
def test_every_number_fits_in_its_hanging_indent_with_a_gap(count: int) -> None:
    pairs = set(indents(brief(numbered(count))))
    assert len(pairs) == 1  # one text position for the whole list
    left, hanging = pairs.pop()
    assert left >= hanging and left >= 720
    assert hanging >= text_width(f"{count}.", 11, False) + 140


def test_short_and_long_lists_put_their_text_at_the_same_place() -> None:
    assert indents(brief(numbered(3)))[0][0] == indents(brief(numbered(40)))[0][0] == 720


def test_letters_and_roman_numerals_are_measured_as_written() -> None:
    assert label_hanging(2, 1, 8) > label_hanging(2, 1, 3)  # "viii." is wider than "iii."
    assert label_hanging(1, 1, 27) > label_hanging(1, 1, 26)  # "aa." after "z."


# The rendered pages (LibreOffice) ----------------------------------------------------------------


@needs_soffice
@pytest.mark.long
def test_libreoffice_breaks_no_word_of_a_matrix_with_eight_positions(tmp_path: Path) -> None:
    """Before: equal columns printed "Sourc e" and "federa list 10"; every word must come out whole."""
    doc = brief(matrix(POSITIONS), Paragraph([Emph([Text(LEGEND)])]),
                numbered(12))
    path = tmp_path / "wide.docx"
    path.write_bytes(write_docx(doc))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, check=True, timeout=120)
    text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "wide.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    printed = set(text.split())
    expected = {w for t in POSITIONS + SOURCES + ["Source"] for w in t.split()}
    assert expected - printed == set()
    # Numbers of 10 and more stand apart from their text, as single digits do.
    for n in (9, 10, 11, 12):
        assert re.search(rf"^{n}\. Item number {n} ", text, re.MULTILINE)


def test_columns_are_measured_at_the_reference_documents_font_size(tmp_path: Path) -> None:
    reference = docx.Document()
    reference.styles["Normal"].font.size = Pt(16)
    path = tmp_path / "house.docx"
    reference.save(str(path))
    with zipfile.ZipFile(io.BytesIO(write_docx(brief(matrix(POSITIONS)), reference_doc=path))) as z:
        tables = etree.fromstring(z.read("word/document.xml")).findall(".//w:tbl", NS)
    assert len(tables) > len(body(brief(matrix(POSITIONS))).findall(".//w:tbl", NS))
    for tbl in tables:
        rows = cell_texts(tbl)
        for column, width in enumerate(grid(tbl)):
            assert width >= max(text_width(w, 16, True) for w in rows[0][column].split()) + CELL_PADDING


def test_a_line_in_italics_under_a_heading_keeps_with_what_follows() -> None:
    doc = brief(Heading(3, [Text("Option 1")]), Paragraph([Emph([Text("Advocated by FAL.")])]),
                Paragraph([Text("Hold sanctions in place.")]), Paragraph([Emph([Text("Aside.")])]))
    paragraphs = body(doc).findall(".//w:body/w:p", NS)[-3:]
    assert [p.find("w:pPr/w:keepNext", NS) is not None for p in paragraphs] == [True, False, False]

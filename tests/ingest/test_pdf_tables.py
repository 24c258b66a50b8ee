"""Ruled tables in PDFs: each row one paragraph, its cells in order (as the Word reader reads a
table row), each cell's wrapped lines joined; a box, a rule or a figure's axes are no table."""

from __future__ import annotations

import functools
from pathlib import Path

import pypdfium2 as pdfium
from extract_scores import FIXTURES, PRODUCERS, paragraphs
from made_files import _vera

from briefkit.library.ingest.pdf import read_pdf
from briefkit.library.ingest.pdf_tables import page_grids

PROSE = ("The committee compared three positions against the sources it had read, and "
         "recorded for each source whether it supported or opposed each position.")


@functools.cache
def _evidence() -> list[str]:
    return paragraphs(read_pdf(FIXTURES / "libreoffice_table.pdf").text or "")


def test_each_row_of_a_ruled_table_is_one_paragraph_with_its_cells_in_order() -> None:
    paras = _evidence()
    at = paras.index("Source | Keep maximum pressure, with a sanctions snapback | Negotiate "
                     "phased sanctions relief tied to electoral steps | Back a regional “group "
                     "of friends”, with the U.S. at the margins")
    assert paras[at + 1:at + 6] == [
        "Op-ed on the July 16 plebiscite and a regional “group of friends” for Venezuela | +2 ○1",
        "A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards? | +1 −1 | −1",
        "Venezuela: Negotiations, Leverage, and U.S. Redlines | +2 | −1",
        "Sooner or later, Biden will need to take Venezuela talks off the back burner | +1 −1 | +1",
        "Op-ed on why the maximum pressure strategy toward Venezuela failed | −1 | +1 | +1"]
    assert paras[at - 1] == "Evidence at a glance"
    assert paras[at + 6].startswith("Quotes from each source on each position")


def _table_pdf(path: Path, rows: list[list[str]], spans: list[tuple[int, int, int, int]]) -> Path:
    """A page of prose, a table ruled all round (reportlab's GRID: stroked lines) whose cells
    wrap, and prose again."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    style = ParagraphStyle("body", fontName=_vera(), fontSize=10, leading=12)
    cells = [[Paragraph(text, style) if text else "" for text in row] for row in rows]
    table = Table(cells, colWidths=[150, 90, 90])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               *(("SPAN", (a, b), (c, d)) for a, b, c, d in spans)]))
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(
        [Paragraph(PROSE, style), table, Paragraph("Quotes were counted by hand.", style)])
    return path


def test_a_reportlab_table_reads_row_by_row_with_empty_and_merged_cells(tmp_path: Path) -> None:
    rows = [["Source", "Keep the sanctions in place", "Lift them in phases"],
            ["An op-ed on the plebiscite and the regional group of friends", "+2", ""],
            ["A report on negotiations, leverage and the redlines of both sides", "", "−1"],
            ["Both positions at once, in one merged cell across the two columns", "+1 −1", ""]]
    text = read_pdf(_table_pdf(tmp_path / "t.pdf", rows, [(1, 3, 2, 3)])).text or ""
    assert paragraphs(text) == [
        PROSE, "Source | Keep the sanctions in place | Lift them in phases",
        "An op-ed on the plebiscite and the regional group of friends | +2",
        "A report on negotiations, leverage and the redlines of both sides | −1",
        "Both positions at once, in one merged cell across the two columns | +1 −1",
        "Quotes were counted by hand."]


def test_a_box_around_two_paragraphs_is_no_table(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "box.pdf"
    pdf = canvas.Canvas(str(path), invariant=1)
    pdf.setFont(_vera(), 10)
    for baseline, words in ((700, "Wavering delegations asked for a delay of six months,"),
                            (688, "and the ministry said the levy would be reviewed."),
                            (664, "Importers were not consulted.")):
        pdf.drawString(80, baseline, words)
    for x0, y0, x1, y1 in ((72, 714, 400, 714), (72, 656, 400, 656), (72, 656, 72, 714),
                           (400, 656, 400, 714), (80, 660, 200, 660)):  # a box, an underline
        pdf.line(x0, y0, x1, y1)
    pdf.showPage()
    pdf.save()
    assert paragraphs(read_pdf(path).text or "") == [
        ("Wavering delegations asked for a delay of six months, and the ministry said the levy "
         "would be reviewed."), "Importers were not consulted."]


def test_no_page_of_the_other_fixtures_has_a_table() -> None:
    # pdflatex's two columns, a figure's axes, the memo's footnote rules and form lines
    for name in [*(p for p in PRODUCERS if p != "libreoffice_table"), "figure", "list"]:
        pdf = pdfium.PdfDocument(str(FIXTURES / f"{name}.pdf"))
        try:
            assert all(not page_grids(page) for page in pdf), name
        finally:
            pdf.close()

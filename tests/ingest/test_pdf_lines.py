"""PDF lines from PDFium's characters: footnote markers out, exponents kept, each letter once."""

from __future__ import annotations

from pathlib import Path

from made_files import _vera

from briefkit.library.ingest.pdf import read_pdf


def _raised(path: Path, pieces: list[tuple[str, bool]]) -> Path:
    """One line of text, each piece either on the baseline or raised small (a superscript)."""
    from reportlab.pdfgen import canvas

    font = _vera()
    pdf = canvas.Canvas(str(path), invariant=1)
    text = pdf.beginText(72, 700)
    for piece, raised in pieces:
        text.setFont(font, 7 if raised else 11)
        text.setRise(4 if raised else 0)
        text.textOut(piece)
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return path


def test_a_raised_footnote_marker_after_a_word_is_dropped(tmp_path: Path) -> None:
    path = _raised(tmp_path / "n.pdf", [("The numbers have been contested for years.", False),
                                         ("12", True), (" Estimates vary.", False)])
    assert read_pdf(path).text == "The numbers have been contested for years. Estimates vary."


def test_a_raised_exponent_after_a_number_is_kept(tmp_path: Path) -> None:
    path = _raised(tmp_path / "e.pdf", [("Emissions fell by 10", False), ("6", True),
                                         (" tonnes in the year.", False)])
    assert read_pdf(path).text == "Emissions fell by 106 tonnes in the year."


def test_a_line_broken_after_an_unspaced_dash_or_a_slash_is_joined_without_a_space(
        tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "dash.pdf"
    pdf = canvas.Canvas(str(path), invariant=1)
    pdf.setFont(_vera(), 11)
    for y, line in ((700, "The levy was raised twice—"), (686, "once in March and once in"),
                    (672, "May, as https://example.org/"), (658, "levies reported.")):
        pdf.drawString(72, y, line)
    pdf.showPage()
    pdf.save()
    assert read_pdf(path).text == ("The levy was raised twice—once in March and once in May, as "
                                   "https://example.org/levies reported.")


def test_each_list_item_is_a_paragraph_without_its_bullet() -> None:
    fixture = Path(__file__).resolve().parent / "fixtures" / "list.pdf"
    assert (read_pdf(fixture).text or "").split("\n\n") == [
        ("The main options are the following, each with its own administrative burden and legal "
        "risk for the importing country."),
        ("A charge on imports, computed from the embedded emissions of each good and the "
        "difference between carbon prices."),
        "A rebate on exports.",
        ("Both options have been proposed in the European Union, and both have been criticised by "
        "trading partners.")]


def test_paragraphs_without_spacing_or_indent_end_where_a_line_stops_short() -> None:
    # LibreOffice's default style; the list's bullets are private-use glyphs, the table is 2x2.
    fixture = Path(__file__).resolve().parent / "fixtures" / "libreoffice_list.pdf"
    assert (read_pdf(fixture).text or "").split("\n\n") == [
        "Options",
        ("The main options are the following, each with its own administrative burden and legal "
         "risk for the importing country and its partners."),
        ("A charge on imports, computed from the embedded emissions of each good and the "
         "difference between the carbon prices of the two markets."),
        "A rebate on exports.", "Both options have been proposed in the European Union.",
        "Option Burden", "Import charge High", "The table shows the burden of each option."]

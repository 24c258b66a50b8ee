"""PDF reading text against ground truth, on PDFs from six real producers (fixtures/).

The fixtures were made by fixtures/make_fixtures.py with pdfTeX, latex + dvips + Ghostscript,
groff + ps2pdf, LibreOffice Writer, Chromium's print to PDF and reportlab: kerning, ligatures,
hyphenation, two columns, running heads at 96-104 pt from the edge, footnotes and headings; and
libreoffice_memo, the sample brief's decision memo as LibreOffice lays out briefkit's own Word
export (raised note numbers and reference marks, a run-in head, a hanging-indent bibliography).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from extract_scores import FIXTURES, PRODUCERS, Scores, paragraphs, score

from briefkit.library.ingest.pdf import read_pdf


@functools.cache
def _scores(name: str) -> Scores:
    return score(name, read_pdf(FIXTURES / f"{name}.pdf").text or "")


@pytest.mark.parametrize("name", PRODUCERS)
def test_pdf_words_are_the_authors_words(name: str) -> None:
    assert _scores(name).words >= 0.995


@pytest.mark.parametrize("name", PRODUCERS)
def test_pdf_running_headers_footers_and_page_numbers_are_all_removed(name: str) -> None:
    assert _scores(name).furniture == 1.0


@pytest.mark.parametrize("name", PRODUCERS)
def test_pdf_paragraphs_are_the_authors_paragraphs(name: str) -> None:
    assert _scores(name).precision >= 0.95 and _scores(name).recall >= 0.95


def test_a_heading_is_its_own_paragraph_not_glued_to_the_next() -> None:
    paras = paragraphs(read_pdf(FIXTURES / "libreoffice.pdf").text or "")
    assert "Summary" in paras
    assert any(p.startswith("A border carbon adjustment is a charge") for p in paras)


def test_kerned_words_come_out_once_each_with_their_own_spacing() -> None:
    text = read_pdf(FIXTURES / "groff.pdf").text or ""
    assert "Travellers to Geneva" in text and "Wavering delegations from Yokohama" in text
    assert "Federalist Papers" in text and "WaWa" not in text


def test_a_paragraph_across_a_page_break_is_one_paragraph_on_the_page_it_starts() -> None:
    # dvips.pdf: page 2 starts in "The Federalist Papers ..." and page 3 in "The prudent course".
    pages = [paragraphs(page) for page in (read_pdf(FIXTURES / "dvips.pdf").text or "").split("\f")]
    assert len(pages) == 3
    federalist = next(p for p in pages[0] if p.startswith("The Federalist Papers offer"))
    assert federalist.endswith("collected at the border and shared by all.")
    prudent = next(p for p in pages[1] if p.startswith("The prudent course is to begin"))
    assert prudent.endswith("before the first payment falls due.")
    assert pages[1][0].startswith("Officials") and pages[2] == []


def test_hyphenation_is_joined_and_a_real_compound_keeps_its_hyphen() -> None:
    text = read_pdf(FIXTURES / "pdflatex.pdf").text or ""
    assert "trade-exposed goods" in text and "long-term commitment" in text
    for word in ("effectiveness", "implementation", "characteristically", "considerable"):
        assert word in text


def test_a_footnote_follows_the_body_of_its_page_without_its_number() -> None:
    paras = paragraphs(read_pdf(FIXTURES / "libreoffice.pdf").text or "")
    note = paras.index("Estimates compiled from the published literature as of the autumn review.")
    assert paras[note - 1].startswith("Travellers to Geneva")
    assert "The numbers have been contested for years. Estimates of carbon" in " ".join(paras)


@pytest.mark.parametrize(("name", "title"), [
    ("dvips", "Border Carbon Adjustments and the Federalist Papers"),  # no /Title: printed one
    ("libreoffice", "Border Carbon Adjustments and the Federalist Papers"),  # "Microsoft Word - …"
    ("reportlab", "Border Carbon Adjustments and the Federalist Papers"),  # a good /Title
])
def test_title_is_the_plausible_title_or_the_first_pages_largest_text(name: str, title: str) -> None:
    assert read_pdf(FIXTURES / f"{name}.pdf").csl["title"] == title


@pytest.mark.parametrize("junk", ["fedaralist2.dvi", "paper.ps", "Microsoft Word - brief.docx",
                                  "untitled", "Untitled document"])
def test_a_title_that_names_a_file_or_template_is_not_used(junk: str, tmp_path: Path) -> None:
    from briefkit.library.ingest.pdf import _metadata

    assert _metadata({"Title": junk}, tmp_path / "x.pdf", "The Printed Title")["title"] == \
        "The Printed Title"


def test_the_author_comes_from_the_byline_under_the_title_when_the_metadata_has_none() -> None:
    assert read_pdf(FIXTURES / "dvips.pdf").csl["author"] == [{"family": "Tavares",
                                                               "given": "Avery"}]


@pytest.mark.parametrize("line", ["Executive Summary", "Working Paper No. 12",
                                  "The talks failed in May."])
def test_a_line_under_the_title_that_is_not_names_gives_no_author(line: str) -> None:
    from briefkit.library.ingest.pdf import _reads_as_names

    assert not _reads_as_names(line)


def test_a_figures_axis_labels_become_one_marked_paragraph() -> None:
    from briefkit.library.ingest.pdf_layout import FIGURE_TEXT

    paras = paragraphs(read_pdf(FIXTURES / "figure.pdf").text or "")
    assert f"{FIGURE_TEXT} 2015 2017 2019 2021 10 20 30 40 Leakage rate" in paras
    assert "Figure 1: Estimated leakage rates by year." in paras
    assert not any(p in ("10", "20", "2015 2017 2019 2021") for p in paras)
    assert paras[-1].startswith("The estimates vary widely across studies")


def test_a_quote_across_a_page_break_is_found_and_cites_its_first_page(library: Path) -> None:
    from briefkit.brief.anchoring import find_quote
    from briefkit.library.additions import add_sources
    from briefkit.library.library import Library

    add_sources(library, [FIXTURES / "dvips.pdf"])
    lib = Library.open(library)
    source = lib.source("dvips")
    quote = ("only a common authority over trade could prevent such retaliation. The "
             "characteristically American solution was a uniform tariff")  # runs onto page 2
    (found,) = find_quote(source.text, quote)
    assert source.locator(found[0]) == ("page", "1")
    hits = lib.index().search('"Federalist Papers offer an unexpected parallel"')
    assert [h.source_id for h in hits] == ["dvips"]


def test_a_word_processors_line_end_hyphen_is_the_authors() -> None:
    # LibreOffice does not hyphenate on its own: "energy-" ends a line in the two-column section.
    text = read_pdf(FIXTURES / "libreoffice.pdf").text or ""
    assert "energy-intensive and trade-exposed goods" in text


def test_a_one_page_browser_print_loses_its_date_and_address_lines() -> None:
    assert paragraphs(read_pdf(FIXTURES / "chromium_page.pdf").text or "") == [
        "Short note on levies",
        ("The levy was raised twice in the spring, and the ministry said a third increase was "
        "under review."), "Importers asked for a delay of six months."]


@functools.cache
def _memo() -> list[str]:
    return paragraphs(read_pdf(FIXTURES / "libreoffice_memo.pdf").text or "")


def test_a_footnote_is_one_paragraph_without_its_raised_number() -> None:
    paras = _memo()
    assert "David Smilde, [Op-Ed on Why the Maximum Pressure Strategy Toward Venezuela Failed], " \
        "n.d., para. 2." in paras
    assert "Smilde, [Op-Ed on Why the Maximum Pressure Strategy Toward Venezuela Failed], " \
        "para. 2." in paras  # "para." ends a line and "2." is the note's last line
    assert not any(p.isdigit() or p[:-1].isdigit() for p in paras)


def test_reference_marks_neither_split_the_paragraph_nor_stick_to_its_words() -> None:
    purpose = next(p for p in _memo() if p.startswith("Maximum pressure has not produced"))
    assert "stronger than before, and even advocates" in purpose
    assert "credible snapback, trading phased relief for electoral steps, or backing" in purpose
    assert purpose.endswith("at the margins. We recommend phased relief, negotiated alongside "
                            "regional partners.")


def test_bibliography_entries_with_hanging_indents_are_one_paragraph_each() -> None:
    paras = _memo()
    assert ("Forum for American Leadership. Venezuela: Negotiations, Leverage, and U.S. Redlines. "
            "Forum for American Leadership, 2021.") in paras
    assert ("Smilde, David. [Op-Ed on Why the Maximum Pressure Strategy Toward Venezuela Failed]. "
            "n.d.") in paras


def test_a_bold_run_in_head_stays_with_the_text_of_its_paragraph() -> None:
    assert any(p.startswith("3. Back a regional “group of friends”, with the U.S. at the margins. "
                            "Advocated by 2017 op-ed;") for p in _memo())


def test_notes_alike_at_the_foot_of_two_pages_are_not_a_running_footer() -> None:
    extracted = read_pdf(FIXTURES / "libreoffice_memo.pdf")
    assert [(r.page, r.text) for r in extracted.removed] == [(1, "1"), (2, "2"), (3, "3")]
    assert "Smilde, [Op-Ed on Why the Maximum Pressure Strategy Toward Venezuela Failed], " \
        "para. 11." in _memo()


def test_a_forms_blanks_are_its_lines_not_a_figures_labels() -> None:
    assert "Disapprove ________________________________________" in _memo()


def test_a_forms_fields_set_at_a_tab_stop_are_one_paragraph_each() -> None:
    paras = _memo()
    assert "For: Assistant Secretary for Western Hemisphere Affairs" in paras
    assert "Prepared by: A. Analyst, Western Hemisphere Policy Unit" in paras

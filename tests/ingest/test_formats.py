"""Each format read into a library: reading text, clutter removed, pages, metadata."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest
from made_files import HTML_PAGE, write_docx, write_pdf

from briefkit.errors import SourceError
from briefkit.library.additions import add_sources
from briefkit.library.ingest import detect_format, extract
from briefkit.library.library import Library

Files = Callable[[str, bytes | str], Path]


def test_html_page_keeps_the_article_and_drops_navigation_cookies_teasers_and_footer(
        library: Path, files: Files) -> None:
    report = add_sources(library, [files("ledger.html", HTML_PAGE)])
    assert [a.action for a in report.files] == ["added"]
    source = Library.open(library).source("ledger")
    assert "cut the government's oil revenue by more than half" in source.text
    assert "independent observers" in source.text
    for clutter in ("Accept all cookies", "Subscribe now", "Ten things you did not know",
                    "All rights reserved", "Privacy policy", "Home"):
        assert clutter not in source.text


def test_html_metadata_becomes_csl_with_canonical_url(library: Path, files: Files) -> None:
    add_sources(library, [files("ledger.html", HTML_PAGE)])
    entry = Library.open(library).entry("ledger")
    assert entry.csl["title"].startswith("Sanctions bite as talks stall")
    assert entry.csl["author"] == [{"family": "Doe", "given": "Jane"}]
    assert entry.issued == "2021-08-06"
    assert entry.csl["container-title"] == "The Daily Ledger"
    assert entry.csl["URL"] == "https://www.dailyledger.example/world/sanctions-bite"
    assert entry.format == "html" and entry.original is not None
    assert entry.original.read_text(encoding="utf-8") == HTML_PAGE


def test_pdf_text_repairs_ligatures_hyphenation_and_running_headers(
        library: Path, tmp_path: Path) -> None:
    add_sources(library, [write_pdf(tmp_path / "review.pdf")])
    text = Library.open(library).source("review").text
    assert "The financial flows that once reached the treasury were significant for the state" in text
    assert "ﬁ" not in text and "ﬂ" not in text
    assert "A well-known economist warned that the long-term damage" in text
    assert "Quarterly Review" not in text
    assert "\n3\n" not in text


def test_pdf_paragraphs_carry_their_page_numbers_into_locators(library: Path, tmp_path: Path) -> None:
    add_sources(library, [write_pdf(tmp_path / "review.pdf")])
    source = Library.open(library).source("review")
    assert [p.page for p in source.paragraphs] == [1, 1, 2, 2, 3, 3]
    at = source.text.index("Negotiators meet again")
    assert source.locator(at) == ("page", "3")
    passages = source.passages()
    assert passages[2].page == 2


def test_pdf_metadata_gives_title_author_and_date(library: Path, tmp_path: Path) -> None:
    add_sources(library, [write_pdf(tmp_path / "review.pdf")])
    entry = Library.open(library).entry("review")
    assert entry.csl["title"] == "Sanctions and Their Effects"
    assert entry.csl["author"] == [{"family": "Analyst", "given": "Jane"}]
    assert entry.csl["type"] == "report" and entry.issued


def test_docx_paragraphs_and_table_cells_come_in_order_with_core_properties(
        library: Path, tmp_path: Path) -> None:
    add_sources(library, [write_docx(tmp_path / "memo.docx")])
    lib = Library.open(library)
    source = lib.source("memo")
    assert [source.text[p.start:p.end] for p in source.paragraphs] == [
        "Where the talks stand", "The delegations agreed on an agenda in August.",
        "Delegation | Head", "A second round is planned for October."]
    assert lib.entry("memo").csl["title"] == "Memo on the Mexico City talks"
    assert lib.entry("memo").csl["author"] == [{"family": "Ruiz", "given": "Carlos"}]


def test_markdown_loses_its_markup_and_keeps_headings_as_paragraphs(library: Path, files: Files) -> None:
    add_sources(library, [files("notes.md", "# Field notes\n\nThe **mission** met [officials](http://x).\n")])
    lib = Library.open(library)
    assert lib.source("notes").text == "Field notes\n\nThe mission met officials."
    assert lib.entry("notes").csl["title"] == "Field notes"


@pytest.mark.parametrize(("data", "encoding"), [
    ("Café con leche.\n".encode("cp1252"), "cp1252"),
    (codecs.BOM_UTF16_LE + "Guaidó habló.\n".encode("utf-16-le"), "utf-16-le"),
    (codecs.BOM_UTF8 + "Señor.\n".encode(), "utf-8-sig"),
])
def test_text_files_are_read_in_their_encoding_and_it_is_recorded(
        library: Path, files: Files, data: bytes, encoding: str) -> None:
    report = add_sources(library, [files("t.txt", data)])
    assert encoding in report.files[0].detail
    assert Library.open(library).source("t").encoding == encoding


def test_format_is_detected_by_content_not_by_name(files: Files, tmp_path: Path) -> None:
    assert detect_format(write_pdf(tmp_path / "report.html")) == "pdf"
    assert detect_format(files("saved.txt", HTML_PAGE)) == "html"
    assert detect_format(write_docx(tmp_path / "memo.bin")) == "docx"


def test_html_with_bytes_invalid_for_its_declared_encoding_is_refused(files: Files) -> None:
    page = files("bad.html", HTML_PAGE.encode().replace(b"more than half", b"more \xff half"))
    with pytest.raises(SourceError, match=r"declares the utf-8 encoding but byte \d+"):
        extract(page)


STANDFIRST_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Oil revenue halves under sanctions | The Daily Ledger</title></head><body>
<nav><a href="/">Home</a></nav><main><article>
<header class="article-header"><h1>Oil revenue halves under sanctions</h1>
<p class="standfirst">The finance ministry's figures show the cost of sanctions for the first
time.</p></header>
<p>The sanctions imposed in 2019 cut the government's oil revenue by more than half, according
to figures the finance ministry published on Monday after months of delay.</p>
<p>Keep reading: <a href="/x">Why the embargo is working, according to its architects</a></p>
<p>Negotiators are due to meet again in Mexico City next month to discuss a phased relief plan
tied to electoral guarantees and the release of political prisoners.</p>
</article></main><aside class="related"><p class="summary">Ten things you did not know about
oil tankers and the sea lanes they use.</p></aside></body></html>
"""


def test_html_keeps_the_standfirst_and_drops_keep_reading_teasers(
        library: Path, files: Files) -> None:
    add_sources(library, [files("oil.html", STANDFIRST_PAGE)])
    paragraphs = Library.open(library).source("oil").text.split("\n\n")
    assert paragraphs[0] == ("The finance ministry's figures show the cost of sanctions for the "
                             "first time.")
    assert paragraphs[1].startswith("The sanctions imposed in 2019")
    assert not any("Keep reading" in p or "embargo is working" in p for p in paragraphs)
    assert not any("oil tankers" in p for p in paragraphs)

"""`show --removed`: what each stage left out of a reading text, for every format, with where it was.

PDF running lines are checked against pdftotext's own text of each page (an independent oracle);
HTML blocks against the page's source lines; DOCX parts from python-docx, re-saved by LibreOffice.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from extract_scores import FIXTURES, PRODUCERS, pdftotext
from made_files import FRONT_MATTER, HEADER, HTML_PAGE, PAGES, ROMAN_THEN_ARABIC, write_pdf
from test_formats import STANDFIRST_PAGE

from briefkit.cli import main
from briefkit.library.additions import add_sources
from briefkit.library.extraction_record import read_record, record_path, write_record
from briefkit.library.library import Library
from briefkit.library.model import Removal

Files = Callable[[str, bytes | str], Path]


def _digits(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text).split())


# libreoffice_memo and libreoffice_table (pages of another memo) are left out: pdftotext prints
# their footnote numbers as lines of their own, which this count cannot tell from page numbers
# (bench_extract's furniture score covers them).
@pytest.mark.parametrize("name", [n for n in PRODUCERS
                                  if n not in ("libreoffice_memo", "libreoffice_table")])
def test_every_running_line_pdftotext_prints_is_listed_with_its_page(
        name: str, library: Path) -> None:
    add_sources(library, [FIXTURES / f"{name}.pdf"])
    source = Library.open(library).source(name)
    patterns = [p for p in (FIXTURES / f"{name}.furniture").read_text(encoding="utf-8")
                .splitlines() if p]
    pages = range(1, source.text.count("\f") + 2)
    assert source.removed and all(r.page in pages and r.line == 0 for r in source.removed)
    oracle = 0
    for page in pages:
        printed = [_digits(ln) for ln in pdftotext(
            FIXTURES / f"{name}.pdf", "-layout", "-f", str(page), "-l", str(page)).splitlines()]
        listed = [_digits(r.text) for r in source.removed if r.page == page]
        for pattern in patterns:
            def has(line: str, pattern: str = pattern) -> bool:
                return line == "#" if pattern == "#" else pattern in line

            on_page = sum(map(has, printed))
            oracle += on_page
            assert sum(map(has, listed)) >= on_page, (page, pattern, listed)
    assert oracle >= len(pages)  # every page of every fixture prints running lines


def test_show_removed_lists_pdf_furniture_by_page_and_json_carries_it(
        library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_sources(library, [FIXTURES / "dvips.pdf"])
    assert main(["show", "dvips", "--library", str(library)]) == 0
    plain = capsys.readouterr().out
    assert main(["show", "dvips", "--removed", "--library", str(library)]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith(plain.rsplit("(", 1)[0])  # the same text, then the list
    assert "(6 pieces removed from the reading text; --removed lists them)" in plain
    assert "  p. 2 (running-header): 2 · A. Tavares" in listed
    assert listed.count("(running-footer): ACM Trans. Policy, Vol. 1") == 3
    assert main(["show", "dvips", "--json", "--library", str(library)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["removal_record"] is True
    assert {"kind": "running-header", "line": None, "page": 2, "page_label": "2",
            "place": None, "text": "2 · A. Tavares"} in data["removed"]


def test_pdf_furniture_cites_the_printed_page_label(library: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    pdf = write_pdf(tmp_path / "labelled.pdf", FRONT_MATTER + PAGES, labels=ROMAN_THEN_ARABIC)
    add_sources(library, [pdf])
    assert main(["show", "labelled", "--removed", "--library", str(library)]) == 0
    out = capsys.readouterr().out
    assert f"  p. ii (running-header): {HEADER}" in out
    assert f"  p. 1 (running-header): {HEADER}" in out
    assert "  p. 3 (page-number): 5" in out  # the fifth sheet, printed as page 3


def _line_of(page: str, text: str) -> int:
    return next(n for n, line in enumerate(page.splitlines(), 1) if text in line)


def test_html_blocks_outside_the_article_are_listed_by_region_and_source_line(
        library: Path, files: Files) -> None:
    add_sources(library, [files("ledger.html", HTML_PAGE)])
    source = Library.open(library).source("ledger")
    found = {(r.kind, r.line): r.text for r in source.removed}
    assert found == {
        ("navigation", _line_of(HTML_PAGE, "<nav>")): "Home / World / Opinion / Subscribe now",
        ("cookie-banner", _line_of(HTML_PAGE, "cookie-banner")):
            "We use cookies to improve your experience. / Accept all cookies",
        ("related", _line_of(HTML_PAGE, "Related articles")):
            "Related articles / Ten things you did not know about oil tankers / "
            "Opinion: why the embargo is working",
        ("footer", _line_of(HTML_PAGE, "Copyright")):
            "Copyright 2021 The Daily Ledger. All rights reserved. / Privacy policy Terms of use",
    }
    assert not any(r.text in source.text for r in source.removed)


def test_html_teaser_is_listed_and_the_standfirst_kept_is_not(
        library: Path, files: Files) -> None:
    add_sources(library, [files("oil.html", STANDFIRST_PAGE)])
    source = Library.open(library).source("oil")
    kinds = {r.kind: r for r in source.removed}
    teaser = kinds["teaser"]
    assert teaser.text.startswith("Keep reading: Why the embargo is working")
    assert teaser.line == _line_of(STANDFIRST_PAGE, "Keep reading")
    assert kinds["related"].text.startswith("Ten things you did not know")  # another story's dek
    assert not any("cost of sanctions for the first" in r.text for r in source.removed)


def _memo(path: Path) -> Path:
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Ministry of Finance · Internal memo"
    section.footer.paragraphs[0].text = "Confidential: do not circulate"
    first = document.add_paragraph("The delegations agreed on an agenda in August.")
    talks = document.add_paragraph("The talks ")
    w = nsdecls("w")
    talks._p.append(parse_xml(
        f'<w:del {w} w:id="1" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r>'
        "<w:delText>failed </w:delText></w:r></w:del>"))
    talks._p.append(parse_xml(f"<w:r {w}><w:t>resumed in May.</w:t></w:r>"))
    document.add_comment(first.runs, text="Check the date with the embassy.", author="Reviewer")
    document.save(str(path))
    return path


def _docx_pieces(library: Path, path: Path) -> set[tuple[str, str, str]]:
    report = add_sources(library, [path])
    source = Library.open(library).source(report.files[0].source_id)
    assert source.text == "The delegations agreed on an agenda in August.\n\nThe talks resumed in May."
    return {(r.kind, r.place, r.text) for r in source.removed}


EXPECTED_DOCX = {
    ("tracked-deletion", "in paragraph 2", "failed"),
    ("comment", "word/comments.xml", "Check the date with the embassy."),
    ("header", "word/header1.xml", "Ministry of Finance · Internal memo"),
    ("footer", "word/footer1.xml", "Confidential: do not circulate"),
}


def test_docx_headers_footers_comments_and_deletions_are_listed(
        library: Path, tmp_path: Path) -> None:
    assert _docx_pieces(library, _memo(tmp_path / "memo.docx")) == EXPECTED_DOCX


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_docx_resaved_by_libreoffice_lists_the_same_pieces(library: Path, tmp_path: Path) -> None:
    _memo(tmp_path / "memo.docx")
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "docx", "--outdir", str(out), str(tmp_path / "memo.docx")],
                   capture_output=True, check=True, timeout=120)
    assert _docx_pieces(library, out / "memo.docx") == EXPECTED_DOCX


def test_markdown_front_matter_and_html_blocks_are_listed_by_line(
        library: Path, files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    text = ("---\ntitle: Talks memo\nauthor: Ana Ruiz\n---\n\n# Talks memo\n\n"
            "<div class=\"note\">Draft, not for circulation.</div>\n\nThe talks resumed in May.\n")
    add_sources(library, [files("memo.md", text)])
    source = Library.open(library).source("memo")
    assert [(r.kind, r.line, r.text) for r in source.removed] == [
        ("front-matter", 1, "title: Talks memo author: Ana Ruiz"),
        ("html", 8, '<div class="note">Draft, not for circulation.</div>')]
    assert main(["show", "memo", "--removed", "--library", str(library)]) == 0
    assert "  line 8 (html): <div class=\"note\">Draft" in capsys.readouterr().out


def test_web_capture_clutter_is_still_listed_by_line(
        library: Path, files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    capture = ("Photo: REUTERS/Carlos Garcia Rawlins\n\nThe ministry published its figures on "
               "Monday, after months of delay.\n")
    add_sources(library, [files("capture.txt", capture)])
    assert main(["show", "capture", "--removed", "--library", str(library)]) == 0
    assert "  line 1 (photo-credit): Photo: REUTERS/Carlos Garcia Rawlins" in capsys.readouterr().out


def test_nothing_removed_is_said(library: Path, files: Files,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    add_sources(library, [files("plain.txt", "One plain paragraph of prose.\n")])
    assert main(["show", "plain", "--removed", "--library", str(library)]) == 0
    assert "(nothing was removed from the reading text)" in capsys.readouterr().out


def test_the_record_stays_small(tmp_path: Path) -> None:
    original = tmp_path / "big.pdf"
    removed = [Removal("page-number", 0, str(n), page=n) for n in range(1, 5001)]
    removed.append(Removal("running-header", 0, "x" * 5000, page=1))
    write_record(original, "pdf", removed)
    assert record_path(original).stat().st_size < 120_000
    record = read_record(original)
    assert record is not None and len(record.removed) == 2001
    assert record.removed[-1] == Removal("more", 0, "3001 more removals, counted but not kept")

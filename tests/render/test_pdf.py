"""PDF export through LibreOffice: the pages and text of the PDF it makes of a brief (checked with
poppler's pdfinfo and pdftotext), and one clear message naming the package where it is missing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from briefkit.cli import main
from briefkit.errors import ExportError
from briefkit.render.document import Document, Heading, Meta, Note, NoteRef, Paragraph, Text
from briefkit.render.pdf import LIBREOFFICE_PACKAGE, page_count, soffice, write_pdf

needs_libreoffice = pytest.mark.skipif(
    soffice() is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason=f"LibreOffice ({LIBREOFFICE_PACKAGE}) or poppler-utils not installed",
)


def brief(pages: int) -> Document:
    """A brief of about `pages` pages: a heading and paragraphs, a note on the first."""
    words = " ".join(["Sanctions relief tied to verifiable electoral steps."] * 12)
    blocks = [Heading(1, [Text("Bottom line")]), Paragraph([Text("Relief, phased."), NoteRef(1)])]
    blocks += [Paragraph([Text(words)]) for _ in range(6 * pages)]
    return Document(Meta(title="Venezuela: Options", date="2026-12-03"), blocks,
                    [Note(1, [Paragraph([Text("Crisis Group, para. 42.")])])])


def poppler(tool: str, pdf: Path) -> str:
    return subprocess.run([tool, str(pdf), *(["-"] if tool == "pdftotext" else [])],
                          capture_output=True, text=True, check=True).stdout


def pdfinfo_pages(pdf: Path) -> int:
    """The page count poppler's pdfinfo reads (the oracle for `page_count`)."""
    return next(int(line.split()[1]) for line in poppler("pdfinfo", pdf).splitlines()
                if line.startswith("Pages:"))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "brief.pdf"
    path.write_bytes(write_pdf(brief(3)))
    return path


@needs_libreoffice
@pytest.mark.long
def test_the_pdf_has_the_title_block_text_and_note(pdf: Path) -> None:
    text = poppler("pdftotext", pdf)
    assert "Venezuela: Options" in text
    assert "3 December 2026" in text
    assert "Crisis Group, para. 42." in text


@needs_libreoffice
@pytest.mark.long
def test_the_page_count_agrees_with_pdfinfo(pdf: Path) -> None:
    pages = pdfinfo_pages(pdf)
    assert pages >= 3
    assert page_count(pdf.read_bytes()) == pages


def test_without_libreoffice_the_message_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH on which no soffice can be found
    with pytest.raises(ExportError) as caught:
        write_pdf(brief(1))
    message = str(caught.value)
    assert LIBREOFFICE_PACKAGE in message and "\n" not in message


def test_page_count_reads_the_page_tree() -> None:
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Pages/Kids[2 0 R 3 0 R]/Count 2>>endobj\n"
           b"2 0 obj<</Type/Page/Parent 1 0 R>>endobj\n3 0 obj<</Type /Page /Parent 1 0 R>>endobj\n")
    assert page_count(pdf) == 2
    assert page_count(pdf.replace(b"/Count 2", b"")) == 2


@needs_libreoffice
@pytest.mark.long
def test_briefkit_export_to_pdf_writes_the_sample_brief(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`briefkit export --to pdf` end to end: the sample brief's title block, a verified quote and
    its footnote are in the PDF's text, and the page count agrees with pdfinfo."""
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    for path in seeds.iterdir():
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
    out = tmp_path / "memo.pdf"
    assert main(["export", str(tmp_path / "venezuela.brief.yaml"), "--to", "pdf", "-o", str(out),
                 "--template", "decision-memo"]) == 0
    text = " ".join(poppler("pdftotext", out).split())
    assert "Venezuela: Options for U.S. Policy" in text
    assert "23 November 2026" in text
    assert "Approve" in text and "Disapprove" in text
    pages = pdfinfo_pages(out)
    assert page_count(out.read_bytes()) == pages >= 2
    assert capsys.readouterr().out.strip() == f"wrote {out} (principal's copy, {pages} pages)"

"""Re-ingesting a source whose extraction changed: the same original, a new reader, anchors safe.

`fixtures/<name>.reader1.txt` is the reading text the PDF reader of briefkit before this
session's rewrite (commit ae84c98~1, run from `git archive`) made of `fixtures/<name>.pdf`:
running headers kept, the title split, a paragraph cut at each page break, "trade-exposed" read
as "tradeexposed". A library holding it (without an extraction record, as that briefkit wrote
it) is what an analyst has after upgrading.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from made_files import HTML_PAGE, write_docx
from test_updates import cite

from briefkit.brief.store import load_brief
from briefkit.cli import main
from briefkit.library.extraction_record import is_outdated, read_record, record_path
from briefkit.library.ingest import READER_VERSIONS
from briefkit.library.ingest.pdf import read_pdf
from briefkit.library.library import Library
from briefkit.workflows.source_updates import add_sources

FIXTURES = Path(__file__).resolve().parent / "fixtures"
Files = Callable[[str, bytes | str], Path]
QUOTES = {
    "charge": "A border carbon adjustment is a charge levied on imported goods",
    "parallel": "The Federalist Papers offer an unexpected parallel.",
    "solution": "The characteristically American solution was a uniform tariff",
    "coverage": "a narrow list of energy-intensive and tradeexposed goods",  # the old reader's word
}


def older_library(library: Path, *names: str) -> None:
    """A library whose PDFs were stored by the older reader, as that briefkit left it."""
    add_sources(library, [FIXTURES / f"{name}.pdf" for name in names])
    for name in names:
        (library / f"{name}.txt").write_text(
            (FIXTURES / f"{name}.reader1.txt").read_text(encoding="utf-8"), encoding="utf-8")
        record_path(library / "originals" / f"{name}.pdf").unlink()


def test_re_adding_the_same_pdf_reads_it_again_and_re_anchors_by_the_rules(
        library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    older_library(library, "dvips")
    brief_path = library / "carbon.brief.yaml"
    cite(library, brief_path, QUOTES, source="dvips")
    before = {c.id: c.anchor for _, c in load_brief(brief_path).citations()}
    sources_yaml = (library / "sources.yaml").read_text(encoding="utf-8")

    status = main(["sources", "add", str(FIXTURES / "dvips.pdf"), "--library", str(library)])
    out = capsys.readouterr().out
    assert status == 1  # a quote did not survive: said, and the exit status says so
    assert "updated dvips (re-read with the new PDF reader: pdf, 3 pages" in out
    assert "skipped" not in out

    text = Library.open(library).source("dvips").text
    assert text == read_pdf(FIXTURES / "dvips.pdf").text
    assert (library / "sources.yaml").read_text(encoding="utf-8") == sources_yaml  # metadata kept
    record = read_record(library / "originals" / "dvips.pdf")
    assert record is not None and record.reader == READER_VERSIONS["pdf"]
    after = {c.id: c.anchor for _, c in load_brief(brief_path).citations()}
    for cid in ("charge", "parallel", "solution"):
        assert (after[cid].start, after[cid].end) != (before[cid].start, before[cid].end)
        assert text[after[cid].start:after[cid].end] == QUOTES[cid]
        assert f"citation {cid} (dvips) moved" in out
    assert after["coverage"] == before["coverage"]  # not re-pointed: left for check
    assert "citation coverage (dvips) orphaned" in out
    assert brief_path.read_text(encoding="utf-8").startswith("# analyst's note: keep this comment")

    # The new reader's text is now the stored one: the same file again is only verified.
    again = add_sources(library, [FIXTURES / "dvips.pdf"])
    assert [a.action for a in again.added.files] == ["unchanged"]
    assert [r.citation for r in again.orphaned] == ["coverage"]


def test_a_copy_under_another_name_re_reads_the_source_it_duplicates(library: Path,
                                                                       tmp_path: Path) -> None:
    older_library(library, "dvips")
    copy = tmp_path / "carbon-paper.pdf"
    copy.write_bytes((FIXTURES / "dvips.pdf").read_bytes())
    report = add_sources(library, [copy, FIXTURES / "dvips.pdf"])
    assert [(a.action, a.source_id) for a in report.added.files] == [("updated", "dvips"),
                                                             ("unchanged", "dvips")]
    assert list(Library.open(library).entries) == ["dvips"]


def test_reread_without_paths_reads_every_outdated_source_again(
        library: Path, files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    older_library(library, "dvips", "libreoffice")
    add_sources(library, [FIXTURES / "reportlab.pdf"])  # read by this briefkit: left alone
    reportlab = (library / "reportlab.txt").read_bytes()
    other = files("other.txt", "A note of its own.\n")
    assert main(["sources", "add", str(other), "--library", str(library)]) == 0
    assert ("2 sources were read by an older reader (dvips, libreoffice): briefkit sources add "
            "--reread reads them again") in capsys.readouterr().out
    assert main(["show", "dvips", "--removed", "--library", str(library)]) == 0
    assert "(no record of what was removed: an older briefkit stored this text" in (
        capsys.readouterr().out)

    assert main(["sources", "add", "--reread", "--library", str(library)]) == 0
    out = capsys.readouterr().out
    assert "updated dvips (re-read with the new PDF reader: pdf" in out
    assert "updated libreoffice (re-read with the new PDF reader: pdf" in out
    assert "reportlab" not in out
    assert (library / "reportlab.txt").read_bytes() == reportlab
    for name in ("dvips", "libreoffice"):
        assert (library / f"{name}.txt").read_text(encoding="utf-8") == read_pdf(
            FIXTURES / f"{name}.pdf").text
    assert not any(is_outdated(e) for e in Library.open(library).entries.values())

    assert main(["sources", "add", "--reread", "--library", str(library)]) == 0
    assert "nothing to read again" in capsys.readouterr().out


def test_a_new_reader_version_re_reads_and_an_unchanged_text_moves_nothing(
        library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_sources(library, [FIXTURES / "groff.pdf"])
    brief_path = library / "groff.brief.yaml"
    text = Library.open(library).source("groff").text
    cite(library, brief_path, {"q": text[text.index("The Federalist Papers"):][:60]},
         source="groff")
    brief = brief_path.read_bytes()
    assert [a.action for a in add_sources(library, [FIXTURES / "groff.pdf"]).added.files] == ["unchanged"]
    monkeypatch.setitem(READER_VERSIONS, "pdf", READER_VERSIONS["pdf"] + 1)
    report = add_sources(library, [FIXTURES / "groff.pdf"])
    assert [a.action for a in report.added.files] == ["updated"] and report.ok
    assert report.reanchored == [] and brief_path.read_bytes() == brief
    assert read_record(library / "originals" / "groff.pdf").reader == READER_VERSIONS["pdf"]  # type: ignore[union-attr]


def test_a_re_read_cut_short_before_its_record_is_finished_by_running_it_again(
        library: Path) -> None:
    older_library(library, "dvips")
    brief_path = library / "carbon.brief.yaml"
    cite(library, brief_path, {k: QUOTES[k] for k in ("charge", "coverage")}, source="dvips")
    add_sources(library, [FIXTURES / "dvips.pdf"])
    saved = brief_path.read_bytes()
    # Killed after the new text was written, before its record: the text is new, the record old.
    record_path(library / "originals" / "dvips.pdf").unlink()
    report = add_sources(library, [FIXTURES / "dvips.pdf"])
    assert [a.action for a in report.added.files] == ["updated"]
    assert [(r.citation, r.status) for r in report.reanchored] == [("coverage", "orphaned")]
    assert brief_path.read_bytes() == saved
    assert not is_outdated(Library.open(library).entry("dvips"))


def test_html_and_docx_stored_by_an_older_reader_are_read_again(
        library: Path, files: Files, tmp_path: Path) -> None:
    page = files("ledger.html", HTML_PAGE)
    memo = write_docx(tmp_path / "memo.docx")
    add_sources(library, [page, memo])
    for original in ("ledger.html", "memo.docx"):  # stored by an older briefkit
        record_path(library / "originals" / original).unlink()
    report = add_sources(library, [page, memo])
    assert [(a.action, a.detail.split(":")[0]) for a in report.added.files] == [
        ("updated", "re-read with the new HTML reader"), ("updated", "re-read with the new DOCX reader")]
    assert [a.action for a in add_sources(library, [page, memo]).added.files] == ["unchanged"] * 2

"""A PDF's printed page labels (roman front matter, then 1, 2, ...) are what its footnotes cite."""

from __future__ import annotations

from pathlib import Path

import pytest
from made_files import FRONT_MATTER, PAGES, ROMAN_THEN_ARABIC, PageLabel, write_pdf

from briefkit.brief.anchoring import anchor_quote
from briefkit.brief.model import Citation, Position
from briefkit.brief.store import new_brief, save_brief
from briefkit.cli import main
from briefkit.errors import BriefkitError
from briefkit.library.additions import add_sources
from briefkit.library.library import Library
from briefkit.library.pages import printed_labels
from briefkit.render.export import export_brief


def labelled_pdf(path: Path) -> Path:
    return write_pdf(path, FRONT_MATTER + PAGES, labels=ROMAN_THEN_ARABIC)


def test_pdf_page_labels_are_recorded_as_one_flow_list(library: Path, tmp_path: Path) -> None:
    add_sources(library, [labelled_pdf(tmp_path / "review.pdf")])
    yaml = (library / "sources.yaml").read_text(encoding="utf-8")
    assert "  page-labels: [i, ii, '1', '2', '3']\n" in yaml
    for _ in range(2):  # the second open reads the entries cache
        assert Library.open(library).entry("review").page_labels == ("i", "ii", "1", "2", "3")


def test_paragraph_on_the_fourth_sheet_is_cited_by_its_printed_page(
        library: Path, tmp_path: Path) -> None:
    add_sources(library, [labelled_pdf(tmp_path / "review.pdf")])
    source = Library.open(library).source("review")
    fourth = source.text.index("were significant for the state budget")
    paragraph = source.paragraph_at(fourth)
    assert paragraph is not None and paragraph.page == 4
    assert source.locator(fourth) == ("page", "2")
    assert source.locator(source.text.index("commissioned by the committee")) == ("page", "i")
    assert [source.page_label(n) for n in range(1, 6)] == ["i", "ii", "1", "2", "3"]


def test_footnote_to_a_labelled_pdf_prints_the_page_label(library: Path, tmp_path: Path) -> None:
    add_sources(library, [labelled_pdf(tmp_path / "review.pdf")])
    text = Library.open(library).source("review").text
    brief = new_brief(library / "b.brief.yaml", title="Oil", library=".")
    brief.sections["summary"] = "Revenue collapsed [@rev]. The review had a brief [@remit]."
    brief.positions.append(Position(id="p", title="Relief", citations=[
        Citation(id="rev", source="review",
                 anchor=anchor_quote(text, "were significant for the state budget")),
        Citation(id="remit", source="review",
                 anchor=anchor_quote(text, "commissioned by the committee"))]))
    save_brief(brief)
    markdown = export_brief(brief, "md", tmp_path / "b.md", copy="reviewer").read_text(encoding="utf-8")
    notes = [ln for ln in markdown.splitlines() if ln.startswith("[^")]
    assert notes[:2] == ["[^1]: Jane Analyst, *Sanctions and Their Effects* (2000), 2.",
                         "[^2]: Analyst, *Sanctions and Their Effects*, i."]
    assert "Sanctions and Their Effects, p. 2: “were significant for the state budget”" in markdown


@pytest.mark.parametrize("labels", [None, [(0, "ARABIC", 1, None)]], ids=["none", "plain-arabic"])
def test_pdf_without_distinct_page_labels_records_none(
        library: Path, tmp_path: Path, labels: list[PageLabel] | None) -> None:
    add_sources(library, [write_pdf(tmp_path / "review.pdf", labels=labels)])
    assert "page-labels" not in (library / "sources.yaml").read_text(encoding="utf-8")
    source = Library.open(library).source("review")
    assert source.entry.page_labels == ()
    assert source.locator(source.text.index("were significant")) == ("page", "2")


def test_labels_yaml_would_read_as_booleans_are_written_quoted(
        library: Path, tmp_path: Path) -> None:
    labels: list[PageLabel] = [(0, None, None, "on"), (1, None, None, "No"), (2, "ARABIC", 3, "A-")]
    add_sources(library, [write_pdf(tmp_path / "review.pdf", labels=labels)])
    assert "page-labels: ['on', 'No', A-3]\n" in (library / "sources.yaml").read_text("utf-8")
    assert Library.open(library).entry("review").page_labels == ("on", "No", "A-3")


def test_unlabelled_page_is_cited_by_its_physical_number() -> None:
    assert printed_labels(["", "", ""]) == ()
    assert printed_labels(["i", "", "1"]) == ("i", "2", "1")
    assert printed_labels(["A-1", " A-\n2 "]) == ("A-1", "A- 2")


def test_replacing_a_labelled_pdf_by_an_unlabelled_one_drops_its_labels(
        library: Path, tmp_path: Path) -> None:
    add_sources(library, [labelled_pdf(tmp_path / "review.pdf")])
    (tmp_path / "v2").mkdir()
    report = add_sources(library, [write_pdf(tmp_path / "v2" / "review.pdf")])
    assert [a.action for a in report.files] == ["updated"]
    assert "page-labels" not in (library / "sources.yaml").read_text(encoding="utf-8")
    assert Library.open(library).entry("review").page_labels == ()


def test_labels_shorter_than_the_pages_leave_later_pages_physical(
        library: Path, tmp_path: Path) -> None:
    add_sources(library, [labelled_pdf(tmp_path / "review.pdf")])
    sources = library / "sources.yaml"
    yaml = sources.read_text(encoding="utf-8")
    sources.write_text(yaml.replace("[i, ii, '1', '2', '3']", "[i, ii, 1]"), encoding="utf-8")
    source = Library.open(library).source("review")
    assert source.entry.page_labels == ("i", "ii", "1")
    assert [source.page_label(n) for n in range(1, 6)] == ["i", "ii", "1", "4", "5"]


@pytest.mark.parametrize(("labels", "line", "message"), [
    pytest.param("i, ii, 1", 4, "must be a list of printed page labels", id="text"),
    pytest.param("{first: i}", 4, "must be a list of printed page labels", id="mapping"),
    pytest.param("[i, '', '1']", 4, "the label of page 2 must be non-empty text", id="empty"),
    pytest.param("\n      - i\n      - [ii]\n", 6, "the label of page 2", id="nested-list"),
    pytest.param("[i, \"two\\nlines\"]", 4, "text on one line", id="two-lines"),
    pytest.param("[i, true]", 4, "the label of page 2", id="boolean"),
])
def test_malformed_page_labels_name_the_file_line_and_field(
        tmp_path: Path, labels: str, line: int, message: str) -> None:
    (tmp_path / "a.txt").write_text("Some prose.\n", encoding="utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - id: a\n    file: a.txt\n    page-labels: {labels}\n",
                       encoding="utf-8")
    with pytest.raises(BriefkitError) as caught:
        Library.open(tmp_path)
    error = caught.value
    assert (error.path, error.line, error.field) == (sources, line, "page-labels")
    assert message in error.message


def test_malformed_page_labels_are_one_line_on_the_command_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("Some prose.\n", encoding="utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - id: a\n    file: a.txt\n    page-labels: [i, '']\n",
                       encoding="utf-8")
    assert main(["show", "a", "--library", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith(f"{sources}:4: page-labels: the label of page 2 must be non-empty text "
                        "on one line")
    assert "\n" not in err

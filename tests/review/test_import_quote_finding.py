"""A reviewer's change inside a quote is a `check` finding, with the source's text beside it."""

from __future__ import annotations

from pathlib import Path

from briefkit.brief.check import check_brief, library_for
from briefkit.brief.model import ReviewItem
from briefkit.brief.store import load_brief, save_brief
from briefkit.cli import main
from briefkit.render.parse import prose_citations


def quote_change(brief_path: Path, status: str = "open") -> Path:
    brief = load_brief(brief_path)
    _, citation = brief.citations()[0]
    words = citation.anchor.quote.split(" ")
    brief.review.append(ReviewItem(
        id="word-q1", kind="quote-change", author="Colin Colleague", date="2026-12-01T11:00:00Z",
        element=f"citations.{citation.id}.quote", quoted=citation.anchor.quote,
        text=" ".join([words[0], "allegedly", *words[1:]]), status=status))
    save_brief(brief)
    return brief_path


def test_an_open_quote_change_is_an_error_naming_the_citation_with_the_source_text(sample_brief: Path) -> None:
    brief = load_brief(quote_change(sample_brief))
    _, citation = brief.citations()[0]
    source = library_for(brief).source(citation.source).text[citation.anchor.start:citation.anchor.end]
    found = [f for f in check_brief(brief, library_for(brief), prose_citations).findings if f.code == "quote-changed-in-review"]
    assert len(found) == 1
    finding = found[0]
    assert finding.severity == "error" and finding.citation == citation.id
    assert finding.message.startswith(
        f"the reviewer (Colin Colleague, 2026-12-01T11:00:00Z) changed the quoted text of {citation.id}: ")
    assert "Washington{+ allegedly+} should" in finding.message
    assert f"the source reads “{source}”" in finding.message
    assert finding.line == brief.review[0].line


def test_a_resolved_quote_change_is_no_longer_reported(sample_brief: Path) -> None:
    brief = load_brief(quote_change(sample_brief, status="resolved"))
    codes = [f.code for f in check_brief(brief, library_for(brief), prose_citations).findings]
    assert "quote-changed-in-review" not in codes


def test_check_prints_it_and_exits_1(sample_brief: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    quote_change(sample_brief)
    assert main(["check", str(sample_brief)]) == 1
    assert "changed the quoted text of" in capsys.readouterr().out

"""The brief's review comments go out again as Word comments on the next export, read back by
python-docx and pandoc (independent readers) and by briefkit's own reader."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
import review_fixtures
from docx_tools import needs_pandoc, needs_soffice, through_libreoffice
from review_fixtures import BRIEF, DOCX, WHEN
from word_markup import WordReview

from briefkit.brief.model import Reply, ReviewItem
from briefkit.brief.store import load_brief, save_brief
from briefkit.cli import main
from briefkit.render.export import export_brief
from briefkit.review import read_reviewed_docx

LATER = "2026-12-02T14:00:00Z"
exported, work = review_fixtures.exported, review_fixtures.work  # the fixtures these tests use


def with_review(work: Path, items: list[ReviewItem]) -> Path:
    brief = load_brief(work / BRIEF)
    brief.review = items
    save_brief(brief)
    return export_brief(load_brief(work / BRIEF), "docx", work / "again.docx")


def test_comments_replies_and_resolved_state_go_out_on_their_ranges(work: Path) -> None:
    out = with_review(work, [
        ReviewItem("c1", "Director", WHEN, "sections.summary", "Too strong?", quoted="has not produced a transition",
                   replies=[Reply("A. Analyst", LATER, "Softened.")]),
        ReviewItem("c2", "Colleague", WHEN, "positions.pressure.title", "Rename?", status="resolved"),
        ReviewItem("c3", "Colleague", WHEN, "citations.fal-snapback.quote", "Source?", quoted="no longer there"),
    ])
    read = read_reviewed_docx(out)
    first, reply, title, quote = read.comments
    assert (first.author, first.date, first.text, first.covered, first.elements) == (
        "Director", WHEN, "Too strong?", "has not produced a transition", ("sections.summary",))
    assert reply.parent == first.id and reply.text == "Softened." and reply.covered == first.covered
    assert title.done and title.covered == read.first_printing("positions.pressure.title").exported
    # Quoted text no longer in the element: the comment covers the whole element.
    assert quote.covered == read.first_printing("citations.fal-snapback.quote").exported
    assert not any(e.changed for e in read.elements)  # comments add no text
    independent = docx.Document(str(out)).comments
    assert [(c.author, c.text) for c in independent] == [
        ("Director", "Too strong?"), ("A. Analyst", "Softened."), ("Colleague", "Rename?"), ("Colleague", "Source?")]


@needs_pandoc
def test_pandoc_sees_each_comment_on_its_text(work: Path) -> None:
    out = with_review(work, [
        ReviewItem("c1", "Director", WHEN, "sections.summary", "Too strong?", quoted="has not produced a transition"),
    ])
    native = subprocess.run(["pandoc", "-f", "docx", "--track-changes=all", "-t", "markdown", "--wrap=none",
                             str(out)], capture_output=True, text=True, check=True).stdout
    assert '[Too strong?]{.comment-start id="0" author="Director" date="2026-12-01T09:30:00Z"}has not produced a ' \
           'transition[]{.comment-end id="0"}' in native


def test_a_comment_on_an_element_this_copy_does_not_print_is_left_out(work: Path) -> None:
    out = with_review(work, [
        ReviewItem("c1", "Director", WHEN, "citations.fal-snapback.note", "Not in the principal's copy."),
        ReviewItem("c2", "Director", WHEN, "sections.background", "Kept."),
    ])
    assert [c.text for c in read_reviewed_docx(out).comments] == ["Kept."]


def test_the_conversation_continues_through_import_and_export(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Word comments imported into the brief (`review import`) come out again on the next export."""
    review = WordReview(work / DOCX)
    first = review.comment("has not produced a transition", "Too strong?", author="Director", date=WHEN)
    review.reply(first, "Softened.", author="A. Analyst", date=LATER)
    review.resolve(first)
    reviewed = review.save(work / "reviewed.docx")
    assert main(["review", "import", str(reviewed), str(work / BRIEF)]) in (0, 1)
    capsys.readouterr()
    assert main(["export", str(work / BRIEF), "--to", "docx", "-o", str(work / "next.docx")]) == 0
    again = read_reviewed_docx(work / "next.docx")
    top, reply = again.comments
    assert (top.author, top.text, top.covered, top.elements, top.done) == (
        "Director", "Too strong?", "has not produced a transition", ("sections.summary",), True)
    assert (reply.author, reply.text, reply.parent) == ("A. Analyst", "Softened.", top.id)


@needs_soffice
@pytest.mark.long
def test_exported_comments_survive_libreoffice(work: Path, tmp_path: Path) -> None:
    out = with_review(work, [
        ReviewItem("c1", "Director", WHEN, "sections.summary", "Too strong?", quoted="has not produced a transition",
                   status="resolved"),
        ReviewItem("c2", "Colleague", WHEN, "citations.fal-snapback.quote", "Source?", quoted="new rounds"),
    ])
    saved = read_reviewed_docx(through_libreoffice(out, tmp_path / "lo"))
    assert [(c.text, c.covered, c.elements, c.done) for c in saved.comments] == [
        ("Too strong?", "has not produced a transition", ("sections.summary",), True),
        ("Source?", "new rounds", ("citations.fal-snapback.quote",), False)]
    assert not any(e.changed for e in saved.elements)

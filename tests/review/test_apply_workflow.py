"""`review import --apply`: accepted prose changes become a new revision of the brief's Markdown,
merged three ways with work done since the export; citations and quotes are never edited."""

from __future__ import annotations

from pathlib import Path

import pytest
import review_fixtures
from review_fixtures import BRIEF, DOCX, WHEN
from word_markup import WordReview

from briefkit.brief.check import check_brief, library_for
from briefkit.brief.store import load_brief, save_brief
from briefkit.cli import main
from briefkit.errors import BriefkitError
from briefkit.render.parse import prose_citations
from briefkit.workflows.review_import import import_review

ME = {"author": "Colin Colleague", "date": WHEN}

exported, work = review_fixtures.exported, review_fixtures.work  # the fixtures these tests use


def summary(work: Path) -> str:
    return load_brief(work / BRIEF).sections["summary"]


def test_tracked_changes_are_applied_to_the_markdown_keeping_every_citation(work: Path) -> None:
    review = WordReview(work / DOCX)
    review.insert("its critics find", " even", **ME)
    review.delete(" with the United States at the margins", **ME)
    review.replace("The choice is", "The real choice is", **ME)
    result = import_review(review.save(work / "r.docx"), work / BRIEF, apply=True)
    assert [c.status for c in result.changes] == ["applied"]
    text = summary(work)
    assert "its critics find even the government stronger than before [@smilde-failed]" in text
    assert "a regional group of friends [@oped-margins]. We recommend" in text
    assert "The real choice is between" in text
    brief = load_brief(work / BRIEF)
    assert not [f for f in check_brief(brief, library_for(brief), prose_citations).findings if f.bad_input]
    again = import_review(work / "r.docx", work / BRIEF, apply=True)
    assert [c.status for c in again.changes] == ["already"] and not again.saved


def test_a_direct_edit_of_a_position_title_is_applied(work: Path) -> None:
    review = WordReview(work / DOCX)
    review.edit("Keep maximum pressure, with a sanctions snapback", "Keep maximum pressure, with an automatic snapback")
    result = import_review(review.save(work / "r.docx"), work / BRIEF, apply=True)
    (change,) = result.changes
    assert change.direct and not change.tracked and change.status == "applied"
    assert "edited directly (track changes off)" in "\n".join(result.lines())
    assert load_brief(work / BRIEF).position("pressure").title == "Keep maximum pressure, with an automatic snapback"  # type: ignore[union-attr]


def test_a_tracked_move_is_applied_where_the_reviewer_put_the_words(work: Path) -> None:
    review = WordReview(work / DOCX)
    review.move(", negotiated alongside regional partners", to_after="We recommend phased relief", **ME)
    review.save(work / "r.docx")
    before = summary(work)
    import_review(work / "r.docx", work / BRIEF, apply=True)
    assert summary(work) == before  # moved to where it was: nothing changes
    review = WordReview(work / DOCX)
    review.move(" We recommend phased relief, negotiated alongside regional partners.",
                to_after="Maximum pressure has not produced a transition:", **ME)
    result = import_review(review.save(work / "r2.docx"), work / BRIEF, apply=True)
    assert [c.status for c in result.changes] == ["applied"]
    assert sorted(c.kind for c in result.changes[0].tracked) == ["move-from", "move-to"]
    assert summary(work).startswith(
        "Maximum pressure has not produced a transition: We recommend phased relief, negotiated "
        "alongside regional partners. its critics")


def test_an_inserted_paragraph_becomes_its_own_markdown_paragraph(work: Path) -> None:
    review = WordReview(work / DOCX)
    review.insert_paragraph("rather than led by Washington", "Each step is reversible.", **ME)
    result = import_review(review.save(work / "r.docx"), work / BRIEF, apply=True)
    assert [c.status for c in result.changes] == ["applied"]
    text = load_brief(work / BRIEF).sections["recommendation"]
    assert "[@smilde-multilateral]:\n\nEach step is reversible.\n\n1. Offer limited" in text


def test_a_paragraph_added_after_a_section_s_last_one_joins_that_section(work: Path) -> None:
    review = WordReview(work / DOCX)
    review.insert_paragraph("negotiated alongside regional partners.", "A closing paragraph.", **ME)
    result = import_review(review.save(work / "r.docx"), work / BRIEF, apply=True)
    assert [(c.element, c.status) for c in result.changes] == [("sections.summary", "applied")]
    assert summary(work).endswith("alongside regional partners.\n\nA closing paragraph.\n")


def test_work_done_since_the_export_is_kept_and_an_overlap_is_a_conflict(work: Path) -> None:
    brief = load_brief(work / BRIEF)
    brief.sections["summary"] = brief.sections["summary"].replace(
        "We recommend phased relief", "We recommend, on balance, phased relief")
    save_brief(brief)
    review = WordReview(work / DOCX)
    review.insert("its critics find", " even", **ME)
    result = import_review(review.save(work / "r.docx"), work / BRIEF, apply=True)
    assert "exported from an earlier revision" in "\n".join(result.lines())
    assert [c.status for c in result.changes] == ["applied"]
    assert "its critics find even the government" in summary(work)
    assert "We recommend, on balance, phased relief" in summary(work)
    before = summary(work)
    clash = WordReview(work / DOCX)
    clash.replace("We recommend phased relief", "We advise phased relief", **ME)
    result = import_review(clash.save(work / "clash.docx"), work / BRIEF, apply=True)
    assert [c.status for c in result.changes] == ["conflict"]
    assert "CONFLICT: the brief changed there since the export" in "\n".join(result.lines())
    assert result.exit_status == 1 and summary(work) == before


def test_only_applies_the_named_elements(work: Path) -> None:
    review = WordReview(work / DOCX)
    review.insert("its critics find", " even", **ME)
    review.edit("Keep maximum pressure, with a sanctions snapback", "Keep pressure on")
    path = review.save(work / "r.docx")
    result = import_review(path, work / BRIEF, apply=True, only=["positions.pressure.title"])
    assert {c.element: c.status for c in result.changes} == {
        "sections.summary": "applicable", "positions.pressure.title": "applied"}
    assert "find even" not in summary(work)
    assert main(["review", "import", str(path), str(work / BRIEF), "--apply", "--only", "summary"]) == 0
    assert "its critics find even" in summary(work)
    with pytest.raises(BriefkitError, match="'outlook' names no element the reviewer changed"):
        import_review(path, work / BRIEF, apply=True, only=["outlook"])


def test_a_change_across_a_citation_reference_is_refused(work: Path) -> None:
    review = WordReview(work / DOCX)
    review.delete("stronger than before, and even", **ME)
    before = summary(work)
    result = import_review(review.save(work / "r.docx"), work / BRIEF, apply=True)
    (change,) = result.changes
    assert change.status == "refused" and "citation reference" in change.reason
    assert summary(work) == before

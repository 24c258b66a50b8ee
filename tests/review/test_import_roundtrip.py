"""The issue's "done when": an exported brief, commented and edited the way Word marks it and passed
once through LibreOffice, imports with every comment placed on its element, every prose change
listed and applicable, every change inside a quote refused and reported, and `briefkit verify`
catching the altered quotes in the final document."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import review_fixtures
from review_fixtures import BRIEF, DOCX, WHEN
from word_markup import WordReview

from briefkit.brief.check import check_brief, library_for
from briefkit.brief.store import load_brief
from briefkit.cli import main
from briefkit.render.parse import prose_citations
from briefkit.workflows.review_import import import_review

exported = review_fixtures.exported  # the fixture these tests use

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")

COLIN = {"author": "Colin Colleague", "date": WHEN}
# Each comment's text, and the element it must land on.
COMMENTS = {
    "Too strong? Say who says so.": "sections.summary",
    "Agreed: soften it.": "sections.summary",  # a reply in Word; LibreOffice 7.4 keeps it as a comment
    "Who still argues this?": "positions.pressure.title",
    "Date of this source?": "citations.oped-margins.quote",
    "Is this relief reversible?": "positions.phased-relief.summary",
}
PROSE = {  # element -> a piece of its word diff
    "sections.summary": "[- with the United States at the margins-]",
    "sections.background": "[-sweeping-]{+broad+}",
    "sections.recommendation": "{+¶Each step is reversible.+}",
    "positions.pressure.summary": "[-Hold-]{+Keep+}",
    "positions.group-of-friends.title": "[-Back-]{+Support+} a regional",
    "positions.group-of-friends.summary": "governments {+outside Venezuela +}broker talks held[- outside Venezuela-],",
}
QUOTES = ("fal-snapback", "fal-weakness", "rs-exploit-talks")


def review_in_word(docx: Path) -> WordReview:
    review = WordReview(docx)
    first = review.comment("has not produced a transition", "Too strong? Say who says so.",
                           author="Dana Director", date=WHEN)
    review.reply(first, "Agreed: soften it.", author="A. Analyst", date="2026-12-02T08:00:00Z")
    review.resolve(first)
    review.comment("Keep maximum pressure", "Who still argues this?", author="Dana Director", date=WHEN)
    review.comment("The United States must stay at the margins.", "Date of this source?",
                   author="Dana Director", date=WHEN)
    review.comment("Trade the progressive lifting", "Is this relief reversible?", author="Dana Director",
                   date=WHEN)
    # prose, tracked and not
    review.delete(" with the United States at the margins", **COLIN)
    review.replace("sweeping", "broad", **COLIN)
    review.insert_paragraph("rather than led by Washington", "Each step is reversible.", **COLIN)
    review.edit("Hold sanctions in place", "Keep sanctions in place")
    review.replace("Back a regional", "Support a regional", **COLIN)
    review.move(" outside Venezuela", to_after="Latin American governments", **COLIN)  # a move pair
    # quotes: a tracked insertion, a tracked deletion, a direct edit
    review.insert("should prepare", " quickly", **COLIN)
    review.delete(" – lax U.S. sanctions enforcement", **COLIN)
    review.edit("Maduro has used talks", "Maduro used talks")
    return review


def through_libreoffice(docx: Path, folder: Path) -> Path:
    """Open and save the file once in LibreOffice, as DOCX, with a private profile."""
    out = folder / "libreoffice"
    out.mkdir()
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder / 'lo-profile'}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(docx)],
        check=True, capture_output=True, timeout=120,
    )
    return out / docx.name


@pytest.fixture(scope="module")
def round_trip(exported: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roundtrip")
    reviewed = review_in_word(exported / DOCX).save(folder / "reviewed.docx")
    return through_libreoffice(reviewed, folder)


def test_the_reviewed_file_imports_with_every_finding_placed_listed_and_guarded(
    exported: Path, round_trip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = review_fixtures.fresh_copy(exported, tmp_path)
    brief_path = work / BRIEF
    before = load_brief(brief_path)
    result = import_review(round_trip, brief_path)

    placed = {item.text: e.element for e in result.elements for item, _ in e.comments}
    placed |= {r.text: e.element for e in result.elements for item, _ in e.comments for r in item.replies}
    assert placed == COMMENTS
    resolved = next(item for e in result.elements for item, _ in e.comments if item.text.startswith("Too strong"))
    assert resolved.status == "resolved"

    changes = {c.element: c for c in result.changes}
    assert set(changes) == set(PROSE)
    for element, piece in PROSE.items():
        assert changes[element].status == "applicable", element
        assert any(piece in line for line in changes[element].diff()), (element, changes[element].diff())
    assert changes["positions.pressure.summary"].direct and not changes["positions.pressure.summary"].tracked

    refused = {q.element for q in result.quote_changes}
    assert refused == {f"citations.{cid}.quote" for cid in QUOTES}
    report = "\n".join(result.lines())
    for cid in QUOTES:
        assert f"changed the quoted text of {cid}:" in report
    assert result.exit_status == 1

    applied = import_review(round_trip, brief_path, apply=True)
    assert {c.element: c.status for c in applied.changes} == dict.fromkeys(PROSE, "applied")
    brief = load_brief(brief_path)
    assert "a regional group of friends [@oped-margins]. We recommend" in brief.sections["summary"]
    assert "imposed broad sanctions" in brief.sections["background"]
    assert "[@smilde-multilateral]:\n\nEach step is reversible.\n\n1. Offer" in brief.sections["recommendation"]
    assert brief.position("pressure").summary.startswith("Keep sanctions in place")  # type: ignore[union-attr]
    friends = brief.position("group-of-friends")
    assert friends is not None and friends.title.startswith("Support a regional")
    assert friends.summary.startswith("Let four to six Latin American governments outside Venezuela broker talks held, with")
    for _, citation in before.citations():  # no quote changed
        assert brief.find_citation(citation.id)[1].anchor == citation.anchor  # type: ignore[index]
    findings = [f for f in check_brief(brief, library_for(brief), prose_citations).findings if f.code == "quote-changed-in-review"]
    assert sorted(f.citation for f in findings) == sorted(QUOTES)
    assert all("the source reads “" in f.message for f in findings)

    again = import_review(round_trip, brief_path, apply=True)
    assert again.stored == 0 and not again.saved
    assert {c.status for c in again.changes} == {"already"}

    capsys.readouterr()
    assert main(["verify", str(round_trip), "--library", str(work)]) == 1
    out = capsys.readouterr().out
    assert all(f"altered  {cid}" in out for cid in QUOTES)


def test_the_conversation_continues_through_a_new_export_and_libreoffice_without_duplicates(
    exported: Path, tmp_path: Path
) -> None:
    work = review_fixtures.fresh_copy(exported, tmp_path)
    brief_path = work / BRIEF
    review = WordReview(work / DOCX)
    first = review.comment("has not produced a transition", "Too strong?", author="Dana Director", date=WHEN)
    review.reply(first, "Softened.", author="A. Analyst", date="2026-12-02T08:00:00Z")
    assert import_review(review.save(work / "round1.docx"), brief_path).stored == 1
    second_export = work / "second.docx"
    assert main(["export", str(brief_path), "--to", "docx", "-o", str(second_export)]) == 0
    back = WordReview(second_export)  # the director answers in the file that went out again
    back.comment("Maximum pressure has not", "Better now.", author="Dana Director", date="2026-12-03T09:00:00Z")
    result = import_review(through_libreoffice(back.save(work / "round2.docx"), work), brief_path)
    entries = load_brief(brief_path).review
    assert [(e.text, [r.text for r in e.replies]) for e in entries] == [
        ("Too strong?", ["Softened."]), ("Better now.", [])]
    assert result.stored == 1

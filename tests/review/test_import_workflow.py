"""`briefkit review import`: every comment placed on its element and stored once, every prose
change listed, quotes guarded, bad input refused with one message."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
import review_fixtures
from review_fixtures import BRIEF, DOCX, WHEN
from word_markup import WordReview

from briefkit.brief.check import check_brief, library_for
from briefkit.brief.store import load_brief
from briefkit.cli import main
from briefkit.errors import ReviewError
from briefkit.render.parse import prose_citations
from briefkit.workflows.review_import import import_review

QUOTE = "Washington should prepare and be ready to launch new rounds"

exported, work = review_fixtures.exported, review_fixtures.work  # the fixtures these tests use


def reviewed(work: Path) -> Path:
    """The export commented and edited as a director and a colleague would in Word."""
    review = WordReview(work / DOCX)
    first = review.comment("has not produced a transition", "Too strong? Say who says so.",
                           author="Dana Director", date=WHEN)
    review.reply(first, "Softened in the next draft.", author="A. Analyst", date="2026-12-02T08:00:00Z")
    review.comment("Keep maximum pressure", "Is anyone still arguing this?", author="Dana Director",
                   date=WHEN, occurrence=0)
    review.comment(QUOTE, "Check the date of this.", author="Colin Colleague", date=WHEN)
    review.insert("its critics find", " even", author="Colin Colleague", date=WHEN)
    review.delete(" with the United States at the margins", author="Colin Colleague", date=WHEN)
    review.insert("should prepare", " quickly", author="Colin Colleague", date=WHEN)
    return review.save(work / "reviewed.docx")


def test_every_comment_is_placed_on_its_element_with_its_thread(work: Path) -> None:
    result = import_review(reviewed(work), work / BRIEF)
    placed = {e.element: [item.text for item, _ in e.comments] for e in result.elements if e.comments}
    assert placed == {
        "sections.summary": ["Too strong? Say who says so."],
        "positions.pressure.title": ["Is anyone still arguing this?"],
        "citations.fal-snapback.quote": ["Check the date of this."],
    }
    stored = {item.element: item for item in load_brief(work / BRIEF).review if item.kind == "comment"}
    summary = stored["sections.summary"]
    assert (summary.author, summary.date, summary.quoted, summary.status) == (
        "Dana Director", WHEN, "has not produced a transition", "open")
    assert [(r.author, r.text) for r in summary.replies] == [("A. Analyst", "Softened in the next draft.")]


def test_importing_the_same_file_twice_stores_nothing_twice(work: Path) -> None:
    path = reviewed(work)
    first = import_review(path, work / BRIEF)
    text = (work / BRIEF).read_text()
    second = import_review(path, work / BRIEF)
    assert first.stored == 4 and second.stored == 0  # three comments and one quote change
    assert not second.saved and (work / BRIEF).read_text() == text
    assert len(load_brief(work / BRIEF).review) == 4


def test_a_reply_and_a_resolve_made_later_in_word_join_the_stored_comment(work: Path) -> None:
    review = WordReview(work / DOCX)
    cid = review.comment("has not produced a transition", "Too strong?", author="Dana Director", date=WHEN)
    import_review(review.save(work / "round1.docx"), work / BRIEF)
    review.reply(cid, "Fixed.", author="A. Analyst", date="2026-12-03T08:00:00Z")
    review.resolve(cid)
    result = import_review(review.save(work / "round2.docx"), work / BRIEF)
    assert result.stored == 1
    (item,) = load_brief(work / BRIEF).review
    assert item.status == "resolved" and [r.text for r in item.replies] == ["Fixed."]


def test_prose_changes_are_listed_with_a_word_diff_and_not_applied_without_apply(work: Path) -> None:
    before = load_brief(work / BRIEF).sections["summary"]
    result = import_review(reviewed(work), work / BRIEF)
    (change,) = result.changes
    assert change.element == "sections.summary" and change.status == "applicable"
    assert [c.kind for c in change.tracked] == ["insertion", "deletion"]
    assert any("find {+even +}the" in line or "find{+ even+} the" in line for line in change.diff())
    assert any("[- with the United States at the margins-]" in line for line in change.diff())
    assert load_brief(work / BRIEF).sections["summary"] == before
    report = "\n".join(result.lines())
    assert "section “summary” (sections.summary)" in report and "-> applicable" in report


def test_a_change_inside_a_quote_is_refused_reported_and_shown_by_check(work: Path) -> None:
    brief_before = load_brief(work / BRIEF)
    quote_before = brief_before.find_citation("fal-snapback")[1].anchor.quote  # type: ignore[index]
    result = import_review(reviewed(work), work / BRIEF, apply=True)
    (entry,) = result.quote_changes
    assert (entry.kind, entry.element, entry.author) == (
        "quote-change", "citations.fal-snapback.quote", "Colin Colleague")
    assert "should prepare quickly and" in entry.text
    assert "REFUSED: the reviewer (Colin Colleague, 2026-12-01) changed the quoted text of fal-snapback" in (
        "\n".join(result.lines()))
    assert result.exit_status == 1
    brief = load_brief(work / BRIEF)
    assert brief.find_citation("fal-snapback")[1].anchor.quote == quote_before  # type: ignore[index]
    findings = [f for f in check_brief(brief, library_for(brief), prose_citations).findings if f.code == "quote-changed-in-review"]
    assert len(findings) == 1 and "the source reads “Washington should prepare" in findings[0].message


def test_a_docx_of_another_brief_is_one_message_and_exit_2(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = work / "other.brief.yaml"  # its own id, its own title, the same quotes
    text = (work / BRIEF).read_text().replace("title: 'Venezuela: Options for U.S. Policy'",
                                              "id: another-brief\ntitle: Another brief")
    other.write_text(text)
    before = other.read_text()
    assert main(["review", "import", str(reviewed(work)), str(other)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "was exported from another brief (“Venezuela: Options for U.S. Policy”)" in err
    assert other.read_text() == before


def test_a_damaged_file_is_one_message_and_exit_2(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    damaged = work / "damaged.docx"
    damaged.write_bytes(reviewed(work).read_bytes()[:5000])
    before = (work / BRIEF).read_text()
    assert main(["review", "import", str(damaged), str(work / BRIEF)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("briefkit: error: ") and err.count("\n") == 1 and "damaged.docx" in err
    assert (work / BRIEF).read_text() == before


def test_a_word_file_briefkit_did_not_export_is_refused_clearly(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = docx.Document()
    plain.add_paragraph("Some memo.")
    plain.save(str(work / "plain.docx"))
    assert main(["review", "import", str(work / "plain.docx"), str(work / BRIEF)]) == 2
    assert "not a Word file exported by briefkit" in capsys.readouterr().err


def test_deleted_anchors_are_reported_and_nothing_is_imported(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = reviewed(work)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    body = parts["word/document.xml"].decode()
    name = 'w:name="sec_summary"'
    assert name in body
    start = body.rindex("<w:bookmarkStart", 0, body.index(name))
    parts["word/document.xml"] = (body[:start] + body[body.index("/>", start) + 2:]).encode()
    broken = work / "no-anchor.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    before = (work / BRIEF).read_text()
    with pytest.raises(ReviewError, match="could not place") as info:
        import_review(broken, work / BRIEF)
    assert "sections.summary" in info.value.message and "Dana Director" in info.value.message
    assert main(["review", "import", str(broken), str(work / BRIEF)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert (work / BRIEF).read_text() == before


def test_the_brief_is_found_from_the_file_when_not_named(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = reviewed(work)
    assert main(["review", "import", str(path)]) == 1  # the refused quote change
    assert f"for {work / BRIEF}" in capsys.readouterr().out
    assert len(load_brief(work / BRIEF).review) == 4


def test_by_text_places_the_comments_of_a_file_briefkit_did_not_export(work: Path) -> None:
    memo = docx.Document()  # someone pasted the brief's text into a Word file of their own
    memo.add_paragraph("Past talks were used to divide the opposition. We recommend phased relief, "
                       "negotiated alongside regional partners.")
    memo.add_paragraph("Keep maximum pressure, with a sanctions snapback")
    memo.save(str(work / "memo.docx"))
    review = WordReview(work / "memo.docx")
    review.comment("negotiated alongside regional partners", "Too strong?", author="Dana Director", date=WHEN)
    review.comment("with a sanctions snapback", "Still argued?", author="Dana Director", date=WHEN)
    review.insert("We recommend", " firmly", author="Colin Colleague", date=WHEN)
    path = review.save(work / "memo-reviewed.docx")
    result = import_review(path, work / BRIEF, by_text=True)
    placed = {item.text: e.element for e in result.elements for item, _ in e.comments}
    assert placed == {"Too strong?": "sections.summary", "Still argued?": "positions.pressure.title"}
    assert [c.text for c in result.outside] == [" firmly"] and result.changes == []
    assert "comments placed by the text they cover" in "\n".join(result.lines())
    assert len(load_brief(work / BRIEF).review) == 2


def test_by_text_refuses_a_comment_whose_text_is_in_several_elements(work: Path) -> None:
    memo = docx.Document()
    memo.add_paragraph("Sanctions relief, negotiated.")
    memo.save(str(work / "memo.docx"))
    review = WordReview(work / "memo.docx")
    review.comment("relief", "Which relief?", author="Dana Director", date=WHEN)
    before = (work / BRIEF).read_text()
    with pytest.raises(ReviewError, match="could not place 1 comment.*“Which relief\\?” on “relief”"):
        import_review(review.save(work / "memo-reviewed.docx"), work / BRIEF, by_text=True)
    assert (work / BRIEF).read_text() == before


def test_a_comment_on_the_template_s_own_text_is_listed_not_stored(work: Path) -> None:
    review = WordReview(work / DOCX)
    review.comment("Bottom line up front", "Rename this heading?", author="Dana Director", date=WHEN)
    review.comment("has not produced a transition", "Too strong?", author="Dana Director", date=WHEN)
    result = import_review(review.save(work / "r.docx"), work / BRIEF)
    assert [c.text for c in result.outside_comments] == ["Rename this heading?"]
    assert "on no element of the brief: not stored" in "\n".join(result.lines())
    assert [item.text for item in load_brief(work / BRIEF).review] == ["Too strong?"]
    assert result.exit_status == 1


def test_a_brief_whose_title_and_date_changed_since_export_takes_its_review(tmp_path: Path) -> None:
    """A brief made by `briefkit new` is known by its id; the sample, made before briefs had
    ids, by its title and date, and once they changed by its quotes."""
    work = review_fixtures.export_sample(tmp_path)  # its own export: the brief is found from the file
    path = reviewed(work)
    brief = work / BRIEF
    retitled = brief.read_text().replace("title: 'Venezuela: Options for U.S. Policy'", "title: Venezuela, revised")
    brief.write_text(retitled.replace("date: '2026-11-23'", "date: '2026-12-05'"))
    assert main(["review", "import", str(path)]) == 1  # found beside the file (a quote change refused)
    assert len(load_brief(brief).review) == 4
    # a quote of the file that is no longer a citation of the brief: another brief after all
    text = brief.read_text()
    brief.write_text(text.replace("- id: fal-snapback", "- id: fal-snapback-renamed", 1))
    with pytest.raises(ReviewError, match="another brief"):
        import_review(path, brief)


def test_a_new_brief_is_known_by_its_id_whatever_its_title_and_date(tmp_path: Path) -> None:
    folder = review_fixtures.fresh_copy(review_fixtures.SEEDS, tmp_path)
    brief = folder / "memo.brief.yaml"
    assert main(["new", str(brief), "--title", "Memo", "--no-open"]) == 0
    assert main(["cite", str(brief), "--position", "pressure", "--create-position", "--source",
                 "smilde-max-pressure", "--quote", "maximum pressure"]) == 0
    assert main(["export", str(brief), "--to", "docx", "-o", str(folder / "memo.docx"), "--no-page-count"]) == 0
    review = WordReview(folder / "memo.docx")
    review.comment("maximum pressure", "Source?", author="Dana Director", date=WHEN)
    path = review.save(folder / "memo-reviewed.docx")
    text = brief.read_text()
    assert load_brief(brief).id and "id: " in text
    brief.write_text(text.replace("title: Memo", "title: Memo to the Secretary").replace(
        f"date: '{load_brief(brief).date}'", "date: '2027-01-04'"))
    result = import_review(path, brief)
    assert [item.text for e in result.elements for item, _ in e.comments] == ["Source?"]

"""Reading a reviewed DOCX: review markup added the way Word writes it (word_markup), the same file
after a LibreOffice round trip, pandoc's reading as the oracle, and bad files."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document as new_word_document
from docx_tools import (
    needs_pandoc,
    needs_soffice,
    normal,
    pandoc_plain,
    rewrite,
    through_libreoffice,
)
from review_fixtures import DOCX, WHEN, export_sample, fresh_copy
from word_markup import WordReview

from briefkit.errors import ReviewError
from briefkit.review import read_reviewed_docx

SUMMARY = "sections.summary"
SNAPBACK = "citations.fal-snapback.quote"
LATER = "2026-12-02T14:00:00Z"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_sample(tmp_path_factory.mktemp("read"))


@pytest.fixture
def docx(exported: Path, tmp_path: Path) -> Path:
    return fresh_copy(exported, tmp_path) / DOCX


def reviewed(docx: Path) -> WordReview:
    review = WordReview(docx)
    first = review.comment("has not produced a transition", "Too strong?", author="Director", date=WHEN,
                           initials="DR")
    review.reply(first, "Softened in the next draft.", author="A. Analyst", date=LATER)
    review.resolve(first)
    review.comment("launch new rounds of sanctions", "Source?", author="Colleague", date=WHEN)
    review.replace("negotiated alongside regional partners", "agreed with regional partners",
                   author="Colleague", date=WHEN)
    review.insert("Keep maximum pressure", " for now", author="Colleague", date=LATER)
    review.delete("and imposed sweeping sanctions", author="Colleague", date=WHEN)
    review.edit("Talks mediated by Norway", "Talks brokered by Norway")
    return review


def test_comments_come_with_their_threads_resolved_state_and_elements(docx: Path) -> None:
    out = reviewed(docx).save(docx.with_name("reviewed.docx"))
    found = read_reviewed_docx(out)
    first, reply, source = found.comments
    assert (first.author, first.initials, first.date, first.text) == ("Director", "DR", WHEN, "Too strong?")
    assert first.covered == "has not produced a transition" and first.elements == (SUMMARY,)
    assert first.done and first.parent is None
    assert reply.parent == first.id and reply.text == "Softened in the next draft."
    assert source.elements == (SNAPBACK,) and source.covered == "launch new rounds of sanctions"
    assert found.threads() == [(first, [reply]), (source, [])]


def test_tracked_changes_and_direct_edits_land_in_their_elements(docx: Path) -> None:
    out = reviewed(docx).save(docx.with_name("reviewed.docx"))
    found = read_reviewed_docx(out)
    kinds = [(c.kind, c.text, c.elements, c.author) for c in found.changes]
    assert kinds == [
        ("deletion", "negotiated alongside regional partners", (SUMMARY,), "Colleague"),
        ("insertion", "agreed with regional partners", (SUMMARY,), "Colleague"),
        ("deletion", "and imposed sweeping sanctions", ("sections.background",), "Colleague"),
        ("insertion", " for now", ("positions.pressure.title",), "Colleague"),
    ]
    summary = found.first_printing(SUMMARY)
    assert summary.accepted.endswith("phased relief, agreed with regional partners.")
    assert summary.rejected == summary.exported and summary.tracked and not summary.edited_directly
    title = found.first_printing("positions.pressure.title")
    assert title.accepted == "Keep maximum pressure for now, with a sanctions snapback"
    background = found.first_printing("sections.background")
    assert background.edited_directly and "Talks brokered by Norway" in background.rejected
    untouched = [e for e in found.elements if e.element not in (SUMMARY, "sections.background",
                                                                 "positions.pressure.title")]
    assert untouched and not any(e.changed for e in untouched)


@needs_pandoc
def test_accepted_and_rejected_texts_agree_with_pandoc(docx: Path) -> None:
    out = reviewed(docx).save(docx.with_name("reviewed.docx"))
    found = read_reviewed_docx(out)
    accepted, rejected = (normal(re.sub(r"\[\d+\]", "", pandoc_plain(out, mode))) for mode in ("accept", "reject"))
    changed = [e for e in found.elements if e.tracked]
    assert [e.element for e in changed] == [SUMMARY, "sections.background", "positions.pressure.title"]
    for element in changed:
        assert normal(element.accepted) in accepted
        assert normal(element.rejected) in rejected
        assert (normal(element.accepted) in rejected) == (element.accepted == element.rejected)
    spans = subprocess.run(["pandoc", "-f", "docx", "--track-changes=all", "-t", "native", str(out)],
                           capture_output=True, text=True, check=True).stdout
    assert spans.count('"comment-start"') == len(found.comments)
    assert spans.count('"insertion"') == sum(c.kind == "insertion" for c in found.changes)
    assert spans.count('"deletion"') == sum(c.kind == "deletion" for c in found.changes)


def test_a_move_pairs_its_two_halves(docx: Path) -> None:
    review = WordReview(docx)
    review.move("The sanctions remain in place, ", to_after="reopened direct contact.", author="Editor",
                date=WHEN)
    found = read_reviewed_docx(review.save(docx.with_name("moved.docx")))
    halves = [(c.kind, c.text, c.elements) for c in found.changes]
    assert halves == [("move-from", "The sanctions remain in place, ", ("sections.background",)),
                      ("move-to", "The sanctions remain in place, ", ("sections.background",))]
    assert found.changes[0].move == found.changes[1].move != ""
    background = found.first_printing("sections.background")
    assert "reopened direct contact.The sanctions remain in place, " in background.accepted
    assert background.rejected == background.exported


def test_a_new_paragraph_after_an_element_belongs_to_it(docx: Path) -> None:
    review = WordReview(docx)
    review.insert_paragraph("alongside regional partners.", "A second paragraph.", author="Editor",
                            date=WHEN)
    found = read_reviewed_docx(review.save(docx.with_name("para.docx")))
    assert [(c.kind, c.text, c.elements) for c in found.changes] == [
        ("paragraph-insertion", "", (SUMMARY,)), ("insertion", "A second paragraph.", (SUMMARY,))]
    summary = found.first_printing(SUMMARY)
    assert summary.accepted == summary.exported + "\nA second paragraph."
    assert summary.rejected == summary.exported
    assert found.first_printing("sections.background").changed is False


def test_a_deleted_anchor_is_reported_not_fatal(docx: Path) -> None:
    def drop(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        text = data.decode()
        start = text.index('w:name="q_fal_snapback"')
        number = text[text.rindex('w:id="', 0, start) + 6 : text.index('"', text.rindex('w:id="', 0, start) + 6)]
        return text.replace(f'<w:bookmarkEnd w:id="{number}"/>', "").replace(
            f'<w:bookmarkStart w:id="{number}" w:name="q_fal_snapback"/>', "").encode()

    found = read_reviewed_docx(rewrite(docx, docx.with_name("cut.docx"), change=drop))
    assert [e.element for e in found.unplaced] == [SNAPBACK]
    assert all(e.placed for e in found.elements if e.element != SNAPBACK)


@needs_soffice
@pytest.mark.long
def test_review_markup_survives_a_libreoffice_round_trip(docx: Path, tmp_path: Path) -> None:
    """LibreOffice 7.4 keeps comments (author, date, range, resolved), tracked changes and the
    elements they fall in; it drops the reply link (w15:paraIdParent), so a reply reads as a comment."""
    out = reviewed(docx).save(tmp_path / "reviewed.docx")
    before = read_reviewed_docx(out)
    after = read_reviewed_docx(through_libreoffice(out, tmp_path / "lo"))
    key = lambda c: (c.author, c.date[:16], c.text, c.covered, c.elements)
    assert sorted(map(key, after.comments)) == sorted(map(key, before.comments))
    assert [c.done for c in after.comments if c.text == "Too strong?"] == [True]
    change = lambda c: (c.kind, c.text, c.elements, c.author)
    assert sorted(map(change, after.changes)) == sorted(map(change, before.changes))
    assert {e.name: (e.accepted, e.rejected) for e in after.elements} == {
        e.name: (e.accepted, e.rejected) for e in before.elements}


# Bad input ---------------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefkit", *args], capture_output=True, text=True, timeout=120,
                          check=False)


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("plain text, not a package"), "is not a DOCX file (not a ZIP archive)"),
    (lambda p: p.write_bytes(p.with_name(DOCX).read_bytes()[:3000]), "is not a DOCX file"),
    (lambda p: rewrite(p.with_name(DOCX), p, keep=lambda n: "document.xml" not in n),
     "is not a Word document"),
    (lambda p: rewrite(p.with_name(DOCX), p, change=lambda n, d: d[:-40] if n == "word/document.xml" else d),
     "is not well-formed XML"),
    (lambda p: rewrite(p.with_name(DOCX), p, keep=lambda n: not n.startswith("customXml/")),
     "is not a Word file exported by briefkit"),
    (lambda p: new_word_document().save(str(p)), "is not a Word file exported by briefkit"),
])
def test_bad_files_are_one_message_and_status_2(docx: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    bad = docx.with_name("bad.docx")
    make(bad)
    with pytest.raises(ReviewError, match=re.escape(message)):
        read_reviewed_docx(bad)
    done = _cli("verify", str(bad))  # a file without its record cannot say where its library is
    assert done.returncode == 2
    assert done.stdout == "" and len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("briefkit: error: ") and "Traceback" not in done.stderr


def test_a_file_without_its_record_still_lists_its_comments(docx: Path) -> None:
    out = reviewed(docx).save(docx.with_name("reviewed.docx"))
    stripped = rewrite(out, docx.with_name("stripped.docx"), keep=lambda n: not n.startswith("customXml/"))
    with pytest.raises(ReviewError, match="its 3 comment"):
        read_reviewed_docx(stripped)
    found = read_reviewed_docx(stripped, require_record=False)
    assert found.record is None and found.elements == []
    assert [c.covered for c in found.comments][:1] == ["has not produced a transition"]
    assert all(c.elements == () for c in found.comments)
    with zipfile.ZipFile(stripped) as archive:
        assert not any(n.startswith("customXml/") for n in archive.namelist())

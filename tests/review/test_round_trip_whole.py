"""The issue's "done when", end to end through the CLI: an exported brief, commented and edited the
way Word marks it and passed once through LibreOffice, imports with every comment placed on its
element, the prose change applicable, the change inside a quote refused; `briefkit verify` catches
the altered quote in the final document and passes a clean export."""

from __future__ import annotations

from pathlib import Path

import pytest
import review_fixtures
from docx_tools import needs_soffice, through_libreoffice
from review_fixtures import BRIEF, DOCX, WHEN
from word_markup import WordReview

from briefkit.brief.store import load_brief
from briefkit.cli import main

exported, work = review_fixtures.exported, review_fixtures.work  # the fixtures these tests use


@needs_soffice
@pytest.mark.long
def test_review_in_word_then_libreoffice_then_import_apply_and_verify(
        work: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = WordReview(work / DOCX)
    review.comment("has not produced a transition", "Too strong?", author="Director", date=WHEN)
    review.comment("launch new rounds of sanctions", "Source?", author="Colleague", date=WHEN)
    review.replace("negotiated alongside regional partners", "agreed with regional partners",
                   author="Colleague", date=WHEN)
    review.replace("launch new rounds", "launch fresh rounds", author="Colleague", date=WHEN)
    saved = through_libreoffice(review.save(tmp_path / "reviewed.docx"), tmp_path / "lo")
    capsys.readouterr()

    assert main(["review", "import", str(saved), str(work / BRIEF), "--apply"]) == 1  # a quote change refused
    report = capsys.readouterr().out
    assert "REFUSED: the reviewer (Colleague" in report and "quoted text of fal-snapback" in report
    brief = load_brief(work / BRIEF)
    comments = {(r.author, r.element, r.quoted) for r in brief.review if r.kind == "comment"}
    assert comments == {("Director", "sections.summary", "has not produced a transition"),
                        ("Colleague", "citations.fal-snapback.quote", "launch fresh rounds of sanctions")}
    assert brief.sections["summary"].rstrip().endswith("phased relief, agreed with regional partners.")
    assert "launch new rounds" in brief.find_citation("fal-snapback")[1].anchor.quote  # type: ignore[index]

    assert main(["verify", str(saved)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("altered  fal-snapback (fal-redlines): by tracked changes\n")
    assert "launch [-new-]{+fresh+} rounds" in out

    assert main(["export", str(work / BRIEF), "--to", "docx", "-o", str(tmp_path / "next.docx")]) == 0
    assert main(["verify", str(tmp_path / "next.docx")]) == 0

"""`briefkit verify FILE.docx`: every quote checked against the library after editing in Word,
without the brief; through the CLI, so exit status and output are what a user sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx_tools import needs_soffice, rewrite, through_libreoffice
from review_fixtures import BRIEF, DOCX, WHEN, export_sample, fresh_copy
from word_markup import WordReview

from briefkit.brief.store import load_brief
from briefkit.cli import main

SNAPBACK = "Washington should prepare and be ready to launch new rounds of sanctions"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_sample(tmp_path_factory.mktemp("verify"), "--copy", "reviewer")


@pytest.fixture
def work(exported: Path, tmp_path: Path) -> Path:
    return fresh_copy(exported, tmp_path)


def verify(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    status = main(["verify", str(path), "--json", *extra])
    return status, json.loads(capsys.readouterr().out)


def by_status(report: dict) -> dict[str, list[str]]:  # type: ignore[type-arg]
    out: dict[str, list[str]] = {}
    for quote in report["quotes"]:
        out.setdefault(quote["status"], []).append(quote["citation"])
    return out


def test_an_untouched_export_is_all_intact(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, report = verify(capsys, work / DOCX)
    quotes = len(load_brief(work / BRIEF).citations())
    assert status == 0 and by_status(report) == {"intact": [q["citation"] for q in report["quotes"]]}
    assert len(report["quotes"]) == quotes and all(q["printings"] == 2 for q in report["quotes"])
    assert main(["verify", str(work / DOCX)]) == 0  # the library the record names: where it was exported
    assert capsys.readouterr().out == (f"{work / DOCX}: {quotes} quotes: {quotes} intact, 0 altered, 0 missing, "
                                       f"0 unverifiable against {report['library']}\n")


def test_a_quote_edited_without_track_changes_is_altered_with_the_words(work: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    review = WordReview(work / DOCX)
    review.edit("launch new rounds", "launch fresh rounds")
    status, report = verify(capsys, review.save(work / "edited.docx"))
    assert status == 1 and by_status(report)["altered"] == ["fal-snapback"]
    altered = next(q for q in report["quotes"] if q["status"] == "altered")
    assert altered["how"] == "directly (track changes off)"
    assert "launch [-new-]{+fresh+} rounds" in altered["diff"]
    main(["verify", str(work / "edited.docx")])
    out = capsys.readouterr().out
    assert out.startswith("altered  fal-snapback (fal-redlines): directly (track changes off)\n")
    assert "1 altered" in out


def test_a_tracked_change_inside_a_quote_is_caught_accepted_or_not(work: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    review = WordReview(work / DOCX)
    review.delete("and be ready ", author="Editor", date=WHEN)
    status, report = verify(capsys, review.save(work / "tracked.docx"))
    altered = next(q for q in report["quotes"] if q["status"] == "altered")
    assert status == 1 and altered["citation"] == "fal-snapback" and altered["how"] == "by tracked changes"
    assert "prepare[- and be ready-] to launch" in altered["diff"]


def test_an_edit_of_the_second_printing_is_caught_too(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = WordReview(work / DOCX)
    review.edit(SNAPBACK, SNAPBACK.replace("should", "must"), occurrence=1)  # the register's copy
    status, report = verify(capsys, review.save(work / "register.docx"))
    altered = next(q for q in report["quotes"] if q["status"] == "altered")
    assert status == 1 and altered["how"] == "directly (track changes off) (printing 2)"


def test_a_quote_whose_text_and_anchor_were_deleted_is_missing(work: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    def cut(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        text = data.decode()
        for number in _bookmark_ids(text, ("q_fal_snapback", "q_fal_snapback_2")):
            start = text.index(f'<w:bookmarkStart w:id="{number}"')
            end = text.index(f'<w:bookmarkEnd w:id="{number}"/>') + len(f'<w:bookmarkEnd w:id="{number}"/>')
            text = text[:start] + text[end:]
        return text.encode()

    status, report = verify(capsys, rewrite(work / DOCX, work / "cut.docx", change=cut))
    assert status == 1 and by_status(report)["missing"] == ["fal-snapback"]


def _bookmark_ids(text: str, names: tuple[str, ...]) -> list[str]:
    ids = []
    for name in names:
        at = text.index(f'w:name="{name}"')
        start = text.rindex('w:id="', 0, at) + len('w:id="')
        ids.append(text[start : text.index('"', start)])
    return ids


def test_a_source_changed_in_the_library_makes_its_quotes_unverifiable(work: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    text = work / "fal-2021-negotiations-redlines.md"
    text.write_text(text.read_text(encoding="utf-8").replace("launch new rounds", "launch rounds"), encoding="utf-8")
    status, report = verify(capsys, work / DOCX, "--library", str(work))
    assert status == 1 and by_status(report)["unverifiable"] == ["fal-snapback"]
    assert "changed since the export" in report["quotes"][[q["citation"] for q in report["quotes"]].index(
        "fal-snapback")]["reason"]


def test_without_its_record_quotes_are_checked_by_their_text(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = WordReview(work / DOCX)
    review.edit("launch new rounds", "launch fresh rounds")
    edited = review.save(work / "edited.docx")
    stripped = rewrite(edited, work / "stripped.docx", keep=lambda name: not name.startswith("customXml/"))
    status, report = verify(capsys, stripped, "--library", str(work))
    assert status == 1 and not report["recorded"]
    assert by_status(report)["altered"] == ["q_fal_snapback"]  # its register copy is untouched
    assert len(by_status(report)["intact"]) == 2 * len(load_brief(work / BRIEF).citations()) - 1
    assert main(["verify", str(stripped)]) == 2
    assert "name one with --library" in capsys.readouterr().err


@needs_soffice
@pytest.mark.long
def test_verify_after_libreoffice(work: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Saved again by LibreOffice, an edited quote is still altered and the others intact."""
    review = WordReview(work / DOCX)
    review.edit("launch new rounds", "launch fresh rounds")
    review.comment("to penalize the regime", "Check this.", author="Director", date=WHEN)
    saved = through_libreoffice(review.save(work / "edited.docx"), tmp_path / "lo")
    status, report = verify(capsys, saved)
    assert status == 1 and by_status(report)["altered"] == ["fal-snapback"]
    assert len(by_status(report)["intact"]) == len(report["quotes"]) - 1

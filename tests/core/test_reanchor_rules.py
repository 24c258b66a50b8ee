"""The re-anchoring rule: a quote moves by itself only where its context agrees; anything less
certain needs review, keeps its stored anchor, and is accepted only explicitly."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefkit.brief.anchoring import MIN_AGREEMENT, anchor_quote, anchor_range, verify
from briefkit.brief.check import accept_reanchoring, check_brief
from briefkit.brief.model import Anchor, Citation, Position
from briefkit.brief.store import load_brief, new_brief, save_brief
from briefkit.cli import main
from briefkit.errors import BriefkitError
from briefkit.library.library import Library
from briefkit.render.parse import prose_citations
from briefkit.workflows.source_updates import add_sources

QUOTE = "Sanctions hurt ordinary Venezuelans more than officials."
V1 = ("The ministry published its figures on Monday.\n\n"
      f"{QUOTE} Talks stalled in October.\n\n"
      "Oil revenue fell by half after the sanctions of 2019.\n")
# The cited sentence rewritten, and the old wording repeated in an editor's note.
V2 = (V1.replace(QUOTE, "Sanctions hurt officials too.")
      + f"\nEditor's note: an earlier version of this report said: {QUOTE}\n")


def test_a_quote_moves_by_itself_when_its_context_still_agrees() -> None:
    anchor = anchor_quote(V1, QUOTE)
    changed = "A new first paragraph.\n\n" + V1
    result = verify(anchor, changed)
    assert result.status == "moved"
    assert result.anchor.start == anchor.start + len("A new first paragraph.\n\n")


def test_an_identical_sentence_elsewhere_is_offered_for_review_not_taken() -> None:
    anchor = anchor_quote(V1, QUOTE)
    result = verify(anchor, V2)
    assert result.status == "needs-review"
    assert not result.ok
    assert result.anchor == anchor  # the stored anchor, context and offsets, is kept
    assert result.candidate is not None
    assert V2[result.candidate.start : result.candidate.end] == QUOTE
    assert result.candidate.prefix.endswith("report said: ")


def test_agreement_needs_the_nearest_sixteen_characters_on_one_side() -> None:
    text = "x" * 40 + " abcdefghijklmnop" + QUOTE + "qrstuvwxyzABCDEFG " + "y" * 40
    anchor = anchor_range(text, text.index(QUOTE), text.index(QUOTE) + len(QUOTE))
    near = anchor.prefix[-MIN_AGREEMENT:]
    # The nearest 16 prefix characters kept, everything else around the quote changed: moved.
    kept = "Z" * 30 + near + QUOTE + "!" * 30
    assert verify(anchor, kept).status == "moved"
    # Only 15 kept: needs review.
    short = "Z" * 30 + "#" + near[1:] + QUOTE + "!" * 30
    assert verify(anchor, short).status == "needs-review"


def test_a_quote_at_the_start_of_the_text_agrees_when_it_is_still_at_the_start() -> None:
    anchor = anchor_range(V1, 0, len("The ministry published its figures"))
    changed = "The ministry published its figures late, on Tuesday." + V1[len("The ministry published its figures on Monday."):]
    result = verify(anchor, "X" + changed)
    assert result.status == "needs-review"
    assert verify(anchor, changed + "\n").status in ("ok", "moved")


def test_a_second_copy_makes_even_an_agreeing_move_a_question() -> None:
    anchor = anchor_quote(V1, QUOTE)
    changed = "Intro.\n\n" + V1 + f"\n(Quoted: {QUOTE})\n"
    result = verify(anchor, changed)
    assert result.status == "needs-review"
    assert result.candidate is not None and result.candidate.start == anchor.start + len("Intro.\n\n")
    assert "occurs 2 times" in result.reason


def test_two_copies_that_agree_equally_are_orphaned() -> None:
    anchor = anchor_quote(V1, QUOTE)
    result = verify(anchor, f"A: {QUOTE} B: {QUOTE} C.")
    assert result.status == "orphaned"
    assert result.anchor == anchor


def test_a_quote_at_its_offsets_stays_though_its_paragraph_was_duplicated_after_it() -> None:
    anchor = anchor_quote(V1, QUOTE)
    para = V1.split("\n\n")[1]
    assert verify(anchor, V1.replace(para, para + "\n\n" + para)).status == "ok"


def _library_with_brief(tmp_path: Path) -> tuple[Path, Path]:
    library = tmp_path / "lib"
    library.mkdir()
    (tmp_path / "v1").mkdir()
    (tmp_path / "v1" / "report.txt").write_text(V1, encoding="utf-8")
    add_sources(library, [tmp_path / "v1" / "report.txt"])
    brief_path = library / "b.brief.yaml"
    brief = new_brief(brief_path, title="T", library=".")
    text = Library.open(library).source("report").text
    brief.positions.append(Position(id="p", title="P", citations=[
        Citation(id="hurt", source="report", anchor=anchor_quote(text, QUOTE), stance="supports"),
        Citation(id="oil", source="report", anchor=anchor_quote(text, "Oil revenue fell by half"),
                 stance="opposes"),
    ]))
    save_brief(brief)
    return library, brief_path


def _replace(tmp_path: Path, library: Path, text: str) -> tuple[int, str]:
    (tmp_path / "v2").mkdir(exist_ok=True)
    (tmp_path / "v2" / "report.txt").write_text(text, encoding="utf-8")
    report = add_sources(library, [tmp_path / "v2" / "report.txt"])
    return (0 if report.ok else 1), "\n".join(str(r) for r in report.reanchored)


def test_sources_add_reports_needs_review_with_both_contexts_and_leaves_the_brief(tmp_path: Path) -> None:
    library, brief_path = _library_with_brief(tmp_path)
    before = load_brief(brief_path).find_citation("hurt")
    status, out = _replace(tmp_path, library, V2)
    assert status == 1
    assert "citation hurt (report) needs-review" in out
    assert "recorded:  …its figures on Monday.⏎⏎[Sanctions hurt" in out
    assert "found now: …on of this report said: [Sanctions hurt" in out
    after = load_brief(brief_path).find_citation("hurt")
    assert before is not None and after is not None and after[1].anchor == before[1].anchor


def test_check_shows_both_contexts_and_fix_saves_nothing_under_review(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library, brief_path = _library_with_brief(tmp_path)
    _replace(tmp_path, library, V2)
    before = brief_path.read_bytes()
    assert main(["check", str(brief_path), "--fix"]) == 1
    out = capsys.readouterr().out
    assert "citation 'hurt' needs review" in out
    assert "    recorded:  …" in out and "    found now: …" in out
    assert brief_path.read_bytes() == before


def test_export_refuses_a_quote_under_review_unless_allowed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library, brief_path = _library_with_brief(tmp_path)
    _replace(tmp_path, library, V2)
    out = tmp_path / "out.md"
    assert main(["export", str(brief_path), "--to", "md", "-o", str(out)]) == 2
    assert "'hurt'" in capsys.readouterr().err and not out.exists()
    assert main(["export", str(brief_path), "--to", "md", "-o", str(out), "--allow-unverified"]) == 0
    assert out.exists()


def test_check_accept_re_anchors_to_the_candidate_and_saves(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library, brief_path = _library_with_brief(tmp_path)
    _replace(tmp_path, library, V2)
    assert main(["check", str(brief_path), "--accept", "hurt"]) in (0, 1)
    assert "accepted the new place of hurt" in capsys.readouterr().out
    cite = load_brief(brief_path).find_citation("hurt")
    assert cite is not None
    anchor = cite[1].anchor
    text = Library.open(library).source("report").text
    assert text[anchor.start : anchor.end] == QUOTE and anchor.prefix.endswith("report said: ")
    assert verify(anchor, text).status == "ok"


def test_accepting_a_citation_with_nothing_to_accept_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library, brief_path = _library_with_brief(tmp_path)
    before = brief_path.read_bytes()
    assert main(["check", str(brief_path), "--accept", "oil"]) == 2
    assert "citation 'oil' has nothing to accept: it is ok" in capsys.readouterr().err
    assert main(["check", str(brief_path), "--accept", "nope"]) == 2
    assert brief_path.read_bytes() == before
    brief = load_brief(brief_path)
    with pytest.raises(BriefkitError, match="unknown citation"):
        accept_reanchoring(brief, check_brief(brief, Library.open(library), prose_citations), ["nope"])


def test_re_running_an_interrupted_sources_add_finishes_the_re_anchoring(tmp_path: Path) -> None:
    library, brief_path = _library_with_brief(tmp_path)
    stale = brief_path.read_bytes()
    v2 = "A new first paragraph.\n\n" + V1
    _replace(tmp_path, library, v2)
    assert brief_path.read_bytes() != stale
    brief_path.write_bytes(stale)  # as if killed after sources.yaml, before the brief was saved
    report = add_sources(library, [tmp_path / "v2" / "report.txt"])
    assert [a.action for a in report.added.files] == ["unchanged"]
    assert {r.citation for r in report.reanchored if r.status == "moved"} == {"hurt", "oil"}
    text = Library.open(library).source("report").text
    for _, cite in load_brief(brief_path).citations():
        assert text[cite.anchor.start : cite.anchor.end] == cite.anchor.quote


def test_a_quote_saved_with_the_old_added_line_break_is_repaired_by_check_fix(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    (tmp_path / "two.txt").write_text("First line here.\n\nSecond para here.", encoding="utf-8")
    add_sources(library, [tmp_path / "two.txt"])
    brief_path = library / "b.brief.yaml"
    # As earlier briefkit saved a quote spanning a paragraph break: a `|` block, read back with
    # a line break added at its end.
    brief_path.write_text(
        "briefkit: 1\ntitle: T\nlibrary: .\npositions:\n  - id: p\n    title: P\n    citations:\n"
        "      - id: c\n        source: two\n        quote: |\n          First line here.\n\n"
        "          Second para here.\n        start: 0\n        end: 35\n", encoding="utf-8")
    assert load_brief(brief_path).positions[0].citations[0].anchor.quote.endswith("here.\n")

    assert main(["check", str(brief_path)]) == 0
    assert "line break added at its end" in capsys.readouterr().out
    assert main(["check", str(brief_path), "--fix"]) == 0
    capsys.readouterr()
    anchor = load_brief(brief_path).positions[0].citations[0].anchor
    assert anchor.quote == "First line here.\n\nSecond para here."
    assert verify(anchor, "First line here.\n\nSecond para here.").status == "ok"


def test_a_quote_that_really_ends_in_a_line_break_is_not_mistaken_for_the_old_one() -> None:
    text = "One.\nTwo.\nThree."
    anchor = anchor_range(text, 0, 10)  # "One.\nTwo.\n": the range holds the break
    assert verify(anchor, text).status == "ok"


def test_a_context_saved_with_the_old_added_line_break_is_repaired_with_its_quote_in_place() -> None:
    text = "Intro.\n\nLead-in line one.\n\n" + QUOTE + "\n\nAfter.\n\nMore after that here."
    anchor = anchor_quote(text, QUOTE)
    old = Anchor(anchor.quote, anchor.prefix + "\n", anchor.suffix + "\n", anchor.start, anchor.end)
    result = verify(old, text)
    assert result.status == "moved" and "line break added" in result.reason
    assert result.anchor == anchor


def test_a_context_that_really_ends_in_two_line_breaks_is_not_taken_for_the_old_one() -> None:
    text = "\n\n\x00"  # found by the round-trip property test
    assert verify(anchor_range(text, 2, 3), text).status == "ok"

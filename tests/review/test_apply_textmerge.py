"""Carrying a reviewer's edit of the exported text over to the brief's Markdown, and onto newer work."""

from __future__ import annotations

from briefkit.brief.textmerge import Alignment, apply_hunks, hunks, word_diff

EXPORTED = "Maximum pressure has not produced a transition: its critics find the government stronger."
SOURCE = "**Maximum** pressure has not produced a transition: its critics find the government stronger [@smilde-1]."
REVIEWED = (
    "Maximum pressure has failed to produce a transition: most critics find the government "
    "stronger than ever."
)


def carried(exported: str, reviewed: str, source: str, *, strict: bool = False) -> str | None:
    alignment = Alignment(exported, source)
    placed = []
    for hunk in hunks(exported, reviewed):
        span = alignment.span(hunk.start, hunk.end, strict=strict)
        if span is None:
            return None
        placed.append((*span, hunk.new))
    return apply_hunks(source, placed)


def test_a_word_diff_marks_removed_and_added_words() -> None:
    assert word_diff("the cat sat", "the dog sat down") == "the [-cat-]{+dog+} sat{+ down+}"
    assert word_diff("same", "same") == "same"


def test_hunks_are_whole_words_at_their_offsets() -> None:
    found = hunks(EXPORTED, REVIEWED)
    assert [(h.old, h.new) for h in found] == [
        ("not", "failed"), ("produced", "to produce"), ("its", "most"), ("", " than ever")]
    assert all(EXPORTED[h.start:h.end] == h.old for h in found)


def test_an_edit_of_the_rendered_text_lands_in_the_markdown_keeping_markup_and_citations() -> None:
    assert carried(EXPORTED, REVIEWED, SOURCE) == (
        "**Maximum** pressure has failed to produce a transition: most critics find the government "
        "stronger than ever [@smilde-1]."
    )


def test_typography_between_the_ends_does_not_stop_an_edit() -> None:
    exported = "An “interim government” was recognised."
    source = 'An "interim government" was recognised.'
    assert carried(exported, "An “interim government” was formally recognised.", source) == (
        'An "interim government" was formally recognised.')


def test_strict_mapping_refuses_a_range_changed_since_the_export() -> None:
    base = "Keep pressure with a credible snapback."
    newer = "Keep pressure with a swift and credible snapback."
    assert carried(base, "Keep pressure with a credible sanctions snapback.", newer, strict=True) == (
        "Keep pressure with a swift and credible sanctions snapback.")
    assert carried(base, "Keep pressure with an automatic snapback.", newer, strict=True) is None


def test_an_edit_of_an_unchanged_stretch_lands_beside_newer_work() -> None:
    base = "First sentence. Second sentence."
    newer = "First sentence, rewritten. Second sentence."
    assert carried(base, "First sentence. Second, shorter sentence.", newer, strict=True) == (
        "First sentence, rewritten. Second, shorter sentence.")

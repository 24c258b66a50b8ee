"""Creating, verifying and re-anchoring quotes."""

from __future__ import annotations

import pytest

from briefkit.brief.anchoring import AnchorError, anchor_quote, anchor_range, find_quote, verify

TEXT = (
    "Maduro is stronger than he’s ever been. The “maximum pressure” strategy failed.\n\n"
    "Sanctions hurt the people. The strategy failed. Talks are the way out."
)


def test_anchor_from_range_keeps_exact_text_and_context() -> None:
    start = TEXT.index("The “maximum")
    anchor = anchor_range(TEXT, start, start + 10)
    assert anchor.quote == "The “maxim"
    assert TEXT[anchor.start - len(anchor.prefix) : anchor.start] == anchor.prefix
    assert anchor.suffix == TEXT[anchor.end : anchor.end + len(anchor.suffix)]


def test_quote_text_matches_despite_straight_quotes_and_spacing() -> None:
    anchor = anchor_quote(TEXT, 'The "maximum   pressure"\nstrategy')
    assert anchor.quote == "The “maximum pressure” strategy"
    assert TEXT[anchor.start : anchor.end] == anchor.quote


def test_apostrophe_style_is_ignored_when_finding_a_quote() -> None:
    assert anchor_quote(TEXT, "he's ever been").quote == "he’s ever been"


def test_ambiguous_quote_is_refused_with_advice() -> None:
    with pytest.raises(AnchorError, match="occurs 2 times"):
        anchor_quote(TEXT, "strategy failed")


def test_missing_quote_is_refused() -> None:
    with pytest.raises(AnchorError, match="not found"):
        anchor_quote(TEXT, "regime change is imminent")


def test_no_fuzzy_matching_of_different_words() -> None:
    assert find_quote(TEXT, "Sanction hurt the people") == []


def test_range_outside_text_is_refused() -> None:
    with pytest.raises(AnchorError, match="outside"):
        anchor_range(TEXT, 5, len(TEXT) + 1)


def test_unchanged_source_verifies() -> None:
    anchor = anchor_quote(TEXT, "Talks are the way out.")
    assert verify(anchor, TEXT).status == "ok"


def test_unique_quote_is_reanchored_when_text_is_inserted_before_it() -> None:
    anchor = anchor_quote(TEXT, "Talks are the way out.")
    changed = "A new opening paragraph.\n\n" + TEXT
    result = verify(anchor, changed)
    assert result.status == "moved"
    assert changed[result.anchor.start : result.anchor.end] == anchor.quote
    assert result.anchor.start == anchor.start + len("A new opening paragraph.\n\n")


def test_repeated_quote_is_reanchored_by_its_context() -> None:
    anchor = anchor_quote(TEXT, "people. The strategy failed.")
    anchor = anchor_range(TEXT, anchor.start + len("people. "), anchor.end)
    assert anchor.quote == "The strategy failed."
    changed = "Intro.\n\n" + TEXT
    result = verify(anchor, changed)
    assert result.status == "moved"
    assert result.anchor.start == anchor.start + len("Intro.\n\n")


def test_repeated_quote_with_changed_context_is_orphaned_not_guessed() -> None:
    text = "It failed. X. It failed. Y."
    anchor = anchor_range(text, 0, len("It failed."))
    changed = "Now: It failed. Z. It failed. W."
    result = verify(anchor, changed)
    assert result.status == "orphaned"
    assert "2 times" in result.reason
    assert result.anchor == anchor


def test_deleted_quote_is_orphaned() -> None:
    anchor = anchor_quote(TEXT, "Talks are the way out.")
    result = verify(anchor, TEXT.replace("Talks are the way out.", "Talks failed too."))
    assert result.status == "orphaned"
    assert "no longer occurs" in result.reason


def test_quote_with_only_spacing_changed_is_orphaned_with_a_hint() -> None:
    anchor = anchor_quote(TEXT, "Sanctions hurt the people.")
    result = verify(anchor, TEXT.replace("Sanctions hurt the people.", "Sanctions  hurt the people."))
    assert result.status == "orphaned"
    assert "differing only in spacing" in result.reason

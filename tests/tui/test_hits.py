"""Where a search hit puts the reader's cursor, and what is searched while the analyst types."""

from __future__ import annotations

from briefkit.library.index import Hit
from briefkit.tui.widgets.hits import match_offset
from briefkit.tui.widgets.sources import live_query

TEXT = "Intro. They said snapback once. Then a “snapback” strategy, and snapback again."


def _hit(snippet: str, start: int = 0) -> Hit:
    return Hit("p", "s", 1, start, len(TEXT), snippet, 1.0)


def test_match_offset_tells_repeated_words_apart_by_the_words_before_them() -> None:
    offset = match_offset(_hit("…strategy, and [[snapback]] again."), TEXT)
    assert TEXT[offset:].startswith("snapback again")


def test_match_offset_finds_a_word_glued_to_a_quotation_mark() -> None:
    offset = match_offset(_hit("…Then a “[[snapback]]” strategy, and…"), TEXT)
    assert TEXT[offset - 1 : offset + 8] == "“snapback"


def test_match_offset_stays_inside_the_passage() -> None:
    start = TEXT.index("Then")
    offset = match_offset(_hit("[[snapback]] once…", start), TEXT)
    assert offset == TEXT.index("snapback”")


def test_match_offset_falls_back_to_the_passage_start_when_the_snippet_has_no_match() -> None:
    assert match_offset(_hit("no markers here", 7), TEXT) == 7
    assert match_offset(_hit("[[absent]] word", 7), TEXT) == 7


def test_live_query_lets_the_last_word_being_typed_match_longer_words() -> None:
    assert live_query("diesel lic") == "diesel lic*"
    assert live_query("sanctions ") == "sanctions"  # a space ends the word
    assert live_query("oi") == "oi"  # too short to expand cheaply
    assert live_query('"snapback strategy"') == '"snapback strategy"'

"""Paragraphs and sentences with offsets, and the abbreviations a sentence must not break at."""

from __future__ import annotations

import pytest

from briefkit.library.segment import segment, split_sentences


def sentences(text: str) -> list[str]:
    (paragraph,) = segment(text)
    return [text[s.start : s.end] for s in split_sentences(text, paragraph.start, paragraph.end)]


def test_paragraphs_are_numbered_from_one_with_offsets_into_the_text() -> None:
    text = "First paragraph.\n\nSecond one. Two sentences.\n\nThird."
    paragraphs = segment(text)
    assert [p.number for p in paragraphs] == [1, 2, 3]
    assert [text[p.start : p.end] for p in paragraphs] == [
        "First paragraph.", "Second one. Two sentences.", "Third."]


def test_single_newlines_and_surrounding_spaces_do_not_count_as_paragraph_text() -> None:
    text = "  One.  \nTwo.\n \n\tThree. Four.\t"
    paragraphs = segment(text)
    assert [text[p.start : p.end] for p in paragraphs] == ["One.", "Two.", "Three. Four."]
    three = paragraphs[2]
    spans = split_sentences(text, three.start, three.end)
    assert [text[s.start : s.end] for s in spans] == ["Three.", "Four."]


def test_sentence_spans_exclude_the_spaces_between_sentences() -> None:
    text = "It failed.   Then it worked."
    assert [(s.start, s.end) for s in split_sentences(text, 0, len(text))] == [(0, 10), (13, 28)]


@pytest.mark.parametrize("text", [
    "The U.S. government and the U.N. agreed on it.",
    "Mr. Maduro met Mrs. Flores and Dr. Rodríguez.",
    "The O.A.S. met again.",
    "Gen. Padrino, Sen. Menendez, Lt. Col. Chávez and St. Louis.",
    "They met at 5 p.m. on Tuesday and at 9 a.m. on Friday.",
    "Sectors, e.g. Oil and gold, i.e. Exports, were hit.",
    "Oil, gold, etc. and other sectors.",
    "It was decree No. 5 of the year.",
    "It was a D.I.Y. election.",
    "Over 5.6 million Venezuelans have fled.",
    "David E. Smith and George W. Bush spoke.",
    "He said “why?” and left.",
    "The talks... they failed.",
])
def test_sentence_splitter_keeps_abbreviations_and_numbers_together(text: str) -> None:
    assert sentences(text) == [text]


@pytest.mark.parametrize(("text", "expected"), [
    ("It is over. Next week, talks resume.", ["It is over.", "Next week, talks resume."]),
    ("“It is done.” Next came more.", ["“It is done.”", "Next came more."]),
    ("(He left.) Then they voted.", ["(He left.)", "Then they voted."]),
    ("Why now? Because oil! Fine.", ["Why now?", "Because oil!", "Fine."]),
    ("It grew in the U.S. The rest fell.", ["It grew in the U.S.", "The rest fell."]),
    ("The talks ended at 9 a.m. The vote followed.", ["The talks ended at 9 a.m.",
                                                      "The vote followed."]),
    ("Oil, gold, etc. Then came sanctions.", ["Oil, gold, etc.", "Then came sanctions."]),
    ("Prices rose in 2015. 2016 was worse.", ["Prices rose in 2015.", "2016 was worse."]),
    ("He waited... Then he left.", ["He waited...", "Then he left."]),
    ("Venezuela-U.S. Reboot is the title.", ["Venezuela-U.S. Reboot is the title."]),
])
def test_sentence_splitter_ends_sentences_where_a_reader_would(text: str,
                                                               expected: list[str]) -> None:
    assert sentences(text) == expected

"""Split a reading text into numbered paragraphs and sentences, as character offsets.

Paragraph numbers become the "para. N" locator of web sources, and sentence spans let the
reader pick a quote by sentence, so both must come out the same every time. Policy prose is
dense with abbreviations ("U.S.", "Mr.", "O.A.S.", "Gen.", "p.m.") that a naive splitter cuts
at; the rules below keep those together while still ending a sentence after closing quotes.
"""

from __future__ import annotations

import re

from briefkit.library.model import Paragraph, Span

__all__ = ["segment", "split_sentences"]

_MARKS = ".?!…"  # end a sentence
_CLOSERS = _MARKS + "\"'”’»)]"  # may follow an end mark before the space
_OPENERS = "\"'“‘«([¿¡"
_NOT_WORD = re.compile(r"[^\w.]")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # "U.S", "p.m", "O.A.S" (the last dot is the end)

# Before a capitalised name these never end a sentence.
_TITLES = frozenset([
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "lt", "col", "maj", "capt", "cmdr", "cdr",
    "sgt", "cpl", "pvt", "adm", "brig", "gov", "pres", "supt", "insp", "st", "mt", "ft", "rev",
    "fr", "hon", "amb", "sec", "messrs", "mme", "mlle"
])
# Never end a sentence, whatever follows.
_ALWAYS = frozenset(["e.g", "i.e", "cf", "viz", "vs", "v", "approx", "ca"])
# Do not end a sentence before a number ("No. 5", "Vol. 2", "Aug. 6").
_BEFORE_NUMBER = frozenset([
    "no", "nos", "vol", "vols", "p", "pp", "para", "paras", "art", "arts", "sec", "ch", "fig",
    "figs", "op", "ed", "eds", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec"
])
# Words that begin a new sentence after an abbreviation or an initial ("... in the U.S. The ...").
_STARTERS = frozenset([
    "The", "This", "That", "These", "Those", "There", "Their", "They", "It", "Its", "He", "His",
    "She", "Her", "We", "Our", "I", "In", "On", "At", "As", "By", "For", "From", "With", "Without",
    "But", "And", "Or", "Yet", "So", "If", "When", "While", "After", "Before", "Since", "Although",
    "Though", "However", "Meanwhile", "Moreover", "Nevertheless", "Still", "Now", "Then", "Thus",
    "A", "An", "Some", "Many", "Most", "Such", "What", "Why", "How", "Who", "Where", "To", "Both",
    "Neither", "Either", "Even", "Despite", "Instead", "Indeed", "Also", "Finally", "Today",
    "Yesterday", "Last", "Next", "Under", "Over", "During", "Until", "Unless", "Because", "Once",
    "Only", "Other", "Another", "Each", "Every", "All", "None", "Not"
])


def segment(text: str) -> list[Paragraph]:
    """Paragraphs: one per non-blank line, numbered from 1, without surrounding whitespace.

    Sentences are split apart only where they are shown (`split_sentences`, by the reader): the
    index, verification and export need paragraphs only, and splitting is the slowest step.
    """
    paragraphs: list[Paragraph] = []
    end = -1
    for line in text.split("\n"):
        start = end + 1
        end = start + len(line)
        body = line.strip()
        if not body:
            continue
        first, last = start, end
        if len(body) != len(line):
            first += len(line) - len(line.lstrip())
            last = first + len(body)
        paragraphs.append(Paragraph(len(paragraphs) + 1, first, last))
    return paragraphs


def split_sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans of text[start:end], which must not begin or end with whitespace."""
    spans: list[Span] = []
    begin = start
    for at, stop in _candidate_ends(text, start, end):
        nxt = stop + 1
        while nxt < end and text[nxt].isspace():
            nxt += 1
        follower = nxt
        while follower < end - 1 and text[follower] in _OPENERS:
            follower += 1
        if follower >= end or text[follower].islower():
            continue
        if stop - at == 1 and text[at] == "." and not _full_stop_ends(text, begin, at, follower, end):
            continue
        spans.append(Span(begin, stop))
        begin = nxt
    spans.append(Span(begin, end))
    return spans


def _candidate_ends(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each run of end marks and closing quotes that whitespace follows.

    `str.find` scans for one character many times faster than a regular expression scans for
    a character class, so each mark is looked for on its own and the results merged.
    """
    found: list[tuple[int, int]] = []
    kinds = 0
    for mark in _MARKS:
        at = text.find(mark, start, end)
        if at < 0:
            continue
        kinds += 1
        while at >= 0:
            stop = at + 1
            while stop < end and text[stop] in _CLOSERS:
                stop += 1
            if stop < end and text[stop].isspace() and (at == start or text[at - 1] not in _MARKS):
                found.append((at, stop))
            at = text.find(mark, stop, end)
    if kinds > 1:
        found.sort()
    return found


def _full_stop_ends(text: str, begin: int, at: int, follower: int, end: int) -> bool:
    """Whether a lone full stop at `at`, before the capital or digit at `follower`, ends a sentence."""
    word = text[max(text.rfind(" ", begin, at) + 1, begin) : at]
    if not word.isalnum():
        word = _NOT_WORD.split(word)[-1]  # "(U.S" -> "U.S", "Venezuela-U.S" -> "U.S"
    low = word.lower()
    if low in _ALWAYS:
        return False
    if text[follower].isdigit():
        return low not in _BEFORE_NUMBER and low not in _TITLES
    if low in _TITLES:
        return False
    if (len(word) == 1 and word.isupper()) or _DOTTED.fullmatch(word):
        # An initial ("David E. Smith") or a dotted abbreviation ("U.S.", "p.m.", "O.A.S.").
        space = text.find(" ", follower, end)
        return text[follower : space if space >= 0 else end].rstrip(",;:") in _STARTERS
    return True

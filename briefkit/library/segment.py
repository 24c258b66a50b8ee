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

_LINE = re.compile(r"[^\n]+")
# Sentence-ending punctuation, any closing quotes or brackets, and the whitespace after them.
_END = re.compile(r"[.?!…]+[\"'”’»)\]]*(?=\s)")
_OPENERS = "\"'“‘«([¿¡"
_NOT_WORD = re.compile(r"[^\w.]")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # "U.S", "p.m", "O.A.S" (the last dot is the end)

# Before a capitalised name these never end a sentence.
_TITLES = frozenset("""
    mr mrs ms dr prof gen sen rep lt col maj capt cmdr cdr sgt cpl pvt adm brig gov pres
    supt insp st mt ft rev fr hon amb sec messrs mme mlle sr jr
    """.split()) - {"sr", "jr"}
# Never end a sentence, whatever follows.
_ALWAYS = frozenset("e.g i.e cf viz vs v approx ca".split())
# Do not end a sentence before a number ("No. 5", "Vol. 2", "Aug. 6").
_BEFORE_NUMBER = frozenset("""
    no nos vol vols p pp para paras art arts sec ch fig figs op ed eds
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split())
# Words that begin a new sentence after an abbreviation or an initial ("... in the U.S. The ...").
_STARTERS = frozenset("""
    The This That These Those There Their They It Its He His She Her We Our I In On At As By For
    From With Without But And Or Yet So If When While After Before Since Although Though However
    Meanwhile Moreover Nevertheless Still Now Then Thus A An Some Many Most Such What Why How Who
    Where To Both Neither Either Even Despite Instead Indeed Also Finally Today Yesterday Last Next
    Under Over During Until Unless Because Once Only Other Another Each Every All None Not
    """.split())


def segment(text: str) -> list[Paragraph]:
    """Paragraphs (one per non-blank line, numbered from 1) with their sentence spans.

    Spans never include surrounding whitespace.
    """
    paragraphs: list[Paragraph] = []
    for match in _LINE.finditer(text):
        start, end = match.span()
        line = match.group()
        lead = len(line) - len(line.lstrip())
        if lead == len(line):
            continue
        start += lead
        end -= len(line) - len(line.rstrip())
        paragraphs.append(
            Paragraph(len(paragraphs) + 1, start, end, tuple(split_sentences(text, start, end))))
    return paragraphs


def split_sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans of text[start:end], which must not begin or end with whitespace."""
    spans: list[Span] = []
    begin = start
    for match in _END.finditer(text, start, end):
        stop = match.end()
        nxt = stop + 1
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end or not _ends_sentence(text, begin, match.start(), match.group(), nxt, end):
            continue
        spans.append(Span(begin, stop))
        begin = nxt
    spans.append(Span(begin, end))
    return spans


def _ends_sentence(text: str, begin: int, at: int, punct: str, nxt: int, end: int) -> bool:
    """Whether the punctuation `punct` at `at`, followed by text from `nxt`, ends a sentence."""
    follower = nxt
    while follower < end - 1 and text[follower] in _OPENERS:
        follower += 1
    first = text[follower]
    if first.islower():
        return False
    if punct[0] != "." or len(punct) > 1:
        return True  # "?", "!", "...", or a full stop inside closing quotes or brackets
    word = text[max(text.rfind(" ", begin, at) + 1, begin) : at]
    if not word.isalnum():
        word = _NOT_WORD.split(word)[-1]  # "(U.S" -> "U.S", "Venezuela-U.S" -> "U.S"
    low = word.lower()
    if low in _ALWAYS:
        return False
    if first.isdigit():
        return low not in _BEFORE_NUMBER and low not in _TITLES
    if low in _TITLES:
        return False
    if (len(word) == 1 and word.isupper()) or _DOTTED.fullmatch(word):
        # An initial ("David E. Smith") or a dotted abbreviation ("U.S.", "p.m.", "O.A.S.").
        space = text.find(" ", follower, end)
        next_word = text[follower : space if space >= 0 else end]
        return next_word.rstrip(",;:") in _STARTERS
    return True

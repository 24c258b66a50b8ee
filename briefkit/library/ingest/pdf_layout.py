"""From a PDF's lines to the author's paragraphs: furniture out, paragraphs rebuilt, notes last.

Running headers, footers and page numbers are found by repetition: the same line (numbers
aside) among the top or bottom lines of several pages at the same height, wherever that is on
the page; a line set apart at the top or bottom in the same slot (the even pages' head) goes
too, as do a browser's printed date and address lines; footnotes are never taken for them, though
the same note may end the notes of several pages. Paragraphs are rebuilt from line geometry: a
break where the baseline step grows, where a line is indented in its column, where the font
changes (a heading), or at each of a form's fields; a table's row (one line, from `pdf_tables`)
is a paragraph of its own; a bold run-in head stays with its text, and where space sets
paragraphs apart, the indented lines of a hanging indent stay with their entry.
A paragraph goes on across a column or page break when its last line does not end a sentence,
or when the text marks paragraphs by indents and the next column starts flush. Small lines below
all body text of their column are footnotes, one a raised note number: they become paragraphs
after the body paragraphs of their page. A paragraph belongs to the page it starts on, since a
quote from it cites that page.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from briefkit.library.ingest.pdf_lines import TextLine

__all__ = ["FIGURE_TEXT", "Removed", "body_size", "drop_running_lines", "page_paragraphs"]

FIGURE_TEXT = "[figure or formula text]"  # marks the labels of a figure collapsed into one paragraph
_FRAGMENT_RUN = 3

_EDGE_LINES = 3  # lines at the top and bottom of a page that may be running headers/footers
_PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[ivxlcdm]{1,7}"
                          r"|[-–]\s*\d{1,4}\s*[-–]", re.IGNORECASE)
# What a browser prints above and below a page: the date and time, the page's address and count.
_PRINTED_BY_BROWSER = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s?[AP]M)?\b"
                                 r"|^(?:https?|file)://\S+(?:\s+\d{1,4}\s*/\s*\d{1,4})?$",
                                 re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*$")
_WORD = re.compile(r"[^\W\d_]+")
_FIELD = re.compile(r"[^\W\d_][\w .’'-]{0,30}:\s")  # a field's label: "Prepared by: "
_BLANK = re.compile(r"_{3,}")  # a form's blank to fill in: a form's line, not a figure's label
_LETTER = re.compile(r"[^\W\d_]")  # a running line has words ("#." is the end of a note)
_COMPOUND = re.compile(r"\b([^\W\d_]+)-([^\W\d_]+)\b")
_NOTE_NUMBER = re.compile(r"^\d{1,3}\s+(?=\S)")  # a footnote's own number, printed at its start
# The start of a note or list item, after which the next lines hang indented under its text.
_ITEM = re.compile(r"^(?:\d{1,3}[.)]?|[*†‡•–-]|\(?[a-z\d]{1,3}\))\s")
# Endings a hyphenating typesetter splits off; a line-end "govern-" + "ments" is one word.
_SUFFIX = re.compile(r"^(?:ments?|ings?|tions?|sions?|ed|ers?|ly|ness|ables?|ibles?|als?|ances?"
                     r"|ences?|ity|ities|ives?|ous|ful|less|isms?|ists?|i[sz]e[sd]?|ic|ics|ia)$")


@dataclass(slots=True)
class Removed:
    """A line taken out of the reading text: its page (from 1), what it said, and why."""

    page: int
    text: str
    # "running-header" | "running-footer" | "browser-print-header" | "browser-print-footer"
    # | "page-number"
    reason: str


@dataclass(slots=True)
class _Para:
    page: int
    note: bool
    lines: list[TextLine] = field(default_factory=list)


def body_size(pages: list[list[TextLine]]) -> float:
    """The font size most of the text is set in, counted by characters."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def drop_running_lines(pages: list[list[TextLine]], height: float) -> list[Removed]:
    """Remove running headers/footers and page numbers from `pages` in place; return them."""
    with_text = [n for n, lines in enumerate(pages) if lines]
    edges = {n: _edges(pages[n]) for n in with_text}
    seen: defaultdict[str, list[float]] = defaultdict(list)
    for n in with_text:
        notes = _note_lines(pages[n])
        for key, baselines in _by_key([ln for ln in edges[n] if id(ln) not in notes]).items():
            seen[key].append(statistics.median(baselines))
    needed = max(2, math.ceil(0.3 * len(with_text)))
    running = {key for key, heights in seen.items() if _LETTER.search(key)
               and len(heights) >= needed and max(heights) - min(heights) <= 0.05 * height}
    # Where the running lines sit: the alternate head of even pages ("2 · A. Author" against
    # "Title · 3") shares the slot though its words repeat on fewer pages.
    slots = {(round(ln.baseline), round(ln.size)) for n in with_text for ln in edges[n]
             if _key(ln) in running}
    removed: list[Removed] = []
    for n in with_text:
        lines = pages[n]
        drop = {id(ln): "running-" for ln in edges[n] if _key(ln) in running}
        for ln in _outermost(lines):
            if (round(ln.baseline), round(ln.size)) in slots:
                drop[id(ln)] = "running-"
            elif _PRINTED_BY_BROWSER.search(ln.text):
                drop[id(ln)] = "browser-print-"
        rest = [ln for ln in lines if id(ln) not in drop]
        for ln in _edges(rest, 2):
            if _PAGE_NUMBER.fullmatch(ln.text):
                drop[id(ln)] = "page-number"
        if len(drop) == len(lines) and not all(_PAGE_NUMBER.fullmatch(ln.text) for ln in lines):
            continue  # a page of a single repeated line is content, not furniture
        removed += [Removed(n + 1, ln.text, _reason(drop[id(ln)], ln, height))
                    for ln in lines if id(ln) in drop]
        lines[:] = [ln for ln in lines if id(ln) not in drop]
    return removed


def _note_lines(lines: list[TextLine]) -> set[int]:
    """The ids of a page's footnote lines: each line with a raised note number and the lines
    right below it in its size. They are not running lines, though the same note, or a last
    line like "para. 5.", may end the notes of several pages at the same height."""
    notes: set[int] = set()
    above: TextLine | None = None
    for line in sorted(lines, key=lambda ln: -ln.baseline):
        if line.numbered or (above is not None and id(above) in notes
                             and abs(above.size - line.size) <= 0.05 * line.size
                             and above.baseline - line.baseline < 1.5 * line.size):
            notes.add(id(line))
        above = line
    return notes


def _reason(kind: str, line: TextLine, height: float) -> str:
    """"running-" and "browser-print-" say header or footer by the half of the page the line is in."""
    if not kind.endswith("-"):
        return kind
    return kind + ("header" if line.baseline > height / 2 else "footer")


def _outermost(lines: list[TextLine]) -> list[TextLine]:
    """The lines of a page's top and bottom row when set apart from the rest (by over 1.5
    times their size); a row is the lines that share a baseline ("12/3/26, 10:57 AM" ... "Title")."""
    by_height = sorted(lines, key=lambda ln: -ln.baseline)
    out: list[TextLine] = []
    for row in (by_height, by_height[::-1]):
        first = [ln for ln in row if abs(ln.baseline - row[0].baseline) <= 1.0]
        rest = row[len(first):]
        if rest and abs(rest[0].baseline - first[0].baseline) > 1.5 * first[0].size:
            out += first
    return out


def _edges(lines: list[TextLine], count: int = _EDGE_LINES) -> list[TextLine]:
    by_height = sorted(lines, key=lambda ln: -ln.baseline)
    return list({id(ln): ln for ln in by_height[:count] + by_height[-count:]}.values())


def _key(line: TextLine) -> str:
    """A line as repeated from page to page: numbers (the page's own) do not count."""
    words = re.sub(r"\d+", "#", line.text.casefold()).split()
    while words and _PAGE_NUMBER.fullmatch(words[0].replace("#", "1")):
        words.pop(0)
    while words and _PAGE_NUMBER.fullmatch(words[-1].replace("#", "1")):
        words.pop()
    return " ".join(words)


def _by_key(lines: list[TextLine]) -> dict[str, list[float]]:
    keys: defaultdict[str, list[float]] = defaultdict(list)
    for line in lines:
        keys[_key(line)].append(line.baseline)
    return keys


def page_paragraphs(pages: list[list[TextLine]], hyphenated: bool = True) -> list[list[str]]:
    """Each page's paragraphs: those that start on it (whole, wherever they end), then its notes.

    `hyphenated`: whether the producer breaks words at line ends on its own (TeX, groff and
    layout programs do; word processors and browsers do not by default, so a hyphen at a line
    end there is the author's unless the document writes the word unbroken elsewhere)."""
    size = body_size(pages)
    layout = _Layout(pages, size)
    paras: list[_Para] = []
    notes: list[_Para] = []
    for number, lines in enumerate(pages):
        body, small = layout.split_notes(lines)
        for line in body:
            last = paras[-1] if paras else None
            if last is not None and not layout.breaks(last, line, number):
                last.lines.append(line)
            else:
                paras.append(_Para(number, False, [line]))
        page_notes: list[_Para] = []
        for line in small:
            if page_notes and not layout.breaks(page_notes[-1], line, number):
                page_notes[-1].lines.append(line)
            else:
                page_notes.append(_Para(number, True, [line]))
        notes += page_notes
    words = _Vocabulary(pages, hyphenated)
    out: list[list[str]] = [[] for _ in pages]
    for para in paras + notes:  # body first, so a page's notes follow its body paragraphs
        text = words.join(para.lines)
        out[para.page].append(_NOTE_NUMBER.sub("", text) if para.note else text)
    for number, page in enumerate(out):
        out[number] = _collapse_fragments(page, {words.join(p.lines) for p in paras
                                                 if p.page == number and layout.fragment(p)})
    return out


def _collapse_fragments(paras: list[str], fragments: set[str]) -> list[str]:
    """Runs of `_FRAGMENT_RUN` or more fragments (a figure's axis labels, a formula's pieces)
    become one paragraph marked as such, instead of a paragraph per label."""
    out: list[str] = []
    run: list[str] = []
    for para in [*paras, ""]:
        if para and para in fragments:
            run.append(para)
            continue
        if len(run) >= _FRAGMENT_RUN:
            out.append(f"{FIGURE_TEXT} {' '.join(run)}")
        else:
            out += run
        run = []
        if para:
            out.append(para)
    return out


class _Layout:
    """What the document's lines say about its layout: body size, line pitch, columns, indents."""

    def __init__(self, pages: list[list[TextLine]], size: float) -> None:
        self.size = size
        # by id(line): the left and right edge of the line's column
        self.columns: dict[int, tuple[float, float]] = {}
        steps: list[float] = []
        for lines in pages:
            body = [ln for ln in lines if self._is_body(ln)]
            for line in lines:
                self.columns[id(line)] = _column(line, body)
            for a, b in itertools.pairwise(body):
                step = a.baseline - b.baseline
                if 0 < step < 2.5 * size and self._overlaps(a, b):
                    steps.append(step)
        self.pitch = statistics.median_low(steps) if steps else 1.2 * size
        widths = [(ln.right - ln.left) / len(ln.text) for lines in pages for ln in lines
                  if len(ln.text) >= 20 and self._is_body(ln)]
        self.char_width = statistics.median(widths) if widths else 0.5 * size  # of body text
        indents = gaps = 0
        for lines in pages:
            for a, b in itertools.pairwise(lines):
                if self._is_body(a) and self._is_body(b) and self._overlaps(a, b):
                    gaps += a.baseline - b.baseline > 1.3 * self.pitch
                    indents += self._indented(b) and not self._indented(a)
        self.indent_style = indents >= 2 and indents >= gaps / 2

    def fragment(self, para: _Para) -> bool:
        """A paragraph of a few short lines that is no heading and ends no sentence: a label."""
        return (all(ln.words <= 4 and not ln.row and not self.heading(ln)
                    and not _BLANK.search(ln.text) for ln in para.lines)
                and sum(ln.words for ln in para.lines) <= 8
                and not _SENTENCE_END.search(para.lines[-1].text))

    def _is_body(self, line: TextLine) -> bool:
        return (not line.row and abs(line.size - self.size) <= 0.1 * self.size
                and not self.heading(line))

    def heading(self, line: TextLine) -> bool:
        """A heading: larger than the body, or a short line all in bold."""
        if line.size >= 1.12 * self.size:
            return True
        return line.bold and line.words <= 14

    def _indented(self, line: TextLine) -> bool:
        return 0.5 * line.size < line.left - self.columns[id(line)][0] < 4 * line.size

    def _ends_short(self, last: TextLine, line: TextLine) -> bool:
        """Whether `last` stops short of its column's right edge by more than `line`'s first
        word would take: the typesetter broke the line there, so the paragraph ended."""
        first = line.text.split()[0] if line.text.split() else ""
        room = self.columns[id(last)][1] - last.right
        width = self.char_width * line.size / self.size * len(first)
        return not last.hyphen and room > width + 1.5 * line.size

    @staticmethod
    def _overlaps(a: TextLine, b: TextLine) -> bool:
        return min(a.right, b.right) - max(a.left, b.left) > 0.3 * min(a.right - a.left,
                                                                      b.right - b.left)

    def _run_in(self, para: _Para, line: TextLine, page: int) -> bool:
        """A bold run-in head ("3. Back a regional group."): a body-size bold line that ends a
        sentence, with the paragraph's text going on flush below it at the body's line pitch."""
        head = para.lines[-1]
        return (len(para.lines) == 1 and head.bold and not line.bold and para.page == page
                and abs(head.size - self.size) <= 0.05 * self.size
                and abs(line.size - self.size) <= 0.05 * self.size
                and bool(_SENTENCE_END.search(head.text))
                and abs(line.left - head.left) < 0.5 * line.size
                and 0 < head.baseline - line.baseline <= 1.15 * self.pitch)

    def _hanging(self, para: _Para, line: TextLine) -> bool:
        """A hanging indent (a bibliography entry): where paragraphs are set apart by space, the
        lines after a flush first line all indented alike."""
        first = para.lines[0]
        return (not self.indent_style and not self._indented(first)
                and line.left > first.left + 0.5 * line.size
                and all(abs(ln.left - line.left) <= 0.5 * line.size for ln in para.lines[1:]))

    def split_notes(self, lines: list[TextLine]) -> tuple[list[TextLine], list[TextLine]]:
        """Footnotes: lines smaller than the body with no body-size line of their column below."""
        body_lines = [ln for ln in lines if abs(ln.size - self.size) <= 0.05 * self.size]
        notes = [ln for ln in lines if ln.size < 0.93 * self.size and not ln.row
                 and not any(b.baseline < ln.baseline and self._overlaps(b, ln) for b in body_lines)
                 and body_lines and ln.baseline < max(b.baseline for b in body_lines)]
        ids = {id(ln) for ln in notes}
        return [ln for ln in lines if id(ln) not in ids], notes

    def breaks(self, para: _Para, line: TextLine, page: int) -> bool:
        """Whether `line` starts a new paragraph after `para`."""
        last = para.lines[-1]
        if last.row or line.row:
            return True  # a table row is a paragraph of its own
        if para.note and line.numbered:
            return True  # a note begins at its raised number
        if self._run_in(para, line, page):
            return False
        if last.tab and abs(line.tab - last.tab) <= 1.0 and _FIELD.match(line.text):
            return True  # a form's fields, one a line ("For:  ...", "Date:  ...")
        if self.heading(last) or self.heading(line):
            same = (self.heading(last) and self.heading(line) and last.bold == line.bold
                    and abs(last.size - line.size) < 0.05 * line.size and para.page == page
                    and 0 < last.baseline - line.baseline < 1.6 * line.size)
            return not same
        if abs(last.size - line.size) > 0.1 * max(last.size, line.size) or line.bullet:
            return True
        item = para.lines[0]
        if item.bullet and para.page == page and 0 < last.baseline - line.baseline <= 1.3 * (
                self.pitch * line.size / self.size):
            return abs(line.left - item.left) > 0.5 * line.size  # a list item's hanging lines
        ends = bool(_SENTENCE_END.search(last.text)) and not last.hyphen
        step = last.baseline - line.baseline
        if para.page != page or step < -0.5 * line.size or not self._overlaps(last, line):
            # a new page or column: the paragraph goes on if the text flows on
            if self._indented(line):
                return True
            return ends and not self.indent_style
        pitch = self.pitch * line.size / self.size
        if step > 1.3 * pitch or self._ends_short(last, line):
            return True
        if not self._indented(line):
            return False
        if len(para.lines) == 1 and _ITEM.match(last.text) and not ends:
            return False  # the hanging lines of a note or list item
        if self._hanging(para, line):
            return False
        # more indented than the line before, or an indented line after a one-line paragraph
        return line.left > last.left + 0.5 * line.size or (ends and len(para.lines) == 1)


def _column(line: TextLine, body: list[TextLine]) -> tuple[float, float]:
    """The left and right edge of the column a line sits in, from the body lines that overlap it
    horizontally: their leftmost start, and the nearest right edge at or beyond the line's own
    that two of them share (a column's lines end together; a wider block's lines further out)."""
    near = [b for b in body if min(b.right, line.right) - max(b.left, line.left)
            > 0.5 * min(b.right - b.left, line.right - line.left)]
    left = min((b.left for b in near), default=line.left)
    rights = sorted(b.right for b in near if b.right >= line.right - 1.0)
    shared = next((r for r, s in itertools.pairwise(rights) if s - r <= 1.5), None)
    return left, shared if shared is not None else max(rights, default=line.right)


class _Vocabulary:
    """The document's own words, to tell a hyphenated line break from a real compound."""

    def __init__(self, pages: list[list[TextLine]], hyphenated: bool) -> None:
        self.hyphenated = hyphenated
        self.words: set[str] = set()
        self.compounds: set[str] = set()
        for lines in pages:
            for before, line in zip([None, *lines], lines, strict=False):
                found = _WORD.findall(line.text)
                if before is not None and before.hyphen and found:
                    found = found[1:]  # the tail of a word broken across lines
                if line.hyphen and found:
                    found = found[:-1]
                self.words.update(w.casefold() for w in found)
                self.compounds.update(f"{a}-{b}".casefold() for a, b in _COMPOUND.findall(line.text))

    def join(self, lines: list[TextLine]) -> str:
        text = lines[0].text
        for before, line in itertools.pairwise(lines):
            text = self._glue(text, before.hyphen, line.text)
        return text + ("-" if lines[-1].hyphen else "")

    def _glue(self, text: str, hyphen: bool, nxt: str) -> str:
        if not hyphen:
            # a line may break after an unspaced dash or a URL's slash: no space was there
            glued = text.endswith(("—", "/")) and len(text) > 1 and not text[-2].isspace()
            return text + nxt if glued else f"{text} {nxt}"
        head = re.search(r"[^\W\d_]+$", text)
        tail = _WORD.match(nxt)
        if head is None or tail is None or nxt[0].isupper():
            return f"{text}-{nxt}"
        h, t = head.group(0).casefold(), tail.group(0).casefold()
        if f"{h}-{t}" in self.compounds:
            return f"{text}-{nxt}"
        if h + t in self.words:
            return text + nxt
        if not self.hyphenated:
            return f"{text}-{nxt}"
        if len(h) >= 4 and len(t) >= 3 and h in self.words and not _SUFFIX.match(t):
            return f"{text}-{nxt}"  # "trade-" + "exposed": a word, then more than an ending
        return text + nxt

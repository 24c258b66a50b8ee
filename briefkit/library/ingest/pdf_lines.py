"""A PDF page's text lines, built from PDFium's own character stream.

Asking PDFium for the text inside each of its text rectangles, as an earlier reader did, doubles
letters where rectangles overlap at a kern ("FeFederalist") and guesses spaces at gaps ("numb
ers"). PDFium's character list has every character once, with the spaces and line breaks its
own text extraction decides on (the same text `get_text_range` returns), so lines are cut from
that list and only the geometry (baseline, left and right edge, font size, weight) is added.
Footnote markers (small raised digits and daggers) are dropped, since a quote never contains them;
a line that PDFium's stream breaks around a marker (its own text object, as LibreOffice writes
it) is still one line, and a note's own raised number marks the line that starts the note.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["TextLine", "page_lines"]

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st",
                            "ﬆ": "st", "\u00a0": " ", "\t": " "})
_LINE_END_HYPHENS = ("\x02", "\ufffe", "\u00ad")  # PDFium's mark for a hyphen that ends a line
_BREAKS = ("\r", "\n")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\u00ad]")
_MARKERS = frozenset("0123456789*†‡§¶")
_BULLETS = frozenset("•◦▪▫‣⁃●○■□►▸–-*·")
_MARK_AFTER = frozenset(".,;:!?)]\"'”’")  # what a footnote marker follows besides a letter
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|cmbx|-bd\b|,b\b", re.IGNORECASE)


@dataclass(slots=True)
class TextLine:
    """One line of text as printed: where it sits (PDF points, origin bottom left) and in what."""

    text: str
    left: float
    right: float
    baseline: float
    size: float
    bold: bool = False
    hyphen: bool = False  # the line ends with a hyphen (not part of `text`)
    bullet: bool = False  # the line starts a list item (its bullet is not part of `text`)
    numbered: bool = False  # the line starts with a raised footnote number (not part of `text`)
    tab: float = 0.0  # where the text goes on after a gap of over two sizes (a tab stop), or 0
    row: bool = False  # a whole table row, its cells joined (built by `pdf_tables`)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(slots=True)
class _Char:
    char: str
    index: int
    x: float  # the glyph's left (its loose box: the pen's start)
    y: float  # the glyph's loose bottom: the baseline less the font's descent
    end: float  # where the pen ends (the loose box's right: the glyph's advance)
    size: float = 0.0  # the font size, read only where it decides something (0: not read)


class _Reader:
    """PDFium's per-character calls on one text page. Each costs microseconds, a page has
    thousands of characters, so the text comes in one call and a character's font size is read
    only when it is needed: a line's sample, a possible footnote marker, a jump off the line."""

    def __init__(self, textpage: Any) -> None:
        from pypdfium2 import raw

        self.textpage = textpage
        self.handle = textpage.raw  # the bare handle: a pypdfium2 object costs a lookup per call
        self._loose, self._font_size = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize
        self._box = raw.FS_RECTF()
        self._box_ref = ctypes.byref(self._box)
        count = raw.FPDFText_CountChars(self.handle)
        text = textpage.get_text_range() if count > 0 else ""
        if len(text) != count:  # PDFium left out or added a character: read them one by one
            codes = (raw.FPDFText_GetUnicode(self.handle, i) for i in range(count))
            text = "".join(chr(c) if 0 < c < 0x110000 else "" for c in codes)
        self.text = text

    def char(self, index: int) -> _Char:
        self._loose(self.handle, index, self._box_ref)
        box = self._box
        return _Char(self.text[index], index, box.left, box.bottom, max(box.right, box.left))

    def size(self, char: _Char) -> float:
        if not char.size:
            char.size = max(self._font_size(self.handle, char.index), 0.1)
        return char.size


def page_lines(textpage: Any, cuts: Sequence[tuple[float, float, float]] = ()) -> list[TextLine]:
    """The page's lines in PDFium's reading order (content order, one column after another).

    `cuts`: vertical rules (x, bottom, top), a table's, that no line goes across."""
    reader = _Reader(textpage)
    lines: list[TextLine] = []
    current: list[_Char] = []
    base: _Char | None = None  # the line's first visible character (after a raised marker)
    last: _Char | None = None  # the line's last visible character
    broken = False  # PDFium put a line break since `last`
    for index, char in enumerate(reader.text):
        if char in _BREAKS or not char:
            broken = True
            continue
        if not char.strip():
            current.append(_Char(char, index, 0.0, 0.0, 0.0))
            continue
        item = reader.char(index)
        if char in _MARKERS:
            reader.size(item)
        if base is None or last is None:
            base = item
        elif cuts and _across(reader, cuts, last, item):
            _close(reader, current, lines)
            current, base = [], item
        elif broken or abs(item.y - base.y) > 0.3 * reader.size(base):  # else: on the line
            if _continues(reader, base, last, item):
                if _is_raised_mark(reader, base, item):
                    base = item  # the text after a note's own number: its baseline is the line's
            elif broken or _starts_new_line(reader, base, last, item):
                _close(reader, current, lines)
                current, base = [], item
        current.append(item)
        last, broken = item, False
        if char in _LINE_END_HYPHENS:
            _close(reader, current, lines)
            current, base, last = [], None, None
    _close(reader, current, lines)
    return lines


def _across(reader: _Reader, cuts: Sequence[tuple[float, float, float]], last: _Char,
            item: _Char) -> bool:
    """Whether a vertical rule passes between two characters (they are in two table cells).
    The rule must reach up past the middle of `item`'s letters: a line set right on a table's
    top rule, its descenders below it, is the text above the table."""
    low, high = sorted((last.x, item.x))
    return any(low < x < high and bottom <= item.y and item.y + 0.5 * reader.size(item) < top
               for x, bottom, top in cuts)


def _continues(reader: _Reader, base: _Char, last: _Char, item: _Char) -> bool:
    """Whether `item` goes on along the line, right after its last character: at its height, or
    a footnote marker raised above it, or the text after a raised marker. PDFium breaks the
    stream before and after a marker (its own text object), so a break alone does not end a line."""
    size = reader.size(base)
    reach = max(size, reader.size(item)) if base.char in _MARKERS else size  # sizes cost a call
    if not -0.5 * size <= item.x - last.end <= reach:
        return False
    rise = item.y - base.y
    if abs(rise) <= 0.3 * size:
        return True
    raised = item.char in _MARKERS and reader.size(item) < 0.85 * size and 0 < rise < size
    return raised or _is_raised_mark(reader, base, item)


def _is_raised_mark(reader: _Reader, base: _Char, item: _Char) -> bool:
    """Whether `base` is a small marker raised above `item`'s baseline (a note's own number)."""
    if base.char not in _MARKERS:
        return False
    size = reader.size(item)
    return reader.size(base) < 0.85 * size and 0 < base.y - item.y < size


def _starts_new_line(reader: _Reader, base: _Char, last: _Char, item: _Char) -> bool:
    """A character far below or above the line, or back at its left, begins another line (PDFium
    omits the break after a line-end hyphen and between some text objects)."""
    rise = abs(item.y - base.y)
    size = reader.size(base)
    if rise <= 0.3 * size:
        return False
    if rise > 0.6 * size and reader.size(item) >= 0.85 * size:
        return True
    return item.x < last.x - 2 * size


def _close(reader: _Reader, chars: list[_Char], lines: list[TextLine]) -> None:
    """Turn one line's characters into a `TextLine`, without footnote markers or controls."""
    shown = [c for c in chars if c.char.strip()]
    if not shown:
        return
    letters = [c for c in shown if c.char.isalpha()] or shown
    sample = {c.index: c for c in letters[:: max(1, len(letters) // 4)] + [letters[-1]]}
    size = sorted(reader.size(c) for c in sample.values())[len(sample) // 2]
    baseline = sorted(c.y for c in letters)[len(letters) // 2]
    kept: list[_Char] = []
    numbered = False
    for char in chars:
        before = kept[-1].char if kept else ""
        if _is_marker(char, size, baseline) and (not before.strip() or before.isalpha()
                                                 or before in _MARK_AFTER):
            # a footnote marker ("years.¹", a note's own "¹"), not an exponent ("10⁶")
            numbered = numbered or not any(c.char.strip() for c in kept)
            continue
        kept.append(char)
    bullet = _drop_bullet(kept, size)
    text = _spaced(kept, size).translate(_LIGATURES)
    hyphen = text.rstrip()[-1:] in _LINE_END_HYPHENS or text.rstrip().endswith("-")
    text = " ".join(_CONTROLS.sub("", text).split())
    if hyphen:
        text = text.removesuffix("-")
    if not text:
        return
    visible = [c for c in kept if c.char.strip()] or shown
    full = [c for c in letters if not c.size or c.size >= 0.85 * size]
    left = shown[0].x if numbered else visible[0].x  # a note's number is where it starts
    tab = next((b.x for a, b in itertools.pairwise(visible) if b.x - a.end > 2 * size), 0.0)
    lines.append(TextLine(text, left, visible[-1].end, baseline, size,
                          _is_bold(reader.textpage, full), hyphen, bullet, numbered, tab))


def _drop_bullet(chars: list[_Char], size: float) -> bool:
    """Take a list item's bullet off the start of the line (a bullet glyph, or a symbol font's
    glyph PDFium cannot name, set apart from the text); return whether there was one."""
    visible = [i for i, c in enumerate(chars) if c.char.strip()]
    if len(visible) < 2:
        return False
    first, second = chars[visible[0]], chars[visible[1]]
    unnamed = (_CONTROLS.fullmatch(first.char) is not None or first.char == "\ufffd"
               or "\ue000" <= first.char <= "\uf8ff")  # a symbol font's private-use glyph
    if not (first.char in _BULLETS or unnamed) or second.x - first.end < 0.2 * size:
        return False
    del chars[: visible[1]]
    return True


def _spaced(chars: list[_Char], size: float) -> str:
    """The line's text with spaces where the pen moved: a space the next glyph is drawn back
    over is dropped (a kern between two text pieces), and a word gap with no space character in
    the stream gets one (producers that place each word separately)."""
    out: list[str] = []
    last: _Char | None = None
    pending = False
    for char in chars:
        if not char.char.strip():
            pending = True
            continue
        if last is not None:
            gap = char.x - last.end
            if gap > (0.08 if pending else 0.18) * size or (pending and char.x < last.x):
                out.append(" ")
        out.append(char.char)
        last, pending = char, False
    return "".join(out)


def _is_marker(char: _Char, size: float, baseline: float) -> bool:
    """A footnote marker: a small digit or dagger raised above the baseline."""
    return (char.char in _MARKERS and 0 < char.size < 0.85 * size
            and char.y > baseline + 0.2 * size)


def _is_bold(textpage: Any, chars: list[_Char]) -> bool:
    """Whether the line is set in a bold face: its first, middle and last letters are. The font
    name tells (PDFium's weight comes from stem widths and differs between producers)."""
    letters = [c for c in chars if c.char.isalpha()]
    if not letters:
        return False
    sample = {c.index for c in (letters[0], letters[len(letters) // 2], letters[-1])}
    return all(_BOLD_NAME.search(_font_name(textpage, index)) for index in sample)


def _font_name(textpage: Any, index: int) -> str:
    from pypdfium2 import raw

    flags = ctypes.c_int()
    size = raw.FPDFText_GetFontInfo(textpage, index, None, 0, ctypes.byref(flags))
    if size <= 0:
        return ""
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFText_GetFontInfo(textpage, index, buffer, size, ctypes.byref(flags))
    return buffer.value.decode("utf-8", "replace")

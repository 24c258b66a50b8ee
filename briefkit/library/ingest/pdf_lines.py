"""A PDF page's text lines, built from PDFium's own character stream.

Asking PDFium for the text inside each of its text rectangles, as an earlier reader did, doubles
letters where rectangles overlap at a kern ("FeFederalist") and guesses spaces at gaps ("numb
ers"). PDFium's character list has every character once, with the spaces and line breaks its
own text extraction decides on (the same text `get_text_range` returns), so lines are cut from
that list and only the geometry (baseline, left and right edge, font size, weight) is added.
Footnote markers (small raised digits and daggers) are dropped, since a quote never contains them.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["TextLine", "page_lines"]

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st",
                            "ﬆ": "st", "\u00a0": " ", "\t": " "})
_LINE_END_HYPHENS = ("\x02", "\ufffe", "\u00ad")  # PDFium's mark for a hyphen that ends a line
_BREAKS = ("\r", "\n")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\u00ad]")
_MARKERS = frozenset("0123456789*†‡§¶")
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

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(slots=True)
class _Char:
    char: str
    index: int
    x: float  # the origin: where the pen starts
    y: float  # the baseline
    end: float  # where the pen ends (the loose box's right: the glyph's advance)
    size: float


def page_lines(textpage: Any) -> list[TextLine]:
    """The page's lines in PDFium's reading order (content order, one column after another)."""
    import pypdfium2.raw as raw

    handle = textpage.raw  # the bare handle: a pypdfium2 object costs a lookup on every call
    unicode, origin, loose = raw.FPDFText_GetUnicode, raw.FPDFText_GetCharOrigin, \
        raw.FPDFText_GetLooseCharBox
    font_size = raw.FPDFText_GetFontSize
    x, y, box = ctypes.c_double(), ctypes.c_double(), raw.FS_RECTF()
    x_ref, y_ref, box_ref = ctypes.byref(x), ctypes.byref(y), ctypes.byref(box)
    lines: list[TextLine] = []
    current: list[_Char] = []
    base: _Char | None = None  # the line's first visible character
    for index in range(raw.FPDFText_CountChars(handle)):
        code = unicode(handle, index)
        char = chr(code) if 0 < code < 0x110000 else ""
        if char in _BREAKS:
            _close(textpage, current, lines)
            current, base = [], None
            continue
        origin(handle, index, x_ref, y_ref)
        loose(handle, index, box_ref)
        item = _Char(char, index, x.value, y.value, max(box.right, x.value),
                     font_size(handle, index))
        if char.strip():
            if base is None:
                base = item
            elif _starts_new_line(base, current[-1], item):
                _close(textpage, current, lines)
                current, base = [], item
        current.append(item)
        if char in _LINE_END_HYPHENS:
            _close(textpage, current, lines)
            current, base = [], None
    _close(textpage, current, lines)
    return lines


def _starts_new_line(base: _Char, last: _Char, item: _Char) -> bool:
    """A character far below or above the line, or back at its left, begins another line (PDFium
    omits the break after a line-end hyphen and between some text objects)."""
    size = max(base.size, 1.0)
    if abs(item.y - base.y) > 0.6 * size and item.size >= 0.85 * base.size:
        return True
    return item.x < last.x - 2 * size and abs(item.y - base.y) > 0.3 * size


def _close(textpage: Any, chars: list[_Char], lines: list[TextLine]) -> None:
    """Turn one line's characters into a `TextLine`, without footnote markers or controls."""
    shown = [c for c in chars if c.char.strip()]
    if not shown:
        return
    size = sorted(c.size for c in shown)[len(shown) // 2]
    full = [c for c in shown if c.size >= 0.85 * size] or shown
    baseline = sorted(c.y for c in full)[len(full) // 2]
    kept = [c for c in chars if not _is_marker(c, size, baseline)]
    text = _spaced(kept, size).translate(_LIGATURES)
    hyphen = text.rstrip()[-1:] in _LINE_END_HYPHENS or text.rstrip().endswith("-")
    text = " ".join(_CONTROLS.sub("", text).split())
    if hyphen:
        text = text.removesuffix("-")
    if not text:
        return
    visible = [c for c in kept if c.char.strip()]
    left = visible[0].x if visible else shown[0].x
    right = textpage.get_charbox((visible or shown)[-1].index)[2]
    lines.append(TextLine(text, left, right, baseline, size, _is_bold(textpage, full), hyphen))


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
    return (char.char in _MARKERS and char.size < 0.85 * size
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
    import pypdfium2.raw as raw

    flags = ctypes.c_int()
    size = raw.FPDFText_GetFontInfo(textpage, index, None, 0, ctypes.byref(flags))
    if size <= 0:
        return ""
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFText_GetFontInfo(textpage, index, buffer, size, ctypes.byref(flags))
    return buffer.value.decode("utf-8", "replace")

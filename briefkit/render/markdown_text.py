"""Plain text made safe to drop into Markdown, for both markdown-it-py (CommonMark) and pandoc.

Quotes are evidence: a `*`, `[` or `<` inside one must print as itself, never start emphasis, a link
or raw HTML. Escaping is by backslash, which both dialects accept before any ASCII punctuation, and
it is kept to what can start markup so ordinary prose ("U.S.", "well-known", "it's") stays readable.
Typography is not markup here; the Markdown writer also protects straight quotes, `--` and `...`
from pandoc's `smart` extension, because exported quotes must read back unchanged.
"""

from __future__ import annotations

import re

__all__ = ["Markdown", "escape"]


class Markdown(str):
    """Text that is already Markdown: escaping passes it through unchanged (like markupsafe.Markup).

    The template engine autoescapes every plain `str` it inserts and leaves `Markdown` alone, so
    helpers that build markup return `Markdown` and analysts' text can never inject any.
    """

    __slots__ = ()


# Characters that open or close inline markup somewhere in CommonMark or pandoc's markdown (emphasis,
# code, links, notes, raw HTML/TeX, citations, math, sub/superscript, strikeout, cells, attributes)
# get a backslash; control characters other than tab and newline (C0, DEL, C1) are dropped.
_SPECIAL_OR_CONTROL = re.compile(r"[\\`*_\[\]<>#|~^@${\x00-\x08\x0b-\x1f\x7f-\x9f]")
# `&` only where it would start an entity reference (`&amp;`, `&#169;`).
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")

# A roman numeral (pandoc's fancy_lists), lower or upper case, never empty.
_ROMAN = (
    r"(?=[ivxlcdm])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
    r"|(?=[IVXLCDM])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
)
_ENUMERATOR = rf"(?:[0-9]{{1,9}}|[A-Za-z]|{_ROMAN})"
# At the start of a line: list markers (bullets, "1." / "1)", pandoc's "a." / "iv)" / "(2)"), pandoc
# definition-list and fenced-div colons, grid-table and list pluses, "%" title lines.
_LINE_START_MARKER = re.compile(
    rf"^(?P<indent>[ \t]*)(?:"
    rf"(?P<bullet>[-+])(?=[ \t]|$)"
    rf"|(?P<paren>\()(?={_ENUMERATOR}\)(?:[ \t]|$))"
    rf"|(?P<enum>{_ENUMERATOR})(?P<delim>[.)])(?=[ \t]|$)"
    rf"|(?P<lead>[:+%])"
    rf")",
    re.MULTILINE,
)
# A line of only dashes, equals signs, colons and blanks: a setext underline, a thematic break or a
# pandoc table rule, depending on the neighbours. Every dash and equals sign on it is escaped.
_RULE_LINE = re.compile(r"^[ \t]*[-=][-=: \t]*$", re.MULTILINE)
_RULE_CHAR = re.compile(r"([-=])")


_MARKUP_CHARS = frozenset("\\`*_[]<>#|~^@${")
# What a line must start with (after blanks) to hold a marker; checked before the regexes run.
_MARKER_FIRST = frozenset("-+:%(=")
_ASCII_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return "\\" + char if char in _MARKUP_CHARS else ""


def _may_start_block(line: str) -> bool:
    """Cheap test: could this line begin with a list marker, rule or the like?"""
    line = line.lstrip(" \t")
    first = line[:1]
    if first in _MARKER_FIRST:
        return True
    return first != "" and first in _ASCII_ALNUM and line.lstrip(_ASCII_ALNUM)[:1] in (".", ")")


def _escape_marker(match: re.Match[str]) -> str:
    indent, bullet, paren, enum, delim, lead = match.group(
        "indent", "bullet", "paren", "enum", "delim", "lead"
    )
    if enum is not None:
        after = match.string[match.end() : match.end() + 2]
        if (
            len(enum) == 1
            and enum.isupper()
            and delim == "."
            and after[:1] == " "
            and after[1:].strip()
        ):
            return match.group(0)  # an initial, as in "A. Analyst": pandoc wants two spaces there
        return f"{indent}{enum}\\{delim}"
    return f"{indent}\\{bullet or paren or lead}"


def _escape_rule_line(match: re.Match[str]) -> str:
    return _RULE_CHAR.sub(r"\\\1", match.group(0))


def escape(text: str) -> Markdown:
    """Return `text` as Markdown that both CommonMark and pandoc read back as exactly `text`.

    Control characters are dropped (newlines and tabs stay); `Markdown` passes through unchanged,
    so escaping twice is harmless. Line starts are escaped wherever a newline is, and at the very
    start, since the caller may place the text at the start of a line.
    """
    if isinstance(text, Markdown):
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPECIAL_OR_CONTROL.sub(_escape_char, text)
    if "&" in text:
        text = _ENTITY.sub(r"\\&", text)
    if "\n" in text:
        text = _RULE_LINE.sub(_escape_rule_line, text)
        text = _LINE_START_MARKER.sub(_escape_marker, text)
    elif _may_start_block(text):
        # One line: only its start can hold a marker (the usual case, and much cheaper).
        if match := _RULE_LINE.match(text):
            text = _escape_rule_line(match)
        elif match := _LINE_START_MARKER.match(text):
            text = _escape_marker(match) + text[match.end() :]
    return Markdown(text)

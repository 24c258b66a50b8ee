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


# Readable escaping, for the Markdown writer ----------------------------------------------------
# `escape` above guards text on its way into templates, where nobody reads the result. The exported
# file is read by people, so the writer backslashes a character only where pandoc's markdown would
# otherwise read it as markup (tests read every case back with pandoc).

_WORD = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# Code spans, table cells, superscript, subscript, strikeout, and the backslash (before a letter it
# starts raw TeX, before punctuation an escape, before a blank a non-breaking space).
_ALWAYS = frozenset("`|^~\\")
_AFTER_BRACKET = frozenset("([{:]")  # a link, reference, span or definition follows a `]`
_TAG_START = frozenset("/!?")
_READABLE_SPECIAL = re.compile(r"[*_\[\]<@$#{&`|^~\\]")  # the characters `readable` weighs
# At a line start, what opens a block: bullets, a grid table's border, an ATX heading, pandoc's
# definition, fenced-div and table-caption colons ("Table:" too), a block quote, a "%" title line.
_READABLE_LINE_START = re.compile(
    rf"^(?P<indent>[ \t]*)(?:"
    rf"(?P<bullet>[-+*])(?=[ \t]|$)"
    rf"|(?P<paren>\()(?={_ENUMERATOR}\)(?:[ \t]|$))"
    rf"|(?P<enum>{_ENUMERATOR})(?P<delim>[.)])(?=[ \t]|$)"
    rf"|(?P<lead>\+(?=[-=])|#(?=#*(?:[ \t]|$))|[:>%])"
    rf"|(?P<caption>Table(?=:))"
    rf")"
)
_READABLE_RULE_LINE = re.compile(r"^[ \t]*[-=*_][-=*_: \t]*$")
_READABLE_RULE_CHAR = re.compile(r"([-=*_])")


def _flanked(text: str, start: int, end: int, edges: tuple[str, str]) -> bool:
    """Could the run `text[start:end]` of `*` or `_` open or close emphasis? Not when blanks stand on
    both sides of it, nor, for `_`, inside a word (pandoc's intraword_underscores). `edges` are
    what stands beyond the text's ends ("" when unknown)."""
    before = text[start - 1] if start else edges[0]
    after = text[end] if end < len(text) else edges[1]
    if before.isspace() and after.isspace():
        return False
    return not (text[start] == "_" and before in _WORD and after in _WORD)


def label_key(text: str) -> str:
    """A link label as pandoc matches it against references and headings: blanks collapsed,
    case folded."""
    return " ".join(text.split()).casefold()


def _bracket_is_literal(text: str, start: int, after: str, headings: frozenset[str]) -> bool:
    """Does `[` at `start` read as itself? Only as a plain `[words]`: closed in the same text, not
    an image, footnote or citation, not a heading's text (pandoc would link it to the heading), and
    followed by nothing that makes it a link or a span."""
    close = text.find("]", start + 1)
    if close < 0 or "[" in text[start + 1 : close] or close == start + 1:
        return False
    if label_key(text[start + 1 : close]) in headings:
        return False
    if text[start + 1] in "^@" or (start and text[start - 1] in "!\\"):
        return False
    follower = text[close + 1] if close + 1 < len(text) else after
    return follower != "" and follower not in _AFTER_BRACKET


def readable(
    text: str, *, before: str = "\n", after: str = "", in_stars: bool = False,
    headings: frozenset[str] = frozenset(),
) -> str:
    """`text` as pandoc markdown that reads back as exactly `text`, with as few backslashes as that
    takes: "it's", "+1", "snake_case", "[sic]," and "a < b" stay as they are.

    `before` and `after` are what the output holds next to the text: "\n" for a line's edge (the
    default before: block markers then count at the start), a delimiter such as "*", or "" when
    unknown, where a `*`, `_`, `[`, `<` or `$` at that edge is escaped. Control characters are
    dropped and line breaks become spaces. `in_stars`: the text is inside `*` emphasis, where
    pandoc lets any `*` close it. `headings` are the `label_key`s of the document's headings.
    """
    if "\r" in text or "\n" in text:
        text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    text = _SPECIAL_OR_CONTROL.sub(lambda m: m.group() if m.group() in _MARKUP_CHARS else "", text)
    out: list[str] = []
    literal_close: set[int] = set()  # positions of `]` that close a literal `[`
    dollars = text.count("$")
    starts_line, ends_line = before == "\n", after == "\n"
    n = len(text)
    pos = 0  # text before this is in `out`
    for special in _READABLE_SPECIAL.finditer(text):
        i = special.start()
        if i < pos:  # inside a run of `*` or `_` already written
            continue
        out.append(text[pos:i])
        ch = text[i]
        if ch in "*_":
            end = i
            while end < n and text[end] == ch:
                end += 1
            run = text[i:end]
            flanked = (ch == "*" and in_stars) or _flanked(text, i, end, (before, after))
            out.append("".join("\\" + c for c in run) if flanked else run)
            pos = end
            continue
        escaped = False
        if ch in _ALWAYS:
            escaped = True
        elif ch == "[":
            if _bracket_is_literal(text, i, after, headings):
                literal_close.add(text.find("]", i + 1))
            else:
                escaped = True
        elif ch == "]":
            escaped = (i not in literal_close and "[" in text[:i]) or (i == 0 and not starts_line)
        elif ch == "<":
            follower = text[i + 1] if i + 1 < n else after
            escaped = follower == "" or follower in _WORD or follower in _TAG_START
        elif ch == "@":
            escaped = not (i and text[i - 1] in _WORD)
        elif ch == "$":
            escaped = dollars > 1 or (i + 1 >= n and not ends_line) or (i == 0 and not starts_line)
        elif ch == "#":
            escaped = i + 1 >= n  # a closing sequence, at the end of a heading
        elif ch == "{":
            escaped = (i == 0 and not starts_line) or text[i - 1] in "]`" or text.endswith("}")
        elif ch == "&":
            escaped = _ENTITY.match(text, i) is not None
        out.append("\\" + ch if escaped else ch)
        pos = i + 1
    out.append(text[pos:])
    result = "".join(out)
    if starts_line:
        if _READABLE_RULE_LINE.match(result) and not result.startswith("\\"):
            result = _READABLE_RULE_CHAR.sub(r"\\\1", result)
        elif match := _READABLE_LINE_START.match(result):
            if match.group("caption"):  # "Table\:" (a backslash before the T would start TeX)
                result = result.replace(":", "\\:", 1)
            else:
                result = _escape_marker(match) + result[match.end() :]
    return result

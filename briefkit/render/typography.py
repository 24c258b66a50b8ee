"""Typography for the analyst's own words: curly quotes and apostrophes, dashes, ellipses, and
dates written for reading.

Only prose the analyst typed goes through here (sections, position titles and summaries, notes,
the title block); quotes from sources never do, since they must print byte for byte as the source
has them. Markdown prose keeps its markup: code, links, citations, raw HTML and table rules are
left as they are, and a backslash-escaped quote stays straight.
"""

from __future__ import annotations

import re
from datetime import date

_OPENING_CONTEXT = frozenset(" \t\n([{<\u2014\u2013\u2018\u201c/-")
_EM_DASH = re.compile(r"(?<=[^-\s])---(?=[^-\s])|(?<=\s)---(?=\s)")
_EN_DASH = re.compile(r"(?<=[^-\s])--(?=[^-\s])|(?<=\s)--(?=\s)|(?<=\S) - (?=\S)")
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_DECADE = re.compile(r"'(?=\d\ds\b)")  # '90s

# Markdown that typography must not touch, matched as whole pieces: fenced code, code spans, link
# destinations and attributes, autolinks and raw HTML, citations and note references, bare URLs,
# and lines that are table rules, thematic breaks or setext underlines.
_PROTECTED = re.compile(
    r"^[ \t]*(?:```|~~~)[^\n]*\n(?:.*\n)*?[ \t]*(?:```|~~~)[ \t]*$"
    r"|(?P<ticks>`+)[^`]*?(?P=ticks)"
    r"|\]\([^)\n]*\)|\{[^}\n]*\}"
    r"|<[^<>\n]*>"
    r"|\[[@^][^\]\n]*\]"
    r"|https?://\S+"
    r"|^[ \t]*[-=*_|:+ \t]{3,}$",
    re.MULTILINE,
)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def smart_text(text: str, before: str = " ") -> str:
    """Plain text with typographic quotes, apostrophes, dashes and ellipses.

    `"` and `'` open after a blank, an opening bracket or a dash and close elsewhere; an apostrophe
    inside a word or before a decade ('90s) is always a closing one. `---` is an em dash, `--` and
    a hyphen between blanks an en dash. A quote after a backslash stays straight (Markdown's way
    of asking for one). `before` is the character the text follows, if any.
    """
    if not any(c in text for c in "\"'-."):
        return text
    text = _EM_DASH.sub("\u2014", text)
    text = _EN_DASH.sub(lambda m: " \u2013 " if m.group() == " - " else "\u2013", text)
    text = _ELLIPSIS.sub("\u2026", text)
    text = _DECADE.sub("\u2019", text)
    if '"' not in text and "'" not in text:
        return text  # most prose: no character-by-character pass
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in "\"'" and not (i and text[i - 1] == "\\"):
            opening = (text[i - 1] if i else before[-1:] or " ") in _OPENING_CONTEXT
            if ch == '"':
                ch = "\u201c" if opening else "\u201d"
            else:
                ch = "\u2018" if opening else "\u2019"
        out.append(ch)
    return "".join(out)


def smart_markdown(markdown: str) -> str:
    """`smart_text` for the prose of Markdown, leaving code, links, citations, HTML and rules be."""
    out: list[str] = []
    pos = 0
    for match in _PROTECTED.finditer(markdown):
        out.append(smart_text(markdown[pos : match.start()], markdown[pos - 1 : pos]))
        out.append(match.group())
        pos = match.end()
    out.append(smart_text(markdown[pos:], markdown[pos - 1 : pos]))
    return "".join(out)


def reading_date(value: str) -> str:
    """An ISO date ("2026-12-03", "2026-12") written for reading ("3 December 2026",
    "December 2026"); anything else, or an impossible date, as it was written."""
    match = _ISO_DATE.fullmatch(value.strip())
    if match is None:
        return value
    year, month, day = int(match.group(1)), int(match.group(2)), match.group(3)
    try:
        date(year, month, int(day) if day else 1)
    except ValueError:
        return value
    return f"{int(day)} {_MONTHS[month - 1]} {year}" if day else f"{_MONTHS[month - 1]} {year}"

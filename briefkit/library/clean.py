"""Take web-capture clutter out of a source's text, and keep a record of every piece taken out.

Pages saved from a browser carry icon fonts, share buttons, image file names, photo credits, the
title printed twice, pull quotes that repeat the article, and "related articles" teasers at the
end. None of it is something an analyst would quote, and all of it shifts paragraph numbers, so
it goes. The rules are deliberately narrow: each matches a shape that real prose does not have,
and each removal is recorded (kind, line, text) so the cleaning can be audited and corrected.

The reading text has one paragraph per non-blank line of the input (captures use both blank-line
and single-newline paragraph breaks), paragraphs joined by exactly one blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefkit.library.model import Removal

__all__ = ["clean"]


@dataclass(slots=True)
class _Para:
    line: int  # 1-based line in the decoded text
    text: str
    blank_before: bool  # a blank line separated it from the previous paragraph


# Words of icon-font sprite sheets and share bars ("icon caret Arrow Down Arrow Left ...").
_ICON_WORDS = frozenset([
    "icon", "icons", "caret", "arrow", "down", "left", "right", "up", "line", "camera", "set",
    "ellipsis", "facebook", "favorite", "globe", "hamburger", "list", "mail", "map", "marker",
    "microphone", "minus", "pdf", "play", "print", "rss", "search", "share", "trash", "copy",
    "twitter", "video", "whatsapp", "youtube", "linkedin", "instagram", "telegram", "email",
    "close", "menu", "plus", "x", "tiktok", "copyview", "reddit", "pinterest", "flipboard",
    "bookmark", "link", "chevron", "home", "user", "calendar", "clock"
])

_NAVIGATION = frozenset(s.casefold() for s in (
    "Follow us on social", "Follow us", "Share this article", "Share this", "Share on Facebook",
    "Share on Twitter", "Skip to main content", "Skip to content", "Advertisement", "LATEST",
    "QIOSK", "Newsletter", "Subscribe", "Sign up", "Sign in", "Log in", "Menu", "Print",
    "Back to top", "Related", "Related articles", "Most popular", "Most read", "Trending",
))

_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif", ".tif", ".tiff")
# One token, letters and digits in several runs joined by - or _ ("Screen-shot-2021-04-02-at-2.09.56-pm").
_IMAGE_NAME = re.compile(r"(?=\S*\d)(?=(?:\S*[-_]){3})[A-Za-z][\w.-]*[A-Za-z0-9]")
_CREDIT_PREFIX = re.compile(
    r"(?:Top (?:image|photo) credit|(?:Image|Photo|Picture) credits?|Photos?|Images?"
    r"|Photograph|Illustration|Lead image|Header image|Featured image)\s*:", re.IGNORECASE)
# A caption ending in an agency credit: "... 14 July 2016. REUTERS/Carlos Garcia Rawlins", "KCNA via REUTERS".
_AGENCY_CREDIT = re.compile(
    r"(?:\b(?:REUTERS|AP|AFP|EPA|Getty Images|Bloomberg|ANADOLU|Xinhua)\s*/\s*"
    r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,4}|\bvia REUTERS)$")
_SECTION_LABEL = re.compile(r"[A-Z][\w&'’ -]{0,39}(?: \| [A-Z][\w&'’ -]{0,39})+")
_READ_MORE = re.compile(r"(?:Read more|Read also|Also read|Related|See also)\s*:", re.IGNORECASE)
_TEASER_END = re.compile(r"keep reading\s*show less", re.IGNORECASE)

_STOPS = (".", "!", "?", "…")
_QUOTE_CLOSERS = "\"'”’)]"
_ELISION = re.compile(r"\s*(?:\.\.\.|…|\[[^\]]*\])\s*")
_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})
_EDGES = " \t\u00a0.,;:!?…\"'()[]{}-–—*_"

_PULL_QUOTE_MAX = 320  # characters; a pull quote is one or two sentences
_PULL_QUOTE_MIN_WORDS = 8  # shorter paragraphs (headings) may well recur in the next paragraph
_HEADING_MAX_WORDS = 20  # a title printed twice; a longer paragraph said twice is the author's
_TITLE_ZONE = 2  # kept paragraphs at the top of a capture, where a page prints its title twice
_TEASER_LOOKBACK = 12  # paragraphs between a teaser's image credit and its "keep reading" marker
_FURNITURE_MAX = 80  # characters of a label or name line in a teaser block
_ICONS_MAX = 600  # characters of an icon-font line


def clean(text: str) -> tuple[str, list[Removal]]:
    """Remove web-capture clutter from decoded text.

    Returns:
        The reading text (paragraphs separated by exactly one blank line, no surrounding
        whitespace) and the removals, in line order.
    """
    paras = _paragraphs(text)
    removed: list[Removal] = []
    if "how less" in text or "HOW LESS" in text:
        paras = _drop_teasers(paras, removed)
    kept: list[list[str]] = []  # each paragraph of the reading text, as the pieces joined into it
    size = 0  # the length of the last one, joined
    for i, para in enumerate(paras):
        body = para.text
        length = len(body)
        # Only a paragraph as long as the last one can repeat it: join that one only then.
        repeats = length == size and 0 < len(kept) <= _TITLE_ZONE
        if (length > _PULL_QUOTE_MAX and not repeats and (length > _ICONS_MAX or ". " in body)
                and "/" not in body[-80:] and not body.endswith("REUTERS") and " | " not in body):
            kind = None  # most paragraphs: prose too long for most rules, not an icon line, and
            # with neither an agency credit at its end nor table cells
        else:
            kind = _clutter_kind(body, " ".join(kept[-1]) if repeats else None, paras, i)
        if kind:
            removed.append(Removal(kind, para.line, body))
            continue
        if kept and para.blank_before and body[0].islower() and _continues(kept[-1][-1], body):
            # A paragraph broken mid-sentence by the capture: join it back together (once, at the
            # end: growing one string piece by piece took time quadratic in its length).
            removed.append(Removal("paragraph-break", para.line - 1, "\n\n"))
            kept[-1].append(body)
            size += 1 + length
            continue
        kept.append([body])
        size = length
    removed.sort(key=lambda r: r.line)
    return "\n\n".join(" ".join(pieces) for pieces in kept), removed


def _paragraphs(text: str) -> list[_Para]:
    out: list[_Para] = []
    blank = False
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped:
            out.append(_Para(number, stripped, blank))
            blank = False
        else:
            blank = True
    return out


def _clutter_kind(text: str, previous: str | None, paras: list[_Para], i: int) -> str | None:
    """The kind of clutter `text` (paragraph `i`) is, or None for a paragraph of the article.

    `previous` is the paragraph kept just before, when it is as long as `text` and near the top.
    """
    if " | " in text and _is_table_row(paras, i):
        return None  # a row of a Markdown or Word table, such as "Party | Seats"
    if text == previous and _is_heading(text):
        return "duplicate-heading"
    size = len(text)
    if size > _PULL_QUOTE_MAX:  # most paragraphs: only two rules apply to long ones
        if size <= _ICONS_MAX and _is_icon_line(text):
            return "icons"
        return "photo-credit" if _is_credit(text) else None
    if size <= _FURNITURE_MAX:
        folded = text.casefold()
        if folded in _NAVIGATION:
            return "navigation"
        if _SECTION_LABEL.fullmatch(text):
            return "section-label"
        if " " not in text and (_IMAGE_NAME.fullmatch(text) or folded.endswith(_IMAGE_EXTENSIONS)):
            return "image-name"
    if _is_icon_line(text):
        return "icons"
    if _is_credit(text):
        return "photo-credit"
    if size <= 200 and _READ_MORE.match(text):
        return "read-more"
    if _is_pull_quote(text, paras[i + 1 : i + 3]):
        return "pull-quote"
    return None


def _is_table_row(paras: list[_Para], i: int) -> bool:
    """A line of " | "-separated cells beside another with as many: the readers' table rows.

    A web page's section label ("World | Politics") stands alone.
    """
    cells = paras[i].text.count(" | ")
    return any(paras[j].text.count(" | ") == cells for j in (i - 1, i + 1) if 0 <= j < len(paras))


def _is_heading(text: str) -> bool:
    """Short, capitalised and not a statement: a title, not a paragraph of prose."""
    return (text.count(" ") < _HEADING_MAX_WORDS and _starts_sentence(text)
            and not text.rstrip(_QUOTE_CLOSERS).endswith((".", "…")))


def _is_icon_line(text: str) -> bool:
    if len(text) > _ICONS_MAX or ". " in text:
        return False
    words = text.split()
    if len(words) < 8:
        return False
    icons = sum(1 for w in words if w.casefold() in _ICON_WORDS)
    return icons >= 0.6 * len(words)


def _is_credit(text: str) -> bool:
    if 0 < text.find(":", 0, 32) and len(text) <= 300 and _CREDIT_PREFIX.match(text):
        return True
    tail = text[-80:]
    return ("/" in tail or tail.endswith("REUTERS")) and bool(_AGENCY_CREDIT.search(tail))


def _is_pull_quote(text: str, following: list[_Para]) -> bool:
    """A short sentence repeated (possibly with "..." or [bracketed] edits) in the next paragraphs.

    It starts as a sentence does, and the paragraph that repeats it says more than it does: a
    paragraph said twice, or a fragment cut out of a sentence, is the author's text.
    """
    if len(text) > _PULL_QUOTE_MAX or not following or not _ends_sentence(text):
        return False
    words = text.count(" ") + 1
    if words < _PULL_QUOTE_MIN_WORDS or not _starts_sentence(text):
        return False
    edited = "..." in text or "…" in text or "[" in text
    middle = len(text) // 2
    probe = "" if edited else text[middle - 6 : middle + 6]
    if probe.translate(_QUOTE_MARKS) != probe or "  " in probe or "\t" in probe:
        probe = ""  # quote marks or odd spaces in the middle: the cheap test does not apply
    # An unedited pull quote repeats its middle verbatim: a cheap test before the real one.
    candidates = [p.text for p in following if len(p.text) > len(text) and probe in p.text
                  and p.text.count(" ") + 1 >= words + _PULL_QUOTE_MIN_WORDS]
    if not candidates:
        return False
    parts = _ELISION.split(text) if edited else [text]
    if sum(len(part.split()) for part in parts) < _PULL_QUOTE_MIN_WORDS:
        return False
    fragments = [f for f in map(_normal, parts) if f]
    return any(_holds_in_order(_normal(candidate), fragments) for candidate in candidates)


def _holds_in_order(body: str, fragments: list[str]) -> bool:
    """True when each fragment occurs in `body` as whole words, in order, without overlap."""
    at = 0
    for fragment in fragments:
        at = body.find(fragment, at)
        while at >= 0 and not _whole_words(body, at, at + len(fragment)):
            at = body.find(fragment, at + 1)
        if at < 0:
            return False
        at += len(fragment)
    return True


def _whole_words(body: str, start: int, end: int) -> bool:
    return not (start > 0 and body[start - 1].isalnum()) and not (end < len(body) and body[end].isalnum())


def _starts_sentence(text: str) -> bool:
    first = text.lstrip("\"'“‘")[:1]
    return first.isupper() or first.isdigit()


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_QUOTE_CLOSERS)[-1:] in _STOPS


def _normal(text: str) -> str:
    """Case, typographic quotes, runs of spaces and edge punctuation do not count."""
    return " ".join(text.translate(_QUOTE_MARKS).casefold().split()).strip(_EDGES)


def _continues(previous: str, text: str) -> bool:
    """True when `text` is the rest of a sentence that `previous` breaks off mid-way."""
    return text[0].islower() and (previous[-1].isalnum() or previous[-1] in ",-–")


def _drop_teasers(paras: list[_Para], removed: list[Removal]) -> list[_Para]:
    """Cut the related-article block that ends the page, from its first teaser onward.

    Teasers end with a "keep reading / Show less" marker. The first teaser starts at the image
    credit closest above the first marker, extended upward over the credit, label and name lines
    just before it (the main article's own photo credit belongs to the page furniture too).
    """
    marker = next((i for i, p in enumerate(paras) if _TEASER_END.fullmatch(p.text)), None)
    if marker is None:
        return paras
    start = marker
    for i in range(marker - 1, max(-1, marker - 1 - _TEASER_LOOKBACK), -1):
        if _is_credit(paras[i].text):
            start = i
            break
    if start < marker:
        while start > 0 and _is_furniture(paras[start - 1].text):
            start -= 1
    for para in paras[start:]:
        kind = "photo-credit" if _is_credit(para.text) else "teaser"
        removed.append(Removal(kind, para.line, para.text))
    return paras[:start]


def _is_furniture(text: str) -> bool:
    """A credit, label or bare name line: short, or a credit, and never a finished sentence."""
    if _is_credit(text):
        return True
    return len(text) <= _FURNITURE_MAX and len(text.split()) <= 8 and not _ends_sentence(text)

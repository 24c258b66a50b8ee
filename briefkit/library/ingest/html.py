"""Saved web pages: the article's text and metadata, without the page's furniture.

trafilatura finds the main text (dropping navigation, menus, footers, cookie banners and
related-article teasers) and reads title, author, date, site name and canonical URL from the
page's own markup. The library's web-capture cleaner then takes out what it still lets through
(photo credits, share-button lines).

Two repairs on trafilatura's text: the standfirst (the summary under the headline, marked up as
`standfirst`, `dek`, `subheading` ...), which it drops when it sits in the article's header, is
put back after the headline; and in-article teasers ("Keep reading: ...", "Read next: ...") are
dropped, since they are links to other articles, not this one's text.

What was left out is recorded with the line of the page's source it came from: each run of the
page's text blocks that trafilatura dropped (a menu, a cookie banner, a related-articles box),
named by the part of the page it sat in, then the teasers and the cleaner's removals.
"""

from __future__ import annotations

import codecs
import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any, NamedTuple

from briefkit.errors import SourceError
from briefkit.library.clean import clean
from briefkit.library.csl import csl_date, csl_names, title_from_filename
from briefkit.library.ingest.extracted import Extracted
from briefkit.library.model import Removal

__all__ = ["read_html"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_DOCUMENT = re.compile(rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html)",
                       re.IGNORECASE | re.DOTALL)
_STANDFIRST = re.compile(r"(?:^|[\s_-])(?:standfirst|dek|deck|sub-?head(?:ing|line)?|subtitle"
                         r"|article-summary|lede|intro-text|summary)(?:$|[\s_-])", re.IGNORECASE)
_TEASER = re.compile(r"(?:keep reading|read next|read more|more on this(?: story)?|recommended"
                     r"|you (?:may|might) also like|don'?t miss|most read|further reading)"
                     r"\s*[:|–—-]\s*\S", re.IGNORECASE)
_TEASER_MAX = 200
_ELSEWHERE = re.compile(r"related|teaser|promo|card|sidebar|recommend", re.IGNORECASE)
# Elements whose text is not the page's text, and those that start a block of text of their own.
_NOT_TEXT = frozenset({"head", "script", "style", "noscript", "template", "svg", "math"})
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "button", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "html", "label", "legend", "li", "main", "menu", "nav",
    "ol", "option", "p", "pre", "section", "select", "summary", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul"})
_ENDS = 40  # characters at a block's start or end that show it is in the main text (where
# trafilatura rewrote some of it, as code and tables)
_WINDOW = 65536  # characters of the main text searched ahead for the next block
_LANDMARKS = {"nav": "navigation", "header": "header", "footer": "footer", "aside": "aside",
              "form": "form"}
_REGIONS = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
    ("cookie-banner", r"cookie|consent|gdpr"),
    ("related", r"related|teaser|promo|recommend|more-stories|trending|most-read"),
    ("newsletter", r"newsletter|subscri|sign-?up"),
    ("share", r"share|social"),
    ("comments", r"comment"),
    ("advertisement", r"\bad\b|advert|sponsor"),
    ("navigation", r"\bnav|menu|breadcrumb"),
))
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def read_html(path: Path) -> Extracted:
    """Extract an HTML page's main text and metadata.

    Raises:
        SourceError: bad bytes for the declared encoding, a truncated page, or no main text.
    """
    import trafilatura  # loads lxml and friends: only when a page is ingested

    path = Path(path)
    raw = path.read_bytes()
    html, encoding = _decode(raw, path)
    if _DOCUMENT.match(raw[:4096]) and not re.search(rb"</(?:html|body)\s*>", raw[-65536:], re.IGNORECASE):
        raise SourceError("is truncated or damaged: the page has no closing </body> or </html>",
                          path=path)
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, favor_precision=True,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except (ValueError, TypeError) as exc:
        raise SourceError(f"cannot parse the HTML page: {exc}", path=path) from None
    found = getattr(doc, "text", None) or ""
    text, teasers = _without_teasers(found)
    reading, cleaned = clean(text)
    if not reading:
        raise SourceError("no main text found in the page (is it a page of links, or a page "
                          "that builds its text with scripts?)", path=path)
    tree = _tree(html)
    if tree is None:
        return Extracted("html", reading, _metadata(doc, path), encoding)
    with_standfirst = _with_standfirst(reading, tree, getattr(doc, "title", None) or "")
    blocks = _blocks(tree)
    lines = {b.text: b.line for b in reversed(blocks)}  # a text's first line on the page
    removed = _dropped(blocks, found, with_standfirst)
    removed += [Removal("teaser", lines.get(_normal(t), 0), t) for t in teasers]
    text_lines = text.split("\n")
    removed += [Removal(r.kind, _page_line(r.line, text_lines, lines), r.text) for r in cleaned]
    count = len(cleaned) + len(teasers)
    notes = [f"{count} clutter lines removed"] if count else []
    return Extracted("html", with_standfirst, _metadata(doc, path), encoding, notes=notes,
                     removed=removed)


def _without_teasers(text: str) -> tuple[str, list[str]]:
    """The text without in-article teaser lines; and those lines."""
    lines = text.split("\n")
    teaser = [len(ln) <= _TEASER_MAX and bool(_TEASER.match(ln.strip())) for ln in lines]
    return ("\n".join(ln for ln, t in zip(lines, teaser, strict=True) if not t),
            [ln.strip() for ln, t in zip(lines, teaser, strict=True) if t])


def _tree(html: str) -> Any:
    """The page as an lxml tree, or None when lxml cannot parse what trafilatura could."""
    import lxml.etree
    import lxml.html

    try:
        return lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None


def _normal(text: str) -> str:
    return " ".join(text.split())


class _Block(NamedTuple):
    line: int  # in the page's source
    text: str
    region: str  # the part of the page it sits in: "navigation", "footer", ... (see _region)


def _blocks(tree: Any) -> list[_Block]:
    """The page's text blocks in order: a block's own text and that of the inline elements in
    it, without the blocks nested in it; the head, scripts and styles left out."""
    pieces: dict[Any, list[str]] = {}
    block_of: dict[Any, Any] = {}  # element -> the block its text belongs to (None: not text)
    region_of: dict[Any, str] = {}  # element -> the part of the page it is in
    for element in tree.iter():
        parent = element.getparent()
        outer = block_of[parent] if parent is not None else tree
        if outer is None:
            block_of[element] = None  # inside the head, a script or a style
            continue
        region_of[element] = _region(element) or (
            region_of.get(parent, "boilerplate") if parent is not None else "boilerplate")
        if not isinstance(element.tag, str) or element.tag in _NOT_TEXT:
            block_of[element] = None
        else:
            block = element if element.tag in _BLOCK_TAGS else outer
            block_of[element] = block
            if element.text:
                pieces.setdefault(block, []).append(element.text)
        if element.tail:  # after a block, a break or a script, the outer text goes on apart
            apart = block_of[element] is not outer or element.tag == "br"
            pieces.setdefault(outer, []).append(" " + element.tail if apart else element.tail)
    out = [_Block(block.sourceline or 0, _normal("".join(texts)), region_of[block])
           for block, texts in pieces.items()]
    return sorted((b for b in out if any(c.isalnum() for c in b.text)), key=lambda b: b.line)


def _region(element: Any) -> str:
    """The part of the page an element marks by its class, id or tag, or "" when it marks none
    (it is then in its parent's part)."""
    names = f"{element.get('class', '')} {element.get('id', '')}"
    if names != " ":
        for kind, pattern in _REGIONS:
            if pattern.search(names):
                return kind
    return _LANDMARKS.get(element.tag, "") if isinstance(element.tag, str) else ""


def _dropped(blocks: list[_Block], kept: str, paragraphs: str) -> list[Removal]:
    """Each run of consecutive blocks of one region that are not in the main text, as one
    removal on the line of its first block.

    A block is looked for in `kept` (trafilatura's text, in page order) within a window around
    the last block found, or among the lines of `paragraphs` (the reading text, with the
    restored standfirst): a page of thousands of menu lines costs a window each, not the whole
    text. A block found only outside its window is listed, though kept: the list errs towards
    saying too much.
    """
    lines = {_normal(line) for line in paragraphs.split("\n")}
    flat = _normal(kept)
    at = 0

    def dropped(text: str) -> bool:
        nonlocal at
        for probe in (text, text[:_ENDS], text[-_ENDS:]) if len(text) > 2 * _ENDS else (text,):
            found = flat.find(probe, max(0, at - _WINDOW), at + _WINDOW + len(probe))
            if found >= 0:
                if len(probe) >= _ENDS:  # a short text may be found far ahead: no move for it
                    at = found
                return False
        return text not in lines

    removed: list[Removal] = []
    for (cut, region), group in itertools.groupby(blocks, lambda b: (dropped(b.text), b.region)):
        if cut:
            run = list(group)
            removed.append(Removal(region, run[0].line, " / ".join(b.text for b in run)))
    return removed


def _page_line(line: int, text_lines: list[str], lines: dict[str, int]) -> int:
    """The page-source line of what was line `line` of trafilatura's text (or the next line,
    for a joined paragraph break), else 0."""
    for at in (line - 1, line):
        if 0 <= at < len(text_lines) and text_lines[at].strip():
            return lines.get(_normal(text_lines[at]), 0)
    return 0


def _with_standfirst(reading: str, tree: Any, title: str) -> str:
    """Put back the page's standfirst after the headline when the main text lacks it."""
    for element in tree.iter("p", "div", "h2", "h3", "span"):
        if not _STANDFIRST.search(f"{element.get('class', '')} {element.get('itemprop', '')}"):
            continue
        if any(a.tag in ("aside", "nav", "footer") or _ELSEWHERE.search(a.get("class", ""))
               for a in element.iterancestors()):
            continue  # another article's summary, in a sidebar or a teaser card
        text = " ".join(element.text_content().split())
        if not 30 <= len(text) <= 600 or text in reading:
            continue
        paras = reading.split("\n\n")
        at = 1 if paras and title and paras[0].strip() in title else 0
        return "\n\n".join([*paras[:at], text, *paras[at:]])
    return reading


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Decode by BOM, else by the page's declared charset (strictly), else UTF-8 or cp1252."""
    if not raw.strip():
        raise SourceError("is empty", path=path)
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return _strict(raw[len(bom):], codec, path, len(bom)), codec
    declared = _CHARSET.search(raw[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = ""
        if codec:
            if codec in ("latin-1", "iso8859-1", "ascii", "us-ascii"):
                codec = "cp1252"  # what browsers do with these labels
            return _strict(raw, codec, path, 0), codec
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace"), "cp1252"


def _strict(raw: bytes, codec: str, path: Path, offset: int) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceError(f"declares the {codec} encoding but byte {exc.start + offset} is not "
                          f"valid {codec}", path=path) from None


def _metadata(doc: Any, path: Path) -> dict[str, Any]:
    csl: dict[str, Any] = {"type": "webpage",
                           "title": getattr(doc, "title", None) or title_from_filename(path.stem)}
    if getattr(doc, "author", None):
        csl["author"] = csl_names(doc.author)
    issued = csl_date(getattr(doc, "date", None))
    if issued is not None:
        csl["issued"] = issued
    if getattr(doc, "sitename", None):
        csl["container-title"] = doc.sitename
    if getattr(doc, "url", None):
        csl["URL"] = doc.url
    csl["accessed"] = csl_date(dt.date.fromtimestamp(path.stat().st_mtime))
    return csl

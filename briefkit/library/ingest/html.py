"""Saved web pages: the article's text and metadata, without the page's furniture.

trafilatura finds the main text (dropping navigation, menus, footers, cookie banners and
related-article teasers) and reads title, author, date, site name and canonical URL from the
page's own markup. The library's web-capture cleaner then takes out what it still lets through
(photo credits, share-button lines).

Two repairs on trafilatura's text: the standfirst (the summary under the headline, marked up as
`standfirst`, `dek`, `subheading` ...), which it drops when it sits in the article's header, is
put back after the headline; and in-article teasers ("Keep reading: ...", "Read next: ...") are
dropped, since they are links to other articles, not this one's text.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from pathlib import Path
from typing import Any

from briefkit.errors import SourceError
from briefkit.library.clean import clean
from briefkit.library.csl import csl_date, csl_names, title_from_filename
from briefkit.library.ingest.extracted import Extracted

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
    text, teasers = _without_teasers(getattr(doc, "text", None) or "")
    reading, removed = clean(text)
    if not reading:
        raise SourceError("no main text found in the page (is it a page of links, or a page "
                          "that builds its text with scripts?)", path=path)
    reading = _with_standfirst(reading, html, getattr(doc, "title", None) or "")
    count = len(removed) + teasers
    notes = [f"{count} clutter lines removed"] if count else []
    return Extracted("html", reading, _metadata(doc, path), encoding, notes=notes)


def _without_teasers(text: str) -> tuple[str, int]:
    """The text without in-article teaser lines; and how many there were."""
    lines = text.split("\n")
    kept = [ln for ln in lines if not (len(ln) <= _TEASER_MAX and _TEASER.match(ln.strip()))]
    return "\n".join(kept), len(lines) - len(kept)


def _with_standfirst(reading: str, html: str, title: str) -> str:
    """Put back the page's standfirst after the headline when the main text lacks it."""
    import lxml.etree
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return reading
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

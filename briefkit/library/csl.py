"""CSL-JSON values from the loose text that files and reference managers hold: names, dates,
URLs and DOIs, and BibTeX entries as CSL items.

Chicago footnotes need a family name to sort and shorten by, so a person's name is split into
family and given parts only when its shape is clear; anything else (an organisation, a name
with several particles) stays a `literal` name, printed exactly as written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["csl_date", "csl_name", "csl_names", "from_bibtex", "normal_doi", "normal_title",
           "normal_url", "title_from_filename"]

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?")
_NAME_WORD = re.compile(r"(?:[A-Z][\w'’.-]*|[A-Z]\.?|(?:de|da|van|von|der|del|la|le|bin|al)\b)")
_ORGANISATION = re.compile(
    r"\b(?:institute|council|group|forum|center|centre|foundation|office|ministry|department|"
    r"agency|university|committee|commission|association|staff|news|press|team|editors?|"
    r"bank|fund|service|bureau|organi[sz]ation|inc|ltd|llc|corp)\b", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*by\s+", re.IGNORECASE)
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.IGNORECASE)
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def csl_name(text: str) -> dict[str, str]:
    """One name: "Family, Given" and "Given Family" become family/given, others a literal."""
    text = " ".join(_BYLINE.sub("", text).split()).strip(" ,;")
    if text.count(",") == 1:
        family, given = (part.strip() for part in text.split(","))
        if family and given and not _ORGANISATION.search(text):
            return {"family": family, "given": given}
    words = text.split()
    if (2 <= len(words) <= 4 and not _ORGANISATION.search(text)
            and all(_NAME_WORD.fullmatch(w) for w in words) and words[-1][0].isupper()):
        return {"family": words[-1], "given": " ".join(words[:-1])}
    return {"literal": text}


def csl_names(text: str) -> list[dict[str, str]]:
    """Names from an author field: "A; B", "A and B", "A & B", or BibTeX's "A and B"."""
    parts = re.split(r"\s*;\s*|\s+and\s+|\s*&\s*", text.strip())
    return [csl_name(p) for p in parts if p.strip(" ,")]


def csl_date(text: str | dt.date | None) -> dict[str, Any] | None:
    """A CSL date from "2021", "2021-08", "2021-08-06", a PDF date ("D:20210806...") or a date."""
    if text is None:
        return None
    if isinstance(text, dt.date):
        return {"date-parts": [[text.year, text.month, text.day]]}
    match = _PDF_DATE.match(text.strip()) or _ISO_DATE.fullmatch(text.strip()[:10])
    if not match:
        return None
    parts = [int(g) for g in match.groups() if g]
    if len(parts) > 1 and not 1 <= parts[1] <= 12 or len(parts) > 2 and not 1 <= parts[2] <= 31:
        return None
    return {"date-parts": [parts]}


def normal_url(url: str) -> str:
    """A URL for matching: no scheme, "www.", fragment, tracking parameters or trailing slash."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)])
    return urlunsplit(("", host, parts.path.rstrip("/"), query, "")).lstrip("/")


def normal_doi(doi: str) -> str:
    match = _DOI.search(doi)
    return match.group(0).lower().rstrip(".") if match else ""


def normal_title(title: str) -> str:
    """A title for matching: case, punctuation and spacing do not count."""
    return " ".join(re.findall(r"\w+", title.casefold()))


def title_from_filename(stem: str) -> str:
    return " ".join(re.split(r"[-_\s]+", stem)).strip() or stem


# BibTeX -------------------------------------------------------------------------------------------

_BIB_TYPES = {
    "article": "article-journal", "book": "book", "booklet": "pamphlet", "inbook": "chapter",
    "incollection": "chapter", "inproceedings": "paper-conference", "conference": "paper-conference",
    "manual": "report", "mastersthesis": "thesis", "phdthesis": "thesis", "thesis": "thesis",
    "techreport": "report", "report": "report", "unpublished": "manuscript", "online": "webpage",
    "electronic": "webpage", "www": "webpage", "misc": "document", "newsarticle": "article-newspaper",
}
_BIB_FIELDS = {
    "title": "title", "journal": "container-title", "journaltitle": "container-title",
    "booktitle": "container-title", "publisher": "publisher", "institution": "publisher",
    "organization": "publisher", "school": "publisher", "address": "publisher-place",
    "location": "publisher-place", "volume": "volume", "number": "issue", "issue": "issue",
    "pages": "page", "edition": "edition", "series": "collection-title", "url": "URL",
    "doi": "DOI", "isbn": "ISBN", "issn": "ISSN", "abstract": "abstract", "note": "note",
    "language": "language",
}
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_TEX_BRACES = re.compile(r"(?<!\\)[{}]")


def from_bibtex(entry_type: str, fields: dict[str, str]) -> dict[str, Any]:
    """A CSL-JSON item (without id) from a BibTeX entry's type and fields."""
    item: dict[str, Any] = {"type": _BIB_TYPES.get(entry_type.lower(), "document")}
    if item["type"] == "document" and "url" in fields:
        item["type"] = "webpage"
    for key, value in fields.items():
        key = key.lower()
        text = " ".join(_TEX_BRACES.sub("", value).replace("\\&", "&").replace("--", "–").split())
        if key in _BIB_FIELDS and text:
            item.setdefault(_BIB_FIELDS[key], text)
        elif key in ("author", "editor", "translator"):
            item[key] = [_bib_name(n) for n in re.split(r"\s+and\s+", value) if n.strip()]
    issued = csl_date(fields.get("date", ""))
    if issued is None and (year := fields.get("year", "").strip()).isdigit():
        parts = [int(year)]
        month = fields.get("month", "").strip().lower()[:3]
        if month in _MONTHS or month.isdigit():
            parts.append(_MONTHS.get(month) or int(month))
        issued = {"date-parts": [parts]}
    if issued is not None:
        item["issued"] = issued
    accessed = csl_date(fields.get("urldate", ""))
    if accessed is not None:
        item["accessed"] = accessed
    return item


def _bib_name(text: str) -> dict[str, str]:
    """A BibTeX name: "{Organisation}" stays literal, "Family, Given" and "Given Family" split."""
    text = " ".join(text.split())
    if text.startswith("{") and text.endswith("}"):
        return {"literal": _TEX_BRACES.sub("", text)}
    plain = _TEX_BRACES.sub("", text)
    if "," in plain:
        family, _, given = plain.partition(",")
        return {"family": family.strip(), "given": given.strip()} if given.strip() else {
            "literal": family.strip()}
    words = plain.split()
    if len(words) == 1:
        return {"literal": plain}
    return {"family": words[-1], "given": " ".join(words[:-1])}

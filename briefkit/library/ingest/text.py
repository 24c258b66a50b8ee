"""Plain text and Markdown: checked here, and read at use time like any file in a library.

The reading text of a text source is what the library's own decode, clean and segment steps
make of the copied file, so ingestion only has to prove the file is text and find its metadata:
a Markdown file's YAML front matter (else its first `#` heading as title), or a text file's
opening lines when they read as a title, a "By ..." byline and a date, as op-eds and memos
begin. Files up to `FULL_CHECK_BYTES` get the full treatment (which also catches a file that is
all clutter); larger ones are scanned in chunks so a 100 MB file is checked in bounded memory.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from briefkit.errors import SourceError
from briefkit.library.clean import clean
from briefkit.library.csl import csl_date, csl_names, title_from_filename
from briefkit.library.decode import decode_source, sniff_encoding
from briefkit.library.ingest.extracted import Extracted

__all__ = ["FULL_CHECK_BYTES", "read_text_file", "text_head_metadata"]

FULL_CHECK_BYTES = 16 << 20
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_BYLINE = re.compile(r"^by\s+([A-ZÀ-Ý][\w.'’-]*(?:[\s,]+(?:and\s+|&\s+)?[A-ZÀ-Ý][\w.'’-]*){1,8})$",
                     re.IGNORECASE)
_MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], 1) for name in names}
_MONTH_FIRST = re.compile(r"^(?:\w+day,?\s+)?([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$", re.IGNORECASE)
_DAY_FIRST = re.compile(r"^(?:\w+day,?\s+)?(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})$", re.IGNORECASE)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FIELDS = {"title": "title", "author": "author", "issued": "date"}  # as named in the add report


def read_text_file(path: Path, fmt: str) -> Extracted:
    """Check a text or Markdown file and take its metadata.

    Raises:
        SourceError: the file is empty, binary, badly encoded or holds only clutter.
    """
    path = Path(path)
    csl: dict[str, Any] = {"type": "document", "title": title_from_filename(path.stem)}
    notes: list[str] = []
    if path.stat().st_size > FULL_CHECK_BYTES:
        encoding = sniff_encoding(path)
    else:
        text, encoding = decode_source(path)
        if not clean(text)[0]:
            raise SourceError("has no text left once web-capture clutter is removed", path=path)
        raw = path.read_bytes().decode(encoding.removesuffix("-sig"), "replace")
        if fmt == "markdown":
            from briefkit.library.ingest.markdown import front_matter

            found = front_matter(raw)
            if found:
                notes.append(f"{', '.join(_FIELDS[k] for k in found)} from its front matter")
            heading = _HEADING.search(raw)
            if heading and "title" not in found:
                found["title"] = heading.group(1).strip()
        else:
            found = text_head_metadata(raw)
            if found:
                notes.append(f"{', '.join(_FIELDS[k] for k in found)} from its first lines")
        csl.update(found)
    return Extracted(fmt, None, csl, encoding, notes=notes)


def text_head_metadata(text: str) -> dict[str, Any]:
    """Title, author and date from a text's first lines, when they read as a heading block: a
    short title line, then a "By Name" line and/or a date line, each a line of its own, then
    a blank line; or the same lines each a paragraph of its own, as a copy of a web page often
    has them. Anything else gives nothing: a guess here would cite the wrong author."""
    paragraphs = text.lstrip("\ufeff\n ").split("\n\n", 4)
    block = paragraphs[0].splitlines()
    lines = [" ".join(line.split()) for line in block]
    if len(lines) == 1 and _is_title(lines[0]):
        return _spaced_head(lines[0], paragraphs[1:3])
    if not 2 <= len(lines) <= 4 or not _is_title(lines[0]):
        return {}
    found: dict[str, Any] = {"title": lines[0]}
    for line in lines[1:]:
        byline = _BYLINE.match(line)
        date = _date(line)
        if byline and "author" not in found:
            found["author"] = csl_names(byline.group(1))
        elif date is not None and "issued" not in found:
            found["issued"] = date
        else:
            return {}
    return found


def _spaced_head(title: str, paragraphs: list[str]) -> dict[str, Any]:
    """A title paragraph followed by a byline paragraph and/or a date paragraph, one line each,
    read up to the first paragraph that is neither. The byline's names must be capitalised: a
    sentence such as "By then it was over." is prose."""
    found: dict[str, Any] = {}
    for paragraph in paragraphs:
        if "\n" in paragraph.strip():
            break
        line = " ".join(paragraph.split())
        byline = _BYLINE.match(line)
        date = _date(line)
        if byline and "author" not in found and _capitalised(byline.group(1)):
            found["author"] = csl_names(byline.group(1))
        elif date is not None and "issued" not in found:
            found["issued"] = date
        else:
            break
    return {"title": title, **found} if found else {}


def _capitalised(names: str) -> bool:
    words = [w for w in names.replace(",", " ").split() if w.casefold() not in ("and", "&")]
    return all(w[:1].isupper() for w in words) and not names.endswith(".")


def _is_title(line: str) -> bool:
    words = line.split()
    return (1 <= len(words) <= 20 and not line.endswith((".", ",", ";"))
            and any(w[:1].isupper() for w in words) and _BYLINE.match(line) is None
            and _date(line) is None)


def _date(line: str) -> dict[str, Any] | None:
    line = line.strip()
    if _ISO.match(line):
        return csl_date(line)
    month_first, day_first = _MONTH_FIRST.match(line), _DAY_FIRST.match(line)
    if month_first:
        month, day, year = month_first.groups()
    elif day_first:
        day, month, year = day_first.groups()
    else:
        return None
    number = _MONTHS.get(month.casefold())
    if number is None or not 1 <= int(day) <= 31:
        return None
    return {"date-parts": [[int(year), number, int(day)]]}

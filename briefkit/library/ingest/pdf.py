"""PDF reports: text page by page, so every passage keeps the page its footnote cites.

pypdfium2 (PDFium, the engine in Chrome) is used rather than pypdf: it is compiled code, some
twenty times faster on long reports, reads damaged files as browsers do, and gives each text
line's position, which is what tells paragraphs, running headers and footers apart. Pages are
opened and closed one at a time, so a 500-page report needs memory for its text only.

Repairs: ligature characters (ﬁ ﬂ ﬀ ﬃ ﬄ) become letters; a word hyphenated at a line end is
joined (keeping the hyphen when the document writes the same compound unbroken elsewhere);
lines repeated at the top or bottom of most pages (running headers and footers) and bare page
numbers are dropped.

Each page's printed label (the catalog's /PageLabels: "i", "ii", then "1", ...) is read too, so
a footnote cites the page as printed rather than as counted from the cover.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefkit.errors import SourceError
from briefkit.library.csl import csl_date, csl_names, title_from_filename
from briefkit.library.ingest.extracted import Extracted, Progress
from briefkit.library.pages import join_pages, printed_labels

__all__ = ["read_pdf"]

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st",
                            "ﬆ": "st", "\u00a0": " ", "\t": " "})
_HYPHEN_MARKS = ("\x02", "\ufffe", "\u00ad", "-")  # PDFium marks a line-end hyphen with \x02
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\u00ad]")
_PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[ivxlcdm]{1,7}|-\s*\d{1,4}\s*-",
                          re.IGNORECASE)
_COMPOUND = re.compile(r"\b([^\W\d_]+)-([^\W\d_]+)\b")
_JUNK_TITLE = re.compile(r"^(?:microsoft word - |untitled)|\.(?:docx?|pdf|indd|tex)$", re.IGNORECASE)
_EDGE_LINES = 2  # lines at the top and bottom of a page that may be running headers/footers
_MARGIN = 0.075  # share of the page height at top and bottom that counts as margin


@dataclass(slots=True)
class _Line:
    text: str
    left: float
    bottom: float
    right: float
    top: float
    edge: bool = False  # in the top or bottom margin, where running headers and footers sit

    @property
    def height(self) -> float:
        return self.top - self.bottom


def read_pdf(path: Path, progress: Progress | None = None) -> Extracted:
    """Extract a PDF's text, one block of paragraphs per page, with its document metadata.

    Raises:
        SourceError: the PDF is truncated, damaged, encrypted, or has no text layer (a scan).
    """
    import pypdfium2 as pdfium  # loads only when a PDF is ingested

    path = Path(path)
    _check_complete(path)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise SourceError("is encrypted (password-protected): save an unprotected copy and "
                              "add that", path=path) from None
        raise SourceError(f"is not a readable PDF ({_reason(exc)})", path=path) from None
    try:
        count = len(pdf)
        pages: list[list[_Line]] = []
        labels: list[str] = []
        for number in range(count):
            labels.append(pdf.get_page_label(number))  # "" when the PDF labels no pages
            page = pdf[number]
            textpage = page.get_textpage()
            try:
                pages.append(_lines(textpage, page.get_height()))
            finally:
                textpage.close()
                page.close()
            if progress is not None and (number % 10 == 9 or number + 1 == count):
                progress(f"page {number + 1}/{count}")
        metadata = pdf.get_metadata_dict()
    except pdfium.PdfiumError as exc:
        raise SourceError(f"is damaged ({_reason(exc)})", path=path) from None
    finally:
        pdf.close()
    if count == 0:
        raise SourceError("is a PDF with no pages", path=path)
    blank = sum(1 for lines in pages if not lines)
    if blank == count:
        raise SourceError(f"has no text layer on any of its {count} pages (a scan?): run OCR "
                          "on it first (for example with ocrmypdf) and add the result", path=path)
    removed = _drop_running_lines(pages)
    compounds = {f"{a}-{b}".lower() for lines in pages for line in lines
                 for a, b in _COMPOUND.findall(line.text)}
    text = join_pages(["\n\n".join(_paragraphs(lines, compounds)) for lines in pages])
    notes = [f"{removed} header/footer lines removed"] if removed else []
    if blank:
        notes.append(f"{blank} pages without text")
    return Extracted("pdf", text, _metadata(metadata, path), pages=count,
                     page_labels=printed_labels(labels), notes=notes)


def _check_complete(path: Path) -> None:
    """A PDF ends with %%EOF: without it the download or copy was cut short."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 2048))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise SourceError("is truncated: the PDF does not end with %%EOF (download it again)",
                          path=path)


def _reason(exc: Exception) -> str:
    message = str(exc)
    match = re.search(r"PDFium: ([^)]*)", message)
    return (match.group(1) if match else message).rstrip(".").lower()


def _lines(textpage: Any, height: float) -> list[_Line]:
    """The page's text lines in reading order: PDFium's text rectangles, merged per baseline."""
    lines: list[_Line] = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top).translate(_LIGATURES)
        text = text.replace("\r", " ").replace("\n", " ")
        end_mark = text[-1:] if text[-1:] in ("\x02", "\ufffe", "\u00ad") else ""
        text = " ".join(_CONTROLS.sub("", text).split()) + ("\x02" if end_mark else "")
        if not text.strip("\x02"):
            continue
        last = lines[-1] if lines else None
        overlap = 0.0 if last is None else min(top, last.top) - max(bottom, last.bottom)
        if last is not None and overlap > 0.5 * min(top - bottom, last.height) and left >= last.left:
            gap = left - last.right
            last.text += (" " if gap > 0.15 * (top - bottom) else "") + text
            last.right, last.top, last.bottom = right, max(top, last.top), min(bottom, last.bottom)
        else:
            lines.append(_Line(text, left, bottom, right, top))
    margin = _MARGIN * height
    for line in lines:
        line.edge = line.top > height - margin or line.bottom < margin
    return lines


def _drop_running_lines(pages: list[list[_Line]]) -> int:
    """Remove running headers/footers (the same edge line, digits aside, on half the pages or
    more) and bare page numbers at a page's edge; returns how many lines were removed."""
    with_text = [lines for lines in pages if lines]

    def edges(lines: list[_Line]) -> list[_Line]:
        by_height = sorted(lines, key=lambda ln: -ln.top)
        return [ln for ln in {id(ln): ln for ln in by_height[:_EDGE_LINES]
                              + by_height[-_EDGE_LINES:]}.values() if ln.edge]

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.strip("\x02").casefold())

    counts = Counter(k for lines in with_text for k in {key(ln) for ln in edges(lines)})
    needed = max(2, (len(with_text) + 1) // 2)
    removed = 0
    for lines in with_text:
        drop = {id(ln) for ln in edges(lines)
                if (len(with_text) >= 2 and counts[key(ln)] >= needed)
                or _PAGE_NUMBER.fullmatch(ln.text.strip("\x02 "))}
        if len(drop) == len(lines) and len(with_text) > 1 and not all(
                _PAGE_NUMBER.fullmatch(ln.text.strip("\x02 ")) for ln in lines):
            drop = set()  # a page of a single repeated line is content, not furniture
        removed += len(drop)
        lines[:] = [ln for ln in lines if id(ln) not in drop]
    return removed


def _paragraphs(lines: list[_Line], compounds: set[str]) -> list[str]:
    """Join a page's lines into paragraphs: a break where the spacing grows, the font size
    changes, a line starts left of the previous one's column, or a short line ends a sentence."""
    if not lines:
        return []
    pitches = [a.bottom - b.bottom for a, b in itertools.pairwise(lines)
               if 0 < a.bottom - b.bottom < 3 * max(a.height, 1.0)]
    height = statistics.median(ln.height for ln in lines)
    # The usual baseline step; with few lines, a gap may be most of them, so the font decides.
    pitch = statistics.median_low(pitches) if pitches else 1.5 * max(height, 1.0)
    if len(pitches) < 3:
        pitch = min(pitch, 1.5 * max(height, 1.0))
    right = max(ln.right for ln in lines)
    width = max(1.0, right - min(ln.left for ln in lines))
    paragraphs: list[str] = []
    current = lines[0].text
    for prev, line in itertools.pairwise(lines):
        step = prev.bottom - line.bottom
        ends = prev.text.rstrip("\x02").rstrip("\"'”’)]")[-1:] in (".", "!", "?", ":")
        new = (step <= 0 or step > 1.45 * pitch
               or abs(line.height - prev.height) > 0.25 * max(line.height, prev.height)
               or (ends and prev.right < right - 0.12 * width)
               or (ends and line.left > prev.left + 0.02 * width))
        if new:
            paragraphs.append(current.rstrip("\x02"))
            current = line.text
        else:
            current = _join(current, line.text, compounds)
    paragraphs.append(current.rstrip("\x02"))
    return [p for p in paragraphs if p]


def _join(text: str, nxt: str, compounds: set[str]) -> str:
    """Join two lines of a paragraph, mending a word hyphenated across them."""
    if text.endswith(_HYPHEN_MARKS) and len(text) > 1 and text[-2].isalpha() and nxt[:1].isalpha():
        head = text[:-1]
        if nxt[0].isupper():
            return f"{head}-{nxt}"
        first = re.match(r"[^\W\d_]+", nxt)
        last = re.search(r"[^\W\d_]+$", head)
        if first and last and f"{last.group(0)}-{first.group(0)}".lower() in compounds:
            return f"{head}-{nxt}"
        return head + nxt
    return f"{text.rstrip(chr(2))} {nxt}"


def _metadata(info: dict[str, str], path: Path) -> dict[str, Any]:
    title = (info.get("Title") or "").strip()
    if not title or _JUNK_TITLE.search(title):
        title = title_from_filename(path.stem)
    csl: dict[str, Any] = {"type": "report", "title": title}
    if (info.get("Author") or "").strip():
        csl["author"] = csl_names(info["Author"])
    issued = csl_date(info.get("CreationDate") or "")
    if issued is not None:
        csl["issued"] = issued
    return csl

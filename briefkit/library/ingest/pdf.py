"""PDF reports: text page by page, so every passage keeps the page its footnote cites.

pypdfium2 (PDFium, the engine in Chrome) is used rather than pypdf: it is compiled code, some
twenty times faster on long reports, reads damaged files as browsers do, and gives each
character's position, which is what tells paragraphs, headings, running headers and footers
apart. Pages are opened and closed one at a time, so a 500-page report needs memory for its
text only.

`pdf_lines` cuts each page's character stream into lines (every character once, with PDFium's
own spacing), each table cell apart; `pdf_tables` makes a ruled table's rows one line each, its
cells in order; `pdf_layout` drops running headers, footers and page numbers and rebuilds the
paragraphs. Each page's printed label (the catalog's /PageLabels: "i", "ii", then "1", ...) is
read too, so a footnote cites the page as printed rather than as counted from the cover.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from briefkit.errors import SourceError
from briefkit.library.csl import csl_date, csl_names, title_from_filename
from briefkit.library.ingest.extracted import Extracted, Progress
from briefkit.library.ingest.pdf_layout import body_size, drop_running_lines, page_paragraphs
from briefkit.library.ingest.pdf_lines import TextLine, page_lines
from briefkit.library.ingest.pdf_tables import page_grids, table_rows, vertical_cuts
from briefkit.library.model import Removal
from briefkit.library.pages import join_pages, printed_labels

__all__ = ["read_pdf"]

# A /Title that names a file or a template rather than the document.
_JUNK_TITLE = re.compile(r"^(?:microsoft \w+ - |untitled\b|document\d*$|slide \d)"
                         r"|\.(?:docx?|pdf|dvi|ps|eps|rtf|odt|tex|txt|html?|indd|qxd)$",
                         re.IGNORECASE)
# Producers that do not break words at line ends unless told to: word processors, browsers.
_NO_HYPHENATION = re.compile(r"libreoffice|openoffice|microsoft|\bword\b|skia|chrome|chromium"
                             r"|google docs|wkhtmltopdf|webkit", re.IGNORECASE)
# Words of a line under a title that is not a byline ("Executive Summary", "Working Paper").
_NOT_NAMES = re.compile(r"\b(?:summary|paper|report|policy|brief|abstract|introduction|contents"
                        r"|draft|edition|volume|series|department|institute|university|centre"
                        r"|center|office|ministry|committee|review|journal|press)\b", re.IGNORECASE)


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
        pages: list[list[TextLine]] = []
        height = 0.0
        labels: list[str] = []
        for number in range(count):
            labels.append(pdf.get_page_label(number))  # "" when the PDF labels no pages
            page = pdf[number]
            grids = page_grids(page)
            textpage = page.get_textpage()
            try:
                pages.append(table_rows(page_lines(textpage, vertical_cuts(grids)), grids))
                height = max(height, page.get_height())
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
    removed = drop_running_lines(pages, height)
    printed = _first_page_heading(next(lines for lines in pages if lines), body_size(pages))
    maker = f"{metadata.get('Producer', '')} {metadata.get('Creator', '')}"
    hyphenated = not _NO_HYPHENATION.search(maker)
    text = join_pages(["\n\n".join(paras) for paras in page_paragraphs(pages, hyphenated)])
    notes = [f"{len(removed)} header/footer lines removed"] if removed else []
    if blank:
        notes.append(f"{blank} pages without text")
    return Extracted("pdf", text, _metadata(metadata, path, *printed), pages=count,
                     page_labels=printed_labels(labels), notes=notes,
                     removed=[Removal(r.reason, 0, r.text, page=r.page) for r in removed])


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


def _first_page_heading(lines: list[TextLine], body: float) -> tuple[str, str]:
    """The first page's largest text, when it is larger than the body (the printed title), and
    the line right after it when that reads as the authors' names (else "")."""
    largest = max(ln.size for ln in lines)
    if largest < 1.2 * body:
        return "", ""
    title: list[str] = []
    after = ""
    for line in lines:
        if abs(line.size - largest) < 0.05 * largest:
            title.append(line.text)
        elif title:
            after = line.text
            break
    return " ".join(title)[:300], after if _reads_as_names(after) else ""


def _reads_as_names(text: str) -> bool:
    """A byline: a few capitalised names ("A. Tavares and B. Ng"), nothing else on the line."""
    words = text.removeprefix("By ").replace(",", " ").split()
    if not 2 <= len(words) <= 12 or any(c.isdigit() for c in text) or _NOT_NAMES.search(text):
        return False
    return all("family" in name for name in csl_names(text))


def _metadata(info: dict[str, str], path: Path, printed: str = "",
              byline: str = "") -> dict[str, Any]:
    """CSL metadata: the /Title when it is plausible, else the title printed on the first page,
    else one made from the file name; the /Author, else the byline under the printed title."""
    title = " ".join((info.get("Title") or "").split())
    if len(title) < 3 or _JUNK_TITLE.search(title):
        title = printed or title_from_filename(path.stem)
    csl: dict[str, Any] = {"type": "report", "title": title}
    if (info.get("Author") or "").strip():
        csl["author"] = csl_names(info["Author"])
    elif byline:
        csl["author"] = csl_names(byline)
    issued = csl_date(info.get("CreationDate") or "")
    if issued is not None:
        csl["issued"] = issued
    return csl

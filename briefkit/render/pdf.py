"""PDF export: the DOCX writer's file, converted by LibreOffice in headless mode.

Most briefs leave the building as PDF; Word's layout is the one the analyst checked, so the PDF is
LibreOffice's rendering of that same file rather than a second layout engine. Each conversion runs
with a profile of its own in a temporary folder, so exports running at once (or a LibreOffice the
user has open) never share one, and a conversion that hangs is stopped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from briefkit.errors import ExportError
from briefkit.render.document import Document
from briefkit.render.docx import write_docx

LIBREOFFICE_PACKAGE = "libreoffice-writer-nogui"
"""The Debian/Ubuntu package that provides `soffice` without a desktop."""

CONVERT_TIMEOUT = 180.0
"""Seconds a conversion may take (a first run also creates LibreOffice's profile)."""

_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_PAGE_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b")


def soffice() -> str | None:
    """The LibreOffice program on PATH (`soffice`, or `libreoffice` as some systems name it)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def write_pdf(doc: Document, *, reference_doc: Path | None = None) -> bytes:
    """Render a document tree as a PDF: the DOCX writer's file (with `reference_doc`'s styles, as
    for DOCX export) converted by LibreOffice."""
    return docx_to_pdf(write_docx(doc, reference_doc=reference_doc))


def docx_to_pdf(docx: bytes, *, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """The PDF LibreOffice makes of a .docx file's bytes.

    Raises:
        ExportError: LibreOffice is not installed (the message names the package), it failed or
            timed out, or it wrote no PDF.
    """
    program = soffice()
    if program is None:
        raise ExportError(
            "PDF export needs LibreOffice: install the "
            f"{LIBREOFFICE_PACKAGE} package (apt-get install {LIBREOFFICE_PACKAGE})"
        )
    with tempfile.TemporaryDirectory(prefix="briefkit-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "brief.docx"
        source.write_bytes(docx)
        command = [
            program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
            "--norestore", "--convert-to", "pdf", "--outdir", str(folder), str(source),
        ]
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout,
                                    env={**os.environ, "HOME": str(folder)}, check=False)
        except subprocess.TimeoutExpired:
            raise ExportError(f"LibreOffice took longer than {timeout:g} s to make the PDF") from None
        except OSError as exc:
            raise ExportError(f"LibreOffice could not be started: {exc.strerror}") from None
        pdf = folder / "brief.pdf"
        if result.returncode != 0 or not pdf.is_file():
            said = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()
            detail = f": {said[-1]}" if said else ""
            raise ExportError(f"LibreOffice did not make the PDF (exit {result.returncode}){detail}")
        return pdf.read_bytes()


@dataclass(frozen=True, slots=True)
class PageCount:
    """How many pages a Word file has, and how that was found out, for the export's report."""

    pages: float | None  # None: unavailable
    how: str  # "as LibreOffice lays it out", "estimated: ...", or why it is unavailable

    def __str__(self) -> str:
        if self.pages is None:
            return f"page count unavailable: {self.how}"
        if self.how.startswith("estimated"):
            return f"about {self.pages:.1f} pages, {self.how}"
        whole = int(self.pages)
        return f"{whole} page{'s' if whole != 1 else ''} {self.how}"


def docx_pages(docx: bytes, document: Document | None = None) -> PageCount:
    """The pages of a DOCX file as LibreOffice lays it out (its PDF's page tree counted); without
    LibreOffice, or when it fails, the estimate from `document` (the tree the file was written
    from), labelled as one, else unavailable. Word's own layout may differ a little from both."""
    why = f"LibreOffice is not installed ({LIBREOFFICE_PACKAGE})"
    if soffice() is not None:
        try:
            return PageCount(page_count(docx_to_pdf(docx)), "as LibreOffice lays it out")
        except ExportError as exc:
            why = exc.message
    return PageCount(None, why) if document is None else estimated_pages(document, why)


def estimated_pages(document: Document, why: str = "") -> PageCount:
    """The page estimate from the tree a DOCX file is written from (no layout: instant), labelled
    as an estimate, with `why` no count was made if there is a reason."""
    from briefkit.render.page_estimate import measure

    return PageCount(measure(document).pages, f"estimated ({why})" if why else "estimated")


def page_count(pdf: bytes) -> int:
    """How many pages a PDF has: its page tree's /Count, else the page objects counted (LibreOffice
    writes both uncompressed)."""
    counts = [int(a or b) for a, b in _PAGE_COUNT.findall(pdf)]
    return max(counts) if counts else len(_PAGE.findall(pdf))

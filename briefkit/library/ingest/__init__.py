"""Readers that turn an analyst's files into sources, one module per format, chosen by content.

`extract` is the one entry point: it detects the format from the file's bytes and hands the
file to its reader. Each reader raises `SourceError` naming the file and what is wrong with it.
"""

from __future__ import annotations

from pathlib import Path

from briefkit.library.ingest.detect import detect_format
from briefkit.library.ingest.extracted import Extracted, Progress

__all__ = ["READER_VERSIONS", "Extracted", "Progress", "detect_format", "extract"]

# The version of each reader whose reading text is stored when a file is added. Bump one when it
# makes a different text from the same file: `sources add` then reads again the sources an older
# version stored, and re-anchors the briefs citing them. (Text and Markdown are read at use time.)
READER_VERSIONS = {"pdf": 3, "html": 2, "docx": 2}  # pdf 3: footnotes kept whole, marks dropped, ruled tables by row


def extract(path: Path, progress: Progress | None = None) -> Extracted:
    """Read one file of any supported format.

    Raises:
        SourceError: the file cannot be read as a source; the message names it and says why.
    """
    fmt = detect_format(path)
    if fmt == "pdf":
        from briefkit.library.ingest.pdf import read_pdf

        return read_pdf(path, progress)
    if fmt == "html":
        from briefkit.library.ingest.html import read_html

        return read_html(path)
    if fmt == "docx":
        from briefkit.library.ingest.docx import read_docx

        return read_docx(path)
    from briefkit.library.ingest.text import read_text_file

    return read_text_file(path, fmt)

"""One source file into its reading text and paragraphs: decode, clean, segment.

A module of its own so that the process that reads sources for a big index update imports only
what reading needs (no YAML, no library bookkeeping).
"""

from __future__ import annotations

import hashlib

from briefkit.errors import SourceError
from briefkit.fsio import read_bytes
from briefkit.library.clean import clean
from briefkit.library.decode import (
    MARKDOWN_SUFFIXES,
    decode_bytes,
    decode_reading_text,
    decode_source,
)
from briefkit.library.extraction_record import read_record
from briefkit.library.model import Source, SourceEntry
from briefkit.library.pages import assign_pages
from briefkit.library.segment import segment

__all__ = ["read_source"]


def read_source(entry: SourceEntry, *, removals: bool = True) -> Source:
    """Decode, clean and segment one source file, without caching it. `removals=False` leaves out
    the record of what extraction removed (the index needs only the text and passages)."""
    if entry.original is not None:
        # Extracted at ingestion (PDF, HTML, DOCX): the stored text is the reading text as is.
        reading = decode_reading_text(entry.file)
        paragraphs = segment(reading)
        if "\f" in reading:
            assign_pages(reading, paragraphs)
        digest = hashlib.sha256(reading.encode("utf-8")).hexdigest()
        record = read_record(entry.original) if removals else None
        return Source(entry, reading, digest, "utf-8", record.removed if record else [], paragraphs)
    text, encoding = decode_source(entry.file)
    reading, removed = clean(text)
    if entry.file.suffix.lower() in MARKDOWN_SUFFIXES:
        from briefkit.library.ingest.markdown import markup_removed

        raw = decode_bytes(read_bytes(entry.file, SourceError, "source file"), entry.file)[0]
        removed = sorted([*markup_removed(raw), *removed], key=lambda r: r.line)
    if not reading:
        raise SourceError("source has no text left once web-capture clutter is removed",
                          path=entry.file)
    digest = hashlib.sha256(reading.encode("utf-8")).hexdigest()
    return Source(entry, reading, digest, encoding, removed, segment(reading))

"""Sources and passages: decode, clean, segment, and search a library of source files."""

from briefkit.library.clean import clean
from briefkit.library.decode import decode_source
from briefkit.library.index import HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, Hit, Index, IndexReport
from briefkit.library.library import SOURCES_FILE, Library, read_source
from briefkit.library.model import Paragraph, Passage, Removal, Source, SourceEntry, Span
from briefkit.library.segment import segment

__all__ = [
    "HIGHLIGHT_CLOSE",
    "HIGHLIGHT_OPEN",
    "SOURCES_FILE",
    "Hit",
    "Index",
    "IndexReport",
    "Library",
    "Paragraph",
    "Passage",
    "Removal",
    "Source",
    "SourceEntry",
    "Span",
    "clean",
    "decode_source",
    "read_source",
    "segment",
]

"""Sources and passages: decode, clean and segment source files; search them through an index.

`clean` and `segment` are not re-exported here: the names belong to their modules
(`briefkit.library.clean.clean`, `briefkit.library.segment.segment`).
"""

from briefkit.library.decode import decode_source
from briefkit.library.index import HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, Hit, Index, IndexReport
from briefkit.library.library import SOURCES_FILE, Library, read_source
from briefkit.library.model import Paragraph, Passage, Removal, Source, SourceEntry, Span

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
    "decode_source",
    "read_source",
]

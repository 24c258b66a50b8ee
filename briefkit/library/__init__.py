"""Sources and passages: decode, clean and segment source files; search them through an index.

`clean` and `segment` are not re-exported here: the names belong to their modules
(`briefkit.library.clean.clean`, `briefkit.library.segment.segment`).

The names below load with their module on first use (PEP 562), so that importing one module of
the package (the TUI's first screen needs only `library.library`) does not import the index and
its process pool, or the Markdown parser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefkit.library.decode import decode_source
    from briefkit.library.index import HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, Hit, Index, IndexReport
    from briefkit.library.library import SOURCES_FILE, Library
    from briefkit.library.model import Paragraph, Passage, Removal, Source, SourceEntry, Span
    from briefkit.library.source_text import read_source

_HOMES = {
    "decode_source": "decode",
    **dict.fromkeys(["HIGHLIGHT_CLOSE", "HIGHLIGHT_OPEN", "Hit", "Index", "IndexReport"], "index"),
    **dict.fromkeys(["SOURCES_FILE", "Library"], "library"),
    "read_source": "source_text",
    **dict.fromkeys(["Paragraph", "Passage", "Removal", "Source", "SourceEntry", "Span"], "model"),
}

__all__ = [
    "HIGHLIGHT_CLOSE", "HIGHLIGHT_OPEN", "SOURCES_FILE", "Hit", "Index", "IndexReport", "Library",
    "Paragraph", "Passage", "Removal", "Source", "SourceEntry", "Span", "decode_source", "read_source",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])

"""What extraction left out of a stored reading text, and which reader made it: a small JSON
file beside the original (`originals/<id>.extraction.json`).

PDF, HTML and DOCX sources keep the reading text made when they were added, so what each stage
removed (running headers and page numbers, a page's boilerplate blocks, a document's headers
and footers) is known only then: it is stored with the text, for `briefkit show SOURCE
--removed`. The reader's version tells `sources add` that a text was made by an older reader, so
that it reads the original again and re-anchors the briefs citing it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from briefkit.errors import BriefkitError, SourceError
from briefkit.fsio import atomic_write, read_bytes
from briefkit.library.ingest import READER_VERSIONS, detect_format
from briefkit.library.model import Removal, SourceEntry

__all__ = ["ExtractionRecord", "is_outdated", "read_record", "record_path", "write_record"]

RECORD_SUFFIX = ".extraction.json"
# Enough to audit any real file, small beside the text: a page of menus is one block, not fifty.
_MAX_REMOVALS = 2000
_MAX_TEXT = 240
_HEAD = re.compile(rb'\{"reader": (\d{1,6}),')


@dataclass(slots=True)
class ExtractionRecord:
    """One reading text's provenance: the reader version that made it and what it left out."""

    reader: int  # the format's entry in READER_VERSIONS when the text was made
    removed: list[Removal] = field(default_factory=list)  # those beyond _MAX_REMOVALS as a count


def record_path(original: Path) -> Path:
    """The record of the reading text extracted from `original` (`originals/<id>.pdf`)."""
    return original.with_name(original.stem + RECORD_SUFFIX)


def write_record(original: Path, fmt: str, removed: list[Removal]) -> None:
    """Record that the current reader of `fmt` made the text from `original`, minus `removed`."""
    data = {"reader": READER_VERSIONS[fmt], "format": fmt,  # the reader first: see _HEAD
            "omitted": max(0, len(removed) - _MAX_REMOVALS),
            "removed": [_plain(r) for r in removed[:_MAX_REMOVALS]]}
    atomic_write(record_path(original), json.dumps(data, ensure_ascii=False) + "\n")


def read_record(original: Path) -> ExtractionRecord | None:
    """The record beside `original`, or None when there is none (the text was stored by a
    briefkit from before records) or it cannot be read as one."""
    path = record_path(original)
    if path.is_symlink() or not path.is_file():
        return None  # a link could lead outside the library, which briefkit does not read
    try:
        data = json.loads(read_bytes(path))
        removed = [Removal(str(r["kind"]), int(r.get("line", 0)), str(r["text"]), r.get("page"),
                           str(r.get("place", ""))) for r in data["removed"]]
        omitted = int(data.get("omitted", 0))
        if omitted:
            removed.append(Removal("more", 0, f"{omitted} more removals, counted but not kept"))
        return ExtractionRecord(int(data["reader"]), removed)
    except (BriefkitError, ValueError, KeyError, TypeError, AttributeError):
        return None


def is_outdated(entry: SourceEntry) -> bool:
    """The entry's stored reading text was made by an older reader than this briefkit's (or by
    one that kept no record)."""
    if entry.original is None:
        return False
    try:
        fmt = entry.format or detect_format(entry.original)
    except (SourceError, OSError):
        return False  # an original that cannot be read again cannot be re-read either
    if fmt not in READER_VERSIONS:
        return False
    reader = _reader(entry.original)
    return reader is None or reader < READER_VERSIONS[fmt]


def _reader(original: Path) -> int | None:
    """The record's reader version, from its first line when it reads as written (a library of
    long reports is checked without parsing every record), else from the whole record."""
    path = record_path(original)
    if path.is_symlink() or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            head = _HEAD.match(handle.read(128))
    except OSError:
        return None
    if head is not None:
        return int(head.group(1))
    record = read_record(original)
    return record.reader if record else None


def _plain(removal: Removal) -> dict[str, object]:
    text = removal.text if len(removal.text) <= _MAX_TEXT else removal.text[: _MAX_TEXT - 1] + "…"
    out: dict[str, object] = {"kind": removal.kind, "text": text}
    for key, value in (("line", removal.line), ("page", removal.page), ("place", removal.place)):
        if value:
            out[key] = value
    return out

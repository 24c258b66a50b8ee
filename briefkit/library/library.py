"""A library: a folder of source files described by `sources.yaml` (CSL-JSON items plus `file:`).

Opening a library only reads and validates `sources.yaml`, so it is cheap; a source's text is
decoded, cleaned and split on first use and then kept until its file changes.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefkit import yamlio
from briefkit.errors import BriefkitError, SourceError
from briefkit.fsio import atomic_write
from briefkit.library.cachedir import cache_folder
from briefkit.library.model import Source, SourceEntry
from briefkit.library.source_text import read_source

if TYPE_CHECKING:
    from briefkit.library.index import Index

__all__ = ["BRIEFKIT_KEYS", "BRIEF_SUFFIX", "FORMATS", "SOURCE_ID", "SOURCE_ID_RULE", "SOURCES_FILE",
           "Library"]

SOURCES_FILE = "sources.yaml"
# Briefs may be kept in a library's folder; files ending so are never taken for sources.
BRIEF_SUFFIX = ".brief.yaml"
# Keys of a sources.yaml entry that are briefkit's own, not CSL-JSON.
BRIEFKIT_KEYS = ("file", "original", "format", "sha256", "page-labels")
FORMATS = ("text", "markdown", "html", "pdf", "docx")

# Source ids appear in passage ids ("<id>:<hash>") and on the command line.
SOURCE_ID = re.compile(r"\w[\w.\-]*")
SOURCE_ID_RULE = "letters, digits, '-', '_' or '.'"
_CSL_DATES = ("accessed", "available-date", "event-date", "issued", "original-date", "submitted")
_CSL_NAMES = (
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director", "executive-producer",
    "guest", "host", "illustrator", "interviewer", "narrator", "organizer", "original-author",
    "performer", "producer", "recipient", "reviewed-author", "script-writer", "series-creator",
    "translator",
)


class Library:
    """The sources of one library folder, in the order `sources.yaml` lists them (satisfies
    `briefkit.library.interface.SourceLibrary`)."""

    def __init__(self, root: Path, entries: dict[str, SourceEntry]) -> None:
        self.root = root
        self.entries = entries
        self._cache: dict[str, tuple[tuple[int, int], Source]] = {}

    @classmethod
    def open(cls, root: Path) -> Library:
        """Read and validate `root/sources.yaml`.

        Raises:
            BriefkitError: the folder or `sources.yaml` is missing or invalid; the message names
                the file, line and field.
        """
        root = Path(root).expanduser().resolve()
        if not root.exists():
            raise BriefkitError("library folder not found", path=root)
        if not root.is_dir():
            raise BriefkitError("library must be a folder", path=root)
        path = root / SOURCES_FILE
        if not path.is_file():
            raise BriefkitError(
                f"library folder has no {SOURCES_FILE} listing its sources", path=path)
        text = yamlio.read_text(path)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        entries = _cached_entries(root, digest)
        if entries is None:
            entries = _entries(yamlio.loads(text, path), path, root)
            _store_entries(root, digest, entries)
        return cls(root, entries)

    @property
    def sources_file(self) -> Path:
        return self.root / SOURCES_FILE

    @property
    def location(self) -> str:
        return str(self.root)

    def files(self) -> Iterator[tuple[Path, str]]:
        """`sources.yaml` and every source's text and original, each with what it is."""
        yield self.sources_file, f"the library's {SOURCES_FILE}"
        for entry in self.entries.values():
            if entry.original is None:
                yield entry.file, f"the file of source '{entry.id}'"
            else:
                yield entry.file, f"the reading text of source '{entry.id}'"
                yield entry.original, f"the original file of source '{entry.id}'"

    def entry(self, source_id: str) -> SourceEntry:
        """The entry for `source_id`; an unknown id raises a message suggesting close matches."""
        try:
            return self.entries[source_id]
        except KeyError:
            raise unknown_source(source_id, list(self.entries), path=self.sources_file) from None

    def source(self, source_id: str) -> Source:
        """The decoded, cleaned and segmented source, read again only when its file changes.

        Raises:
            BriefkitError: `source_id` is not in the library.
            SourceError: the file cannot be read or holds no text.
        """
        entry = self.entry(source_id)
        try:
            stat = entry.file.stat()
        except OSError as exc:
            raise SourceError(f"cannot read source file: {exc.strerror}", path=entry.file) from None
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(source_id)
        if cached is not None and cached[0] == key:
            return cached[1]
        self.check_inside(entry)
        source = read_source(entry)
        self._cache[source_id] = (key, source)
        return source

    def check_inside(self, entry: SourceEntry) -> None:
        """Refuse to read a source whose file or original now resolves outside the folder.

        Opening checks every entry, but entries may come from the cache of a `sources.yaml`
        whose symlinks have changed since: whatever reads a source's file checks again first
        (one `realpath` per file read).

        Raises:
            BriefkitError: naming `sources.yaml`, the entry's id and line.
        """
        for key, path in (("file", entry.file), ("original", entry.original)):
            if path is not None and (real := _outside(self.root, path)) is not None:
                raise _outside_error(self.sources_file, entry.line, key, entry.id,
                                     os.path.relpath(path, self.root), real, self.root)

    def index(self) -> Index:
        """The search index of this library (built or brought up to date on first search)."""
        from briefkit.library.index import Index

        return Index(self)


def unknown_source(source_id: str, known: list[str], *, path: Path | None = None,
                   where: str = "") -> BriefkitError:
    """The message for an id no source has, with close matches (or some known ids) as a hint."""
    import difflib  # loads only for a message: its import compiles regexes every export would pay for

    close = difflib.get_close_matches(source_id, known, n=3, cutoff=0.5)
    if close:
        hint = "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    elif known:
        hint = "known sources: " + ", ".join(known[:10]) + (", ..." if len(known) > 10 else "")
    else:
        hint = "the library lists no sources"
    return BriefkitError(f"{where}unknown source '{source_id}' ({hint})", path=path)


# The validated entries of a sources.yaml, keyed by its SHA-256: a 2,000-source library opens in
# milliseconds instead of a YAML parse of a few hundred (the TUI's start-up waits for it).
_ENTRIES_CACHE = "sources.json"
_ENTRIES_VERSION = 2


def _cached_entries(root: Path, digest: str) -> dict[str, SourceEntry] | None:
    try:
        data = json.loads((cache_folder(root) / _ENTRIES_CACHE).read_text(encoding="utf-8"))
        if data.get("version") != _ENTRIES_VERSION or data.get("sha256") != digest:
            return None
        return {
            e["id"]: SourceEntry(
                id=e["id"], file=root / e["file"], csl=e["csl"], line=e["line"],
                original=root / e["original"] if e["original"] else None,
                format=e["format"], sha256=e["sha256"], page_labels=tuple(e["page_labels"]),
            )
            for e in data["entries"]
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError, BriefkitError):
        return None  # no cache, or one from another version: parse sources.yaml


def _store_entries(root: Path, digest: str, entries: dict[str, SourceEntry]) -> None:
    def rel(p: Path) -> str:
        return os.path.relpath(p, root)

    data = {
        "version": _ENTRIES_VERSION, "sha256": digest,
        "entries": [
            {"id": e.id, "file": rel(e.file), "csl": e.csl, "line": e.line,
             "original": rel(e.original) if e.original else None, "format": e.format,
             "sha256": e.sha256, "page_labels": list(e.page_labels)}
            for e in entries.values()
        ],
    }
    try:
        atomic_write(cache_folder(root) / _ENTRIES_CACHE, json.dumps(data, ensure_ascii=False))
    except (BriefkitError, TypeError, ValueError):
        pass  # a cache that cannot be written only costs the next open a parse


def _entries(data: Any, path: Path, root: Path) -> dict[str, SourceEntry]:
    if not isinstance(data, dict):
        raise BriefkitError(
            f"{SOURCES_FILE} must be a mapping with a 'sources' list", path=path, line=1)
    for key in data:
        if key != "sources":
            raise BriefkitError("unknown key (only 'sources' is allowed here)", path=path,
                                line=yamlio.line_of(data, key), field=str(key))
    items = data.get("sources")
    if items is None:
        return {}
    if not isinstance(items, list):
        raise BriefkitError("must be a list of sources", path=path,
                            line=yamlio.line_of(data, "sources"), field="sources")
    entries: dict[str, SourceEntry] = {}
    for i, item in enumerate(items):
        line = yamlio.line_of(items, i)
        entry = _entry(item, i, line, path, root)
        if entry.id in entries:
            first = entries[entry.id].line
            raise BriefkitError(f"duplicate source id '{entry.id}' (first listed at line {first})",
                                path=path, line=line, field="id")
        entries[entry.id] = entry
    return entries


def _entry(item: Any, i: int, line: int | None, path: Path, root: Path) -> SourceEntry:
    if not isinstance(item, dict):
        raise BriefkitError("each source must be a mapping with 'id' and 'file'", path=path,
                            line=line, field=f"sources[{i}]")

    def fail(message: str, key: str) -> BriefkitError:
        return BriefkitError(message, path=path, line=yamlio.line_of(item, key) or line,
                             field=key)

    source_id = item.get("id")
    if source_id is None:
        raise BriefkitError("source has no 'id'", path=path, line=line, field="id")
    if not isinstance(source_id, str) or not SOURCE_ID.fullmatch(source_id):
        raise fail(f"source id {source_id!r} must be {SOURCE_ID_RULE}", "id")
    def inside(key: str) -> Path:
        """The entry's `key` as a path that resolves, symlinks followed, inside the folder."""
        value = item[key]
        if not isinstance(value, str) or not value.strip():
            raise fail("must be a file name relative to the library folder", key)
        if Path(value).is_absolute():
            raise fail(f"source '{source_id}': '{value}' must be relative to the library folder "
                       f"{root}; {_INSIDE_ONLY}", key)
        full = root / value
        real = _outside(root, full)
        if real is not None:
            raise _outside_error(path, yamlio.line_of(item, key) or line, key, source_id, value,
                                 real, root)
        return full

    if item.get("file") is None:
        raise BriefkitError(f"source '{source_id}' has no 'file'", path=path, line=line,
                            field="file")
    full = inside("file")
    if not full.is_file():
        raise fail(f"source file not found: {full}", "file")
    original = inside("original") if item.get("original") is not None else None
    fmt = item.get("format", "")
    if fmt and fmt not in FORMATS:
        raise fail(f"format must be one of {', '.join(FORMATS)}", "format")
    sha256 = item.get("sha256", "")
    if not isinstance(sha256, str):
        raise fail("must be the SHA-256 of the original file, in hex", "sha256")
    labels = _page_labels(item.get("page-labels"), path,
                          yamlio.line_of(item, "page-labels") or line)
    csl = {str(k): _plain(v) for k, v in item.items() if k not in BRIEFKIT_KEYS}
    for key, value in csl.items():
        problem = _csl_problem(key, value)
        if problem:
            where = _bad_name_line(item[key]) if key in _CSL_NAMES else None
            raise BriefkitError(f"source '{source_id}': {problem}", path=path,
                                line=where or yamlio.line_of(item, key) or line, field=key)
    return SourceEntry(source_id, full, csl, line, original=original, format=str(fmt or ""),
                       sha256=sha256, page_labels=labels)


_INSIDE_ONLY = "briefkit reads only files inside it (copy the file in: briefkit sources add)"


def _outside(root: Path, path: Path) -> Path | None:
    """Where `path` really is (symlinks followed, also in its folders) when that is outside
    `root` (itself resolved), else None."""
    real = Path(os.path.realpath(path))
    return None if real.is_relative_to(root) else real


def _outside_error(sources: Path, line: int | None, key: str, source_id: str, value: str,
                   real: Path, root: Path) -> BriefkitError:
    return BriefkitError(
        f"source '{source_id}': '{value}' resolves to {real}, outside the library folder {root}; "
        f"{_INSIDE_ONLY}",
        path=sources, line=line, field=key)


def _page_labels(value: Any, path: Path, line: int | None) -> tuple[str, ...]:
    """`page-labels`: each page's printed label, in page order. Only the shape is checked: the
    page count is known from the reading text, which opening a library does not read, so a list
    shorter than the pages is taken as labels where given and physical numbers after."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise BriefkitError("must be a list of printed page labels, one per page, such as "
                            "[i, ii, '1', '2']", path=path, line=line, field="page-labels")
    labels: list[str] = []
    for n, label in enumerate(value):
        # A label written as a bare number ([i, ii, 1, 2]) is read by YAML as an int.
        plain = isinstance(label, (str, int)) and not isinstance(label, bool)
        text = str(label).strip() if plain else ""
        if not text or len(text.splitlines()) != 1:
            raise BriefkitError(f"the label of page {n + 1} must be non-empty text on one line",
                                path=path, line=yamlio.line_of(value, n) or line,
                                field="page-labels")
        labels.append(text)
    return tuple(labels)


def _csl_problem(key: str, value: Any) -> str:
    """What is wrong with one CSL-JSON field of a source ('' if nothing), so a bad value is
    refused where sources.yaml is read, with its line, not later by the note formatter."""
    if key in _CSL_DATES:
        return "" if _is_csl_date(value) else "must be a CSL date such as {date-parts: [[2021, 8, 6]]}"
    if key in _CSL_NAMES:
        if isinstance(value, list) and all(
                isinstance(n, dict) and all(_is_text(part) for part in n.values()) for n in value):
            return ""
        return "must be a list of names such as {family: Smilde, given: David}, each part text"
    if key in _OPEN_CSL:
        return ""
    if key in _TEXT_ONLY:
        return "" if isinstance(value, str) else "must be text (put it in quotes)"
    if not _is_text(value):
        return "must be text or a number"
    return ""


def _bad_name_line(names: Any) -> int | None:
    """The line of the first name part that is not text, in a list of names as loaded."""
    if not isinstance(names, list):
        return None
    for i, name in enumerate(names):
        if not isinstance(name, dict):
            return yamlio.line_of(names, i)
        for part, value in name.items():
            if not _is_text(value):
                return yamlio.line_of(name, part)
    return None


def _is_text(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


# CSL-JSON fields that hold structures other than names and dates; every other field is text.
_OPEN_CSL = frozenset(("categories", "custom"))
# Text a YAML number would spoil (a DOI "10.1000" read as 10.1) or that is never a number.
_TEXT_ONLY = frozenset(("URL", "DOI", "title", "container-title", "publisher"))


def _is_csl_date(value: Any) -> bool:
    """date-parts (one date or a range) of real dates; or `raw` / `literal` text."""
    if not isinstance(value, dict):
        return False
    parts = value.get("date-parts")
    if parts is None:
        return all(_is_text(v) or isinstance(v, bool) for v in value.values())
    return (isinstance(parts, list) and 1 <= len(parts) <= 2
            and all(_is_date_part(p) for p in parts))


def _is_date_part(part: Any) -> bool:
    if not (isinstance(part, list) and 1 <= len(part) <= 3 and all(
            isinstance(n, int) and not isinstance(n, bool) or isinstance(n, str) and n.isdigit()
            for n in part)):
        return False
    year, *rest = (int(n) for n in part)
    if year == 0 or not rest:
        return True  # year 0: no date, as citeproc reads it
    if not 1 <= rest[0] <= 12:
        return False
    return len(rest) == 1 or 1 <= rest[1] <= calendar.monthrange(year, rest[0])[1]


def _plain(node: Any) -> Any:
    """Loaded YAML as plain JSON-like Python values (CSL-JSON): no subclasses, dates as text."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, (datetime.date, datetime.datetime)):
        return node.isoformat()
    return node

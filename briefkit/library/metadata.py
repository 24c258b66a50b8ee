"""Source metadata after ingestion: `sources edit`, and imports from reference managers.

A Zotero (or any reference manager) export, as CSL-JSON or BibTeX, is matched to the library's
sources by DOI, then URL, then title; a matched item's fields replace the source's (its id,
file and briefkit's own keys stay). Everything that did not match, either way, is reported.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from briefkit.errors import BriefkitError
from briefkit.library.csl import (
    csl_date,
    csl_name,
    from_bibtex,
    normal_doi,
    normal_title,
    normal_url,
)
from briefkit.library.library import BRIEFKIT_KEYS, Library
from briefkit.library.sources_file import SourcesFile, yaml_value
from briefkit.locks import locked


class ItemStore(Protocol):
    """Where the edit and import rules find and keep CSL items: `SourcesFile` for a folder, the
    locked rows of a transaction for a team library."""

    def item(self, source_id: str) -> Any:
        """The item of `source_id`, a mapping to change in place."""

    def save(self) -> None:
        """Keep the items changed in place."""

__all__ = ["ImportReport", "Match", "edit_source", "import_references", "read_bibtex",
           "read_csl_json"]


# A list of items, each holding `issued: {date-parts: [[2021, 8, 6]]}`, is four levels deep;
# anything far deeper is not a reference export (and would exhaust recursion further on).
MAX_CSL_DEPTH = 16


class ReferenceFileError(BriefkitError):
    """A CSL-JSON or BibTeX file that cannot be read."""


def edit_source(library: Library, source_id: str, *, title: str | None = None,
                authors: Sequence[str] | None = None, date: str | None = None,
                url: str | None = None, kind: str | None = None) -> list[str]:
    """Set metadata fields of one source in `sources.yaml`; an empty value removes the field.

    Authors are "Family, Given" for a person; a name without a comma is kept exactly as
    written (an organisation). Returns the CSL fields changed.

    Raises:
        BriefkitError: unknown source, empty title, or a date that is not YYYY[-MM[-DD]].
    """
    entry = library.entry(source_id)
    with locked(library.sources_file):  # read, change and save with no other write in between
        return edit_items(SourcesFile.load(library.root), entry.id, title=title, authors=authors,
                          date=date, url=url, kind=kind)


def edit_items(sources: ItemStore, source_id: str, *, title: str | None,
               authors: Sequence[str] | None, date: str | None, url: str | None,
               kind: str | None) -> list[str]:
    """`sources edit`'s rules over one item of `sources`; the fields changed (saved if any)."""
    node = sources.item(source_id)
    changes: dict[str, Any] = {}
    if title is not None:
        if not title.strip():
            raise BriefkitError("a source's title cannot be empty", field="--title")
        changes["title"] = title.strip()
    if authors is not None:
        names = [_edited_name(a) for a in authors if a.strip()]
        changes["author"] = names or None
    if date is not None:
        issued = csl_date(date) if date.strip() else None
        if date.strip() and issued is None:
            raise BriefkitError(f"date '{date}' must be YYYY, YYYY-MM or YYYY-MM-DD", field="--date")
        changes["issued"] = issued
    if url is not None:
        changes["URL"] = url.strip() or None
    if kind is not None:
        changes["type"] = kind.strip() or None
    changed = [key for key, value in changes.items() if _set(node, key, value)]
    if changed:
        sources.save()
    return changed


def _edited_name(text: str) -> dict[str, str]:
    text = " ".join(text.split())
    return csl_name(text) if "," in text else {"literal": text}


def _set(node: Any, key: str, value: Any) -> bool:
    if value is None:
        return node.pop(key, None) is not None
    if key in node and _plain(node[key]) == value:
        return False
    node[key] = yaml_value(value, key)
    return True


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


# Reading reference files ----------------------------------------------------------------------


def read_csl_json(path: Path) -> list[dict[str, Any]]:
    """Items of a CSL-JSON file (a list of items, or one item).

    Raises:
        ReferenceFileError: not readable, not JSON (with the line), or not CSL items.
    """
    text = _read(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferenceFileError(f"is not valid JSON: {exc.msg} (column {exc.colno})",
                                 path=path, line=exc.lineno) from None
    except RecursionError:  # nested beyond what Python's parser follows
        raise _too_deep(path) from None
    if _depth(data) > MAX_CSL_DEPTH:
        raise _too_deep(path)
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ReferenceFileError("must be a CSL-JSON list of items", path=path)
    return items


def _too_deep(path: Path) -> ReferenceFileError:
    return ReferenceFileError(f"is not CSL-JSON: its lists and objects nest more than "
                              f"{MAX_CSL_DEPTH} levels deep", path=path)


def _depth(data: Any) -> int:
    """How deep lists and objects nest in `data` (a scalar is 0), counted without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def read_bibtex(path: Path) -> list[dict[str, Any]]:
    """Entries of a BibTeX file as CSL-JSON items (with the BibTeX key as id).

    Raises:
        ReferenceFileError: not readable, or a block with a syntax error (with its line).
    """
    import bibtexparser

    text = _read(path)
    with _quiet("bibtexparser"):  # what it logs about a bad block is in the block, and said below
        library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        error = block.error
        reason = " ".join(str(getattr(error, "abort_reason", "") or error).split())
        kind = re.match(r"@\s*(\w+)", block.raw or "")
        more = f" (and {len(library.failed_blocks) - 1} more)" if len(library.failed_blocks) > 1 else ""
        raise ReferenceFileError(
            f"BibTeX error in the {'@' + kind.group(1) if kind else 'unparsable'} block: "
            f"{reason or type(error).__name__}{more}", path=path,
            line=block.start_line + 1 if isinstance(block.start_line, int) else None)
    items = []
    for entry in library.entries:
        item = from_bibtex(entry.entry_type,
                           {k: str(f.value) for k, f in entry.fields_dict.items()})
        item["id"] = entry.key
        items.append(item)
    return items


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Keep the records of logger `name` (and its children) off stderr: the CLI reports one line."""
    logger = logging.getLogger(name)
    handler = logging.NullHandler()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.propagate = propagate
        logger.removeHandler(handler)


def _read(path: Path) -> str:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ReferenceFileError("file not found", path=path) from None
    except OSError as exc:
        raise ReferenceFileError(f"cannot read: {exc.strerror}", path=path) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReferenceFileError(f"is not UTF-8 text (byte {exc.start})", path=path) from None


# Matching ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    item: str  # the item's id (or title) in the imported file
    source: str  # the library source it matched, "" when none
    by: str  # "DOI" | "URL" | "title" | "" (unmatched) | "ambiguous"
    fields: tuple[str, ...] = ()  # CSL fields that changed


@dataclass(slots=True)
class ImportReport:
    matched: list[Match] = field(default_factory=list)
    unmatched: list[Match] = field(default_factory=list)  # items with no source (or several)
    sources_without_item: list[str] = field(default_factory=list)


def import_references(library: Library, items: Sequence[dict[str, Any]]) -> ImportReport:
    """Apply imported CSL items to the sources they match (by DOI, URL, then title)."""
    keys: dict[str, dict[str, list[str]]] = {"DOI": {}, "URL": {}, "title": {}}
    for entry in library.entries.values():
        for by, value in match_keys(entry.csl).items():
            keys[by].setdefault(value, []).append(entry.id)
    with locked(library.sources_file):  # read, change and save with no other write in between
        return import_items(SourcesFile.load(library.root), keys, items, list(library.entries))


def import_items(sources: ItemStore, keys: dict[str, dict[str, list[str]]],
                 items: Sequence[dict[str, Any]], source_ids: list[str]) -> ImportReport:
    """Imported `items` applied to the sources `keys` (from `match_keys`) match; saved if any
    field changed."""
    report = ImportReport()
    touched: set[str] = set()
    for item in items:
        label = str(item.get("id") or item.get("title") or "(untitled item)")
        found: list[str] = []
        by = ""
        for by, value in match_keys(item).items():
            found = keys[by].get(value, [])
            if found:
                break
        if len(found) != 1:
            report.unmatched.append(Match(label, ", ".join(found), "ambiguous" if found else ""))
            continue
        node = sources.item(found[0])
        changed = tuple(key for key, value in item.items()
                        if key != "id" and key not in BRIEFKIT_KEYS and _set(node, key, value))
        touched.add(found[0])
        report.matched.append(Match(label, found[0], by, changed))
    report.sources_without_item = [sid for sid in source_ids if sid not in touched]
    if any(m.fields for m in report.matched):
        sources.save()
    return report


def match_keys(csl: dict[str, Any]) -> dict[str, str]:
    """The DOI, URL and title of an item, normalised; only those it has."""
    out = {}
    doi = normal_doi(str(csl.get("DOI") or ""))
    if doi:
        out["DOI"] = doi
    url = str(csl.get("URL") or "")
    if url:
        out["URL"] = normal_url(url)
        doi = doi or normal_doi(url)
        if doi and "DOI" not in out:
            out["DOI"] = doi
    title = normal_title(str(csl.get("title") or ""))
    if title:
        out["title"] = title
    return out

"""`sources add`: bring files into a library, recognise duplicates, and replace changed sources.

Each source keeps its original file untouched: plain text and Markdown are copied into the
library folder as `<id>.txt` / `<id>.md` (their reading text is made from that copy, like any
library file); PDF, HTML and DOCX are copied to `originals/<id>.<ext>` beside an extracted
reading text `<id>.txt`, which citations anchor to. A file whose SHA-256 the library already
holds is skipped; a file for an existing source (same id, or an HTML page with the same
canonical URL) replaces that source's text. So does the same file when an older version of its
format's reader made the stored text (its extraction record says which, `extraction_record`): the
original is read again. Re-anchoring the briefs citing a replaced source is the caller's
(`briefkit.workflows.source_updates`), through `on_change`, still under the lock.

The steps (reading text, `sources.yaml`, each brief) are each atomic, not together. A run killed
between them is finished by running it again: the file then has the source's own content, and an
unchanged source is still passed to `on_change`, as an update would be.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefkit import yamlio
from briefkit.errors import BriefkitError, SourceError
from briefkit.fsio import atomic_copy, atomic_write, write_target
from briefkit.library.csl import normal_url
from briefkit.library.extraction_record import is_outdated, record_path, write_record
from briefkit.library.ingest import Extracted, Progress, extract
from briefkit.library.library import BRIEF_SUFFIX, SOURCE_ID, SOURCE_ID_RULE, SOURCES_FILE, Library
from briefkit.library.sources_file import SourcesFile, yaml_value
from briefkit.locks import locked

__all__ = ["ORIGINALS", "AddReport", "Added", "OnChange", "add_sources", "source_id_for"]

ORIGINALS = "originals"
_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_ID = 48

# Called under the sources.yaml lock, with the library as saved and the sources whose text changed.
OnChange = Callable[[Library, list[str]], object]


@dataclass(frozen=True, slots=True)
class Added:
    """What happened to one input file."""

    path: Path
    action: str  # "added" | "updated" | "unchanged" | "duplicate" | "failed"
    # ("updated" also for a text read again from the same original by a newer reader)
    source_id: str = ""
    detail: str = ""  # the format summary, the duplicate's id, or the reason it failed

    def __str__(self) -> str:
        if self.action == "failed":
            return f"{self.path}: {self.detail}"
        if self.action in ("unchanged", "duplicate"):
            return f"skipped {self.path}: {self.detail}"
        return f"{self.action} {self.source_id} ({self.detail}) from {self.path}"


@dataclass(slots=True)
class AddReport:
    files: list[Added] = field(default_factory=list)
    created: bool = False  # sources.yaml was created
    outdated: list[str] = field(default_factory=list)  # sources still read by an older reader

    @property
    def failed(self) -> list[Added]:
        return [a for a in self.files if a.action == "failed"]



def source_id_for(path: Path) -> str:
    """A source id from a file name: "Report (final) 2021.pdf" -> "report-final-2021"."""
    slug = _SLUG.sub("-", Path(path).stem.lower()).strip("-")[:_MAX_ID].strip("-")
    return slug or "source"


def add_sources(root: Path, paths: Sequence[Path], *, source_id: str | None = None,
                progress: Progress | None = None, reread: bool = False,
                on_change: OnChange | None = None) -> AddReport:
    """Add files and folders (recursively) to the library in `root`, creating it if needed.

    A file whose content the library holds is skipped, unless its source's reading text was made
    by an older reader of its format: then the original is read again and the text replaced, as
    for a changed file.

    Args:
        root: the library folder; `sources.yaml` is created when missing.
        paths: files, or folders whose files are all added (hidden ones skipped).
        source_id: the id for a single file (default: from its file name).
        progress: called with a status line as files (and PDF pages) are read.
        reread: also read again every source whose text an older reader made, from its
            original in the library.
        on_change: called with the library reopened and the ids of the sources whose text
            changed (or may have: an unchanged file may finish a killed update), before the lock
            on `sources.yaml` is released, so the briefs citing them can be re-anchored.

    Raises:
        BriefkitError: `root` is not a usable library folder, or `source_id` is not a valid
            id or is given with several files (usage errors). A file that cannot be added is reported in the
            result instead, and the others are still added.
    """
    if source_id is not None and not SOURCE_ID.fullmatch(source_id):
        raise BriefkitError(f"source id {source_id!r} must be {SOURCE_ID_RULE}", field="--id")
    root = Path(root).expanduser().resolve()
    if not root.is_dir():
        raise BriefkitError("library folder not found", path=root)
    write_target(root / SOURCES_FILE)  # a read-only folder or sources.yaml: say so before any copy
    with locked(root / SOURCES_FILE):  # no other command changes sources.yaml meanwhile
        return _add(root, paths, source_id, progress, reread, on_change)


def _add(root: Path, paths: Sequence[Path], source_id: str | None, progress: Progress | None,
         reread: bool, on_change: OnChange | None) -> AddReport:
    report = AddReport(created=not (root / SOURCES_FILE).exists())
    library = Library(root, {}) if report.created else Library.open(root)
    sources = SourcesFile.load(root)
    files, missing = _expand(paths, library)
    report.files.extend(missing)
    if source_id is not None and len(files) != 1:
        raise BriefkitError("--id names the source of one file; give exactly one file")
    state = _State(library, sources)
    if reread:
        files += [e.original for e in library.entries.values()
                  if e.original is not None and is_outdated(e) and e.original not in files]
    to_verify: list[str] = []  # sources whose briefs are re-anchored (by `on_change`)
    for number, path in enumerate(files, 1):
        if progress is not None:
            progress(f"{number}/{len(files)} {path.name}")

        def step(status: str, name: str = path.name, n: int = number) -> None:
            if progress is not None:
                progress(f"{n}/{len(files)} {name}: {status}")

        try:
            added = state.add(path, source_id, step)
        except SourceError as exc:
            added = Added(path, "failed", detail=exc.message)
        except OSError as exc:
            added = Added(path, "failed", detail=f"cannot read or write: {exc.strerror}")
        report.files.append(added)
        if added.action in ("updated", "unchanged"):  # unchanged: a killed update may have left briefs
            to_verify.append(added.source_id)
    if state.changed:
        sources.save()
    report.outdated = [e.id for e in library.entries.values() if is_outdated(e)]
    if to_verify and on_change is not None:
        on_change(Library.open(root), to_verify)
    return report


def _expand(paths: Sequence[Path], library: Library) -> tuple[list[Path], list[Added]]:
    """The files to add, in order, and a failure for each path that does not exist. Walking a
    folder skips hidden files, briefs, `sources.yaml` and the library's own files."""
    own = {library.root / SOURCES_FILE}
    for entry in library.entries.values():
        own.add(entry.file)
        if entry.original is not None:
            own.update((entry.original, record_path(entry.original)))
    files: list[Path] = []
    missing: list[Added] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    full = Path(folder, name).resolve()
                    if (name.startswith(".") or name.endswith(BRIEF_SUFFIX) or name == SOURCES_FILE
                            or full in own):
                        continue
                    files.append(full)
        elif path.is_file():
            files.append(path.resolve())
        else:
            missing.append(Added(path, "failed", detail="file not found"))
    return list(dict.fromkeys(files)), missing


class _State:
    """Ids, hashes and URLs known so far in one `add`, including this run's additions."""

    def __init__(self, library: Library, sources: SourcesFile) -> None:
        self.root = library.root
        self.sources = sources
        self.ids: set[str] = set(library.entries)
        self.hashes: dict[str, str] = {e.sha256: e.id for e in library.entries.values() if e.sha256}
        self.unhashed = {e.id: (e.original or e.file) for e in library.entries.values()
                         if not e.sha256}
        self.urls = {normal_url(str(e.csl["URL"])): e.id for e in library.entries.values()
                     if e.csl.get("URL")}
        self.entries = library.entries
        self.new_ids: set[str] = set()
        self.changed = False

    def known_hash(self, digest: str, size: int) -> str | None:
        """The source whose original has this SHA-256; older entries are hashed when sizes match."""
        if digest in self.hashes:
            return self.hashes[digest]
        for sid, file in list(self.unhashed.items()):
            try:
                if file.stat().st_size != size:
                    continue
                if _sha256(file) == digest:
                    return sid
            except OSError:
                continue
        return None

    def add(self, path: Path, source_id: str | None, progress: Progress) -> Added:
        size = path.stat().st_size
        digest = _sha256(path)
        same = self.known_hash(digest, size)
        if same is not None and same in self.entries and is_outdated(self.entries[same]):
            return self._reread(path, same, digest, progress)
        if same is not None:
            if same == (source_id or source_id_for(path)):
                return Added(path, "unchanged", same, f"source {same} has the same content")
            return Added(path, "duplicate", same, f"same content as source {same}")
        found = extract(path, progress)
        sid = source_id or self._id_for(path, found)
        updating = sid in self.ids and sid not in self.new_ids
        if updating:
            node = self.sources.item(sid)
        else:
            node = yamlio.CommentedMap(id=sid)
        self._store(path, sid, found, node, digest)
        if not updating:
            self.sources.items.append(node)
            self.ids.add(sid)
            self.new_ids.add(sid)
        self.hashes[digest] = sid
        self.unhashed.pop(sid, None)
        if found.csl.get("URL"):
            self.urls[normal_url(str(found.csl["URL"]))] = sid
        self.changed = True
        return Added(path, "updated" if updating else "added", sid, found.describe())

    def _reread(self, path: Path, sid: str, digest: str, progress: Progress) -> Added:
        """Read the same original again with this briefkit's reader and replace the source's
        text (its metadata kept); the caller re-anchors the briefs citing it. The library's
        own copy of the original is read, so its name stays as it is."""
        original = self.entries[sid].original
        if original is not None and original.is_file():
            path = original
        found = extract(path, progress)
        self._store(path, sid, found, self.sources.item(sid), digest)
        self.changed = True
        reader = {"pdf": "PDF", "html": "HTML", "docx": "DOCX"}.get(found.format, found.format)
        return Added(path, "updated", sid, f"re-read with the new {reader} reader: {found.describe()}")

    def _id_for(self, path: Path, found: Extracted) -> str:
        """An existing source with the page's URL, else the file name's id (an existing source
        of that id is updated), made unique among this run's additions and files on disk."""
        url = found.csl.get("URL")
        if url and normal_url(str(url)) in self.urls:
            return self.urls[normal_url(str(url))]
        base = source_id_for(path)
        sid, n = base, 1
        while sid in self.new_ids or (sid not in self.ids and self._taken(sid, path, found)):
            n += 1
            sid = f"{base}-{n}"
        return sid

    def _taken(self, sid: str, path: Path, found: Extracted) -> bool:
        """A file the new source would be written to already exists and is not `path` itself."""
        reading, original = _targets(sid, path, found)
        return any((self.root / p).exists() and (self.root / p).resolve() != path
                   for p in (reading, original) if p)

    def _store(self, path: Path, sid: str, found: Extracted, node: Any, digest: str) -> None:
        """Write the original and the reading text, and record both in the entry."""
        reading, original = _targets(sid, path, found)
        old_original = node.get("original")
        if found.text is None:
            _copy(path, self.root / reading)
        else:
            (self.root / ORIGINALS).mkdir(exist_ok=True)
            _copy(path, self.root / original)
            atomic_write(self.root / reading, found.text)
            write_record(self.root / original, found.format, found.removed)
        if old_original and old_original != original and str(old_original).startswith(
                f"{ORIGINALS}/"):
            (self.root / old_original).unlink(missing_ok=True)
            record_path(self.root / old_original).unlink(missing_ok=True)
        fresh = "file" not in node
        for key, value in (("file", reading), ("original", original), ("format", found.format),
                           ("sha256", digest)):
            if value:
                node[key] = value
            else:
                node.pop(key, None)
        for key, value in found.csl.items():
            if fresh or key not in node:  # an update keeps the metadata the user has
                node[key] = yaml_value(value, key)
        if found.page_labels:  # last: a long report's labels would bury its metadata
            node["page-labels"] = yaml_value(list(found.page_labels), "page-labels")
        else:
            node.pop("page-labels", None)


def _targets(sid: str, path: Path, found: Extracted) -> tuple[str, str]:
    """(reading text file, original file) relative to the library folder."""
    if found.text is None:
        return (f"{sid}.md" if found.format == "markdown" else f"{sid}.txt"), ""
    suffix = path.suffix.lower() if re.fullmatch(r"\.[a-z0-9]{1,5}", path.suffix.lower()) else ""
    suffix = suffix or {"pdf": ".pdf", "html": ".html", "docx": ".docx"}[found.format]
    return f"{sid}.txt", f"{ORIGINALS}/{sid}{suffix}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _copy(source: Path, target: Path) -> None:
    """Copy atomically (bounded memory), under the rules of every write (`fsio.write_target`)."""
    if target.exists() and target.resolve() == source.resolve():
        return
    atomic_copy(source, target)

"""Adding files to a team library, and re-anchoring the briefs that cite what changed.

Each file is read exactly as `sources add` reads it into a folder (into a scratch folder
library: same readers, ids, cleaning, duplicate detection within the batch), then goes into
the database in one transaction per source: a file whose original is stored already (same
SHA-256) is skipped, one for an existing id replaces that source's text and keeps the
metadata analysts gave it, and the team briefs citing it are re-anchored in that same
transaction. Then every `--brief` file naming this library is re-anchored by the same
integrity rules (`briefkit.workflows.source_updates`: safe moves saved, the rest reported).

An editor holding the library open hears such changes (`SourceWatch`: LISTEN on
`briefkit_sources`) and checks its open brief's quotes of the changed sources by the same
rules (`reanchor_open_brief`). The library's connection is taken afresh for every statement
(`PostgresLibrary.read`, `.conn`), so one the server dropped is replaced, never reused.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from briefkit.brief.model import Brief
from briefkit.errors import BriefkitError
from briefkit.fsio import read_bytes
from briefkit.library.additions import add_sources
from briefkit.library.interface import SourceLibrary
from briefkit.library.library import Library
from briefkit.library.postgres.connection import server_errors
from briefkit.library.postgres.library import PostgresLibrary
from briefkit.library.postgres.target import LibraryTarget
from briefkit.library.postgres.writes import CHANNEL as SOURCES_CHANNEL
from briefkit.library.postgres.writes import SourceRecord, put_source
from briefkit.workflows.listening import Listener
from briefkit.workflows.source_updates import Reanchored, reanchor_briefs
from briefkit.workflows.team_briefs import reanchor_citations, reanchor_team_briefs

__all__ = ["SourceChanges", "SourceWatch", "TeamAddReport", "add_team_sources",
           "reanchor_open_brief"]


@dataclass(slots=True)
class TeamAddReport:
    """What happened to each source id, and what re-anchoring the briefs found."""

    actions: dict[str, str] = field(default_factory=dict)  # id -> added/replaced/... or why skipped
    reanchored: list[Reanchored] = field(default_factory=list)
    brief_errors: list[BriefkitError] = field(default_factory=list)


def add_team_sources(url: str, paths: Sequence[Path], *, source_id: str | None = None,
                     briefs: Sequence[Path] = (),
                     progress: Callable[[str], None] | None = None) -> TeamAddReport:
    """Add or replace the sources read from `paths` in the team library at `url`.

    Raises:
        BriefkitError: a file cannot be read, or the server refuses (a read-only user gets one
            message); sources written before stay written.
    """
    library = PostgresLibrary.open(url)
    try:
        return _add(library, url, paths, source_id, briefs, progress)
    finally:
        library.close()


def _add(library: PostgresLibrary, url: str, paths: Sequence[Path], source_id: str | None,
         briefs: Sequence[Path], progress: Callable[[str], None] | None) -> TeamAddReport:
    report = TeamAddReport()
    with tempfile.TemporaryDirectory(prefix="briefkit-add-") as scratch:
        added = add_sources(Path(scratch), paths, source_id=source_id, progress=progress)
        if added.failed:
            raise BriefkitError(str(added.failed[0]))
        folder = Library.open(Path(scratch))
        stored = {sid: (pos, sha) for sid, pos, sha in library.read(lambda conn: conn.execute(
            "SELECT id, position, sha256 FROM sources WHERE library_id = %s",
            (library.library_id,)).fetchall())}  # a dropped connection is opened again here
        by_original = {sha: sid for sid, (_, sha) in stored.items() if sha}
        after = max((pos for pos, _ in stored.values()), default=-1) + 1
        for entry in folder.entries.values():
            same = by_original.get(entry.sha256) if entry.sha256 else None
            if same is not None and same != entry.id:
                report.actions[entry.id] = f"skipped: the library holds this file as '{same}'"
                continue
            data = read_bytes(entry.file, what="source file")
            record = SourceRecord.from_folder(folder, entry, data,
                                              hashlib.sha256(data).hexdigest())
            position = stored[entry.id][0] if entry.id in stored else after
            after += entry.id not in stored

            def within(conn: psycopg.Connection, sid: str = entry.id,
                       text: str = record.text) -> None:
                report.reanchored.extend(
                    reanchor_team_briefs(conn, library.library_id, sid, text))

            with library.lock, server_errors(library.target):  # the library's connection now
                report.actions[entry.id] = put_source(library.conn, library.library_id, record,
                                                      position, keep_metadata=True, within=within)
    changed = [sid for sid, action in report.actions.items() if action == "replaced"]
    if changed and briefs:
        library.reload()
        files, report.brief_errors = reanchor_briefs(library, changed, briefs,
                                                     uses=lambda brief: brief.library == url)
        report.reanchored.extend(files)
    return report


@dataclass(frozen=True, slots=True)
class SourceChanges:
    """Sources others changed in a team library since the last look."""

    actions: dict[str, str]  # id -> "added", "replaced" (a new text) or "updated" (metadata)
    unknown: bool = False  # the watch was not listening for a while: any source may have changed

    def summary(self) -> str:
        """One line for the analyst: "2 sources added (a, b), 1 replaced (c)"."""
        if self.unknown:
            return "the library may have changed while its announcements were not heard"
        parts = []
        for action, said in (("added", "added"), ("replaced", "replaced"), ("updated", "edited")):
            ids = sorted(sid for sid, done in self.actions.items() if done == action)
            if ids:
                listed = ", ".join(ids[:3]) + (", …" if len(ids) > 3 else "")
                parts.append(f"{len(ids)} source{'s' * (len(ids) != 1)} {said} ({listed})")
        return ", ".join(parts)


class SourceWatch(Listener):
    """Others' additions and changes to a team library's sources, heard as `sources add`,
    `sources edit`, `import-csl` or `push` announce them on `briefkit_sources` (LISTEN on its own
    connection, in a daemon thread), collected for the editor's next look (`take`).

    After a lost connection, on listening again, `take` says any source may have changed
    meanwhile (`unknown`), so nothing announced while deaf is missed.
    """

    def __init__(self, url: str, *, retry: float = 2.0) -> None:
        super().__init__(LibraryTarget.parse(url), (SOURCES_CHANNEL,), name="briefkit-sources",
                         retry=retry)
        self._lock = threading.Lock()
        self._heard: dict[str, str] = {}
        self._unknown = False
        self._connected = 0  # how many times the watch has begun listening
        self.start()

    def take(self) -> SourceChanges | None:
        """What was heard since the last call, if anything (and forget it). While the server
        is away nothing is (`error` says why); once listening again, `unknown` is."""
        with self._lock:
            heard, unknown = self._heard, self._unknown
            self._heard, self._unknown = {}, False
        return SourceChanges(heard, unknown) if heard or unknown else None

    def _follow(self, conn: psycopg.Connection, library_id: int) -> None:
        self._connected += 1
        if self._connected > 1:
            with self._lock:
                self._unknown = True
        while not self._stop.is_set():
            for note in conn.notifies(timeout=0.5):
                change = json.loads(note.payload)
                if change.get("library") != library_id:
                    continue
                with self._lock:  # a new text counts over a later edit of the metadata
                    sid, action = str(change["source"]), str(change["action"])
                    if self._heard.get(sid) not in ("added", "replaced"):
                        self._heard[sid] = action


def reanchor_open_brief(library: SourceLibrary, brief: Brief, name: Path,
                        source_ids: Iterable[str]) -> list[Reanchored]:
    """An open brief's citations of `source_ids`, verified against the library's texts now by
    the rules `sources add` applies to stored briefs (`reanchor_citations`): safe moves are made
    in `brief` (a copy the editor takes the new anchors from), the rest reported.

    Raises:
        BriefkitError: a source's text cannot be read (the server went away).
    """
    cited = {c.source for _, c in brief.citations()}
    found: list[Reanchored] = []
    for source_id in sorted(set(source_ids) & cited):
        if source_id in library.entries:
            found.extend(reanchor_citations(brief, name, source_id,
                                            library.source(source_id).text))
    return found

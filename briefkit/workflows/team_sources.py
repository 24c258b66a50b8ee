"""Adding files to a team library, and re-anchoring the briefs that cite what changed.

Each file is read exactly as `sources add` reads it into a folder (into a scratch folder
library: same readers, ids, cleaning, duplicate detection within the batch), then goes into
the database in one transaction per source: a file whose original is stored already (same
SHA-256) is skipped, one for an existing id replaces that source's text and keeps the
metadata analysts gave it, and the team briefs citing it are re-anchored in that same
transaction. Then every `--brief` file naming this library is re-anchored by the same
integrity rules (`briefkit.workflows.source_updates`: safe moves saved, the rest reported).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from briefkit.errors import BriefkitError
from briefkit.fsio import read_bytes
from briefkit.library.additions import add_sources
from briefkit.library.library import Library
from briefkit.library.postgres.connection import server_errors
from briefkit.library.postgres.library import PostgresLibrary
from briefkit.library.postgres.writes import SourceRecord, put_source
from briefkit.workflows.source_updates import Reanchored, reanchor_briefs
from briefkit.workflows.team_briefs import reanchor_team_briefs

__all__ = ["TeamAddReport", "add_team_sources"]


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
    report = TeamAddReport()
    with tempfile.TemporaryDirectory(prefix="briefkit-add-") as scratch:
        added = add_sources(Path(scratch), paths, source_id=source_id, progress=progress)
        if added.failed:
            raise BriefkitError(str(added.failed[0]))
        folder = Library.open(Path(scratch))
        conn = library.conn
        with library.lock, server_errors(library.target):
            stored = {sid: (pos, sha) for sid, pos, sha in conn.execute(
                "SELECT id, position, sha256 FROM sources WHERE library_id = %s",
                (library.library_id,))}
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

                report.actions[entry.id] = put_source(conn, library.library_id, record, position,
                                                      keep_metadata=True, within=within)
    changed = [sid for sid, action in report.actions.items() if action == "replaced"]
    if changed and briefs:
        library.reload()
        files, report.brief_errors = reanchor_briefs(library, changed, briefs,
                                                     uses=lambda brief: brief.library == url)
        report.reanchored.extend(files)
    return report

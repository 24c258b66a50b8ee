"""Briefs stored in a team library, edited by several analysts at once without losing a word.

A team brief is a row holding the brief's YAML (what a brief file would hold) and a revision
number. Every save is compare-and-swap on that number (`UPDATE ... WHERE revision = $seen`):

- a one-shot change (`briefkit cite`, `check --fix`) is a function re-applied to a fresh copy
  until its swap succeeds, so concurrent cites all land;
- an editor holding a brief open (`save_team_brief`) merges by element what others saved since
  its base, by the rules of `briefkit.brief.merge`: different elements merge, real conflicts
  are returned to the one saving and nothing is written until they are settled.

Each revision is recorded in `brief_changes` with who (the database user) and when, and
announced on the `briefkit_briefs` channel, so open editors can bring others' saves in
(`wait_for_saves`; `BriefWatch` listens in a thread of its own and reads each new revision, so
an editor's idle look at it costs no query).
"""

from __future__ import annotations

import contextlib
import json
import select
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg

from briefkit import yamlio
from briefkit.brief.anchoring import show_in_context, verify
from briefkit.brief.merge import Merge, merge_briefs
from briefkit.brief.model import Brief
from briefkit.brief.store import dump_brief, new_brief, parse_brief
from briefkit.errors import BriefFileError, BriefkitError
from briefkit.library.interface import is_library_url
from briefkit.library.postgres.connection import connect, server_errors
from briefkit.library.postgres.connection import library_id as find_library
from briefkit.library.postgres.target import LibraryTarget
from briefkit.workflows.listening import Listener
from briefkit.workflows.source_updates import Reanchored

__all__ = ["CHANNEL", "BriefWatch", "Change", "TeamSave", "brief_log", "create_team_brief",
           "is_brief_url",
           "listen", "load_team_brief", "reanchor_citations", "reanchor_team_briefs",
           "save_team_brief",
           "update_team_brief", "wait_for_saves"]

CHANNEL = "briefkit_briefs"
MAX_ATTEMPTS = 200  # a change re-applied this often without landing is reported, not looped on
OWN_SAVE_WAIT = 0.2  # seconds a watch waits before reading an announced revision: its editor's
# own save announces itself before the save returns and the editor says it holds it (`known`)


def is_brief_url(spec: str) -> bool:
    """`spec` names a brief stored in a team library (`postgresql://host/db/BRIEF-ID?...`)."""
    return is_library_url(spec) and bool(LibraryTarget.parse(spec).brief)


@dataclass(frozen=True, slots=True)
class Change:
    """One saved revision of a team brief, from the audit trail."""

    revision: int
    at: datetime
    by: str
    summary: str


@dataclass(frozen=True, slots=True)
class TeamSave:
    """What a merge-aware save did: `brief` is what the database now holds at `revision` (or,
    when `saved` is False, would hold once `merge`'s conflicts are settled)."""

    brief: Brief
    saved: bool
    revision: int
    merge: Merge | None = None


def create_team_brief(url: str, *, title: str, template: str, replace: bool = False) -> int:
    """Store a new brief at `url`; returns its revision (1).

    Raises:
        BriefkitError: the brief exists (unless `replace`), or the server refuses.
    """
    target = _brief_target(url)
    brief = new_brief(Path(target.brief), title=title, library=target.library_url,
                      template=template)
    brief.path = None
    text = dump_brief(brief)
    with connect(target) as conn, server_errors(target):
        library_id = find_library(conn, target)
        with conn.transaction():
            row = conn.execute("SELECT revision FROM briefs WHERE library_id = %s AND id = %s "
                               "FOR UPDATE", (library_id, target.brief)).fetchone()
            if row is not None and not replace:
                raise BriefkitError(f"{url}: already exists (use --force to replace it)")
            revision = 1 if row is None else row[0] + 1
            conn.execute("INSERT INTO briefs (library_id, id, text, revision) VALUES (%s, %s, %s, "
                         "%s) ON CONFLICT (library_id, id) DO UPDATE SET text = EXCLUDED.text, "
                         "revision = EXCLUDED.revision, updated = now(), updated_by = current_user",
                         (library_id, target.brief, text, revision))
            _record(conn, library_id, target.brief, revision, "created", text)
    return revision


def load_team_brief(url: str) -> tuple[Brief, int]:
    """The brief at `url` and its revision; its `library` is the team library it is in."""
    target = _brief_target(url)
    with connect(target) as conn, server_errors(target):
        text, revision = _read(conn, target, find_library(conn, target))
    return _parse(text, target), revision


def update_team_brief(url: str, change: Callable[[Brief], bool], *,
                      summary: str) -> tuple[Brief, int]:
    """Apply `change` to the brief and save it if it returns True, compare-and-swap on the
    revision: when someone saved in between, `change` runs again on their revision.

    Returns:
        The brief as saved (or as read, when `change` returned False) and its revision.

    Raises:
        BriefkitError: `change` refused, the brief cannot be read, or the server refuses.
    """
    target = _brief_target(url)
    with connect(target) as conn, server_errors(target):
        library_id = find_library(conn, target)
        for _ in range(MAX_ATTEMPTS):
            text, revision = _read(conn, target, library_id)
            brief = _parse(text, target)
            if not change(brief):
                return brief, revision
            new = _text(brief, text)
            if _swap(conn, library_id, target.brief, revision, new, summary):
                return _parse(new, target), revision + 1
    raise BriefkitError(f"{url}: not saved: others saved this brief {MAX_ATTEMPTS} times while "
                        "this change was being made; try again")


def save_team_brief(brief: Brief, base: Brief, base_revision: int, url: str,
                    choices: Mapping[str, str] | None = None, *, summary: str = "saved",
                    conn: psycopg.Connection | None = None) -> TeamSave:
    """Save an editor's `brief`, changed from `base` (read at `base_revision`).

    A brief still at `base_revision` is saved; one others saved since is merged by element and
    the merge saved, unless it has conflicts `choices` do not settle: then nothing is written.
    An editor that saves often passes its own connection (`conn`, left open): a connection per
    save costs a login each time.
    """
    target = _brief_target(url)
    opened = contextlib.nullcontext(conn) if conn is not None else connect(target)
    with opened as conn, server_errors(target):
        library_id = find_library(conn, target)
        for _ in range(MAX_ATTEMPTS):
            text, revision = _read(conn, target, library_id)
            merge = None
            mine = brief
            if revision != base_revision:
                merge = merge_briefs(base, brief, _parse(text, target), choices)
                if merge.unresolved:
                    return TeamSave(merge.brief, False, revision, merge)
                mine = merge.brief
            new = _text(mine, text)
            if _swap(conn, library_id, target.brief, revision, new, summary):
                return TeamSave(_parse(new, target), True, revision + 1, merge)
    raise BriefkitError(f"{url}: not saved: others kept saving this brief; try again")


def reanchor_team_briefs(conn: psycopg.Connection, library_id: int, source_id: str,
                         text: str) -> list[Reanchored]:
    """Inside the transaction replacing `source_id`'s text: verify every citation of it in the
    library's team briefs against `text`, by the integrity rules, and save the safe moves.

    The briefs citing the source are locked (`FOR UPDATE`) until the source's transaction ends,
    so no save slips between the check and the new revision; quotes that need review or are
    orphaned are reported and left as they were, for `briefkit check`.
    """
    results: list[Reanchored] = []
    rows = conn.execute("SELECT id, text, revision FROM briefs WHERE library_id = %s AND "
                        "strpos(text, %s) > 0 ORDER BY id FOR UPDATE",
                        (library_id, source_id)).fetchall()
    for brief_id, stored, revision in rows:
        name = Path(brief_id)
        brief = parse_brief(yamlio.loads(stored, name, BriefFileError), name)
        brief.source_text, brief.path = stored, None  # its layout is read if it is saved
        found = reanchor_citations(brief, name, source_id, text)
        results.extend(found)
        moved = [r.citation for r in found if r.status == "moved"]
        if moved:
            new = dump_brief(brief)
            conn.execute("UPDATE briefs SET text = %s, revision = revision + 1, updated = now(), "
                         "updated_by = current_user WHERE library_id = %s AND id = %s",
                         (new, library_id, brief_id))
            _record(conn, library_id, brief_id, revision + 1,
                    f"re-anchored {', '.join(moved)}: source {source_id} replaced", new)
    return results


def reanchor_citations(brief: Brief, name: Path, source_id: str, text: str) -> list[Reanchored]:
    """Verify `brief`'s citations of `source_id` against its `text` now, by the integrity
    rules (`briefkit.brief.anchoring.verify`): a quote that moved safely gets its new anchor in
    `brief`; one that needs review or is orphaned is left as it was. Returns every citation
    that did not stay put (named as in `name`)."""
    results: list[Reanchored] = []
    for _, citation in brief.citations():
        if citation.source != source_id:
            continue
        check = verify(citation.anchor, text)
        if check.status == "ok":
            continue
        candidate = check.candidate
        results.append(Reanchored(name, citation.id, source_id, check.status, check.reason,
                                  show_in_context(citation.anchor) if candidate else "",
                                  show_in_context(candidate) if candidate else ""))
        if check.status == "moved":
            citation.anchor = check.anchor
    return results


def brief_log(url: str) -> list[Change]:
    """Every revision of the brief, oldest first."""
    target = _brief_target(url)
    with connect(target) as conn, server_errors(target):
        library_id = find_library(conn, target)
        rows = conn.execute("SELECT revision, at, by, summary FROM brief_changes "
                            "WHERE library_id = %s AND brief_id = %s ORDER BY revision",
                            (library_id, target.brief)).fetchall()
    if not rows:
        raise BriefkitError(f"{url}: no such brief in the team library")
    return [Change(*row) for row in rows]


def listen(url: str) -> psycopg.Connection:
    """A connection listening for saves of team briefs (pass it to `wait_for_saves`)."""
    target = LibraryTarget.parse(url)
    conn = connect(target)
    with server_errors(target):
        conn.execute(f"LISTEN {CHANNEL}")
    return conn


def wait_for_saves(conn: psycopg.Connection, timeout: float) -> list[dict[str, object]]:
    """The saves announced within `timeout` seconds (brief id, revision, who), in order."""
    if select.select([conn.fileno()], [], [], timeout)[0]:
        return [json.loads(n.payload) for n in conn.notifies(timeout=0.05)]
    return []


class BriefWatch(Listener):
    """Others' saves of one team brief, heard as they are announced (LISTEN on its own
    connection, in a daemon thread) and read then, so `newer_than` never waits on the server;
    the editor's own saves, which it reports with `known`, are not read back.

    A lost connection is retried every `retry` seconds (`error` says why meanwhile); on every
    (re)connection the brief is read once, so a save made while not listening is not missed.
    """

    def __init__(self, url: str, known: int, *, retry: float = 2.0) -> None:
        target = _brief_target(url)
        super().__init__(target, (CHANNEL,), name=f"briefkit-watch-{target.brief}", retry=retry)
        self._known = known  # the newest revision the editor holds: not worth reading again
        self._latest: tuple[Brief, int] | None = None
        self._lock = threading.Lock()
        self.start()

    def newer_than(self, revision: int) -> tuple[Brief, int] | None:
        """The newest revision heard, with its number, if it is newer than `revision`."""
        with self._lock:
            self._known = max(self._known, revision)
            latest = self._latest
        return latest if latest is not None and latest[1] > revision else None

    def known(self, revision: int) -> None:
        """The editor holds `revision` now (it saved it): its announcement need not be read."""
        with self._lock:
            self._known = max(self._known, revision)

    def offer(self, brief: Brief, revision: int) -> None:
        """A revision the editor has in hand but not as its own (a save whose result clashes
        with edits made during it): `newer_than` offers it as others' save, without a read."""
        with self._lock:
            if self._latest is None or revision > self._latest[1]:
                self._latest = (brief, revision)

    def _follow(self, conn: psycopg.Connection, library_id: int) -> None:
        """Read the brief now and again whenever a newer revision of it is announced."""
        heard = self._read(conn, library_id)
        while not self._stop.is_set():
            for note in conn.notifies(timeout=0.5):
                save = json.loads(note.payload)
                if save.get("library") == library_id and save.get("brief") == self._target.brief:
                    heard = max(heard, int(save["revision"]))
            if self._behind(heard):
                self._stop.wait(OWN_SAVE_WAIT)  # the editor's own save: it says so, no read
                if self._behind(heard):
                    heard = max(heard, self._read(conn, library_id))

    def _behind(self, heard: int) -> bool:
        with self._lock:
            return heard > max(self._known, self._latest[1] if self._latest else 0)

    def _read(self, conn: psycopg.Connection, library_id: int) -> int:
        text, revision = _read(conn, self._target, library_id)
        if self._behind(revision):
            brief = _parse(text, self._target)  # not under the lock: the editor's look never waits
            with self._lock:
                if self._latest is None or revision > self._latest[1]:
                    self._latest = (brief, revision)
        return revision


def _brief_target(url: str) -> LibraryTarget:
    target = LibraryTarget.parse(url)
    if not target.brief:
        raise BriefkitError(f"{url}: name the brief after the database: "
                            "postgresql://host/dbname/BRIEF-ID?library=NAME", field="BRIEF")
    return target


def _read(conn: psycopg.Connection, target: LibraryTarget, library_id: int) -> tuple[str, int]:
    row = conn.execute("SELECT text, revision FROM briefs WHERE library_id = %s AND id = %s",
                       (library_id, target.brief)).fetchone()
    if row is None:
        raise BriefkitError(f"{target.url}: no such brief in the team library "
                            f"(briefkit new {target.brief} --library {target.library_url})")
    return str(row[0]), int(row[1])


def _parse(text: str, target: LibraryTarget) -> Brief:
    name = Path(target.brief)
    brief = parse_brief(yamlio.loads(text, name, BriefFileError), name)
    brief.source_text = text
    brief.path = None  # no file: saves go through this module
    brief.library = target.library_url  # this analyst's URL of the library the brief is in
    return brief


def _text(brief: Brief, stored: str) -> str:
    """The brief's YAML, its `library:` left as stored (each analyst's URL may differ)."""
    mine = brief.library
    brief.library = _stored_library(stored)
    try:
        return dump_brief(brief)
    finally:
        brief.library = mine


def _stored_library(stored: str) -> str:
    """The `library:` of a stored brief, read from its own lines: a top-level key is a line
    that starts with it, and what belongs to it is indented, so loading the whole brief again
    (a fifth of a save at 1,000 citations) is needed only where that is not so."""
    lines = stored.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("library:")]
    if len(starts) == 1:
        end = starts[0] + 1
        while end < len(lines) and (lines[end][:1] in (" ", "\t") or not lines[end].strip()):
            end += 1
        with contextlib.suppress(BriefFileError):
            value = yamlio.loads("".join(lines[starts[0]:end]), "brief", BriefFileError)
            if isinstance(value, dict) and isinstance(value.get("library"), str):
                return value["library"]
    return str(yamlio.loads(stored, "brief", BriefFileError).get("library", "."))


def _swap(conn: psycopg.Connection, library_id: int, brief_id: str, revision: int, text: str,
          summary: str) -> bool:
    """Save `text` as revision + 1 if the brief is still at `revision`, with its audit row and
    its announcement, in one transaction."""
    with conn.transaction():
        done = conn.execute("UPDATE briefs SET text = %s, revision = revision + 1, updated = now(), "
                            "updated_by = current_user WHERE library_id = %s AND id = %s "
                            "AND revision = %s", (text, library_id, brief_id, revision)).rowcount
        if done != 1:
            return False
        _record(conn, library_id, brief_id, revision + 1, summary, text)
    return True


def _record(conn: psycopg.Connection, library_id: int, brief_id: str, revision: int,
            summary: str, text: str) -> None:
    conn.execute("INSERT INTO brief_changes (library_id, brief_id, revision, summary, text) "
                 "VALUES (%s, %s, %s, %s, %s)", (library_id, brief_id, revision, summary, text))
    conn.execute("SELECT pg_notify(%s, json_build_object('library', %s::integer, 'brief', "
                 "%s::text, 'revision', %s::integer, 'by', current_user)::text)",
                 (CHANNEL, library_id, brief_id, revision))

"""A brief stored in a team library, edited in the TUI as a brief file is.

The differences are where changes go and come from: a save is compare-and-swap on the brief's
revision number (`workflows.team_briefs.save_team_brief`, which merges what others saved since
and returns real conflicts unsaved), and others' saves are heard through LISTEN/NOTIFY by a
`BriefWatch` thread that reads each new revision as it is announced, so the app's idle look
(`outside_change`) never waits on the server. Merging, conflicts and undo are the file draft's,
and so is saving in a worker thread (`begin_save` on the loop, `store` in the thread,
`finish_save` back on the loop), with the revision number carried in the job and the result.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import psycopg

from briefkit.brief.merge import Merge
from briefkit.brief.model import Brief
from briefkit.brief.revisions import SaveResult, revision
from briefkit.errors import BriefkitError
from briefkit.library.postgres.connection import connect
from briefkit.library.postgres.target import LibraryTarget
from briefkit.tui.draft import Draft, SaveJob, snapshot_of
from briefkit.workflows.team_briefs import (
    BriefWatch,
    TeamSave,
    load_team_brief,
    save_team_brief,
)

__all__ = ["TeamDraft", "open_team_draft"]

CLOSE_WAIT = 10.0  # seconds `close` waits for a save running in its thread to end


def open_team_draft(url: str) -> TeamDraft:
    """Read the team brief at `url` and start listening for others' saves of it.

    Raises:
        BriefkitError: the brief or its library cannot be read, or the server cannot be reached.
    """
    brief, number = load_team_brief(url)
    return TeamDraft(brief, number, url, BriefWatch(url, number))


@dataclass(frozen=True, slots=True)
class TeamSaveJob(SaveJob):
    """A team save: the file draft's job, plus the revision number its base is."""

    number: int


@dataclass(frozen=True, slots=True)
class TeamSaveResult(SaveResult):
    """A team save's result, plus the revision number the database holds it at."""

    number: int = 0


class TeamDraft(Draft):
    """A draft whose brief is revision `number` of the team brief at `url`.

    Saves run as a file draft's do, `store` in a worker thread: compare-and-swap on the job's
    revision number, on the draft's own connection, which only `store` uses and only under
    `_storing` (the app runs one save at a time; `close` waits for a running one).
    """

    origin = "the team library"
    elsewhere = "the brief in the team library"

    def __init__(self, brief: Brief, number: int, url: str, watch: BriefWatch) -> None:
        super().__init__(brief)
        self.url = url
        self.number = number  # the revision the draft's base is
        self.watch = watch
        self._path = Path.cwd() / LibraryTarget.parse(url).brief  # names it; exports go here
        self._offered: tuple[Brief, int] | None = None  # the revision outside_change last returned
        self._aside = 0  # a revision whose conflicts the analyst put off
        self._conn: psycopg.Connection | None = None  # for saves, opened at the first
        self._storing = threading.Lock()  # held by the save using `_conn`
        self._landed = number  # the revision the save being finished wrote

    @property
    def path(self) -> Path:
        """No file: the brief's id in the folder the TUI started in (titles, export default)."""
        return self._path

    def begin_save(self) -> TeamSaveJob:
        job = super().begin_save()
        return TeamSaveJob(job.brief, job.base, job.base_revision, job.edits, self.number)

    def store(self, job: SaveJob, choices: Mapping[str, str] | None = None,
              timeout: float | None = None) -> TeamSaveResult:
        """Save the job's brief as revision `job.number + 1`, merging what others saved since;
        with unsettled conflicts nothing is written and the result lists them. Touches nothing
        of the draft's but its save connection, so it runs in a worker thread.

        Raises:
            BriefkitError: the server cannot be reached or refuses (a read-only user, say).
        """
        assert isinstance(job, TeamSaveJob)
        with self._storing:
            try:
                result = self._store(job, choices)
            except BriefkitError:
                if self._conn is None or not self._conn.broken:
                    raise
                result = self._store(job, choices)  # the server dropped the connection: anew
        if not result.saved:
            assert result.merge is not None
            return TeamSaveResult(result.brief, saved=False, text=result.merge.theirs.source_text,
                                  merge=result.merge, number=result.revision)
        return TeamSaveResult(result.brief, saved=True, text=result.brief.source_text,
                              merge=result.merge, number=result.revision)

    def _store(self, job: TeamSaveJob, choices: Mapping[str, str] | None) -> TeamSave:
        """Compare-and-swap on the draft's own connection (a login per save costs more than
        the save of a small brief), opened again once the server has dropped it."""
        if self._conn is None or self._conn.broken or self._conn.closed:
            if self._conn is not None:
                self._conn.close()
            self._conn = connect(LibraryTarget.parse(self.url))
        return save_team_brief(job.brief, job.base, job.number, self.url, choices,
                               summary="saved in the TUI", conn=self._conn)

    def finish_save(self, job: SaveJob, result: SaveResult) -> Merge | None:
        """As a file draft's; when the edits made during the save conflict with what it merged,
        the revision it wrote is handed to the watch, so the next idle look offers it at once."""
        assert isinstance(result, TeamSaveResult)
        self._landed = result.number  # where `_now_at` moves the base
        conflicts = super().finish_save(job, result)
        if conflicts is not None:
            self.watch.offer(result.brief, result.number)
        return conflicts

    def outside_change(self) -> Brief | None:
        """The newest revision others saved, if newer than the draft's base and not put off.

        Raises:
            BriefkitError: others' saves are not being heard (the server went away); retried.
        """
        if self.watch.error:
            raise BriefkitError(self.watch.error)
        found = self.watch.newer_than(self.number)
        if found is None or found[1] == self._aside:
            return None
        self._offered = found
        return found[0]

    def set_aside(self) -> None:
        """The revision offered was shown and its conflicts put off: not offered again until a
        newer one is saved (a save still merges it)."""
        if self._offered is not None:
            self._aside = self._offered[1]

    def unreadable(self, exc: Exception) -> str:
        return (f"Others' saves of this brief are not arriving ({str(exc).rstrip('.')}); "
                "listening again in a moment. Your changes are kept here, and a save still "
                "merges what others saved.")

    def close(self) -> None:
        self.watch.close()
        if not self._storing.acquire(timeout=CLOSE_WAIT):
            return  # a save still hangs on the server: its thread keeps the connection
        try:
            if self._conn is not None:
                self._conn.close()
        finally:
            self._storing.release()

    def _took(self, theirs: Brief) -> None:
        offered = self._offered
        # A revision not offered is taken as the base's number: a save then merges once more.
        number = offered[1] if offered is not None and offered[0] is theirs else self.number
        self._at(snapshot_of(theirs), number)

    def _now_at(self, base: Brief, text: str) -> None:
        """`Draft.finish_save` moves the base to what the save wrote: its revision number."""
        self._at(base, self._landed)

    def _at(self, base: Brief, number: int) -> None:
        self.base, self.number = base, number
        self.base_revision = revision(base.source_text)
        self.watch.known(number)

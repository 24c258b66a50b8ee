"""Hearing a team library's announcements (LISTEN/NOTIFY) in a thread, listening again after a drop.

An editor holds a team brief or library open for hours; its server may restart or drop idle
connections meanwhile. A `Listener` keeps a connection of its own in a daemon thread, so what it
hears is ready when the editor looks and the editor never waits on the server; when that
connection is lost it says why (`error`) and connects again every `retry` seconds. What to do
with the announcements is the subclass's `_follow` (saves of a brief, changes to sources).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod

import psycopg

from briefkit.errors import BriefkitError
from briefkit.library.postgres.connection import connect, server_errors
from briefkit.library.postgres.connection import library_id as find_library
from briefkit.library.postgres.target import LibraryTarget

__all__ = ["Listener"]


class Listener(ABC):
    """LISTEN on `channels` of the library `target` names, in a daemon thread (`start` it)."""

    def __init__(self, target: LibraryTarget, channels: tuple[str, ...], *, name: str,
                 retry: float = 2.0) -> None:
        self._target = target
        self._channels = channels
        self._stop = threading.Event()
        self._retry = retry
        self.error = ""  # why announcements are not being heard just now; "" while listening
        self.listening = threading.Event()  # set once LISTEN is in place (tests wait on it)
        self._thread = threading.Thread(target=self._run, daemon=True, name=name)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        """Stop listening (within half a second) and close the connection."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn = connect(self._target)
                try:
                    with server_errors(self._target):
                        for channel in self._channels:
                            conn.execute(f"LISTEN {channel}")
                        library_id = find_library(conn, self._target)
                        self.error = ""
                        self.listening.set()
                        self._follow(conn, library_id)
                finally:
                    conn.close()
            except Exception as exc:  # a BriefkitError says why; anything else is a bug, said too
                self.error = (exc.message if isinstance(exc, BriefkitError)
                              else f"internal error: {type(exc).__name__}: {exc}")
                self.listening.clear()
                self._stop.wait(self._retry)

    @abstractmethod
    def _follow(self, conn: psycopg.Connection, library_id: int) -> None:
        """Act on what `conn` hears (its `notifies`, returning within half a second of
        `_stop`), from the moment LISTEN is in place: it runs again on every (re)connection."""

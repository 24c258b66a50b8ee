"""Connecting to a team library's server, and its errors as one-line messages.

A user the library's roles allow only to read gets one message on any write, whatever the
command: PostgreSQL refuses the statement (insufficient privilege) and `server_errors` says so.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import psycopg

from briefkit.errors import BriefkitError
from briefkit.library.postgres.target import LibraryTarget

__all__ = ["ReadOnlyError", "connect", "library_id", "server_errors"]


class ReadOnlyError(BriefkitError):
    """The server refused a write: the user holds the library's read-only role."""


def connect(target: LibraryTarget) -> psycopg.Connection:
    """An autocommit connection (reads see others' commits at once; writes open transactions).

    Raises:
        BriefkitError: the server cannot be reached or refuses the login.
    """
    with server_errors(target):
        return psycopg.connect(target.conninfo, autocommit=True,
                               application_name="briefkit")


def library_id(conn: psycopg.Connection, target: LibraryTarget) -> int:
    """The id of the URL's library in this database.

    Raises:
        BriefkitError: the database holds no library of that name.
    """
    row = conn.execute("SELECT id FROM libraries WHERE name = %s", (target.name,)).fetchone()
    if row is None:
        raise BriefkitError(f"{target.url}: the database holds no library '{target.name}' "
                            f"(briefkit library init {target.library_url} creates it)")
    return int(row[0])


@contextlib.contextmanager
def server_errors(target: LibraryTarget) -> Iterator[None]:
    """Turn psycopg's exceptions into briefkit's: one line naming the library URL."""
    try:
        yield
    except psycopg.errors.InsufficientPrivilege:
        raise ReadOnlyError(f"{target.url}: read-only: your database user may read this library "
                            "but not change it (ask for the briefkit_editor role)") from None
    except psycopg.OperationalError as exc:
        # libpq words it over several lines ("connection to server … failed: No such file or
        # directory", then a tab-indented hint): one line keeps the reason and the hint.
        said = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        raise BriefkitError(f"{target.url}: cannot reach the library's server: "
                            f"{said or type(exc).__name__}") from None
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise BriefkitError(f"{target.url}: the library's server refused: {first}") from None

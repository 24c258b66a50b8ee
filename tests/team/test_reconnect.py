"""A team library whose connection the server dropped: reads reconnect once and give the same
results; a write is never retried mid-transaction (the first after the drop fails with one
message, nothing applied; the next runs on a fresh connection); a server that is down gives one
message, no retry loop."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest

from briefkit.errors import BriefkitError
from briefkit.library.postgres.cluster import throwaway_cluster
from briefkit.library.postgres.library import PostgresLibrary
from briefkit.library.postgres.metadata import edit_source
from briefkit.library.postgres.target import LibraryTarget
from briefkit.library.postgres.transfer import push_library
from tests.team.conftest import Server, require_server_binaries


def drop_connections(server: Server, url: str) -> int:
    """Terminate the library's backends from another connection, as a restart would; how many."""
    dbname = LibraryTarget.parse(url).conninfo.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(server.conninfo(), autocommit=True) as admin:
        row = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE datname = %s AND application_name = 'briefkit'",
                            (dbname,)).fetchone()
    return int(row[0]) if row else 0


@pytest.fixture
def team(sample_dir: Path, team_url: str) -> str:
    push_library(sample_dir, team_url)
    return team_url


def test_search_and_source_reads_after_the_connection_was_dropped_give_the_same_results(
        team: str, pg_server: Server) -> None:
    library = PostgresLibrary.open(team)
    try:
        index = library.index()
        first = next(iter(library.entries))
        before = (index.search("oil"), index.search("sanction*"), library.source(first).text,
                  [p.start for p in library.source(first).paragraphs])
        related = index.related(before[2][:2000], limit=5)
        old = library.conn
        assert drop_connections(pg_server, team) == 1
        assert index.search("oil") == before[0]  # the first read after the drop reconnects
        assert library.conn is not old and old.closed
        assert drop_connections(pg_server, team) == 1
        assert index.search("sanction*") == before[1]
        assert drop_connections(pg_server, team) == 1
        library._cache.clear()  # the full fetch, not only the SHA-256 check
        source = library.source(first)
        assert (source.text, [p.start for p in source.paragraphs]) == before[2:]
        assert drop_connections(pg_server, team) == 1
        assert index.related(before[2][:2000], limit=5) == related
        assert drop_connections(pg_server, team) == 1
        library.reload()
        assert first in library.entries
        # The session setting search relies on came back with the new connection.
        assert library.conn.execute("SHOW synchronize_seqscans").fetchone() == ("off",)
    finally:
        library.close()


def test_a_write_after_the_drop_fails_with_one_message_and_the_next_runs_on_a_fresh_connection(
        team: str, pg_server: Server) -> None:
    library = PostgresLibrary.open(team)
    try:
        first = next(iter(library.entries))
        title = library.entry(first).csl.get("title")
        assert drop_connections(pg_server, team) == 1
        with pytest.raises(BriefkitError) as failed:
            edit_source(library, first, title="Renamed while the server was away")
        message = str(failed.value)
        assert len(message.splitlines()) == 1 and "cannot reach the library's server" in message
        check = PostgresLibrary.open(team)
        try:
            assert check.entry(first).csl.get("title") == title  # nothing half-applied
        finally:
            check.close()
        assert edit_source(library, first, title="Renamed") == ["title"]
        assert library.entry(first).csl["title"] == "Renamed"
    finally:
        library.close()


def test_a_server_that_is_down_gives_one_message_and_no_retry_loop(sample_dir: Path) -> None:
    with throwaway_cluster(require_server_binaries()) as server:
        from briefkit.library.postgres.transfer import init_library

        url = server.url(server.database())
        init_library(url)
        push_library(sample_dir, url)
        library = PostgresLibrary.open(url)
        index = library.index()
    try:  # the cluster is stopped and its folder deleted
        started = time.monotonic()
        with pytest.raises(BriefkitError) as failed:
            index.search("oil")
        assert time.monotonic() - started < 5
        message = str(failed.value)
        assert len(message.splitlines()) == 1 and "cannot reach the library's server" in message
        with pytest.raises(BriefkitError, match="cannot reach the library's server"):
            library.source(next(iter(library.entries)))
    finally:
        library.close()


def test_a_closed_library_does_not_reconnect(team: str) -> None:
    library = PostgresLibrary.open(team)
    library.close()
    with pytest.raises(BriefkitError):
        library.reload()
    assert library.conn.closed

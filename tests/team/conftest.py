"""A throwaway PostgreSQL cluster for the team-library tests, started once per session
(`briefkit.library.postgres.cluster`: initdb and pg_ctl on a private Unix socket, as the
`postgres` user when run as root). Without server binaries the tests skip saying so, except
under CI (CI=true), where that is a failure: CI must run them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefkit.library.postgres.cluster import Cluster, server_bindir, throwaway_cluster

Server = Cluster  # the name the tests use
README = Path(__file__).resolve().parents[2] / "README.md"


def require_server_binaries() -> Path:
    """The server binaries' folder; else skip the test saying why, or fail it under CI."""
    bindir = server_bindir()
    if bindir is None:
        message = ("no PostgreSQL server binaries (initdb, pg_ctl) found: apt-get install "
                   "postgresql, or set PG_BINDIR")
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run the team-library tests)")
        pytest.skip(message)
    return bindir


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Cluster]:
    with throwaway_cluster(require_server_binaries()) as cluster:
        yield cluster


def readme_sql(marker: str) -> str:
    """The SQL block the README gives after `<!-- marker -->` (so the documented SQL is tested)."""
    block = README.read_text(encoding="utf-8").split(f"<!-- {marker} -->")[1]
    return block.split("```sql\n")[1].split("```")[0]


@pytest.fixture(scope="session")
def team_roles(pg_server: Cluster) -> Cluster:
    """The README's reader and editor roles, with logins alice (editor) and bob (reader)."""
    pg_server.sql("postgres", readme_sql("roles-server-sql"))
    return pg_server


@pytest.fixture
def team_url(pg_server: Cluster) -> str:
    """A fresh database with briefkit's schema and an empty library 'main'."""
    from briefkit.library.postgres.transfer import init_library

    url = pg_server.url(pg_server.database())
    init_library(url)
    return url

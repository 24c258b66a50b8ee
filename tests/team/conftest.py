"""A throwaway PostgreSQL cluster for the team-library tests, started once per session.

initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user; the
server listens on a Unix socket in a private folder only (no TCP), and is stopped and removed
at the end. Without server binaries the tests skip saying so, except under CI (CI=true), where
that is a failure: CI must run them.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

PORT = 54329  # only names the socket file, inside the private folder


def _bindir() -> Path | None:
    """PostgreSQL's server binaries: $PG_BINDIR, else Debian's newest /usr/lib/postgresql/N/bin."""
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


@dataclass
class Server:
    """A running cluster: make a fresh database per test with `database()`."""

    socket_dir: Path
    port: int
    _names: Iterator[int] = itertools.count(1)

    def conninfo(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"host={self.socket_dir} port={self.port} dbname={dbname} user={user}"

    def url(self, dbname: str, library: str = "main", user: str = "postgres") -> str:
        return (f"postgresql:///{dbname}?host={self.socket_dir}&port={self.port}"
                f"&user={user}&library={library}")

    def database(self) -> str:
        name = f"team_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            # FILE_COPY: copying the small template's files beats writing it through the WAL.
            conn.execute(f'CREATE DATABASE "{name}" STRATEGY = FILE_COPY')
        return name

    def sql(self, dbname: str, statement: str) -> None:
        with psycopg.connect(self.conninfo(dbname), autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]  # the tests' own SQL


def _as_server_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    bindir = _bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        message = ("no PostgreSQL server binaries (initdb, pg_ctl) found: apt-get install "
                   "postgresql, or set PG_BINDIR")
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run the team-library tests)")
        pytest.skip(message)
    # In memory where there is /dev/shm: a cluster of a few dozen test databases is thousands of
    # files, which took 12 s to delete from this machine's disk.
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="briefkit-pg-",
                                   dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
    if os.geteuid() == 0:
        os.chown(folder, pwd.getpwnam("postgres").pw_uid, -1)
    data, log = folder / "data", folder / "log"
    subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(data), "-A", "trust",
                                    "-U", "postgres", "--no-sync", "-E", "UTF8",
                                    "--locale=C.UTF-8"]),
                   check=True, capture_output=True)
    options = (f"-k {folder} -p {PORT} -c listen_addresses='' -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off")
    subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log),
                                    "-o", options, "-w", "start"]), check=True,
                   capture_output=True)
    try:
        yield Server(folder, PORT)
    finally:
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m",
                                        "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


README = Path(__file__).resolve().parents[2] / "README.md"


def readme_sql(marker: str) -> str:
    """The SQL block the README gives after `<!-- marker -->` (so the documented SQL is tested)."""
    block = README.read_text(encoding="utf-8").split(f"<!-- {marker} -->")[1]
    return block.split("```sql\n")[1].split("```")[0]


@pytest.fixture(scope="session")
def team_roles(pg_server: Server) -> Server:
    """The README's reader and editor roles, with logins alice (editor) and bob (reader)."""
    pg_server.sql("postgres", readme_sql("roles-server-sql"))
    return pg_server


@pytest.fixture
def team_url(pg_server: Server) -> str:
    """A fresh database with briefkit's schema and an empty library 'main'."""
    from briefkit.library.postgres.transfer import init_library

    url = pg_server.url(pg_server.database())
    init_library(url)
    return url

"""A throwaway PostgreSQL cluster, for the team-library tests and benchmarks.

initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user. The
server listens on a Unix socket in a private folder only (no TCP), durability is off (nothing
here outlives the run), and the folder is in memory where /dev/shm exists: a cluster of a few
dozen databases is thousands of files, which took 12 s to delete from this machine's disk.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

__all__ = ["Cluster", "server_bindir", "throwaway_cluster"]

PORT = 54329  # only names the socket file, inside the private folder


def server_bindir() -> Path | None:
    """PostgreSQL's server binaries: $PG_BINDIR, else Debian's newest /usr/lib/postgresql/N/bin."""
    if os.environ.get("PG_BINDIR"):
        found = Path(os.environ["PG_BINDIR"])
        return found if (found / "pg_ctl").exists() else None
    paths = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(paths[-1]).parent if paths else None


@dataclass
class Cluster:
    """A running cluster: `database()` makes a fresh database, `url()` names a library in one."""

    socket_dir: Path
    port: int
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

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
            conn.execute(statement)  # type: ignore[arg-type]  # the caller's own SQL


def _as_server_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextlib.contextmanager
def throwaway_cluster(bindir: Path, *, settings: str = "",
                      parent: Path | None = None) -> Iterator[Cluster]:
    """initdb, start, yield, stop and delete a private cluster (about a second on an idle machine).

    Args:
        settings: more server options, as `-c name=value ...`.
        parent: the folder to make the cluster's folder in (default: /dev/shm where it exists;
            a benchmark's 10M passages need a disk).
    """
    shm = Path("/dev/shm")
    if parent is None and shm.is_dir() and os.access(shm, os.W_OK):
        parent = shm
    folder = Path(tempfile.mkdtemp(prefix="briefkit-pg-", dir=parent))
    if os.geteuid() == 0:
        os.chown(folder, pwd.getpwnam("postgres").pw_uid, -1)
    data, log = folder / "data", folder / "log"
    try:
        subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(data), "-A", "trust",
                                        "-U", "postgres", "--no-sync", "-E", "UTF8",
                                        "--locale=C.UTF-8"]), check=True, capture_output=True)
        options = (f"-k {folder} -p {PORT} -c listen_addresses='' -c fsync=off "
                   f"-c synchronous_commit=off -c full_page_writes=off {settings}")
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log),
                                        "-o", options, "-w", "start"]), check=True,
                       capture_output=True)
        yield Cluster(folder, PORT)
    finally:
        if data.exists():
            subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m",
                                            "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)

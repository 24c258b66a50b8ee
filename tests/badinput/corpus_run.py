"""Running a bad-input case: the command run in this process (fast) or in a child with a time and
memory limit (for runaway work), and a record of every file before and after."""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from corpus_model import Workspace

from briefkit.cli import main

CHILD_TIMEOUT = 20.0  # seconds: a case that runs longer has failed (runaway work or a blocked read)
CHILD_MEMORY = 2 << 30  # bytes of address space: `'a' * 300000000` must fail inside, not swap the machine

# The child sets its own memory limit, so no preexec_fn (unsafe with threads) is needed.
_CHILD = ("import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_AS, ({0}, {0})); "
          "sys.argv = ['briefkit', *sys.argv[1:]]; runpy.run_module('briefkit', run_name='__main__')")


@dataclass(frozen=True)
class Outcome:
    status: int | None  # None: the command raised, or was killed
    out: str
    err: str
    crash: str = ""  # the traceback of an exception that escaped main(), or why the child was killed


def run_here(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Outcome:
    """`briefkit.cli.main(argv)`; an exception escaping it is what a user would see as a traceback."""
    crash = ""
    try:
        status: int | None = main(argv)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    except Exception:  # noqa: BLE001 - any escaping exception is the failure this corpus looks for
        status, crash = None, traceback.format_exc()
    out, err = capsys.readouterr()
    return Outcome(status, out, err, crash)


def run_child(argv: list[str], ws: Workspace) -> Outcome:
    """`python -m briefkit ARGV` in its own process group, killed (with its children) on timeout."""
    code = _CHILD.format(CHILD_MEMORY)
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *argv], cwd=ws.root, env=dict(os.environ),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True, text=True, errors="replace",
    )
    try:
        out, err = proc.communicate(timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return Outcome(None, out, err, f"still running after {CHILD_TIMEOUT:.0f} s; killed")
    return Outcome(proc.returncode, out, err)


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry below `root` but the caches: kind, mode and content hash (or link target).

    Special files (FIFOs, sockets) are recorded by kind and never opened.
    """
    entries: dict[str, tuple[object, ...]] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".briefkit"]
        for name in (*dirs, *files):
            path = Path(folder, name)
            info = os.lstat(path)
            rel = str(path.relative_to(root))
            mode = stat.S_IMODE(info.st_mode)
            if stat.S_ISLNK(info.st_mode):
                entries[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                entries[rel] = ("file", oct(mode), hashlib.sha256(path.read_bytes()).hexdigest())
            elif stat.S_ISDIR(info.st_mode):
                entries[rel] = ("folder", oct(mode))
            else:
                entries[rel] = ("special", stat.S_IFMT(info.st_mode), oct(mode))
    return entries


def cache_bytes(root: Path) -> int:
    """Bytes in the `.briefkit` caches below `root` and in its private user cache folder."""
    total = 0
    for folder, _, files in os.walk(root):
        if ".briefkit" in Path(folder).parts or "xdg_cache_home" in Path(folder).parts:
            total += sum(os.lstat(Path(folder, f)).st_size for f in files)
    return total

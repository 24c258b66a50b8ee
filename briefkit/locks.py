"""Advisory locks around a read-modify-write of one file, so two briefkits never lose each other's update.

Atomic saves (`fsio.atomic_write`) replace a file's inode, so a lock on the file itself would be
lost on the first save. Each file's lock is a separate, empty lock file instead, locked with
`fcntl.flock`: `.briefkit/locks/NAME.lock` in the file's own folder (`.briefkit/` holds a
`.gitignore` of `*`, as a library's cache folder does, so git never offers it). Where that folder
cannot be written, the lock file lives in the user's cache folder, keyed by the file's path.

A lock is re-entrant within one thread (`sources add` holds `sources.yaml`'s lock and saves
briefs under theirs) and excludes other threads of the process as well as other processes.
Waiting is bounded: after `timeout` seconds the caller gets one message saying what is busy.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from briefkit.errors import BriefkitError

__all__ = ["LOCK_FOLDER", "LOCK_TIMEOUT", "LockTimeout", "lock_file", "locked"]

LOCK_FOLDER = Path(".briefkit") / "locks"
LOCK_TIMEOUT = 30.0  # seconds: a cite takes well under one; a `sources add` re-anchors briefs in a few
_IGNORE_ALL = "# briefkit's caches and lock files: never worth committing\n*\n"
_NAME_MAX = 200  # longer file names are locked under a hash of the name


class LockTimeout(BriefkitError):
    """Another briefkit kept the file locked for longer than the caller would wait."""


@dataclass(slots=True)
class _Holder:
    """The process's hold on one lock file: a thread mutex, how deep the owner nested, the fd."""

    mutex: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    fd: int = -1


_holders: dict[Path, _Holder] = {}
_holders_guard = threading.Lock()


@contextmanager
def locked(path: Path | str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the advisory lock of `path` (which need not exist yet) for the `with` block.

    Raises:
        LockTimeout: another process or thread held it for `timeout` seconds.
    """
    target = Path(path)
    lock = lock_file(target)
    with _holders_guard:
        holder = _holders.setdefault(lock, _Holder())
    deadline = time.monotonic() + timeout
    if not holder.mutex.acquire(timeout=max(timeout, 0.0)):
        raise _timeout(target, timeout)
    try:
        if holder.depth == 0:
            holder.fd = _flock(lock, deadline, target, timeout)
        holder.depth += 1
        try:
            yield
        finally:
            holder.depth -= 1
            if holder.depth == 0:
                os.close(holder.fd)  # closing the last descriptor releases the flock
                holder.fd = -1
    finally:
        holder.mutex.release()


def lock_file(path: Path) -> Path:
    """The lock file that stands for `path` (symlinks resolved, so every name of a file shares one)."""
    real = Path(os.path.realpath(path))
    name = real.name if len(real.name) <= _NAME_MAX else hashlib.sha256(real.name.encode()).hexdigest()
    folder = real.parent / LOCK_FOLDER
    if _usable(folder):
        return folder / f"{name}.lock"
    key = hashlib.sha256(str(real).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    fallback = Path(platformdirs.user_cache_dir("briefkit", appauthor=False)) / "locks"
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback / f"{key}.lock"


def _usable(folder: Path) -> bool:
    """Make `folder` (and its parent's `.gitignore`) in an existing folder of the user's; False
    where that folder is missing or cannot be written."""
    hidden = folder.parent
    try:
        if not folder.is_dir():
            if not hidden.parent.is_dir():
                return False
            hidden.mkdir(exist_ok=True)
            ignore = hidden / ".gitignore"
            if not ignore.exists():
                ignore.write_text(_IGNORE_ALL, encoding="utf-8")
            folder.mkdir(exist_ok=True)
        return os.access(folder, os.W_OK | os.X_OK)
    except OSError:
        return False


def _flock(lock: Path, deadline: float, target: Path, timeout: float) -> int:
    try:
        fd = os.open(lock, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise BriefkitError(f"cannot make its lock file {lock}: {exc.strerror}", path=target) from None
    pause = 0.002
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise _timeout(target, timeout) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.05)


def _timeout(target: Path, timeout: float) -> LockTimeout:
    return LockTimeout(f"another briefkit has been changing this file for {timeout:g} s; "
                       "try again when it has finished", path=target)

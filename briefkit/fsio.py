"""Safe, atomic file writes: a crash or a failed write never leaves a half-written file or clobbers a
good one, and a write only ever replaces a regular file the user can change.

Every write goes to a temporary file in the target's folder, is fsynced, renamed over the target
and the folder fsynced, so the target is the old file or the new one, never a mix. The rules on
what may be written (`write_target`) hold for every write in briefkit:

- a new name, or an existing regular file; never a folder, device, FIFO or socket (replacing
  `/dev/null` by a plain file would break the system);
- a symlink is written through: the file it points to is replaced in its own folder and the link
  stays a link;
- a read-only file (no write bit, or one this user may not write) is refused, not replaced: the
  mode bits count even for root, who may write anything;
- a name too long for the file system, a missing folder or a read-only folder is one message
  naming the path at fault.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from briefkit.errors import BriefkitError

__all__ = ["atomic_copy", "atomic_write", "read_bytes", "write_target"]

_KINDS = ((stat.S_ISDIR, "is a folder"), (stat.S_ISCHR, "is a character device"),
          (stat.S_ISBLK, "is a block device"), (stat.S_ISFIFO, "is a FIFO (named pipe)"),
          (stat.S_ISSOCK, "is a socket"))


def write_target(path: Path, error: type[BriefkitError] = BriefkitError) -> Path:
    """The file a write to `path` replaces: `path` itself, or the file its symlink points to.

    Raises:
        BriefkitError: (of class `error`) the path is not a regular file or a new name, is
            read-only, has a name too long for the file system, or its folder is missing or
            read-only; the message names the path at fault and what to do.
    """
    return _checked(Path(path), error)[0]


def _checked(path: Path, error: type[BriefkitError]) -> tuple[Path, os.stat_result | None]:
    """`write_target`'s checks; also returns the target's status (None for a new file)."""
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    folder = target.parent if str(target.parent) else Path(".")
    name_max = _name_max(folder)
    if len(os.fsencode(target.name)) > name_max:
        raise error(f"file name too long for the file system ({len(target.name)} characters; at "
                    f"most {name_max} bytes here): choose a shorter name", path=path)
    try:
        folder_stat = os.stat(folder)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise error(f"folder does not exist: create it or write elsewhere "
                        f"(cannot write {target.name})", path=folder) from None
        raise error(f"cannot write {target.name} here: {exc.strerror}", path=folder) from None
    if not stat.S_ISDIR(folder_stat.st_mode):
        raise error(f"is not a folder (cannot write {target.name} in it)", path=folder)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise error(f"cannot write: {exc.strerror}", path=path) from None
    if st is not None:
        for test, kind in _KINDS:
            if test(st.st_mode):
                raise error(f"{kind}, not a regular file: give the name of a file to write",
                            path=path)
        if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise error("is read-only: make it writable (chmod u+w) or write to another file",
                        path=path)
    if not folder_stat.st_mode & 0o222 or not os.access(folder, os.W_OK | os.X_OK):
        raise error(f"cannot write {target.name} here: the folder is read-only (make it "
                    "writable or choose another folder)", path=folder)
    return target, st


def atomic_write(path: Path, data: bytes | str, error: type[BriefkitError] = BriefkitError, *,
                 durable: bool = True) -> None:
    """Replace `path` (or the file its symlink points to) by `data`, whole or not at all.

    `durable=False` skips the flushes to disk (about 0.1 s on a slow disk): for a cache entry,
    which a crash may leave empty or lose, never half-replaced, and a reader then makes again.

    Raises:
        BriefkitError: (of class `error`) `write_target` refuses the path, or the write fails.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    _replace(Path(path), lambda out: out.write(payload), error, durable)


def atomic_copy(source: Path, target: Path, error: type[BriefkitError] = BriefkitError) -> None:
    """Copy `source` over `target` in chunks (bounded memory), whole or not at all."""
    def fill(out: BinaryIO) -> None:
        try:
            with Path(source).open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
        except OSError as exc:
            raise error(f"cannot read: {exc.strerror}", path=source) from None

    _replace(Path(target), fill, error)


def _replace(path: Path, fill: Callable[[BinaryIO], object], error: type[BriefkitError],
             durable: bool = True) -> None:
    target, old = _checked(path, error)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = _temporary(target, folder, error)
    try:
        with os.fdopen(fd, "wb") as out:
            fill(out)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        if old is not None:
            _keep_owner_and_mode(tmp, old)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise error(f"cannot write: {exc.strerror}", path=path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        _fsync_dir(folder)


def _temporary(target: Path, folder: Path, error: type[BriefkitError]) -> tuple[int, str]:
    """A new file beside `target`, created with the umask's permissions (0o666 & ~umask), as a
    new file written by this user gets; its name stays short enough for the file system and
    carries the writer's process id, so a writer killed mid-write can be tidied up after."""
    _sweep(target, folder)
    for _ in range(100):
        tmp = str(folder / f".{target.name[:40]}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                           0o666), tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise error(f"cannot write {target.name} here: {exc.strerror}", path=folder) from None
    raise error(f"cannot write {target.name} here: no free temporary name", path=folder)


_SWEPT: set[tuple[str, str]] = set()


def _sweep(target: Path, folder: Path) -> None:
    """Remove temporary files that writers of `target` killed mid-write left behind (their process
    is gone); a live writer's file is left alone. Once per folder and name in a process: a folder
    is listed once, not on every write into it (adding a thousand sources writes thousands)."""
    key = (str(folder), target.name[:40])
    if key in _SWEPT:
        return
    _SWEPT.add(key)
    pattern = re.compile(rf"\.{re.escape(target.name[:40])}\.(\d+)-[0-9a-f]{{8}}\.tmp")
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.startswith(".")]
    except OSError:
        return
    for name in names:
        match = pattern.fullmatch(name)
        if match is None or _alive(int(match.group(1))):
            continue
        try:
            os.unlink(folder / name)
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _keep_owner_and_mode(tmp: str, old: os.stat_result) -> None:
    """The new file keeps the permissions (and, where allowed, the owner) of the one it replaces."""
    if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except OSError:
            pass  # only root may give a file away; the file is then the writer's
    os.chmod(tmp, stat.S_IMODE(old.st_mode))


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_bytes(path: Path, error: type[BriefkitError] = BriefkitError, what: str = "file") -> bytes:
    """Read a whole file; a missing, folder, special (FIFO, device, socket: reading one could
    block for ever) or unreadable path raises `error` naming it."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise error(f"{what} not found", path=path) from None
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror}", path=path) from None
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        kind = next(k for test, k in _KINDS if test(mode))
        raise error(f"{kind}, not a {what}", path=path)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise error(f"{what} not found", path=path) from None
    except IsADirectoryError:
        raise error(f"is a folder, not a {what}", path=path) from None
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror}", path=path) from None

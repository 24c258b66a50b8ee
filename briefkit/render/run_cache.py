"""What does not change between exports, kept in the user cache folder so each export skips it:
the verdict of a check on a file whose bytes it has passed before, compiled templates, and
values computed from the same inputs by the same code (a brief's formatted notes).

Every entry is named by the SHA-256 of what it depends on (the file's bytes and the code that
judged or compiled it), so a changed input or a newer briefkit never finds a stale entry. The
folder is a cache: delete it at any time. A cache that cannot be made or written is no cache,
never an error (an export on a read-only home still works, only slower).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

from platformdirs import user_cache_dir

from briefkit.errors import BriefkitError
from briefkit.fsio import atomic_write

T = TypeVar("T")
MISSING = object()  # what `load` returns for a key with no readable entry


def cache_root() -> Path:
    """`$BRIEFKIT_CACHE` if set (tests, benchmarks), else the user cache folder's `export/`."""
    given = os.environ.get("BRIEFKIT_CACHE")
    return Path(given) if given else Path(user_cache_dir("briefkit", appauthor=False)) / "export"


def folder(kind: str, *depends_on: Path) -> Path | None:
    """A folder for `kind` entries made by the code in `depends_on` (its bytes name the folder),
    or None when it cannot be made."""
    try:
        stamps = tuple((path, path.stat().st_mtime_ns, path.stat().st_size) for path in depends_on)
    except OSError:
        return None
    return _folder(cache_root(), kind, stamps)


@cache
def _folder(root: Path, kind: str, stamps: tuple[tuple[Path, int, int], ...]) -> Path | None:
    """`folder`, made once per process for the same files as they stand (by time and size)."""
    digest = hashlib.sha256(kind.encode())
    for path, _, _ in stamps:
        try:
            digest.update(path.read_bytes())
        except OSError:
            return None
    place = root / f"{kind}-{digest.hexdigest()[:16]}"
    try:
        place.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return place if os.access(place, os.W_OK) else None


def check_once(data: bytes, check: Callable[[], None], *checker: Path) -> None:
    """Run `check` on content `data` unless the code in `checker` has passed these same bytes
    before; a check that raises is never remembered, so a bad file fails every time."""
    place = folder("checked", *checker)
    marker = place / hashlib.sha256(data).hexdigest() if place is not None else None
    if marker is not None and marker.is_file():
        return
    check()
    if marker is not None:
        try:
            atomic_write(marker, b"", BriefkitError, durable=False)
        except BriefkitError:
            pass  # no verdict kept: the next export checks again


def remember(kind: str, key: bytes, make: Callable[[], T], *code: Path) -> T:
    """The value `make()` returned before for the same `key` with the same `code` (its bytes name
    the folder), else `make()`, kept for next time. An entry that cannot be read is made again."""
    found = load(kind, key, *code)
    if found is not MISSING:
        return found  # type: ignore[return-value]
    value = make()
    store(kind, key, value, *code)
    return value


def load(kind: str, key: bytes, *code: Path) -> object:
    """The value kept for `key` by `store`, or `MISSING` when there is none or it cannot be read.

    Entries are pickles of briefkit's own values in the user's own cache folder, as Jinja2's
    compiled templates there are code: a folder others can write to is not a place for either.
    """
    place = folder(kind, *code)
    if place is None:
        return MISSING
    try:
        return pickle.loads((place / hashlib.sha256(key).hexdigest()).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return MISSING  # absent or unreadable: made again


def store(kind: str, key: bytes, value: object, *code: Path) -> None:
    """Keep `value` for `key`; a value that cannot be kept is simply not kept."""
    place = folder(kind, *code)
    if place is None:
        return
    try:
        atomic_write(place / hashlib.sha256(key).hexdigest(), pickle.dumps(value, pickle.HIGHEST_PROTOCOL),
                     BriefkitError, durable=False)
    except (BriefkitError, pickle.PicklingError, TypeError, AttributeError):
        pass

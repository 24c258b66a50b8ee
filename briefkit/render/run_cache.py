"""What does not change between exports, kept in the user cache folder so each export skips it:
the verdict of a check on a file whose bytes it has passed before, and compiled templates.

Every entry is named by the SHA-256 of what it depends on (the file's bytes and the code that
judged or compiled it), so a changed input or a newer briefkit never finds a stale entry. The
folder is a cache: delete it at any time. A cache that cannot be made or written is no cache,
never an error (an export on a read-only home still works, only slower).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_cache_dir

from briefkit.errors import BriefkitError
from briefkit.fsio import atomic_write


def cache_root() -> Path:
    """`$BRIEFKIT_CACHE` if set (tests, benchmarks), else the user cache folder's `export/`."""
    given = os.environ.get("BRIEFKIT_CACHE")
    return Path(given) if given else Path(user_cache_dir("briefkit", appauthor=False)) / "export"


def folder(kind: str, *depends_on: Path) -> Path | None:
    """A folder for `kind` entries made by the code in `depends_on` (its bytes name the folder),
    or None when it cannot be made."""
    digest = hashlib.sha256(kind.encode())
    for path in depends_on:
        try:
            digest.update(path.read_bytes())
        except OSError:
            return None
    place = cache_root() / f"{kind}-{digest.hexdigest()[:16]}"
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
            atomic_write(marker, b"", BriefkitError)
        except BriefkitError:
            pass  # no verdict kept: the next export checks again

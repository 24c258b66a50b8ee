"""Where a library's caches live: `.briefkit/` inside it, or the user cache folder when read-only.

Everything there (the search index, the parsed sources.yaml) can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

from briefkit.errors import BriefkitError

CACHE_FOLDER = ".briefkit"


def cache_folder(root: Path) -> Path:
    folder = root / CACHE_FOLDER
    try:
        folder.mkdir(exist_ok=True)
        if os.access(folder, os.W_OK):
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# briefkit's caches (search index, parsed sources.yaml): rebuilt on demand\n*\n")
            return folder
    except OSError:
        pass
    key = hashlib.sha256(str(root).encode("utf-8")).hexdigest()[:16]
    cache = Path(platformdirs.user_cache_dir("briefkit")) / key
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefkitError(f"cannot create a cache here or in {cache}: {exc.strerror}", path=folder) from None
    return cache

"""What every bad-input test of an export asserts: status 2, one line naming the file (and line),
no traceback, no output, and every input file as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path


def input_hashes(folder: Path) -> dict[Path, str]:
    """Every input file's hash (the .briefkit cache folder may be made on first use)."""
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".briefkit" not in p.parts}


def assert_one_message(status: int, err: str, path: Path, line: int | None, says: str) -> None:
    assert status == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    where = f"{path}:{line}: " if line is not None else f"{path}:"
    assert err.startswith(f"briefkit: error: {where}"), err
    assert says in err, err

"""Fixtures for ingestion tests: an empty library and an inbox; made_files.py writes the inputs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    return folder


@pytest.fixture
def files(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    """Write an input file outside the library."""
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)

    def write(name: str, data: bytes | str) -> Path:
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        return path

    return write

"""A fresh workspace for each bad-input case, with the user's folders kept inside tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_model import Workspace


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """The valid workspace, with the user's data, config and cache folders inside tmp_path."""
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    ws = Workspace(tmp_path / "case")
    ws.populate()
    monkeypatch.chdir(ws.root)
    return ws

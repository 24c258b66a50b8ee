"""Shared fixtures: a private copy of the sample library and brief, so tests never touch seeds/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A copy of seeds/ (library + sample brief) in a temporary folder."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns(".briefkit"))
    return target


@pytest.fixture
def sample_brief(sample_dir: Path) -> Path:
    return sample_dir / "venezuela.brief.yaml"

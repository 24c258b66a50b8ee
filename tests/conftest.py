"""Shared fixtures: a private copy of the sample library and brief, so tests never touch seeds/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# CI (CI=true) runs the property tests' examples from a fixed seed, so a landing is never decided
# by the draw; a developer's runs draw new examples each time and keep failures in .hypothesis/.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A copy of seeds/ (library + sample brief) in a temporary folder."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns(".briefkit"))
    return target


@pytest.fixture
def sample_brief(sample_dir: Path) -> Path:
    return sample_dir / "venezuela.brief.yaml"

"""A sample brief exported to DOCX once per test module, copied fresh for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefkit.cli import main

BRIEF = "venezuela.brief.yaml"
DOCX = "venezuela.docx"
WHEN = "2026-12-01T09:30:00Z"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def export_sample(folder: Path, *extra: str) -> Path:
    """seeds/ copied into `folder` and its brief exported beside it as venezuela.docx."""
    target = folder / "seeds"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns(".briefkit"))
    out = target / DOCX
    assert main(["export", str(target / BRIEF), "--to", "docx", "-o", str(out), *extra]) == 0
    return target


def fresh_copy(exported: Path, tmp_path: Path) -> Path:
    """A private copy of an exported sample folder (brief, library and DOCX)."""
    target = tmp_path / "work"
    shutil.copytree(exported, target, ignore=shutil.ignore_patterns(".briefkit"))
    return target


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample exported once for the module using it."""
    return export_sample(tmp_path_factory.mktemp("export"))


@pytest.fixture
def work(exported: Path, tmp_path: Path) -> Path:
    """This test's own copy of the exported sample."""
    return fresh_copy(exported, tmp_path)

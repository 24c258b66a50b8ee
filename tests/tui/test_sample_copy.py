"""`briefkit` with no arguments works on a copy of the sample, never on the shipped file."""

from __future__ import annotations

from pathlib import Path

from briefkit import resources
from briefkit.brief.store import load_brief
from briefkit.tui import sample_working_copy


def test_sample_working_copy_points_at_the_shipped_library_and_leaves_the_seed_alone(tmp_path: Path) -> None:
    shipped = resources.sample_brief().read_bytes()
    copy = sample_working_copy(tmp_path)
    assert copy.parent.parent == tmp_path
    brief = load_brief(copy)
    assert brief.library_dir() == resources.shipped("seeds").resolve()
    assert brief.positions
    assert resources.sample_brief().read_bytes() == shipped


def test_sample_working_copy_keeps_the_analysts_edits(tmp_path: Path) -> None:
    copy = sample_working_copy(tmp_path)
    copy.write_text(copy.read_text(encoding="utf-8").replace("A. Analyst", "B. Analyst"), encoding="utf-8")
    again = sample_working_copy(tmp_path)
    assert again == copy
    assert load_brief(again).author == "B. Analyst"

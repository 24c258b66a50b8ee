"""`tui.start`, as `briefkit open` uses it: the cycle collector is off only while the app starts."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from driving import ready

from briefkit.errors import BriefkitError
from briefkit.tui import start


@pytest.fixture
def collector() -> Iterator[None]:
    """Leave the collector as the test session had it, whatever a test did to it."""
    assert gc.isenabled()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


async def test_the_collector_is_off_until_the_first_screen_then_on_with_start_up_frozen(
    sample_brief: Path, collector: None
) -> None:
    app = start(sample_brief)
    assert not gc.isenabled()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 10_000  # Textual's widgets and styles, the brief, the library


def test_a_brief_that_cannot_be_read_leaves_the_collector_on(tmp_path: Path, collector: None) -> None:
    bad = tmp_path / "bad.brief.yaml"
    bad.write_text("briefkit: 1\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(BriefkitError):
        start(bad)
    assert gc.isenabled()


def test_an_app_that_never_showed_a_screen_gives_the_collector_back(sample_brief: Path, collector: None) -> None:
    app = start(sample_brief)
    app.resume_gc()  # as run() does when the app ends before its first screen
    assert gc.isenabled()
    app.resume_gc()  # once only: a collector someone else turned off stays off
    gc.disable()
    app.resume_gc()
    assert not gc.isenabled()

"""Full cycle collections wait for the analyst to pause (`collector.py`): none falls on a key."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from driving import burst, ready

from briefkit.tui import start
from briefkit.tui.collector import IDLE, OVERDUE, PYTHON_DUE, IdleCollector


@pytest.fixture
def full_collections() -> Iterator[list[float]]:
    """When each full collection started (time.monotonic); the collector left as it was."""
    thresholds = gc.get_threshold()
    started: list[float] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            started.append(time.monotonic())

    gc.callbacks.append(seen)
    try:
        yield started
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        gc.enable()


def _middle_collections(count: int) -> None:
    """Make `count` middle-generation collections, as many as a busy app makes in a while."""
    for _ in range(count):
        gc.collect(1)


def test_a_full_collection_is_due_once_python_would_run_one_and_the_app_has_rested(
        full_collections: list[float]) -> None:
    collector = IdleCollector()
    gc.collect()
    _middle_collections(PYTHON_DUE)
    assert not collector.due()  # not holding: Python's own rules apply
    before = gc.get_threshold()
    collector.hold()
    assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] > OVERDUE
    collector.activity()
    now = collector.last_activity
    assert not collector.due(now + IDLE / 2)
    assert collector.due(now + IDLE)
    gc.collect()
    _middle_collections(PYTHON_DUE - 1)
    assert not collector.due(now + 10 * IDLE)  # Python would not have collected yet either
    _middle_collections(OVERDUE)
    assert collector.due(now)  # long overdue: collected even while keys keep coming
    collector.release()
    assert gc.get_threshold() == before
    assert not collector.due(now + IDLE)


async def test_keys_typed_without_a_pause_meet_no_full_collection_which_runs_once_they_rest(
        sample_brief: Path, full_collections: list[float]) -> None:
    thresholds = gc.get_threshold()
    app = start(sample_brief)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        assert app.collector.holding
        gc.collect()
        full_collections.clear()
        app.query_one("#prose-text").focus()
        app.collector.idle = 600.0  # however slow the machine, the keys do not rest meanwhile
        _middle_collections(PYTHON_DUE)  # a full collection is due, by Python's rules, from now on
        typed_from = time.monotonic()
        for word in ("pressure ", "relief ", "talks ", "snapback ", "partners "):
            await burst(pilot, app, *word)
        typed_to = time.monotonic()
        assert not [t for t in full_collections if typed_from <= t <= typed_to]
        assert app.collector.collections == 0
        app.collector.idle = IDLE
        end = time.monotonic() + IDLE + 3
        while not app.collector.collections and time.monotonic() < end:
            await asyncio.sleep(0.05)
        assert app.collector.collections == 1 and full_collections
        assert full_collections[0] - typed_to >= IDLE * 0.9  # after the keys had rested
        assert "pressure relief talks snapback partners" in app.query_one("#prose-text").text
    assert gc.get_threshold() == thresholds  # given back when the app ends

"""What the analyst sees, at 80x24 and 120x40: main screen, reader with a selection, preview, export.

Determinism: fixed sizes, no cursor blink, the brief in a tmp folder whose path is never shown.
Update only after looking at the report: `pytest tests/tui --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from driving import burst, quick_app, ready
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from briefkit.tui.app import BriefkitApp

SIZES = [(80, 24), (120, 40)]


def _still(app: BriefkitApp) -> None:
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for area in app.screen.query(TextArea):
        area.cursor_blink = False


async def _ready(pilot: Pilot, app: BriefkitApp) -> None:
    await ready(pilot, app)
    _still(app)
    await pilot.pause(0)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare, sample_brief: Path, size: tuple[int, int]) -> None:
    app = quick_app(sample_brief)

    async def run_before(pilot: Pilot) -> None:
        await _ready(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reader_with_a_selection(snap_compare, sample_brief: Path, size: tuple[int, int]) -> None:
    app = quick_app(sample_brief)

    async def run_before(pilot: Pilot) -> None:
        await _ready(pilot, app)
        await burst(pilot, app, "/", *"snapback", "enter")
        await burst(pilot, app, "down", "shift+down", "shift+down")
        _still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_preview(snap_compare, sample_brief: Path, size: tuple[int, int]) -> None:
    app = quick_app(sample_brief)

    async def run_before(pilot: Pilot) -> None:
        await _ready(pilot, app)
        await burst(pilot, app, "f4")
        _still(app)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export_dialog(snap_compare, sample_brief: Path, size: tuple[int, int]) -> None:
    app = quick_app(sample_brief)

    async def run_before(pilot: Pilot) -> None:
        await _ready(pilot, app)
        await burst(pilot, app, "ctrl+e")
        _still(app)

    assert snap_compare(app, terminal_size=size, run_before=run_before)

"""What the analyst sees, at 80x24 and 120x40: main screen, reader with a selection, preview, export.

Determinism: fixed sizes, no cursor blink, the brief in a tmp folder whose path is never shown.
Update only after looking at the report: `pytest tests/tui --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from briefkit.tui.app import BriefkitApp, make_app

SIZES = [(80, 24), (120, 40)]


def _still(app: BriefkitApp) -> None:
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for area in app.screen.query(TextArea):
        area.cursor_blink = False


def _app(sample_brief: Path) -> BriefkitApp:
    app = make_app(sample_brief)
    app.first_render_delay = 0.0
    app.render_delay = 0.0
    app.autosave_delay = 600.0
    return app


async def _ready(pilot: Pilot, app: BriefkitApp) -> None:
    for _ in range(300):
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        if app.library is not None and app.index_ready and app.rendered:
            break
    _still(app)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare, sample_brief: Path, size: tuple[int, int]) -> None:
    app = _app(sample_brief)

    async def run_before(pilot: Pilot) -> None:
        await _ready(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reader_with_a_selection(snap_compare, sample_brief: Path, size: tuple[int, int]) -> None:
    app = _app(sample_brief)

    async def run_before(pilot: Pilot) -> None:
        await _ready(pilot, app)
        await pilot.press("slash", *"snapback", "enter", "enter")
        await _ready(pilot, app)
        await pilot.press("down", "shift+down", "shift+down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_preview(snap_compare, sample_brief: Path, size: tuple[int, int]) -> None:
    app = _app(sample_brief)

    async def run_before(pilot: Pilot) -> None:
        await _ready(pilot, app)
        await pilot.press("f4")
        await pilot.pause(0.3)
        await _ready(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export_dialog(snap_compare, sample_brief: Path, size: tuple[int, int]) -> None:
    app = _app(sample_brief)

    async def run_before(pilot: Pilot) -> None:
        await _ready(pilot, app)
        await pilot.press("ctrl+e")
        await pilot.pause()
        _still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)

"""Driving the app in tests: send keys as a terminal would, and wait on events, never the clock.

`settle` returns once no worker runs and the messages they left behind have been handled.
(pilot.pause() without a delay waits until the process is idle, and a worker thread rendering
the preview keeps it busy for up to a second at a time.)
"""

from __future__ import annotations

import asyncio
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.keys import KEY_NAME_REPLACEMENTS
from textual.pilot import Pilot

from briefkit.tui.app import BriefkitApp, make_app


def quick_app(brief: Path) -> BriefkitApp:
    app = make_app(brief)
    app.autosave_delay = 600.0  # tests that want autosave shorten it themselves
    app.render_delay = 0.0
    return app


async def settle(pilot: Pilot, app: BriefkitApp, until: Callable[[], bool] | None = None,
                 timeout: float = 20.0) -> None:
    """Wait until no worker runs, what they posted has been handled, and `until()` holds."""
    end = time.monotonic() + timeout
    while app.is_running:
        for _ in range(5):  # a finished worker's messages, and the ones those post
            await asyncio.sleep(0.005)
        idle = not any(worker.is_running for worker in app.workers)
        if idle and not app._keys.busy and (until is None or until()):
            await pilot.pause(0)  # bring the screen up to date
            return
        if time.monotonic() > end:
            raise AssertionError("the app did not settle")


async def ready(pilot: Pilot, app: BriefkitApp) -> None:
    """Wait for the library, the index and the first render."""
    await settle(pilot, app, lambda: app.library is not None and app.index_ready and app.rendered)


async def burst(pilot: Pilot, app: BriefkitApp, *keys: str) -> None:
    """Send keys all at once, as a fast typist on a busy loop, tmux send-keys or a paste do,
    then wait for the app to settle (pilot.press waits for idle after every key)."""
    for key in keys:
        if len(key) == 1 and not key.isalnum():  # named as Textual names it: "/" is "slash"
            name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
            app.post_message(events.Key(KEY_NAME_REPLACEMENTS.get(name, name), key))
        else:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
    await settle(pilot, app)

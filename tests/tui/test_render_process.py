"""The check and render run in a process of their own, so the keys keep the interpreter."""

from __future__ import annotations

import os

from driving import burst, ready, settle

from briefkit.tui.app import BriefkitApp
from briefkit.tui.widgets.preview import Preview


async def test_the_render_runs_in_its_own_process_which_starts_again_if_it_dies(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        process = app._render_process._process
        assert process is not None and process.pid != os.getpid() and process.poll() is None
        assert app.report is not None and not app.report.verifications  # its results came back: no failed quote

        process.kill()
        process.wait()
        await burst(pilot, app, "f3", *"Fresh words", "f4")
        preview = app.query_one(Preview)
        await settle(pilot, app, lambda: "Fresh words" in preview._body)
        restarted = app._render_process._process
        assert restarted is not None and restarted.pid != process.pid

        # Typing sent the process no positions (it had them); a new position sends them again.
        app.draft.add_position("A brand new option", "", "")
        app._changed()
        await settle(pilot, app, lambda: "A brand new option" in preview._body)
    assert restarted.poll() is not None  # ended with the app

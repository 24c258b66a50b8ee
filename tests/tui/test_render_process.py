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


async def test_the_render_process_splits_the_preview_for_its_width_while_it_is_hidden(app: BriefkitApp) -> None:
    """The preview's blocks come back with the rendering, made for the width the hidden preview
    will have: shown at that width, it has no splitting left to do in the app."""
    from briefkit.tui.preview_blocks import prepare
    from briefkit.tui.widgets.lazy_markdown import LazyMarkdown

    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        preview = app.query_one(Preview)
        prepared = []
        original = preview.show

        def show(markdown: str, status: str, made: object = None) -> None:
            prepared.append(made)
            original(markdown, status, made)

        preview.show = show  # type: ignore[method-assign]
        await burst(pilot, app, "f3", *"Split elsewhere")
        await settle(pilot, app, lambda: any(m is not None and "Split elsewhere" in m[1] for m in prepared))
        width, body, blocks = next(m for m in prepared if m is not None and "Split elsewhere" in m[1])
        markdown = preview._pending[0] if preview._pending else preview._markdown
        assert width == preview.text_width() and (body, blocks) == prepare(markdown, width)
        assert app.query_one(LazyMarkdown).blocks == blocks.texts  # taken while hidden
        assert not any(w.group == "preview" and w.is_running for w in app.workers)
        await burst(pilot, app, "f4")
        await settle(pilot, app)
        assert any("Split elsewhere" in block for block in app.query_one(LazyMarkdown).blocks)


async def test_a_preparation_finished_after_a_later_rendering_arrived_is_dropped(app: BriefkitApp) -> None:
    """A thread still splitting an older rendering (the render process cancels no thread) must
    not put it back over the newer one the render process sent made."""
    from briefkit.tui.preview_blocks import prepare

    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await settle(pilot, app, lambda: app.rendered)
        preview = app.query_one(Preview)
        width = preview.text_width()
        assert width is not None
        preview.show("# Older\n\nThe older text.", "older")  # a thread starts preparing it
        newer = "# Newer\n\nThe newer text."
        preview.show(newer, "newer", (width, *prepare(newer, width)))
        preview._prepared(("# Older\n\nThe older text.", width), *prepare("# Older\n\nThe older text.", width))
        await settle(pilot, app)
        assert "The newer text." in preview._body and "older" not in preview._body

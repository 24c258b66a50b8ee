"""The export dialog's choices reach the export: the copy (principal's or reviewer's) and PDF;
the notice after a Word export gives its estimated pages."""

from __future__ import annotations

import shutil

import pytest
from driving import burst, ready, settle
from textual.widgets import Input

from briefkit.tui.app import BriefkitApp
from briefkit.tui.screens.export import ExportScreen


async def test_the_reviewers_copy_chosen_in_the_dialog_has_the_register(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        folder = app.draft.path.parent
        for copy in ("principal", "reviewer"):
            await burst(pilot, app, "ctrl+e")
            assert isinstance(app.screen, ExportScreen)
            await pilot.click("#fmt-md")
            if copy == "reviewer":
                await pilot.click("#copy-reviewer")
            app.screen.query_one("#out", Input).value = f"{copy}.md"
            await pilot.click("#export")
            await settle(pilot, app, lambda copy=copy: app.last_export == folder / f"{copy}.md")
        await burst(pilot, app, "ctrl+e")  # Word: the notice gives the estimated pages, said to be
        await pilot.click("#export")
        await settle(pilot, app, lambda: app.last_export == folder / "venezuela.docx")
        said = [str(n.message) for n in app._notifications if str(n.message).startswith(str(folder))]
        assert said[-1].startswith(f"{folder / 'venezuela.docx'} (about ")
        assert said[-1].split("\n")[0].endswith(" pages, estimated)")
    principal = (folder / "principal.md").read_text(encoding="utf-8")
    reviewer = (folder / "reviewer.md").read_text(encoding="utf-8")
    assert "SHA-256" not in principal and "Analyst’s note" not in principal
    assert "verified against SHA-256" in reviewer and "Analyst’s note" in reviewer


@pytest.mark.long
async def test_pdf_chosen_in_the_dialog_writes_a_pdf(app: BriefkitApp) -> None:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice is not installed (apt-get install -y libreoffice-writer-nogui); CI installs it")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await burst(pilot, app, "ctrl+e")
        await pilot.click("#fmt-pdf")
        out = app.screen.query_one("#out", Input)
        assert out.value.endswith(".pdf")
        assert not app.screen.query_one("#reference", Input).disabled  # styles apply to the PDF too
        await pilot.click("#export")
        target = app.draft.path.parent / out.value
        await settle(pilot, app, lambda: app.last_export == target, timeout=150)
    assert target.read_bytes().startswith(b"%PDF-")

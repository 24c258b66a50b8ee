"""The analyst's path through the app, driven by keys: search, read, cite, outline, prose, export.

Each test is one run of the app that goes through several steps, since starting the app is most
of a test's cost; the comments name the behaviour each step checks.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from driving import burst, quick_app, ready, settle
from textual.widgets import TextArea

from briefkit.brief.anchoring import verify
from briefkit.brief.store import load_brief
from briefkit.tui.app import BriefkitApp
from briefkit.tui.screens.cite import CiteScreen
from briefkit.tui.screens.confirm import ConfirmScreen
from briefkit.tui.screens.export import ExportScreen
from briefkit.tui.screens.picker import PickScreen
from briefkit.tui.screens.position import PositionScreen
from briefkit.tui.screens.quit import QuitScreen
from briefkit.tui.widgets.hits import match_offset
from briefkit.tui.widgets.outline import Outline
from briefkit.tui.widgets.reader import Reader
from briefkit.tui.widgets.sources import SourcesPane


async def _search_and_open(pilot, app: BriefkitApp, query: str) -> Reader:
    """`/`, the query and Enter, typed in one go: Enter opens the first hit once it is found."""
    await burst(pilot, app, "/", *query, "enter")
    reader = app.query_one(Reader)
    await settle(pilot, app, lambda: reader.source is not None)
    assert app.focused is reader
    return reader


async def _cite(pilot, app: BriefkitApp, *keys: str, note: str = "") -> None:
    await burst(pilot, app, *keys, "c")
    assert isinstance(app.screen, CiteScreen)
    await burst(pilot, app, *note, "enter")


def _to_end(app: BriefkitApp) -> None:
    area = app.query_one("#prose-text", TextArea)
    area.move_cursor(area.document.end)


async def test_new_position_backed_by_two_fresh_quotes_is_exported_to_docx_and_markdown(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.query_one(Outline).focus()
        await burst(pilot, app, "n", *"Lean on partners", "tab", *"Mexico", "enter")
        ids = [p.id for p in app.brief.positions]
        assert ids[1] == "lean-on-partners"  # inserted after the highlighted position
        assert app.brief.positions[1].holder == "Mexico"
        assert app.query_one(Outline).current == ("position", "lean-on-partners")

        # A search hit opens its source with the cursor on the sentence that matched.
        reader = await _search_and_open(pilot, app, "regional")
        hit = app.query_one(SourcesPane).hits[0]
        assert reader.source is not None and reader.source.id == hit.source_id
        cursor_start, cursor_end = reader.selection or (0, 0)
        assert hit.start <= cursor_start <= match_offset(hit, reader.source.text) < cursor_end
        assert "regional" in reader.source.text[cursor_start:cursor_end].lower()

        # Citing a selection anchors the exact text, with the note, into the current position.
        await _cite(pilot, app, "shift+down", note="two")
        first = app.brief.positions[1].citations[-1]
        assert first.source == hit.source_id and first.note == "two"
        assert verify(first.anchor, reader.source.text).status == "ok"
        assert first.anchor.start == cursor_start and first.anchor.end > cursor_end  # and the next sentence
        assert app.draft.modified and "modified" in app.sub_title
        assert reader.has_selection is False

        await burst(pilot, app, "/", "escape")
        await _search_and_open(pilot, app, "oil")
        await _cite(pilot, app, "down")
        second = app.brief.positions[1].citations[-1]
        assert first.id != second.id and first.anchor.quote != second.anchor.quote

        # The prose picker inserts a [@citation] reference at the cursor.
        await burst(pilot, app, "f3")
        _to_end(app)
        await burst(pilot, app, "enter", *"Partners matter ", "ctrl+o")
        assert isinstance(app.screen, PickScreen)
        await burst(pilot, app, *first.id, "enter")
        assert app.brief.sections["summary"].rstrip().endswith(f"Partners matter [@{first.id}]")

        folder = app.draft.path.parent
        for fmt in ("docx", "md"):
            await burst(pilot, app, "ctrl+e")
            assert isinstance(app.screen, ExportScreen)
            if fmt == "md":
                await pilot.click("#fmt-md")
            await pilot.click("#export")
            await settle(pilot, app, lambda fmt=fmt: app.last_export == folder / f"venezuela.{fmt}")

    markdown = (folder / "venezuela.md").read_text(encoding="utf-8")
    assert "[^1]:" in markdown and "Partners matter" in markdown
    flat = " ".join(markdown.split())
    assert " ".join(first.anchor.quote.split())[:40] in flat
    body = "\n".join(p.text for p in Document(str(folder / "venezuela.docx")).paragraphs)
    assert "Partners matter" in body
    with zipfile.ZipFile(folder / "venezuela.docx") as archive:
        assert "word/footnotes.xml" in archive.namelist()


async def test_outline_edits_undo_and_saving_by_hand_and_by_autosave(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        count = len(app.brief.positions)
        app.query_one(Outline).focus()
        await burst(pilot, app, "n", *"Wait and see", "enter")
        assert [p.id for p in app.brief.positions][1] == "wait-and-see"

        # Reorder, delete, and undo the delete.
        await burst(pilot, app, "shift+up")
        assert app.brief.positions[0].id == "wait-and-see"
        await burst(pilot, app, "d")
        assert "wait-and-see" not in [p.id for p in app.brief.positions]
        await burst(pilot, app, "ctrl+z")
        assert app.brief.positions[0].id == "wait-and-see"
        assert len(app.brief.positions) == count + 1

        # ctrl+s saves and keeps the comments of the file.
        await burst(pilot, app, "ctrl+s")
        text = app.draft.path.read_text(encoding="utf-8")
        assert "wait-and-see" in text and text.startswith("# Sample brief")
        assert not app.draft.modified and "modified" not in app.sub_title

        # Autosave writes the brief soon after a change, without a key.
        app.autosave_delay = 1.5
        await burst(pilot, app, "n", *"Autosaved", "enter")
        assert app.draft.modified
        assert "autosaved" not in app.draft.path.read_text(encoding="utf-8")
        await settle(pilot, app, lambda: not app.draft.modified)
        assert "modified" not in app.sub_title
        assert "autosaved" in [p.id for p in load_brief(app.draft.path).positions]


async def test_problem_jump_and_suggestions_that_leave_out_cited_passages(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.query_one(Outline).focus()

        # Suggestions: related passages not yet cited, cited directly with `c`.
        await burst(pilot, app, "s")
        suggestions = app.query_one("#suggestions")
        await settle(pilot, app, lambda: bool(suggestions.hits))
        assert app.focused is suggestions
        cited = {(c.source, c.anchor.start) for _, c in app.brief.citations()}
        assert not any((h.source_id, h.start) in cited for h in suggestions.hits)
        before = len(app.brief.positions[0].citations)
        await burst(pilot, app, "c")
        await settle(pilot, app, lambda: isinstance(app.screen, CiteScreen))
        await burst(pilot, app, "enter")
        assert len(app.brief.positions[0].citations) == before + 1

        # A problem is a jump to where to fix it.
        app.query_one(Outline).focus()
        await burst(pilot, app, "n", *"Bare claim", "enter")
        await settle(pilot, app, lambda: any(f.position == "bare-claim" for f in app.query_one("#problems-list").findings))
        await burst(pilot, app, "f5")
        problems = app.query_one("#problems-list")
        problems.highlighted = next(i for i, f in enumerate(problems.findings) if f.position == "bare-claim")
        await burst(pilot, app, "enter")
        assert app.query_one(Outline).current == ("position", "bare-claim")
        assert app.focused is app.query_one(Outline)


async def test_choosers_switch_the_prose_section_and_the_briefs_template(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)

        # The section chooser: Enter lists the sections, typing filters, Enter opens one.
        app.query_one("#section").focus()
        await burst(pilot, app, "enter")
        assert isinstance(app.screen, PickScreen)
        await burst(pilot, app, *"backgr", "enter")
        assert app.query_one("#prose-text", TextArea).text == app.brief.sections["background"]

        # The template chooser in the preview sets the brief's template.
        await burst(pilot, app, "f4")
        app.query_one("#template").focus()
        await burst(pilot, app, "enter", *"decision", "enter")
        await settle(pilot, app, lambda: app.brief.template == "decision-memo")
        assert "decision-memo" in app.query_one("#template").render().plain


async def test_keys_typed_in_one_burst_reach_the_widget_the_previous_key_focused(app: BriefkitApp) -> None:
    """Typed in one go, "/snapback" used to run the outline's `s` and `n`; text after a Tab in
    a dialog went into the field that was left. At 80x24 the reader and tabs share the space."""
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        app.query_one(Outline).focus()
        positions = len(app.brief.positions)
        # Enter comes before the results: the first hit opens when they do, and the keys typed
        # after Enter wait for the reader instead of going to the search box.
        await burst(pilot, app, "/", *"snapback", "enter", "shift+down", "c")
        reader = app.query_one(Reader)
        assert len(app.brief.positions) == positions and app.query_one(SourcesPane).typed == "snapback"
        assert isinstance(app.screen, ConfirmScreen)  # position 1 cites this passage already
        await burst(pilot, app, "y")
        assert isinstance(app.screen, CiteScreen)
        assert reader.source is not None and reader.has_selection
        assert "snapback" in app.screen.quote
        await burst(pilot, app, "escape")
        assert reader.display and not app.query_one("#side").display

        await burst(pilot, app, "f3")
        assert app.query_one("#side").display and not reader.display
        assert app.focused is app.query_one("#prose-text")
        await burst(pilot, app, "f2")
        assert reader.display and app.focused is reader

        app.query_one(Outline).focus()
        await burst(pilot, app, "n", *"Title", "tab", *"Holder", "tab", *"Summary")
        assert isinstance(app.screen, PositionScreen)
        assert [i.value for i in app.screen.query("Input")] == ["Title", "Holder"]
        # ctrl+s finishes the dialog (the app's own ctrl+s saves only on the main screen).
        await burst(pilot, app, "ctrl+s")
        assert not isinstance(app.screen, PositionScreen)
        added = app.brief.position("title")
        assert added is not None and (added.holder, added.summary) == ("Holder", "Summary")
        assert app.draft.modified


async def test_quit_with_unsaved_changes_asks_and_cancel_keeps_the_app_running(sample_brief: Path) -> None:
    app = quick_app(sample_brief)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(Outline).focus()
        await burst(pilot, app, "n", *"Unsaved", "enter", "ctrl+q")
        assert isinstance(app.screen, QuitScreen)
        await burst(pilot, app, "escape")
        assert app.is_running and app.draft.modified
        await burst(pilot, app, "ctrl+q", "d")
    assert "unsaved" not in app.draft.path.read_text(encoding="utf-8")


async def test_quit_with_save_writes_the_brief_before_leaving(sample_brief: Path) -> None:
    app = quick_app(sample_brief)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(Outline).focus()
        await burst(pilot, app, "n", *"Kept", "enter", "ctrl+q", "s")
    assert "id: kept" in app.draft.path.read_text(encoding="utf-8")


async def test_quit_without_changes_does_not_ask(sample_brief: Path) -> None:
    app = quick_app(sample_brief)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, app, "ctrl+q")
        assert not app.is_running

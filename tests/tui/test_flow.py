"""The analyst's path through the app, driven by keys: search, read, cite, outline, prose, export."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from textual.widgets import TextArea

from briefkit.brief.anchoring import verify
from briefkit.brief.store import load_brief
from briefkit.tui.app import BriefkitApp
from briefkit.tui.screens.cite import CiteScreen
from briefkit.tui.screens.export import ExportScreen
from briefkit.tui.screens.picker import PickScreen
from briefkit.tui.screens.position import PositionScreen
from briefkit.tui.widgets.outline import Outline
from briefkit.tui.widgets.reader import Reader
from briefkit.tui.widgets.sources import SourcesPane


async def _search_and_open(pilot, app: BriefkitApp, settle, query: str) -> Reader:
    await pilot.press("slash", *query)
    await settle(pilot, app)
    assert app.query_one(SourcesPane).hits, f"no hits for {query!r}"
    await pilot.press("enter", "enter")  # Enter: into the results; Enter: open the first hit
    await settle(pilot, app)
    return app.query_one(Reader)


async def _cite(pilot, app: BriefkitApp, settle, *keys: str, note: str = "") -> None:
    await pilot.press(*keys, "c")
    await pilot.pause()
    assert isinstance(app.screen, CiteScreen)
    if note:
        await pilot.press(*note)
    await pilot.press("enter")
    await settle(pilot, app)


async def test_search_result_opens_its_source_at_the_matching_passage(app: BriefkitApp, ready, settle) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("slash", *"snapback")
        await settle(pilot, app)
        hit = app.query_one(SourcesPane).hits[0]
        assert "[[snapback" in hit.snippet.lower()
        await pilot.press("enter", "enter")
        await settle(pilot, app)
        reader = app.query_one(Reader)
        assert reader.source is not None and reader.source.id == hit.source_id
        assert app.focused is reader
        start, end = reader.selection or (0, 0)
        assert hit.start <= start < hit.end


async def test_citing_a_selection_anchors_the_exact_text_into_the_current_position(app: BriefkitApp, ready, settle) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        before = len(app.brief.positions[0].citations)
        reader = await _search_and_open(pilot, app, settle, "diesel")
        await _cite(pilot, app, settle, "shift+down", note="two sentences")
        position = app.brief.positions[0]
        assert len(position.citations) == before + 1
        cite = position.citations[-1]
        assert reader.source is not None and cite.source == reader.source.id
        assert cite.note == "two sentences"
        assert verify(cite.anchor, reader.source.text).status == "ok"
        assert cite.anchor.quote.count(". ") >= 1  # the sentence under the cursor and the next one
        assert app.draft.modified and "modified" in app.sub_title


async def test_new_position_is_added_then_moved_up_and_deleted_with_undo(app: BriefkitApp, ready, settle) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        count = len(app.brief.positions)
        app.query_one(Outline).focus()
        await pilot.press("n")
        assert isinstance(app.screen, PositionScreen)
        await pilot.press(*"Wait and see", "tab", *"Nobody", "enter")
        await settle(pilot, app)
        ids = [p.id for p in app.brief.positions]
        assert len(ids) == count + 1 and ids[1] == "wait-and-see"  # inserted after the current one
        assert app.brief.positions[1].holder == "Nobody"
        await pilot.press("shift+up")
        assert [p.id for p in app.brief.positions][0] == "wait-and-see"
        await pilot.press("d")
        assert "wait-and-see" not in [p.id for p in app.brief.positions]
        await pilot.press("ctrl+z")
        assert [p.id for p in app.brief.positions][0] == "wait-and-see"


async def test_prose_picker_inserts_a_citation_reference_at_the_cursor(app: BriefkitApp, ready, settle) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("f3")
        _to_end(app)
        await pilot.press("enter", *"New line ")
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, PickScreen)
        await pilot.press(*"fal-snapback", "enter")
        await settle(pilot, app)
        assert app.brief.sections["summary"].rstrip().endswith("New line [@fal-snapback]")


async def test_new_position_with_two_fresh_quotes_exports_to_docx_and_markdown(app: BriefkitApp, ready, settle) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.query_one(Outline).focus()
        await pilot.press("n", *"Lean on regional partners", "enter")
        await settle(pilot, app)
        await _search_and_open(pilot, app, settle, "regional")
        await _cite(pilot, app, settle)
        first = app.brief.positions[1].citations[-1]
        app.query_one(SourcesPane).action_clear()
        await _search_and_open(pilot, app, settle, "oil")
        await _cite(pilot, app, settle, "down")
        second = app.brief.positions[1].citations[-1]
        assert first.id != second.id and first.anchor.quote != second.anchor.quote
        await pilot.press("f3")
        _to_end(app)
        await pilot.press("enter", *"Partners matter ")
        await pilot.press("ctrl+o", *first.id, "enter")
        await settle(pilot, app)

        folder = app.draft.path.parent
        for fmt in ("docx", "md"):
            await pilot.press("ctrl+e")
            assert isinstance(app.screen, ExportScreen)
            if fmt == "md":
                await pilot.click("#fmt-md")
            await pilot.click("#export")
            await settle(pilot, app)
            assert app.last_export == folder / f"venezuela.{fmt}"

        markdown = (folder / "venezuela.md").read_text(encoding="utf-8")
        flat = " ".join(markdown.split())
        assert " ".join(first.anchor.quote.split())[:40] in flat or "[^" in markdown
        assert "[^1]:" in markdown
        body = "\n".join(p.text for p in Document(str(folder / "venezuela.docx")).paragraphs)
        assert "Partners matter" in body
        assert (folder / "venezuela.docx").read_bytes()[:2] == b"PK"
        assert "word/footnotes.xml" in _zip_names(folder / "venezuela.docx")


def _to_end(app: BriefkitApp) -> None:
    area = app.query_one("#prose-text", TextArea)
    area.move_cursor(area.document.end)


def _zip_names(path: Path) -> list[str]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


async def test_autosave_writes_the_brief_soon_after_a_change(app: BriefkitApp, ready, settle) -> None:
    app.autosave_delay = 4.0
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.query_one(Outline).focus()
        await pilot.press("n", *"Autosaved position", "enter")
        assert app.draft.modified
        assert "autosaved-position" not in app.draft.path.read_text(encoding="utf-8")
        await pilot.pause(5.0)
        assert not app.draft.modified and "modified" not in app.sub_title
        saved = load_brief(app.draft.path)
        assert "autosaved-position" in [p.id for p in saved.positions]


async def test_ctrl_s_saves_and_keeps_the_comments_of_the_file(app: BriefkitApp, ready, settle) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.query_one(Outline).focus()
        await pilot.press("n", *"Saved by hand", "enter", "ctrl+s")
        text = app.draft.path.read_text(encoding="utf-8")
        assert "saved-by-hand" in text and text.startswith("# Sample brief")


async def test_quit_with_unsaved_changes_asks_and_cancel_keeps_the_app_running(app: BriefkitApp, ready, settle) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.query_one(Outline).focus()
        await pilot.press("n", *"Unsaved", "enter", "ctrl+q")
        assert app.screen.__class__.__name__ == "QuitScreen"
        await pilot.press("escape")
        assert app.is_running and app.draft.modified
        await pilot.press("ctrl+q", "d")
        await pilot.pause()
    assert "unsaved" not in app.draft.path.read_text(encoding="utf-8")


async def test_quit_with_save_writes_the_brief_before_leaving(app: BriefkitApp, ready, settle) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.query_one(Outline).focus()
        await pilot.press("n", *"Kept", "enter", "ctrl+q", "s")
        await pilot.pause()
    assert "id: kept" in app.draft.path.read_text(encoding="utf-8")


async def test_quit_without_changes_does_not_ask(app: BriefkitApp, ready, settle) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_problem_jump_opens_the_citation_in_its_source(app: BriefkitApp, ready, settle) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.query_one(Outline).focus()
        await pilot.press("n", *"Bare claim", "enter")
        await settle(pilot, app)
        await pilot.press("f5")
        problems = app.query_one("#problems-list")
        index = next(i for i, f in enumerate(problems.findings) if f.position == "bare-claim")
        problems.highlighted = index
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.query_one(Outline).current == ("position", "bare-claim")


async def test_suggestions_leave_out_cited_passages_and_cite_directly(app: BriefkitApp, ready, settle) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.query_one(Outline).focus()
        await pilot.press("s")
        await settle(pilot, app)
        suggestions = app.query_one("#suggestions")
        assert suggestions.hits
        assert app.focused is suggestions
        before = len(app.brief.positions[0].citations)
        await pilot.press("c")
        await settle(pilot, app)
        assert isinstance(app.screen, CiteScreen)
        await pilot.press("enter")
        await settle(pilot, app)
        assert len(app.brief.positions[0].citations) == before + 1

"""Adding sources and editing their metadata from the TUI: the dialogs, the core behind them, and
what the app shows afterwards (sources list, search, reader, brief, sources.yaml)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from driving import burst, settle
from textual.widgets import Input

from briefkit.brief.anchoring import verify
from briefkit.brief.store import load_brief
from briefkit.tui.app import BriefkitApp
from briefkit.tui.screens.add_sources import AddSourcesScreen, parse_paths
from briefkit.tui.screens.source_metadata import SourceMetadataScreen
from briefkit.tui.widgets.reader import Reader
from briefkit.tui.widgets.sources import SourcesPane


def _messages(app: BriefkitApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def _loaded(pilot, app: BriefkitApp) -> SourcesPane:
    """The library listed and indexed, with the focus on the sources list (where a and E work)."""
    await settle(pilot, app, lambda: app.library is not None and app.index_ready)
    pane = app.query_one(SourcesPane)
    pane.results.focus()
    await settle(pilot, app)
    return pane


async def _add(pilot, app: BriefkitApp, typed: str, source_id: str = "") -> None:
    await burst(pilot, app, "a")
    assert isinstance(app.screen, AddSourcesScreen)
    app.screen.query_one("#paths", Input).value = typed
    app.screen.query_one("#source-id", Input).value = source_id
    await burst(pilot, app, "enter")
    await settle(pilot, app, lambda: app.index_ready and not isinstance(app.screen, AddSourcesScreen))


def test_parse_paths_keeps_quoted_and_escaped_spaces_and_resolves_from_the_base(tmp_path: Path) -> None:
    typed = "'my notes.txt' other\\ file.docx /abs/x.pdf"
    assert parse_paths(typed, tmp_path) == [tmp_path / "my notes.txt", tmp_path / "other file.docx",
                                           Path("/abs/x.pdf")]


async def test_added_text_and_word_files_are_listed_and_searchable_and_a_missing_one_is_named(
        app: BriefkitApp, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox folder"
    inbox.mkdir()
    (inbox / "lithium note.txt").write_text("Caracas weighs a zyxquorra export levy.\n\nA second paragraph.\n",
                                            encoding="utf-8")
    doc = Document()
    doc.core_properties.title = "Grid Memo"
    doc.add_paragraph("The blorvenite grid failed twice in March.")
    doc.save(str(inbox / "grid.docx"))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _loaded(pilot, app)
        before = len(pane.entries)
        await _add(pilot, app, f"'{inbox / 'lithium note.txt'}' '{inbox / 'grid.docx'}' missing.pdf")
        ids = [e.id for e in pane.entries]
        assert len(ids) == before + 2 and {"lithium-note", "grid"} <= set(ids)
        titles = [pane._source_lines(i, 60)[0].plain for i in range(len(pane.entries))]
        assert "Grid Memo" in titles
        said = _messages(app)
        assert "Added 2, updated 0, skipped 0." in said and "Failed missing.pdf: file not found" in said

        for word, source in (("zyxquorra", "lithium-note"), ("blorvenite", "grid")):
            await burst(pilot, app, "/", *word)
            await settle(pilot, app, lambda w=word: pane.hits_query == w)
            assert [h.source_id for h in pane.hits] == [source]
            await burst(pilot, app, "escape")

        # The same file again is recognised by its content and skipped.
        pane.results.focus()
        await _add(pilot, app, f"'{inbox / 'grid.docx'}'")
        assert "Added 0, updated 0, skipped 1." in _messages(app)
        assert len(pane.entries) == before + 2


async def test_a_single_file_can_be_given_its_id_and_a_bad_id_is_refused_in_the_dialog(
        app: BriefkitApp, tmp_path: Path) -> None:
    note = tmp_path / "Minutes 2024.txt"
    note.write_text("The quorvalent panel met on Tuesday.\n", encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _loaded(pilot, app)
        await burst(pilot, app, "a")
        screen = app.screen
        assert isinstance(screen, AddSourcesScreen)
        screen.query_one("#paths", Input).value = f"'{note}' other.txt"
        screen.query_one("#source-id", Input).value = "panel-minutes"
        await burst(pilot, app, "enter")
        assert app.screen is screen and "give exactly one file" in _messages(app)
        screen.query_one("#paths", Input).value = f"'{note}'"
        screen.query_one("#source-id", Input).value = "panel minutes"
        await burst(pilot, app, "enter")
        assert app.screen is screen and "An id is letters, digits" in _messages(app)
        await burst(pilot, app, "escape")

        pane.results.focus()
        await _add(pilot, app, f"'{note}'", source_id="panel-minutes")
        assert "panel-minutes" in [e.id for e in pane.entries]
        assert "Added 1, updated 0, skipped 0." in _messages(app)


async def test_replacing_a_cited_source_moves_the_briefs_quote_in_the_app_and_on_disk(
        app: BriefkitApp, sample_dir: Path, tmp_path: Path) -> None:
    original = (sample_dir / "responsible-statecraft-back-burner.txt").read_text(encoding="utf-8")
    (tmp_path / "rs-back-burner.txt").write_text("A paragraph added on top.\n\n" + original, encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        await _loaded(pilot, app)
        cites = [c for _, c in app.brief.citations() if c.source == "rs-back-burner"]
        cite, old_start = cites[0], cites[0].anchor.start
        reader = app.query_one(Reader)
        app.open_source("rs-back-burner")
        await settle(pilot, app, lambda: reader.source is not None)
        app.query_one(SourcesPane).results.focus()
        await _add(pilot, app, str(tmp_path / "rs-back-burner.txt"))
        assert app.library is not None
        text = app.library.source("rs-back-burner").text
        assert reader.source is not None and reader.source.text == text  # not the replaced text
        assert cite.anchor.start > old_start and verify(cite.anchor, text).status == "ok"
        assert not app.draft.modified
        on_disk = load_brief(app.draft.path).find_citation(cite.id)
        assert on_disk is not None and on_disk[1].anchor == cite.anchor
        assert f"Added 0, updated 1, skipped 0.\n{len(cites)} quotes moved" in _messages(app)


async def test_editing_a_source_title_shows_in_the_list_and_in_sources_yaml_and_a_bad_date_is_refused(
        app: BriefkitApp, sample_dir: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _loaded(pilot, app)
        entry = pane.entries[0]
        await burst(pilot, app, "E")
        assert isinstance(app.screen, SourceMetadataScreen)
        assert app.screen.query_one("#title", Input).value == entry.title
        app.screen.query_one("#date", Input).value = "2021-13"
        await burst(pilot, app, "enter")
        await settle(pilot, app)
        assert "must be YYYY, YYYY-MM or YYYY-MM-DD" in _messages(app)
        assert pane.entries[0].title == entry.title

        pane.results.focus()
        await burst(pilot, app, "E")
        screen = app.screen
        assert isinstance(screen, SourceMetadataScreen)
        screen.query_one("#title", Input).value = "A Renamed Capture"
        screen.query_one("#authors", Input).value = "Doe, Jane; Crisis Group"
        await burst(pilot, app, "enter")
        await settle(pilot, app, lambda: pane.entries[0].title == "A Renamed Capture")
        assert pane._source_lines(0, 60)[0].plain == "A Renamed Capture"
        assert pane.entries[0].csl["author"] == [{"family": "Doe", "given": "Jane"}, {"literal": "Crisis Group"}]
        assert pane.entries[0].issued == entry.issued  # a field left as it was is not rewritten
        assert 'title: "A Renamed Capture"' in (sample_dir / "sources.yaml").read_text(encoding="utf-8") \
            or "title: A Renamed Capture" in (sample_dir / "sources.yaml").read_text(encoding="utf-8")

"""The TUI on a team brief, on a real throwaway PostgreSQL server, while others work too:
sources another analyst adds, replaces or edits (another process, through the CLI) arrive in
the open TUI by LISTEN/NOTIFY, are listed and searchable, and this brief's quotes of a replaced
source are re-anchored by the integrity rules; team saves run in a worker thread, so keys typed
while one waits on the server are handled and kept, and a conflict between them and what the
save merged still opens the dialog. A save is slowed by a real cause: another session holds the
brief's row lock (as a source replacement re-anchoring the library's briefs does)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from driving import settle
from test_save_in_background import press, start_slow_save, until
from test_team_drafting import QUOTE, brief_url, listening, messages, team_app  # noqa: F401
from textual.widgets import Input

from briefkit.brief.model import Brief
from briefkit.library.postgres.target import LibraryTarget
from briefkit.tui.app import BriefkitApp
from briefkit.tui.screens.conflicts import ConflictScreen
from briefkit.tui.widgets.prose import ProseEditor
from briefkit.tui.widgets.sources import SourcesPane
from briefkit.workflows.team_briefs import load_team_brief, update_team_brief
from tests.team.conftest import pg_server, team_url  # noqa: F401  (the fixtures, for this folder)

NEW_SOURCE = ("# Quokka diplomacy\n\nThe zebrafinch accords were signed in Caracas after a long "
              "night of talks between the delegations.\n")


def cli(*args: str, cwd: Path | None = None) -> str:
    """Another analyst, in another process."""
    done = subprocess.run([sys.executable, "-m", "briefkit", *args], capture_output=True,
                          text=True, timeout=60, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextmanager
def row_locked(url: str) -> Iterator[None]:
    """Another session holds the team brief's row (FOR UPDATE) until the block ends: a save's
    compare-and-swap waits for it, as it waits for `sources add` re-anchoring the brief."""
    target = LibraryTarget.parse(url)
    with psycopg.connect(target.conninfo) as conn:  # not autocommit: the lock lasts the block
        conn.execute("SELECT 1 FROM briefs WHERE id = %s FOR UPDATE", (target.brief,))
        yield
        conn.rollback()


async def search(pilot: object, app: BriefkitApp, query: str) -> list[str]:
    """The source ids of the hits the Sources pane shows for `query`."""
    pane = app.query_one(SourcesPane)
    box = app.query_one("#search", Input)
    box.value = ""  # a search typed again, not the hits of the last
    await settle(pilot, app, lambda: pane.hits_query == "")  # type: ignore[arg-type]
    box.value = query
    await settle(pilot, app, lambda: pane.hits_query == query)  # type: ignore[arg-type]
    return [hit.source_id for hit in pane.hits]


async def test_sources_another_analyst_adds_and_edits_arrive_in_the_open_tui(
        team_app: BriefkitApp, brief_url: str, tmp_path: Path) -> None:  # noqa: F811
    app = team_app
    library = LibraryTarget.parse(brief_url).library_url
    new = tmp_path / "quokka-diplomacy.md"
    new.write_text(NEW_SOURCE, encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        await listening(pilot, app)
        assert app._source_watch is not None
        await settle(pilot, app, app._source_watch.listening.is_set)
        assert await search(pilot, app, "zebrafinch") == []
        cli("sources", "add", str(new), "--library", library)
        await settle(pilot, app, lambda: app.library is not None and app.index_ready
                     and "quokka-diplomacy" in app.library.entries)
        pane = app.query_one(SourcesPane)
        assert "quokka-diplomacy" in pane.titles
        assert "From the team library: 1 source added (quokka-diplomacy)" in messages(app)
        assert await search(pilot, app, "zebrafinch") == ["quokka-diplomacy"]
        cli("sources", "edit", "quokka-diplomacy", "--title", "The zebrafinch accords",
            "--library", library)
        await settle(pilot, app, lambda: pane.titles.get("quokka-diplomacy")
                     == "The zebrafinch accords")
        assert "1 source edited (quokka-diplomacy)" in messages(app)
        assert not app.draft.modified  # nothing of the brief's changed


@pytest.mark.parametrize("saved", [False, True], ids=["unsaved", "saved"])
async def test_a_replaced_source_re_anchors_the_open_brief_s_quote(
        team_app: BriefkitApp, brief_url: str, sample_dir: Path, tmp_path: Path,  # noqa: F811
        saved: bool) -> None:
    """Unsaved, the TUI moves the quote itself; saved, `sources add` moves it in the stored
    brief too, and the two moves (the same) merge without a conflict."""
    app = team_app
    library = LibraryTarget.parse(brief_url).library_url
    async with app.run_test(size=(120, 40)) as pilot:
        await listening(pilot, app)
        assert app.library is not None
        await settle(pilot, app, app._source_watch.listening.is_set)  # type: ignore[union-attr]
        old = app.library.source("fal-redlines").text
        start = old.index(QUOTE)
        position = app.draft.add_position("Pressure")
        cited = app.draft.cite(position.id, "fal-redlines", old, start, start + len(QUOTE))
        app._changed()  # autosave waits 600 s here
        if saved:
            await pilot.press("ctrl+s")
            await settle(pilot, app, lambda: not app.draft.modified)
        original = next(sample_dir.glob("fal-*"))
        replaced = tmp_path / original.name
        replaced.write_text("A preface paragraph the new edition adds.\n\n"
                            + original.read_text(encoding="utf-8"), encoding="utf-8")
        cli("sources", "add", str(replaced), "--id", "fal-redlines", "--library", library)
        await settle(pilot, app, lambda: "1 source replaced (fal-redlines)" in messages(app)
                     and app.brief.find_citation(cited.id)[1].anchor.start > start)  # type: ignore[index]
        text = app.library.source("fal-redlines").text
        anchor = app.brief.find_citation(cited.id)[1].anchor  # type: ignore[index]
        assert text[anchor.start:anchor.end] == QUOTE
        assert not isinstance(app.screen, ConflictScreen)
        if saved:  # whichever came first: the stored brief's new revision, or the TUI's check
            assert load_team_brief(brief_url)[1] == 3
        else:
            assert f"{cited.id} (fal-redlines) moved (its new place taken)" in messages(app)
        await pilot.press("ctrl+s")
        await settle(pilot, app, lambda: not app.draft.modified)
    saved = load_team_brief(brief_url)[0].find_citation(cited.id)
    assert saved is not None and saved[1].anchor == anchor


async def test_a_team_save_waiting_on_the_server_lets_keys_through_and_keeps_them(
        team_app: BriefkitApp, brief_url: str) -> None:  # noqa: F811
    app = team_app
    async with app.run_test(size=(120, 40)) as pilot:
        await listening(pilot, app)
        app.draft.add_position("Before")
        app._changed()
        with row_locked(brief_url):
            await start_slow_save(app)
            app.query_one("#outline").focus()
            press(app, "n", *"During", "enter")
            gap = await until(lambda: app.brief.position("during") is not None)
            assert app._save_job is not None, "the save ended before the keys were handled"
            print(f"loop's longest gap while keys were handled during the save: {gap * 1000:.0f} ms")
            assert load_team_brief(brief_url)[1] == 1  # the save waits on the lock
        await settle(pilot, app, lambda: app._save_job is None)
        saved, revision = load_team_brief(brief_url)
        assert revision == 2 and saved.position("before") and not saved.position("during")
        assert app.draft.modified and app.brief.position("during") is not None
        await pilot.press("ctrl+s")
        await settle(pilot, app, lambda: not app.draft.modified)
    saved, revision = load_team_brief(brief_url)
    assert revision == 3 and [p.id for p in saved.positions] == ["before", "during"]


async def test_an_edit_during_a_team_save_that_conflicts_with_what_it_merged_opens_the_dialog(
        team_app: BriefkitApp, brief_url: str) -> None:  # noqa: F811
    app = team_app
    app.poll_interval = 600  # the other analyst's change reaches the TUI only through the save

    def theirs(brief: Brief) -> bool:
        brief.sections["summary"] = "Theirs."
        return True

    async with app.run_test(size=(120, 40)) as pilot:
        await listening(pilot, app)
        app.draft.add_position("Before")
        app._changed()
        update_team_brief(brief_url, theirs, summary="their summary")  # revision 2, not yet seen
        with row_locked(brief_url):
            await start_slow_save(app)
            app.query_one("#outline").focus()
            press(app, "f3", *"Mine")  # typed into the summary during the save
            await until(lambda: app.query_one(ProseEditor).current() == ("summary", "Mine"))
            assert app._save_job is not None
        await settle(pilot, app, lambda: isinstance(app.screen, ConflictScreen))
        assert isinstance(app.screen, ConflictScreen)
        assert [(c.mine, c.theirs) for c in app.screen.conflicts] == [("Mine", "Theirs.")]
        assert load_team_brief(brief_url)[0].sections["summary"] == "Theirs."
        await pilot.press("m", "ctrl+s")
        await settle(pilot, app, lambda: not isinstance(app.screen, ConflictScreen))
        await pilot.press("ctrl+s")
        await settle(pilot, app, lambda: not app.draft.modified)
    saved, revision = load_team_brief(brief_url)
    assert revision == 4 and saved.sections["summary"] == "Mine"
    assert saved.position("before") is not None


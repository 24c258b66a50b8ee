"""The TUI on a brief stored in a team library, on a real throwaway PostgreSQL server: another
analyst's save (another process, through the CLI) arrives by LISTEN/NOTIFY while the TUI is
open and is merged in; the TUI's next save keeps both; a real conflict is shown and settled; a
reader's TUI hears others' saves too and says why its own are refused."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from driving import quick_app, ready, settle
from textual.pilot import Pilot
from textual.widgets import Label

from briefkit.brief.model import Brief
from briefkit.library.postgres.target import LibraryTarget
from briefkit.library.postgres.transfer import push_library
from briefkit.tui.app import BriefkitApp
from briefkit.tui.screens.conflicts import ConflictScreen
from briefkit.tui.team_draft import TeamDraft, open_team_draft
from briefkit.tui.widgets.outline import Outline
from briefkit.workflows.team_briefs import (
    brief_log,
    create_team_brief,
    load_team_brief,
    update_team_brief,
)
from tests.team.conftest import (  # noqa: F401  (the fixtures, for this folder)
    Server,
    pg_server,
    readme_sql,
    team_roles,
    team_url,
)

QUOTE = "Washington should prepare and be ready to launch new rounds of sanctions"


@pytest.fixture
def brief_url(sample_dir: Path, team_url: str) -> str:  # noqa: F811  (team_url is the fixture)
    """A team brief 'memo' in a team library holding the sample's sources."""
    push_library(sample_dir, team_url)
    url = LibraryTarget.parse(team_url).brief_url("memo")
    create_team_brief(url, title="Memo", template="options-memo")
    return url


@pytest.fixture
def team_app(brief_url: str) -> Iterator[BriefkitApp]:
    app = quick_app(brief_url)  # type: ignore[arg-type]  # make_app takes a URL too
    app.poll_interval = 0.1
    yield app
    app.draft.close()


def cli_cite(url: str, cid: str) -> None:
    """Another analyst, in another process: `briefkit cite` into the team brief."""
    done = subprocess.run([sys.executable, "-m", "briefkit", "cite", url, "--position", "pressure",
                           "--create-position", "--source", "fal-redlines", "--quote", QUOTE,
                           "--id", cid], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def messages(app: BriefkitApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def listening(pilot: Pilot, app: BriefkitApp) -> None:
    """The app is ready and its draft listens for others' saves."""
    await ready(pilot, app)
    assert isinstance(app.draft, TeamDraft)
    await settle(pilot, app, app.draft.watch.listening.is_set)


async def test_the_tui_brings_in_another_analyst_s_save_and_its_next_save_keeps_both(
        team_app: BriefkitApp, brief_url: str) -> None:
    app = team_app
    async with app.run_test(size=(120, 40)) as pilot:
        await listening(pilot, app)
        assert app.sub_title == "memo" and app.library is not None
        app.draft.add_position("Phased relief")
        app.draft.set_section("outlook", "Written in the TUI.")
        app._changed()
        cli_cite(brief_url, "from-cli")  # saved as revision 2 while the TUI holds its changes
        await settle(pilot, app, lambda: app.brief.find_citation("from-cli") is not None)
        assert "c:from-cli" in app.query_one(Outline).row_ids
        assert ("Reloaded: merged 2 changes from the team library: position “Pressure” added, "
                "citation from-cli added.") in messages(app)
        assert app.draft.modified and app.brief.position("phased-relief") is not None
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not app.draft.modified and "Saved memo." in messages(app)
    saved, revision = load_team_brief(brief_url)
    assert revision == 3 and saved.find_citation("from-cli") is not None
    assert [p.id for p in saved.positions] == ["pressure", "phased-relief"]
    assert saved.sections["outlook"] == "Written in the TUI."
    assert [c.summary for c in brief_log(brief_url)][-1] == "saved in the TUI"


async def test_a_save_merges_what_was_saved_since_the_last_look(
        team_app: BriefkitApp, brief_url: str) -> None:
    app = team_app
    app.poll_interval = 600  # no idle look: the compare-and-swap save itself must merge
    async with app.run_test(size=(120, 40)) as pilot:
        await listening(pilot, app)
        app.draft.add_position("Phased relief")
        app._changed()
        cli_cite(brief_url, "from-cli")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "Saved: merged 2 changes from the team library" in messages(app)
        assert app.brief.find_citation("from-cli") is not None and not app.draft.modified
    saved, revision = load_team_brief(brief_url)
    assert revision == 3 and saved.find_citation("from-cli") and saved.position("phased-relief")


async def test_a_real_conflict_is_shown_and_the_analyst_s_choice_is_saved(
        team_app: BriefkitApp, brief_url: str) -> None:
    app = team_app
    async with app.run_test(size=(120, 40)) as pilot:
        await listening(pilot, app)
        app.draft.set_section("outlook", "Mine.")
        app._changed()

        def theirs(brief: Brief) -> bool:
            brief.sections["outlook"] = "Theirs."
            brief.subtitle = "From another analyst"
            return True

        update_team_brief(brief_url, theirs, summary="outlook")  # another connection
        await settle(pilot, app, lambda: isinstance(app.screen, ConflictScreen))
        dialog = app.screen
        assert [(c.key, c.mine, c.theirs) for c in dialog.conflicts] == [
            ("sections.outlook", "Mine.", "Theirs.")]
        words = " ".join(str(label.render()) for label in dialog.query(Label))
        assert "was saved by someone else in the team library" in words and "disk" not in words
        assert "t takes the saved one" in words and "file" not in words
        assert load_team_brief(brief_url)[1] == 2  # nothing written while it is open
        await pilot.press("m", "ctrl+s")
        await settle(pilot, app, lambda: not isinstance(app.screen, ConflictScreen))
        assert app.brief.subtitle == "From another analyst"
        assert app.brief.sections["outlook"] == "Mine."
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    saved, revision = load_team_brief(brief_url)
    assert revision == 3 and saved.sections["outlook"] == "Mine."
    assert saved.subtitle == "From another analyst"


async def test_a_reader_s_tui_hears_others_saves_and_says_why_its_own_is_refused(
        team_roles: Server, brief_url: str) -> None:  # noqa: F811  (team_roles is the fixture)
    dbname = LibraryTarget.parse(brief_url).conninfo.rsplit("/", 1)[1].split("?")[0]
    team_roles.sql(dbname, readme_sql("roles-sql").replace("team_db", dbname))
    app = quick_app(brief_url.replace("user=postgres", "user=bob"))  # type: ignore[arg-type]
    app.poll_interval = 0.1
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await listening(pilot, app)
            cli_cite(brief_url, "from-cli")  # an editor's save
            await settle(pilot, app, lambda: app.brief.find_citation("from-cli") is not None)
            app.draft.set_section("outlook", "A reader's try.")
            app._changed()
            await pilot.press("ctrl+s")
            await settle(pilot, app)
            assert "read-only: your database user may read this library but not change it" in (
                messages(app))
            assert app.draft.modified
    finally:
        app.draft.close()
    saved, revision = load_team_brief(brief_url)
    assert revision == 2 and "outlook" not in saved.sections


def test_a_draft_saves_again_after_the_server_dropped_its_connection(
        pg_server: Server, brief_url: str) -> None:  # noqa: F811  (pg_server is the fixture)
    draft = open_team_draft(brief_url)
    try:
        draft.add_position("First")
        assert draft.save().saved
        dbname = LibraryTarget.parse(brief_url).conninfo.rsplit("/", 1)[1].split("?")[0]
        pg_server.sql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  f"WHERE datname = '{dbname}' AND application_name = 'briefkit'")
        draft.add_position("Second")
        assert draft.save().saved
    finally:
        draft.close()
    saved, revision = load_team_brief(brief_url)
    assert revision == 3 and [p.id for p in saved.positions] == ["first", "second"]

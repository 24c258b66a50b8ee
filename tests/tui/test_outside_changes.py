"""The TUI and another writer on one brief: a `briefkit cite` while the brief is open is kept by
the next save and shown while idle; a real conflict is shown and nothing is lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from driving import quick_app, ready, settle
from textual.pilot import Pilot
from textual.widgets import Label

from briefkit.brief.store import load_brief, save_brief
from briefkit.tui.app import BriefkitApp
from briefkit.tui.screens.conflicts import ConflictScreen
from briefkit.tui.widgets.outline import Outline

QUOTE = "Washington should prepare and be ready to launch new rounds of sanctions"


def cli_cite(brief: Path, cid: str) -> None:
    done = subprocess.run([sys.executable, "-m", "briefkit", "cite", str(brief), "--position", "pressure",
                           "--source", "fal-redlines", "--quote", QUOTE, "--id", cid],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def messages(app: BriefkitApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def app_for(brief: Path, poll: float) -> BriefkitApp:
    app = quick_app(brief)
    app.poll_interval = poll
    return app


async def test_a_citation_cited_from_the_cli_survives_the_next_save(sample_brief: Path) -> None:
    app = app_for(sample_brief, poll=600)  # no idle look: the save itself must merge
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.draft.set_section("outlook", "Edited in the TUI.")
        app._changed()
        cli_cite(sample_brief, "from-cli")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "Saved: merged 1 change from disk: citation from-cli added." in messages(app)
        assert not app.draft.modified
    on_disk = load_brief(sample_brief)
    assert on_disk.find_citation("from-cli") and on_disk.sections["outlook"] == "Edited in the TUI."


async def test_autosave_keeps_a_citation_cited_from_the_cli(sample_brief: Path) -> None:
    app = app_for(sample_brief, poll=600)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.autosave_delay = 0.2
        cli_cite(sample_brief, "from-cli")
        app.draft.add_position("Mine, from the TUI")
        app._changed()
        await settle(pilot, app, lambda: not app.draft.modified)
    on_disk = load_brief(sample_brief)
    assert on_disk.find_citation("from-cli") and on_disk.position("mine-from-the-tui")


async def test_an_idle_app_shows_the_cli_citation_and_undo_keeps_it(sample_brief: Path) -> None:
    app = app_for(sample_brief, poll=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.draft.add_position("Added before the CLI cite")
        app._changed()
        cli_cite(sample_brief, "from-cli")
        await settle(pilot, app, lambda: app.brief.find_citation("from-cli") is not None)
        outline = app.query_one(Outline)
        assert "c:from-cli" in outline.row_ids
        assert "Reloaded: merged 1 change from disk: citation from-cli added." in messages(app)
        await pilot.press("ctrl+z")  # undoes the position, not the other writer's citation
        await settle(pilot, app)
        assert app.brief.find_citation("from-cli") and not app.brief.position("added-before-the-cli-cite")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    assert load_brief(sample_brief).find_citation("from-cli")


async def both_change_the_outlook(pilot: Pilot, app: BriefkitApp, path: Path) -> None:
    """The analyst changes the outlook; another writer saves another outlook (a conflict) and a
    new title for the second position (no conflict)."""
    await ready(pilot, app)
    app.draft.set_section("outlook", "Mine.")
    app._changed()
    theirs = load_brief(path)
    theirs.sections["outlook"] = "Theirs."
    theirs.positions[1].title = "Retitled on disk"
    save_brief(theirs)


async def test_a_real_conflict_is_shown_and_nothing_is_written_until_the_analyst_chooses(
        sample_brief: Path) -> None:
    app = app_for(sample_brief, poll=600)
    async with app.run_test(size=(120, 40)) as pilot:
        await both_change_the_outlook(pilot, app, sample_brief)
        before = sample_brief.read_bytes()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ConflictScreen)
        assert [(c.key, c.mine, c.theirs) for c in dialog.conflicts] == [("sections.outlook", "Mine.", "Theirs.")]
        words = " ".join(str(label.render()) for label in dialog.query(Label))
        assert "changed on disk" in words and "t takes the file's" in words
        assert sample_brief.read_bytes() == before and app.draft.modified
        await pilot.press("ctrl+s")  # nothing chosen yet: the dialog stays
        await settle(pilot, app)
        assert app.screen is dialog and sample_brief.read_bytes() == before
        await pilot.press("m", "ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, ConflictScreen) and not app.draft.modified
        assert "Saved: merged 1 change from disk: position “Negotiate phased" in messages(app)
        assert "”: title changed; kept your version of section “outlook”." in messages(app)
    on_disk = load_brief(sample_brief)
    assert on_disk.sections["outlook"] == "Mine."
    assert on_disk.positions[1].title == "Retitled on disk"


async def test_an_idle_conflict_can_take_the_files_version(sample_brief: Path) -> None:
    app = app_for(sample_brief, poll=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        await both_change_the_outlook(pilot, app, sample_brief)
        await settle(pilot, app, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.press("t", "ctrl+s")
        await settle(pilot, app, lambda: not isinstance(app.screen, ConflictScreen))
        assert app.brief.sections["outlook"] == "Theirs."
        assert app.brief.positions[1].title == "Retitled on disk"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    assert load_brief(sample_brief).sections["outlook"] == "Theirs."


async def test_conflicts_put_off_come_back_on_ctrl_s_only(sample_brief: Path) -> None:
    app = app_for(sample_brief, poll=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await both_change_the_outlook(pilot, app, sample_brief)
        await settle(pilot, app, lambda: isinstance(app.screen, ConflictScreen))
        before = sample_brief.read_bytes()
        await pilot.press("escape")
        await pilot.pause(1.0)  # ten idle looks at the file
        await settle(pilot, app)
        assert not isinstance(app.screen, ConflictScreen) and app.brief.sections["outlook"] == "Mine."
        assert "Not saved: the file on disk changed too" in messages(app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ConflictScreen) and sample_brief.read_bytes() == before


async def test_a_source_replaced_from_the_cli_is_checked_again_in_the_open_app(
        sample_brief: Path, tmp_path: Path) -> None:
    """`briefkit sources add` beside the open TUI: the app reopens the library, so the Problems
    list speaks of the new text (a quote whose sentence was rewritten and copied into an editor's
    note needs review) instead of checking the brief against the text it read at start."""
    library = sample_brief.parent
    quote = load_brief(sample_brief).find_citation("smilde-failed")[1].anchor.quote  # type: ignore[index]
    old = (library / "smilde-maximum-pressure-failed.txt").read_text(encoding="utf-8")
    new = tmp_path / "v2" / "smilde-maximum-pressure-failed.txt"
    new.parent.mkdir()
    new.write_text(old.replace(quote, quote.replace("arrogant", "bold"), 1)
                   + f"\n\nEditor's note: an earlier version said: {quote}\n", encoding="utf-8")
    app = app_for(sample_brief, poll=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await settle(pilot, app, lambda: app.report is not None)
        done = subprocess.run([sys.executable, "-m", "briefkit", "sources", "add", "--library",
                               str(library), "--id", "smilde-max-pressure", str(new)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and "needs-review" in done.stdout, done.stderr

        def flagged() -> bool:
            return app.report is not None and any(
                f.citation == "smilde-failed" and f.code == "needs-review" for f in app.report.findings)

        await settle(pilot, app, flagged)
        assert "The library changed on disk" in messages(app)

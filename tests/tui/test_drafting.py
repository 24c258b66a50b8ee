"""Drafting without surprises (issue 15): an editor that never damages text, keys never lost in a
burst, citations that land where the analyst means, and the brief's own details in a dialog.

Keys go in with `burst`, all at once, as a fast typist on a busy loop or tmux send-keys deliver
them; each test is one run of the app through several steps.
"""

from __future__ import annotations

from driving import burst, ready, settle
from textual.content import Content
from textual.widgets import Input, TextArea

from briefkit.brief.store import load_brief
from briefkit.tui.app import BriefkitApp
from briefkit.tui.screens.cite import CiteScreen
from briefkit.tui.screens.confirm import ConfirmScreen
from briefkit.tui.screens.details import DetailsScreen
from briefkit.tui.screens.position import PositionScreen
from briefkit.tui.screens.quit import QuitScreen
from briefkit.tui.widgets.keybar import KeyBar
from briefkit.tui.widgets.outline import Outline
from briefkit.tui.widgets.reader import Reader


def _footer(app: BriefkitApp) -> str:
    return app.query_one(KeyBar).render().plain


async def test_the_prose_editor_keeps_tab_slash_and_home_keys_for_prose(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        area = app.query_one("#prose-text", TextArea)
        before = app.brief.sections["summary"]
        await burst(pilot, app, "f3")
        assert app.focused is area
        # The footer lists what works here: indenting, and no `/` (it is typed here).
        footer = _footer(app)
        assert "Indent" in footer and "Search" not in footer

        # Tab leaves the editor (four Tabs used to leave 16 spaces), shift+Tab comes back.
        await burst(pilot, app, "tab")
        assert app.focused is not area and area.text == before
        await burst(pilot, app, "shift+tab")
        assert app.focused is area
        # ctrl+t indents at the cursor.
        await burst(pilot, app, "ctrl+home", "ctrl+t")
        assert area.text == "    " + before

        # ctrl+End goes to the end of the section; Home and End to the ends of the paragraph,
        # however many rows it wraps to (the summary's first paragraph wraps to a dozen here).
        await burst(pilot, app, "ctrl+end")
        assert area.cursor_location == area.document.end
        await burst(pilot, app, "ctrl+home", "down", "down", "end")
        first = area.document[0]
        assert area.cursor_location == (0, len(first)) and len(first) > 3 * area.size.width
        await burst(pilot, app, "home")
        assert area.cursor_location == (0, 0)

        # `/` in the editor is text; where it cannot be typed, it searches.
        await burst(pilot, app, "/")
        assert area.text.startswith("/") and app.focused is area
        app.query_one(Outline).focus()
        await settle(pilot, app)
        assert "Search" in _footer(app)
        await burst(pilot, app, "/")
        assert app.focused is app.query_one("#search")


async def test_no_keystroke_is_lost_when_keys_come_in_one_burst(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        # A position's summary typed straight before ctrl+s is kept (it was lost without a pause).
        app.query_one(Outline).focus()
        await burst(pilot, app, "n", *"Lean on partners", "tab", "tab", *"typed just before ctrl+s", "ctrl+s")
        assert not isinstance(app.screen, PositionScreen)
        added = app.brief.position("lean-on-partners")
        assert added is not None and added.summary == "typed just before ctrl+s"

        # Prose typed straight before ctrl+s is in the saved file.
        await burst(pilot, app, "f3", "ctrl+end", *" Fast words.", "ctrl+s")
        assert load_brief(app.draft.path).sections["summary"].endswith("partners.\n Fast words.")
        assert not app.draft.modified

        # alt+o straight after `c`, then a note: the stance and every letter of the note.
        await burst(pilot, app, "tab", "/", *"oil exports", "enter")
        reader = app.query_one(Reader)
        await settle(pilot, app, lambda: reader.source is not None)
        await burst(pilot, app, "c", "alt+o", *"quick note", "enter")
        cites = app.brief.position("lean-on-partners").citations
        assert [(c.stance, c.note) for c in cites] == [("opposes", "quick note")]

        # Prose typed straight before ctrl+q counts as unsaved: quitting asks.
        await burst(pilot, app, "f3", *"More", "ctrl+q")
        assert isinstance(app.screen, QuitScreen)
        await burst(pilot, app, "escape")
        assert app.brief.sections["summary"].endswith("Fast words.More")


async def test_citations_go_to_the_position_the_reader_names(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        outline = app.query_one(Outline)
        reader = app.query_one(Reader)

        # A hit opens on the sentence that best matches the query, not the first sentence holding
        # one of its words (which was "Hopes that the Organization of American States…").
        await burst(pilot, app, "/", *"Maduro government with a Leninist tenacity that", "enter")
        await settle(pilot, app, lambda: reader.source is not None)
        start, end = reader.selection or (0, 0)
        assert "with a Leninist tenacity that" in reader.source.text[start:end]

        # The reader's title names the position `c` cites into.
        second = app.brief.positions[1]
        outline.focus()
        outline.select_id(f"c:{second.citations[0].id}")
        await settle(pilot, app)
        assert f"2. {second.title[:20]}" in Content.from_markup(reader.border_title).plain

        # Deleting a citation keeps the highlight in its position (it jumped to position 1).
        await burst(pilot, app, "d")
        assert outline.position_of_highlight(app.brief) == second.id
        await burst(pilot, app, "ctrl+z")
        assert outline.position_of_highlight(app.brief) == second.id
        # Moving one to another position leaves the highlight where it was, too.
        await burst(pilot, app, "m", *app.brief.positions[0].title[:12], "enter")
        assert outline.position_of_highlight(app.brief) == second.id
        assert f"2. {second.title[:20]}" in Content.from_markup(reader.border_title).plain

        # Citing a passage already cited in that position asks first; no is no citation.
        cited = app.brief.positions[1].citations[0]
        app.open_source(cited.source, cited.anchor.start, cited.anchor.end)
        await settle(pilot, app, lambda: reader.source is not None and reader.source.id == cited.source)
        outline.select_id(f"p:{second.id}")
        reader.focus()
        count = len(app.brief.positions[1].citations)
        await burst(pilot, app, "c")
        assert isinstance(app.screen, ConfirmScreen) and cited.id in app.screen.message
        await burst(pilot, app, "enter")  # the safe answer
        assert not isinstance(app.screen, CiteScreen) and len(app.brief.positions[1].citations) == count
        await burst(pilot, app, "c", "y", "enter")
        assert len(app.brief.positions[1].citations) == count + 1


async def test_the_briefs_details_are_set_in_a_dialog_and_merged_on_save(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        path = app.draft.path
        text = path.read_text(encoding="utf-8")
        await burst(pilot, app, "f7")
        assert isinstance(app.screen, DetailsScreen)
        assert app.screen.query_one("#title", Input).value == app.brief.title
        # Fields are typed in one burst, each after a Tab, and ctrl+s comes straight after.
        await burst(pilot, app, "tab", "tab", "ctrl+u", *"B. Writer", "tab", "ctrl+u", *"Policy Unit", "tab",
                    "ctrl+u", *"The Secretary", "ctrl+s")
        assert not isinstance(app.screen, DetailsScreen)
        assert (app.brief.author, app.brief.organisation, app.brief.audience) == (
            "B. Writer", "Policy Unit", "The Secretary")
        assert app.draft.modified
        # Someone else changed the subtitle meanwhile: the save keeps both.
        old = "subtitle: Pressure, phased relief, or a regional group of friends"
        path.write_text(text.replace(old, "subtitle: Theirs"), encoding="utf-8")
        await burst(pilot, app, "ctrl+s")
        saved = load_brief(path)
        assert (saved.author, saved.organisation, saved.audience, saved.subtitle) == (
            "B. Writer", "Policy Unit", "The Secretary", "Theirs")
        assert path.read_text(encoding="utf-8").startswith("# Sample brief")  # comments kept
        # An unknown style is refused with one message; the rest is taken.
        await burst(pilot, app, "f7")
        app.screen.query_one("#style", Input).value = "no-such-style"
        app.screen.query_one("#subtitle", Input).value = "Mine"
        await burst(pilot, app, "ctrl+s")
        assert (app.brief.style, app.brief.subtitle) == (saved.style, "Mine")


def test_a_new_position_s_id_is_whole_words_of_its_title() -> None:
    from briefkit.brief.model import Brief
    from briefkit.tui.draft import Draft

    draft = Draft(Brief(title="Memo"))
    ids = [draft.add_position(title).id for title in (
        "Phase in a border carbon adjustment", "Phase in a border carbon adjustment",
        "Supercalifragilisticexpialidocious-and-even-longer-words", "¿¡!?", "Status quo")]
    assert ids == ["phase-in-a-border-carbon", "phase-in-a-border-carbon-2",
                   "supercalifragilisticexpialidocio", "position", "status-quo"]

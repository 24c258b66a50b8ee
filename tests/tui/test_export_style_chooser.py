"""The export dialog's citation style: it shows the brief's style; letters typed fast filter the
installed styles, Down and Enter take one, and that export (only) uses it."""

from __future__ import annotations

from driving import burst, ready, settle
from textual.widgets import Input, OptionList

from briefkit.brief.store import load_brief
from briefkit.render.csl.styles import resolve_style
from briefkit.render.export import export
from briefkit.tui.app import BriefkitApp
from briefkit.tui.screens.export import ExportScreen


def _listed(app: BriefkitApp) -> list[str | None]:
    chooser = app.screen.query_one("#style-list", OptionList)
    return [chooser.get_option_at_index(n).id for n in range(chooser.option_count)] \
        if chooser.has_class("-open") else []


async def test_a_style_typed_fast_and_picked_is_the_one_the_export_uses(app: BriefkitApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        folder, before = app.draft.path.parent, app.brief.style
        await burst(pilot, app, "ctrl+e")
        assert isinstance(app.screen, ExportScreen)
        style = app.screen.query_one("#style", Input)
        assert style.value == before == "chicago-notes-bibliography"
        await pilot.click("#fmt-md")
        app.screen.query_one("#out", Input).value = "oscola.md"
        style.focus()
        await burst(pilot, app, "ctrl+u", *"OSCO", "down", "down")
        listed = _listed(app)  # names starting with the letters first, then any that hold them
        assert listed[:3] == ["oscola", "oscola-journal-abbreviations", "oscola-no-ibid"]
        assert "applied-spectroscopy" in listed[3:]
        await burst(pilot, app, "enter")  # takes the highlighted style; the dialog stays
        assert isinstance(app.screen, ExportScreen)
        assert (style.value, _listed(app)) == ("oscola-no-ibid", [])
        await burst(pilot, app, "enter")  # the list closed: Enter exports
        await settle(pilot, app, lambda: app.last_export == folder / "oscola.md")
    brief = load_brief(app.draft.path)
    assert brief.style == before  # the brief keeps its own style
    wanted = export(brief, "md", folder / "wanted.md", style="oscola-no-ibid").path.read_text(encoding="utf-8")
    got = (folder / "oscola.md").read_text(encoding="utf-8")
    assert got == wanted
    assert got != export(brief, "md", folder / "own.md").path.read_text(encoding="utf-8")


async def test_words_of_a_title_filter_and_escape_closes_the_list_first(app: BriefkitApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await burst(pilot, app, "ctrl+e")
        app.screen.query_one("#style", Input).focus()
        await burst(pilot, app, "ctrl+u", *"apa style 7th annotated")
        assert _listed(app) == ["apa-annotated-bibliography"]
        await burst(pilot, app, "ctrl+u", *"zzqq")
        assert _listed(app) == [None]  # one line saying nothing matches
        await burst(pilot, app, "escape")
        assert isinstance(app.screen, ExportScreen) and _listed(app) == []
        await burst(pilot, app, "escape")
        assert not isinstance(app.screen, ExportScreen)


async def test_a_csl_file_typed_in_the_field_is_used_relative_to_the_briefs_folder(app: BriefkitApp) -> None:
    folder = app.draft.path.parent
    (folder / "house").mkdir()
    (folder / "house" / "ours.csl").write_bytes(resolve_style("oscola").read_bytes())
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await burst(pilot, app, "ctrl+e")
        await pilot.click("#fmt-md")
        app.screen.query_one("#out", Input).value = "house.md"
        app.screen.query_one("#style", Input).focus()
        await burst(pilot, app, "ctrl+u", *"house/ours.csl", "enter")  # nothing listed: Enter exports
        await settle(pilot, app, lambda: app.last_export == folder / "house.md")
    wanted = export(load_brief(app.draft.path), "md", folder / "wanted.md", style="oscola").path
    assert (folder / "house.md").read_text(encoding="utf-8") == wanted.read_text(encoding="utf-8")

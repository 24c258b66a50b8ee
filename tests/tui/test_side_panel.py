"""Layout: the side panel's tabs (drawn by TabStrip), resizing the terminal, the reader's scrollbar."""

from __future__ import annotations

from itertools import pairwise

import pytest
from driving import burst, ready, settle
from textual.widgets import TextArea

from briefkit.tui.app import BriefkitApp
from briefkit.tui.widgets.lazy_markdown import LazyMarkdown
from briefkit.tui.widgets.preview import Preview
from briefkit.tui.widgets.reader import Reader
from briefkit.tui.widgets.side import SidePanel, TabStrip


def _shown(app: BriefkitApp) -> list[str]:
    side = app.query_one(SidePanel)
    return [w.id or "" for w in side.children if not isinstance(w, TabStrip) and w.display]


async def test_tabs_switch_by_click_by_arrow_keys_and_by_function_key(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        side, strip = app.query_one(SidePanel), app.query_one(TabStrip)
        assert side.active == "prose" and _shown(app) == ["prose-editor"]
        # The problem counts are in the Problems label once the brief has been checked.
        assert side.label("problems").startswith("Problems ") and side.label("problems") != "Problems"

        # A click on a label shows its page; the preview renders when it is first shown.
        spans = {tab: (start, end) for tab, start, end, _ in strip.spans()}
        await pilot.click(TabStrip, offset=(spans["preview"][0] + 1, 0))
        await settle(pilot, app)
        assert side.active == "preview" and _shown(app) == ["preview-pane"]
        assert app.query_one(Preview).query_one(LazyMarkdown).blocks

        # Focused, left and right step through the tabs, wrapping around.
        strip.focus()
        await burst(pilot, app, "right", "right")
        assert side.active == "suggest" and _shown(app) == ["suggestions"]
        await burst(pilot, app, "right")
        assert side.active == "prose"
        await burst(pilot, app, "left")
        assert side.active == "suggest"

        await burst(pilot, app, "f5")
        assert side.active == "problems" and app.focused is app.query_one("#problems-list")

        # Every label is drawn whole, with the active one underlined.
        labels = strip.render_line(0).text
        assert all(side.label(tab) in labels for tab in ("prose", "preview", "problems", "suggest"))
        start, end = next((s, e) for tab, s, e, _ in strip.spans() if tab == "problems")
        bar = strip.render_line(1)
        lit = {seg.style.color for seg in bar.crop(start, end)}
        unlit = {seg.style.color for seg in bar.crop(end + 1, strip.size.width)}
        assert len(lit) == 1 and lit.isdisjoint(unlit)


async def test_labels_that_do_not_fit_with_padding_are_drawn_a_space_apart(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        strip = app.query_one(TabStrip)
        strip.set_label("problems", "Problems 12✗30!")  # 42 columns padded; the panel has fewer
        await pilot.pause()
        assert strip.size.width < sum(len(label) + 2 for label in strip.labels.values())
        spans = strip.spans()
        assert all(b[1] - a[2] == 1 for a, b in pairwise(spans))
        assert spans[-1][2] <= strip.size.width
        assert strip.render_line(0).text.split() == ["Prose", "Preview", "Problems", "12✗30!", "Suggest"]


async def test_labels_that_do_not_fit_a_space_apart_are_cut_short_longest_first(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        strip = app.query_one(TabStrip)
        strip.set_label("problems", "Problems 123✗456!")
        await pilot.pause()
        spans = strip.spans()
        assert spans[-1][2] <= strip.size.width
        texts = [text for _, _, _, text in spans]
        assert texts[:2] == ["Prose", "Preview"] and texts[3] == "Suggest"
        assert texts[2].startswith("Problems 1") and texts[2].endswith("…")
        assert strip.render_line(0).text.strip() == " ".join(texts)


async def test_pages_fill_the_panel_whatever_height_their_own_styles_give(app: BriefkitApp) -> None:
    """An OptionList is `height: auto` by its own default; as a page it takes the panel's height."""
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        side = app.query_one(SidePanel)
        await burst(pilot, app, "f5")
        problems = app.query_one("#problems-list")
        assert problems.size.height == side.content_region.height - 2  # all below the two tab lines
        with pytest.raises(KeyError):
            side.show("no-such-tab")
        assert side.active == "problems" and problems.display


async def test_resizing_below_the_wide_layout_shows_one_of_reader_and_tabs(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        reader, side = app.query_one(Reader), app.query_one(SidePanel)
        await burst(pilot, app, "f3")
        assert reader.display and side.display

        await pilot.resize_terminal(80, 24)
        await settle(pilot, app)
        assert side.display and not reader.display  # the tabs were asked for last
        assert app.query_one("#left").has_class("-narrow")
        assert app.focused is app.query_one("#prose-text", TextArea)

        await burst(pilot, app, "f2")
        assert reader.display and not side.display

        await pilot.resize_terminal(120, 40)
        await settle(pilot, app)
        assert reader.display and side.display and not app.query_one("#left").has_class("-narrow")


async def test_a_source_opened_deep_in_its_text_shows_the_scrollbar_where_the_reader_is(app: BriefkitApp) -> None:
    """Textual moves a scrollbar's thumb only while the bar shows; the reader scrolls to the
    passage before its bar first appears, which left the thumb at the top."""
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        source = app.library.source("fal-redlines")
        app.open_source("fal-redlines", len(source.text) // 2)
        reader = app.query_one(Reader)
        await settle(pilot, app, lambda: reader.source is not None)
        assert reader.scroll_y > 0
        assert reader.vertical_scrollbar.position == reader.scroll_y


async def test_a_render_that_arrives_while_the_preview_is_hidden_is_split_before_f4(app: BriefkitApp) -> None:
    """The first F4 after an edit shows blocks split ahead of time, at the preview's width, rather
    than splitting the whole preview then (over 100 ms for 5,000 citations)."""
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        document = app.query_one(Preview).query_one(LazyMarkdown)
        await burst(pilot, app, "f3", *"Zebra crossings")
        await settle(pilot, app, lambda: any("Zebra crossings" in block for block in document.blocks))
        assert app.query_one(SidePanel).active == "prose" and not app.query_one(Preview).display
        blocks = document.blocks

        await burst(pilot, app, "f4")
        await settle(pilot, app)
        assert document.blocks is blocks  # not split again
        assert document._width == document.text_width
        shown = [document.render_line(y).text for y in range(document.size.height)]
        first_words = document.blocks[0].lstrip("# ").split()[:2]
        assert " ".join(first_words) in "\n".join(shown)  # the first block is drawn


async def test_pages_not_shown_are_mounted_after_the_first_screen_or_when_first_shown() -> None:
    """The first screen composes only the first page; a tab asked for before `mount_pages`
    mounts every page, in order, and shows its own."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Panel(App[None]):
        def compose(self) -> ComposeResult:
            yield SidePanel([(tab, tab.title(), Static(tab, id=tab)) for tab in ("one", "two", "three")],
                            id="side")

    app = Panel()
    async with app.run_test(size=(80, 20)) as pilot:
        side = app.query_one(SidePanel)
        assert [w.id for w in side.children if not isinstance(w, TabStrip)] == ["one"]
        side.show("three")
        await pilot.pause()
        assert [w.id for w in side.children if not isinstance(w, TabStrip)] == ["one", "two", "three"]
        assert [w.id for w in side.children if not isinstance(w, TabStrip) and w.display] == ["three"]
        assert app.query_one("#three", Static).region.height > 0
        side.mount_pages()  # nothing left to mount: no page twice
        await pilot.pause()
        assert len(side.children) == 4


async def test_the_app_mounts_every_page_once_the_sources_are_on_screen(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await settle(pilot, app)
        pages = [w.id for w in app.query_one(SidePanel).children if not isinstance(w, TabStrip)]
        assert pages == ["prose-editor", "preview-pane", "problems-list", "suggestions", "review-list"]
        assert app.query_one("#template").options  # the templates reached the preview's chooser

"""Layout that uses the room and reads without colour (issue 15, item 5)."""

from __future__ import annotations

from pathlib import Path

from driving import burst, quick_app, ready, settle
from textual.widgets import Button, RadioButton

from briefkit.tui.app import BriefkitApp
from briefkit.tui.screens.cite import CiteScreen
from briefkit.tui.widgets.lazy_markdown import LazyMarkdown
from briefkit.tui.widgets.outline import Outline
from briefkit.tui.widgets.side import SidePanel, TabStrip
from briefkit.tui.widgets.tables import fit_tables

MATRIX = """\
## Evidence

| Source | Keep maximum pressure | Negotiate phased relief |
| :--- | :---: | :---: |
| A Twist in Caracas | +1 −1 |  |
| Redlines |  | +2 |

After."""


def test_a_table_too_wide_for_the_pane_is_laid_out_one_block_per_row() -> None:
    assert fit_tables(MATRIX, 120) == MATRIX  # it fits
    assert fit_tables(MATRIX, 40).split("\n") == [
        "## Evidence", "",
        "**A Twist in Caracas**", "", "- Keep maximum pressure: +1 −1", "",
        "**Redlines**", "", "- Negotiate phased relief: +2", "",
        "", "After."]


def test_a_table_of_narrow_columns_that_fits_stays_a_table_and_one_whose_frame_does_not_fit_stands_up() -> None:
    small = "| a | b | c |\n| --- | --- | --- |\n| 1 | 2 | 3 |"
    assert fit_tables(small, 40) == small  # columns under MIN_COLUMN, but 13 columns in all
    wide = "| " + " | ".join(f"h{i}" for i in range(14)) + " |\n|" + " --- |" * 14 + "\n| " + " | ".join(
        str(i) for i in range(14)) + " |"
    assert fit_tables(wide, 40).split("\n")[:4] == ["**0**", "", "- h1: 1", "- h2: 2"]  # its frame is 43 wide
    assert fit_tables(wide, 200) == wide


async def test_the_left_column_grows_with_the_terminal(sample_brief: Path) -> None:
    app = quick_app(sample_brief)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        assert app.query_one("#left").size.width == 34
        await pilot.resize_terminal(200, 50)
        await settle(pilot, app)
        assert app.query_one("#left").size.width == 44  # it stayed at 34
        await pilot.resize_terminal(80, 24)
        await settle(pilot, app)
        assert app.query_one("#left").size.width == 30


async def test_preview_headings_wrap_and_the_evidence_matrix_stands_up(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await burst(pilot, app, "f4")
        document = app.query_one(LazyMarkdown)
        await settle(pilot, app, lambda: bool(document.blocks))  # shown after the render
        heading = next(i for i, block in enumerate(document.blocks) if block.startswith("### Option 1"))
        lines = [line.text.strip() for line in document.lines_of(heading)]
        assert lines[0].startswith("Option 1") and len(lines) == 2 and lines[1]  # wrapped
        assert all(line.cell_length <= document.size.width for line in document.lines_of(heading))
        body = app.query_one("#preview-pane")._body
        assert "**Venezuela: Negotiations, Leverage, and U.S. Redlines**" in body
        assert not _tables(document)  # four position columns in 36: vertical
        await pilot.resize_terminal(400, 50)  # the panel is wide enough for the table now
        await settle(pilot, app, lambda: bool(_tables(document)))
        table = _tables(document)[0]
        texts = [line.text.strip() for line in document.lines_of(table)]
        assert any(text.startswith("Source ") and text.endswith("margins") for text in texts)  # a column each
        assert any(text.startswith("───") for text in texts)


def _tables(document: LazyMarkdown) -> list[int]:
    return [i for i, block in enumerate(document.blocks) if block.startswith("| ")]


async def test_stances_tab_labels_and_dialog_words_read_without_colour(app: BriefkitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        # The chosen stance has a filled dot, the others hollow ones; each says its glyph and word.
        outline = app.query_one(Outline)
        outline.focus()
        outline.select_id(f"c:{app.brief.positions[0].citations[-1].id}")  # an opposing quote
        await burst(pilot, app, "e")
        assert isinstance(app.screen, CiteScreen)
        buttons = list(app.screen.query(RadioButton))
        assert [str(b.render()) for b in buttons] == ["▐○▌ + supports ", "▐●▌ − opposes ", "▐○▌ ○ context "]
        # Editing a citation saves it; it does not cite.
        assert str(app.screen.query_one("#ok", Button).label) == "Save"
        await burst(pilot, app, "escape")

        # Five tabs (a Review tab beside these) and problem counts fit in 38 columns, uncut.
        strip = app.query_one(TabStrip)
        app.query_one(SidePanel).set_label("problems", "Problems ✗3 !12", "✗3 !12")
        strip.labels["review"] = "Review"
        strip.refresh()
        await pilot.pause()
        texts = [text.strip() for _, _, _, text in strip.spans()]
        assert texts == ["Prose", "Preview", "✗3 !12", "Suggest", "Review"]
        assert strip.spans()[-1][2] <= strip.size.width

        # ✎N is explained where it shows.
        assert "✎N" in str(app.query_one("#results").tooltip)

"""The preview's document: split into blocks cheaply, and only the blocks in view laid out."""

from __future__ import annotations

from textual.app import App, ComposeResult

from briefkit.tui.preview_blocks import LIST_CHUNK, Blocks, split_blocks
from briefkit.tui.widgets.lazy_markdown import LazyMarkdown


def test_blocks_split_at_blank_lines_but_not_inside_a_fence_or_before_an_indented_paragraph() -> None:
    markdown = "# Title\n\nFirst para\nstill first.\n\n```\ncode\n\nmore code\n```\n\n1. item\n\n    its second para\n\nLast."
    assert split_blocks(markdown) == [
        ("# Title", True), ("First para\nstill first.", True), ("```\ncode\n\nmore code\n```", True),
        ("1. item\n\n    its second para", True), ("Last.", True)]


def test_a_long_list_is_split_every_few_items_with_no_gap_between_the_parts() -> None:
    notes = "\n".join(f"{n}. Note number {n}." for n in range(1, 26))
    blocks = split_blocks(f"Notes\n\n{notes}\n\nAfter.")
    assert [spaced for _, spaced in blocks] == [True, False, False, True, True]
    assert blocks[2][0].startswith(f"{LIST_CHUNK * 2 - LIST_CHUNK + 1}. ") and blocks[3][0].endswith("Note number 25.")
    # A paragraph that happens to start with a number is not a list, however long.
    paragraph = "\n".join(f"{2000 + n}. was a year" if n else "In" for n in range(30))
    assert split_blocks(paragraph) == [(paragraph, True)]


class _One(App[None]):
    def compose(self) -> ComposeResult:
        yield LazyMarkdown()


async def test_a_long_document_is_laid_out_only_where_it_is_seen() -> None:
    paragraphs = [f"> Quote number {n}, long enough to wrap over a few lines of the pane.¹" for n in range(5000)]
    markdown = "# A brief\n\n" + "\n\n".join(paragraphs) + "\n\n" + "\n".join(f"{n}. A note." for n in range(1, 5001))
    app = _One()
    async with app.run_test(size=(60, 20)) as pilot:
        document = app.query_one(LazyMarkdown)
        document.show(Blocks.of(markdown, document.text_width))
        await pilot.pause()
        assert len(document._laid) < 10  # the first screen's blocks
        assert "A brief" in document.render_line(1).text
        document.focus()
        await pilot.press("end")
        await pilot.pause()
        assert len(document._laid) < 20
        shown = [document.render_line(y).text for y in range(document.size.height)]
        assert shown[-2].split() == ["5000", "A", "note."], shown  # the end (and its gap), numbered as one list
        await pilot.press("home")
        await pilot.pause()
        assert "A brief" in document.render_line(1).text


class _Hidden(App[None]):
    CSS = "LazyMarkdown { display: none; height: 18; }"

    def compose(self) -> ComposeResult:
        yield LazyMarkdown()


async def test_blocks_laid_out_while_hidden_are_the_ones_shown_and_showing_changes_no_height() -> None:
    """A hidden preview renders the blocks its view will show (`lay_out_hidden`), so that the
    F4 that shows it lays the screen out once: a height that changed on showing took a second
    layout of the whole screen."""
    markdown = "# A brief\n\n" + "\n\n".join(f"> Quote number {n}, long enough to wrap over a few lines."
                                             for n in range(300))
    app = _Hidden()
    async with app.run_test(size=(60, 24)) as pilot:
        document = app.query_one(LazyMarkdown)
        width = document.text_width_at(60)
        document.show(Blocks.of(markdown, width))
        assert not document._laid  # hidden, with no height to fill: nothing rendered yet
        document.lay_out_hidden(18)
        laid = set(document._laid)
        assert 3 <= len(laid) < 15 and document.blocks[0] in laid
        height = document.virtual_size.height
        document.display = True
        await pilot.pause()
        assert document.text_width == width and document.size.height == 18
        assert set(document._laid) == laid and document.virtual_size.height == height
        assert "A brief" in document.render_line(1).text

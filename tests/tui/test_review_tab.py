"""The Review tab lists the brief's review entries; Enter jumps to the element, `x` resolves, `r`
replies, and each change is saved by the merge-aware rules (nothing another writer added is lost)."""

from __future__ import annotations

from pathlib import Path

from driving import burst, quick_app, ready, settle
from textual.pilot import Pilot

from briefkit.brief.model import Reply, ReviewItem
from briefkit.brief.revisions import update_brief
from briefkit.brief.store import load_brief, save_brief
from briefkit.tui.app import BriefkitApp
from briefkit.tui.widgets.problems import ProblemsList
from briefkit.tui.widgets.prose import ProseEditor
from briefkit.tui.widgets.reader import Reader
from briefkit.tui.widgets.review import ReviewList
from briefkit.tui.widgets.side import SidePanel, TabStrip

WHEN = "2026-12-01T09:30:00Z"


def with_review(brief_path: Path) -> Path:
    brief = load_brief(brief_path)
    brief.review = [
        ReviewItem(id="word-a", author="Dana Director", date=WHEN, element="sections.summary",
                   quoted="has not produced a transition", text="Too strong?"),
        ReviewItem(id="word-b", author="Dana Director", date=WHEN, element="positions.pressure.title",
                   text="Who still argues this?", status="resolved"),
        ReviewItem(id="word-q-c", kind="quote-change", author="Colin Colleague", date=WHEN,
                   element="citations.fal-snapback.quote", quoted="Washington should prepare",
                   text="Washington must prepare"),
    ]
    save_brief(brief)
    return brief_path


async def on_entry(pilot: Pilot, app: BriefkitApp, index: int) -> ReviewList:
    """The Review tab shown and focused, with entry `index` highlighted."""
    await burst(pilot, app, "f8")
    review = app.query_one(ReviewList)
    review.focus()
    review.highlighted = index
    return review


def stored(brief_path: Path, item_id: str) -> ReviewItem:
    return next(item for item in load_brief(brief_path).review if item.id == item_id)


async def test_the_tab_lists_open_entries_first_and_counts_them(sample_brief: Path) -> None:
    app = quick_app(with_review(sample_brief))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await burst(pilot, app, "f8")
        review = app.query_one(ReviewList)
        assert app.query_one(SidePanel).active == "review"
        assert [item.id for item in review.items] == ["word-a", "word-q-c", "word-b"]
        assert app.query_one(SidePanel).label("review") == "Review 2"
        shown = [str(review.get_option_at_index(i).prompt) for i in range(review.option_count)]
        assert shown[0].startswith("● section “summary” · Dana Director, 2026-12-01")
        assert "Too strong?" in shown[0] and "on “has not produced a transition”" in shown[0]
        assert shown[1].startswith("✗ quote of citation fal-snapback · Colin Colleague")
        assert "the reviewer changed the quote: Washington [-should-]{+must+} prepare" in shown[1]
        assert "resolved" in shown[2]
        problems = app.query_one(ProblemsList).findings  # the refused quote change is a problem too
        (changed,) = [f for f in problems if f.code == "quote-changed-in-review"]
        assert changed.citation == "fal-snapback" and "the source reads “Washington should prepare" in changed.message


async def test_x_resolves_and_the_file_says_so_keeping_a_reply_written_meanwhile(sample_brief: Path) -> None:
    app = quick_app(with_review(sample_brief))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)

        def other_writer(brief):  # type: ignore[no-untyped-def]
            next(i for i in brief.review if i.id == "word-a").replies.append(
                Reply("Colin Colleague", "2026-12-02T10:00:00Z", "I agree with Dana."))
            return True

        update_brief(sample_brief, other_writer)  # another briefkit (an import) saves meanwhile
        review = await on_entry(pilot, app, 0)
        await burst(pilot, app, "x")
        await settle(pilot, app, lambda: stored(sample_brief, "word-a").status == "resolved")
        entry = stored(sample_brief, "word-a")
        assert [r.text for r in entry.replies] == ["I agree with Dana."]
        assert app.query_one(SidePanel).label("review") == "Review 1"
        review.highlighted = next(i for i, item in enumerate(review.items) if item.id == "word-a")
        await burst(pilot, app, "x")  # reopen
        await settle(pilot, app, lambda: stored(sample_brief, "word-a").status == "open")


async def test_r_replies_as_the_brief_author_and_saves(sample_brief: Path) -> None:
    app = quick_app(with_review(sample_brief))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await on_entry(pilot, app, 0)
        await burst(pilot, app, "r")
        await burst(pilot, app, *"Softened it.", "enter")
        await settle(pilot, app, lambda: bool(stored(sample_brief, "word-a").replies))
    (answer,) = stored(sample_brief, "word-a").replies
    assert (answer.author, answer.text) == ("A. Analyst", "Softened it.")
    assert answer.date.endswith("Z") and len(answer.date) == 20


async def test_enter_jumps_to_the_section_and_to_the_quote_in_its_source(sample_brief: Path) -> None:
    app = quick_app(with_review(sample_brief))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await on_entry(pilot, app, 0)
        await burst(pilot, app, "enter")
        assert app.query_one(SidePanel).active == "prose"
        assert app.query_one(ProseEditor).section == "summary"
        await on_entry(pilot, app, 1)
        await burst(pilot, app, "enter")
        reader = app.query_one(Reader)
        await settle(pilot, app, lambda: reader.source is not None)
        assert reader.source is not None and reader.source.id == "fal-redlines"


async def test_the_tab_is_hidden_until_the_brief_has_review_entries(sample_brief: Path) -> None:
    app = quick_app(sample_brief)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        strip = app.query_one(TabStrip)
        assert "review" not in [tab for tab, *_ in strip.spans()]
        with_review(sample_brief)  # an import from the command line, while the TUI is open
        await settle(pilot, app, lambda: "review" in [tab for tab, *_ in strip.spans()])
        assert app.query_one(SidePanel).label("review") == "Review 2"

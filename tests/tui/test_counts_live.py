"""Word counts live in the prose editor, against the template's budgets; over a budget is a problem."""

from __future__ import annotations

from pathlib import Path

from driving import burst, quick_app, ready, settle
from textual.widgets import Static, TextArea

from briefkit.brief.counts import count_words
from briefkit.brief.store import load_brief
from briefkit.tui.widgets.problems import ProblemsList

HOUSE = """{#- briefkit-template
title: House
sections: [summary, background]
budgets: {summary: {max_words: BUDGET}, max_words: 2000}
checks: {evidence-for-and-against: on}
-#}
## Summary

{{ sections.summary }}
"""


async def test_counts_follow_typing_and_a_budget_exceeded_is_a_problem(sample_brief: Path) -> None:
    (sample_brief.parent / "templates").mkdir()
    words = count_words(load_brief(sample_brief).sections["summary"])
    (sample_brief.parent / "templates" / "house.md.j2").write_text(HOUSE.replace("BUDGET", str(words + 2)),
                                                                  encoding="utf-8")
    text = sample_brief.read_text(encoding="utf-8")
    sample_brief.write_text(text.replace("sections:\n", "template: house\nsections:\n", 1), encoding="utf-8")
    app = quick_app(sample_brief)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        count = app.query_one("#prose-count", Static)
        await burst(pilot, app, "f3", "ctrl+end")
        assert str(count.render()).startswith(f"{words}/{words + 2} words · brief: ")
        assert "about" in str(count.render()) and "/2000 words" in str(count.render())
        assert not count.has_class("over")
        problems = app.query_one(ProblemsList)
        assert not [f for f in app.report.findings if f.code == "budget"]  # type: ignore[union-attr]

        # Three more words, typed in a burst: the count follows them.
        await burst(pilot, app, "O", "n", "e", " ", "t", "w", "o", " ", "x")
        assert app.query_one("#prose-text", TextArea).text.endswith("\nOne two x")
        assert str(count.render()).startswith(f"{words + 3}/{words + 2} words · over budget · brief: ")
        assert count.has_class("over")
        await settle(pilot, app, lambda: any(f.code == "budget" for f in app.report.findings))  # type: ignore[union-attr]
        budget = [f for f in app.report.findings if f.code == "budget"]  # type: ignore[union-attr]
        assert [f.message for f in budget] == [
            f"section 'summary' has {words + 3} words, over its budget of {words + 2} (template 'house')"]
        assert problems.findings == app.report.findings  # type: ignore[union-attr]


async def test_a_template_with_copies_is_measured_as_the_principals_copy(sample_brief: Path) -> None:
    from briefkit.brief.check import library_for
    from briefkit.render.template_checks import measure_rendered
    from briefkit.render.templates import Templates

    brief = load_brief(sample_brief)
    info = Templates(sample_brief.parent).get(brief.template)
    assert info.copies is not None  # the preview shows the reviewer's copy
    principal = measure_rendered(brief, library_for(brief), info)
    assert principal is not None
    app = quick_app(sample_brief)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await burst(pilot, app, "f3")
        shown = str(app.query_one("#prose-count", Static).render())
        words = count_words(brief.sections["summary"])
        assert shown == f"{words} words · brief: {principal.words} words, about {principal.pages:.1f} pages"

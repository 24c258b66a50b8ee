"""The problems list draws only the findings in view, however many there are."""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult

from briefkit.brief.check import Finding
from briefkit.tui.widgets.problems import ProblemsList


class _One(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.jumps: list[Finding] = []

    def compose(self) -> ComposeResult:
        yield ProblemsList()

    @on(ProblemsList.JumpRequested)
    def _jump(self, event: ProblemsList.JumpRequested) -> None:
        self.jumps.append(event.finding)


async def test_five_thousand_findings_are_listed_drawing_only_those_in_view() -> None:
    findings = [Finding("error", "orphaned-quote", f"citation c{i}: the quote is no longer in its source, "
                        "which was replaced by a newer version of the report", citation=f"c{i}") for i in range(5000)]
    findings[1] = Finding("warning", "needs-review", "citation c1 needs review", citation="c1",
                          recorded="before [the quote] after", found="before [the quote, changed] after")
    app = _One()
    async with app.run_test(size=(50, 20)) as pilot:
        problems = app.query_one(ProblemsList)
        problems.show(findings)
        problems.focus()
        await pilot.pause()
        assert len(problems._drawn) < 15
        shown = [problems.render_line(y).text for y in range(problems.size.height)]
        assert shown[0].startswith("✗ citation c0:") and any("recorded:" in line for line in shown)
        assert any("a accepts the new place" in line for line in shown)

        await pilot.press("end")
        assert problems.highlighted == 4999 and len(problems._drawn) < 30
        shown = [problems.render_line(y).text for y in range(problems.size.height)]
        assert any("citation c4999:" in line for line in shown)
        await pilot.press("up", "enter")
        assert app.jumps == [findings[4998]]

        problems.show([])
        await pilot.pause()
        assert problems.render_line(0).text.startswith("No problems found.")

"""A quote that needs review after its source changed is shown with both contexts in Problems,
and `a` there accepts its new place: re-anchored, saved, verified."""

from __future__ import annotations

from pathlib import Path

from driving import burst, quick_app, ready, settle

from briefkit.brief.anchoring import verify
from briefkit.brief.store import load_brief
from briefkit.library.library import Library
from briefkit.tui.widgets.problems import ProblemsList


def _change_around(sample_dir: Path, citation: str) -> str:
    """Rewrite the words next to the cited quote on both sides, in the source file itself."""
    found = load_brief(sample_dir / "venezuela.brief.yaml").find_citation(citation)
    assert found is not None
    quote = found[1].anchor.quote
    entry = Library.open(sample_dir).entry(found[1].source)
    text = entry.file.read_text(encoding="utf-8")
    assert text.count(quote) == 1
    entry.file.write_text(text.replace(quote, f"(As one analyst wrote: {quote} So it goes.)"), encoding="utf-8")
    return quote


async def test_a_quote_under_review_is_accepted_from_the_problems_list(sample_dir: Path) -> None:
    brief_path = sample_dir / "venezuela.brief.yaml"
    quote = _change_around(sample_dir, "smilde-failed")
    app = quick_app(brief_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        problems = app.query_one(ProblemsList)
        await settle(pilot, app, lambda: any(f.code == "needs-review" for f in problems.findings))
        finding = next(f for f in problems.findings if f.code == "needs-review")
        assert finding.citation == "smilde-failed"
        assert "[" in finding.recorded and "As one analyst wrote: [" in finding.found
        await burst(pilot, app, "f5")
        problems.focus()
        problems.highlighted = problems.findings.index(finding)
        await burst(pilot, app, "a")
        await settle(pilot, app, lambda: not any(f.code == "needs-review" for f in problems.findings))
    found = load_brief(brief_path).find_citation("smilde-failed")
    assert found is not None
    anchor = found[1].anchor
    text = Library.open(sample_dir).source("smilde-max-pressure").text
    assert anchor.quote == quote and anchor.prefix.endswith("As one analyst wrote: ")
    assert verify(anchor, text).status == "ok"

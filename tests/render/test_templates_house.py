"""The house templates follow their conventions: each shipped template declares its budgets,
checks and copies, and prints the parts its convention puts first."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefkit.brief.store import load_brief
from briefkit.render.export import render_brief
from briefkit.render.templates import Templates

HOUSE = ("action-memo", "submission", "policy-brief")


def headings(markdown: str) -> list[str]:
    return [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("## ")]


@pytest.mark.parametrize("name", [i.name for i in Templates().list() if i.origin == "shipped"])
def test_every_shipped_template_declares_its_copies(name: str) -> None:
    info = Templates().get(name)
    assert info.copies is not None
    assert {"notes", "register", "hashes"} <= info.copies["reviewer"]
    assert not {"notes", "register", "hashes"} & info.copies["principal"]


@pytest.mark.parametrize("name", HOUSE)
def test_house_templates_have_budgets_and_checks(name: str) -> None:
    info = Templates().get(name)
    assert info.budgets.pages is not None
    assert "evidence-for-recommendation" in info.checks and "evidence-for-and-against" in info.checks


def test_the_action_memo_leads_with_bluf_then_that_you_with_decision_lines(sample_brief: Path) -> None:
    info = Templates().get("action-memo")
    assert info.budgets.sections["summary"].max_lines == 4 and info.budgets.pages == 2
    markdown = render_brief(load_brief(sample_brief), template="action-memo", copy="principal").markdown
    assert markdown.startswith("**BLUF:** Maximum pressure")
    assert headings(markdown)[:2] == ["Recommendation", "Background"]
    recommendation = markdown.split("## Recommendation", 1)[1].split("## Background", 1)[0]
    assert recommendation.strip().startswith("That you approve")
    assert "(Approve / Disapprove by 30 November 2026)" in recommendation
    labels = [line.split(" \\_")[0] for line in recommendation.splitlines() if "\\_\\_\\_" in line]
    assert labels == ["Approve", "Disapprove", "Discuss"]


def test_the_submission_runs_issue_to_presentation_in_the_whitehall_order(sample_brief: Path) -> None:
    markdown = render_brief(load_brief(sample_brief), template="submission", copy="principal").markdown
    assert headings(markdown) == ["Issue", "Recommendation", "Timing", "Background", "Argument", "Presentation"]


def test_the_policy_brief_has_findings_first_and_the_author_last(sample_brief: Path) -> None:
    brief = load_brief(sample_brief)
    markdown = render_brief(brief, template="policy-brief", copy="principal").markdown
    order = headings(markdown)
    assert order[0] == "Key findings" and order[-1] == "About the author"
    assert {"Analysis", "Recommendations"} <= set(order)
    del brief.sections["about-author"]
    fallback = render_brief(brief, template="policy-brief", copy="principal").markdown
    assert fallback.rstrip().endswith("A. Analyst, Western Hemisphere Policy Unit.")


@pytest.mark.parametrize("name", HOUSE)
def test_the_bibliography_comes_before_the_reviewers_register(sample_brief: Path, name: str) -> None:
    markdown = render_brief(load_brief(sample_brief), template=name, copy="reviewer").markdown
    assert markdown.index("::: {#refs}") < markdown.index("## Annex: evidence register")

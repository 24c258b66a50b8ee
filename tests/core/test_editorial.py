"""Editorial rules, each named, switched on and set by a template's `checks:` header."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from house_template import write_template

from briefkit.brief.editorial import RULES, editorial_findings
from briefkit.brief.model import Brief
from briefkit.brief.store import load_brief
from briefkit.errors import TemplateError
from briefkit.library.library import Library
from briefkit.render.templates import Templates


def on(rule: str, **params: Any) -> dict[str, dict[str, Any]]:
    return {rule: {**RULES[rule], **params}}


def codes(brief: Brief, settings: dict[str, dict[str, Any]], expected: tuple[str, ...] = ()) -> list[str]:
    library = Library.open(brief.library_dir())
    return [f.message for f in editorial_findings(brief, library, settings, template="house",
                                                  expected_sections=expected)]


@pytest.fixture
def brief(sample_brief: Path) -> Brief:
    return load_brief(sample_brief)


def test_the_sample_brief_passes_every_rule_but_its_one_old_source(brief: Brief) -> None:
    every = {name: dict(params) for name, params in RULES.items()}
    messages = codes(brief, every, ("summary", "background", "recommendation"))
    assert messages == [("source 'fal-redlines' is from 2021-08-06, more than 5 years before the brief "
                        "(3 citation(s)) (rule source-age)")]


def test_an_empty_expected_section_is_named_with_its_template(brief: Brief) -> None:
    brief.sections["background"] = "  \n"
    assert codes(brief, on("expected-sections"), ("summary", "background", "risks")) == [
        "section 'background' is empty: template 'house' expects it (rule expected-sections)",
        "section 'risks' is empty: template 'house' expects it (rule expected-sections)",
    ]
    assert codes(brief, {}, ("summary", "background")) == []  # the rule off


def test_each_recommendation_paragraph_or_item_must_cite(brief: Brief) -> None:
    brief.sections["recommendation"] += "\n4. Name an envoy.\n\nWe should act now, before the talks resume.\n"
    messages = codes(brief, on("evidence-for-recommendation"))
    assert messages == [
        ("section 'recommendation': a recommendation cites no evidence (“Name an envoy.”) "
        "(rule evidence-for-recommendation)"),
        ("section 'recommendation': a recommendation cites no evidence (“We should act now, before the …”) "
        "(rule evidence-for-recommendation)"),
    ]
    brief.sections["decision"] = "Approve the plan."
    assert len(codes(brief, on("evidence-for-recommendation", sections=["decision"]))) == 1


def test_every_option_needs_evidence_for_and_against(brief: Brief) -> None:
    brief.positions[0].citations = [c for c in brief.positions[0].citations if c.stance != "opposes"]
    brief.positions[1].citations = [c for c in brief.positions[1].citations if c.stance != "supports"]
    assert codes(brief, on("evidence-for-and-against")) == [
        "position 'pressure' has no evidence against (rule evidence-for-and-against)",
        f"position '{brief.positions[1].id}' has no evidence for (rule evidence-for-and-against)",
    ]


def test_an_options_memo_weighs_two_options_one_of_them_the_status_quo(brief: Brief) -> None:
    assert codes(brief, on("options-with-status-quo")) == []  # "Keep maximum pressure, ..."
    brief.positions[0].title = "Tighten sanctions further"
    assert codes(brief, on("options-with-status-quo")) == [
        ("no option is the status quo (a title with “status quo”, “current policy”, “current course”, "
        "“stay the course”, …) (rule options-with-status-quo)")]
    assert codes(brief, on("options-with-status-quo", status_quo=["tighten"])) == []
    brief.positions[1:] = []
    assert codes(brief, on("options-with-status-quo", status_quo=["tighten"])) == [
        "1 option(s): template 'house' weighs at least 2 (rule options-with-status-quo)"]


def test_sources_older_than_the_set_age_before_the_briefs_date_are_flagged(brief: Brief) -> None:
    assert codes(brief, on("source-age", max_years=6)) == []
    brief.date = "2026-08-01"  # fal-redlines (2021-08-06) is then just under five years old
    assert codes(brief, on("source-age")) == []
    brief.date = ""  # no date: today
    library = Library.open(brief.library_dir())
    assert editorial_findings(brief, library, on("source-age"), template="house", today=dt.date(2021, 9, 1)) == []
    assert len(editorial_findings(brief, library, on("source-age"), template="house",
                                  today=dt.date(2031, 9, 1))) == 1


def test_too_large_a_share_from_one_source_or_one_publisher_is_flagged(brief: Brief) -> None:
    assert codes(brief, on("source-concentration")) == []  # 15 citations, 3 from each of 5 sources
    moved = [c for _, c in brief.citations() if c.source == "rs-back-burner"]
    for cite in moved:
        cite.source = "fal-redlines"  # 6 of 15 now
    assert codes(brief, on("source-concentration", max_share=0.35)) == [
        "6 of 15 citations (40%) come from source 'fal-redlines', more than 35% (rule source-concentration)"]
    # Two sources put out by one publisher count together as it: 6 + 3 of 15.
    library = Library.open(brief.library_dir())
    for source in ("fal-redlines", "crisisgroup-reboot"):
        library.entries[source].csl["publisher"] = "One Press"
    found = editorial_findings(brief, library, on("source-concentration"), template="house")
    assert [f.message for f in found] == [
        "9 of 15 citations (60%) come from publisher 'One Press', more than 50% (rule source-concentration)"]
    assert editorial_findings(brief, library, on("source-concentration", min_citations=16),
                              template="house") == []  # too few citations to judge


def test_a_templates_checks_switch_rules_and_set_parameters(sample_dir: Path) -> None:
    write_template(sample_dir, "checks: {expected-sections: off, source-age: {max_years: 3}, "
                   "evidence-for-and-against: on}")
    checks = Templates(sample_dir).get("house").checks
    assert dict(checks) == {"source-age": {"max_years": 3}, "evidence-for-and-against": {}}
    write_template(sample_dir, "description: no checks named")
    assert dict(Templates(sample_dir).get("house").checks) == {"expected-sections": {}}  # the default


@pytest.mark.parametrize("header, field, says", [
    ("checks: {source-ages: on}", "checks.source-ages", "unknown rule 'source-ages' (rules: expected-sections,"),
    ("checks: {source-age: {years: 3}}", "checks.source-age.years", "has no parameter 'years' (parameters: max_years)"),
    ("checks: {source-age: {max_years: 0}}", "checks.source-age.max_years", "whole number above 0"),
    ("checks: {source-concentration: {max_share: x}}", "checks.source-concentration.max_share", "number above 0"),
    ("checks: {options-with-status-quo: {status_quo: keep}}", "checks.options-with-status-quo.status_quo",
     "list of words"),
    ("checks: {source-age: maybe}", "checks.source-age", "on, off or a mapping"),
])
def test_a_bad_check_names_the_template_file_line_and_field(sample_dir: Path, header: str, field: str,
                                                            says: str) -> None:
    path = write_template(sample_dir, header)
    with pytest.raises(TemplateError) as caught:
        Templates(sample_dir).get("house")
    assert (caught.value.path, caught.value.line, caught.value.field) == (path, 4, field)
    assert says in caught.value.message

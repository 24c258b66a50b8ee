"""Budgets and editorial checks on the command line: `summary` counts, `check` findings, export warnings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from house_template import write_template

from briefkit.brief.store import load_brief
from briefkit.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def use_template(brief: Path, name: str) -> None:
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text.replace("sections:\n", f"template: {name}\nsections:\n", 1), encoding="utf-8")


def test_summary_counts_words_per_section_and_the_whole_brief_against_budgets(
        capsys: pytest.CaptureFixture[str], sample_brief: Path) -> None:
    write_template(sample_brief.parent, "budgets: {summary: {max_words: 60}, background: {max_words: 150}, "
                   "pages: 1}")
    use_template(sample_brief, "house")
    status, out, _ = run(capsys, "summary", str(sample_brief))
    assert status == 0
    assert re.search(r"^Length \(template house\): \d+ words \(and \d+ in notes\), about \d\.\d/1 pages$", out, re.MULTILINE)
    assert re.search(r"^  summary +68/60 words  over budget$", out, re.MULTILINE)
    assert re.search(r"^  background +76/150 words$", out, re.MULTILINE)
    assert re.search(r"^  outlook +29 words$", out, re.MULTILINE)


def test_summary_of_the_sample_says_its_length(capsys: pytest.CaptureFixture[str], sample_brief: Path) -> None:
    status, out, _ = run(capsys, "summary", str(sample_brief))
    assert status == 0
    assert re.search(r"^Length \(template options-memo\): \d+ words \(and \d+ in notes\), about \d\.\d pages$",
                     out, re.MULTILINE)
    assert re.search(r"^  recommendation +83 words$", out, re.MULTILINE)


def test_check_raises_budgets_and_the_templates_rules_as_named_warnings(
        capsys: pytest.CaptureFixture[str], sample_brief: Path) -> None:
    write_template(sample_brief.parent, "budgets: {summary: {max_words: 60, max_lines: 2}, max_words: 50}\n"
                   "checks: {source-age: {max_years: 3}, evidence-for-and-against: on}")
    use_template(sample_brief, "house")
    status, out, _ = run(capsys, "check", str(sample_brief), "--json")
    assert status == 0  # warnings only
    found = {(f["code"], f["message"]) for f in json.loads(out)["findings"]}
    assert ("budget", ("section 'summary' has 68 words, over its budget of 60; about 6 printed lines, over its "
            "budget of 2 (template 'house')")) in found
    assert any(code == "budget" and re.fullmatch(r"the brief has \d+ words, over the budget of 50 \(template "
                                                 r"'house'\)", message) for code, message in found)
    assert ("source-age", ("source 'fal-redlines' is from 2021-08-06, more than 3 years before the brief "
            "(3 citation(s)) (rule source-age)")) in found


def test_an_unknown_template_leaves_check_working_and_says_its_checks_were_skipped(
        capsys: pytest.CaptureFixture[str], sample_brief: Path) -> None:
    use_template(sample_brief, "no-such-template")
    status, out, _ = run(capsys, "check", str(sample_brief))
    assert status == 0
    assert re.search(r"venezuela\.brief\.yaml:\d+: warning: .*unknown template 'no-such-template'.*: budgets "
                     r"and editorial checks skipped", out)


def test_export_warns_of_an_empty_expected_section_naming_the_template(
        capsys: pytest.CaptureFixture[str], sample_brief: Path) -> None:
    brief = load_brief(sample_brief)
    text = sample_brief.read_text(encoding="utf-8")
    sample_brief.write_text(text.replace(brief.sections["background"].rstrip("\n"), "", 1).replace(
        "background: |\n", "background: ''\n", 1), encoding="utf-8")
    assert not load_brief(sample_brief).sections["background"]
    status, out, err = run(capsys, "export", str(sample_brief), "--to", "md", "-o", str(sample_brief.parent / "b.md"))
    assert status == 0 and out.startswith("wrote ")
    assert re.fullmatch(r"briefkit: warning: \S+venezuela\.brief\.yaml:\d+: section 'background' is empty: "
                        r"template 'options-memo' expects it \(rule expected-sections\)\n", err)
    status, _, err = run(capsys, "check", str(sample_brief))
    assert status == 0


def test_templates_show_names_the_rules_a_template_switches_on(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "templates", "show", "options-memo")
    assert status == 0
    assert "\n# editorial rules on: expected-sections, evidence-for-and-against, options-with-status-quo\n" in out

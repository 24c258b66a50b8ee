"""Word and line counts of prose, one rule everywhere; budgets read from a template's header."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from house_template import write_template

from briefkit.brief.counts import (
    CHARS_PER_LINE,
    SectionBudget,
    SectionLength,
    count_words,
    plain_text,
    printed_lines,
    prose_words,
)
from briefkit.brief.model import CITATION
from briefkit.brief.store import load_brief
from briefkit.errors import TemplateError
from briefkit.render.page_estimate import PageGeometry
from briefkit.render.templates import Templates


def test_citation_references_markup_and_link_targets_are_not_words() -> None:
    text = "Pursue **phased relief** [@cg-electoral; @smilde-relief], as [Crisis Group](https://x.org/a) says."
    assert plain_text(text) == "Pursue phased relief, as Crisis Group says."
    assert count_words(text) == 7


def test_dashes_separate_words_and_list_numbers_and_headings_marks_are_not_words() -> None:
    text = "## Two steps\n\n1. Offer relief—reversible relief.\n2. Write a snapback – always.\n\nU.S. 2024 — done."
    assert count_words(text) == 2 + 4 + 4 + 3


def test_a_wrapped_list_item_is_one_paragraph() -> None:
    text = "1. Write a snapback\n   clause into every licence.\n2. Coordinate."
    assert plain_text(text).splitlines() == ["Write a snapback clause into every licence.", "Coordinate."]


def test_printed_lines_wrap_each_paragraph_at_word_boundaries() -> None:
    assert printed_lines("", 80) == 0
    assert printed_lines("one two three", 9) == 2  # "one two" / "three"
    assert printed_lines("a\n\nb", 80) == 2
    assert printed_lines(" ".join(["word"] * 40), 80) == 3  # 199 characters at 80 a line


def test_the_line_width_budgets_count_is_the_page_estimates() -> None:
    geometry = PageGeometry()
    assert CHARS_PER_LINE == int(geometry.width / (11.0 * geometry.char_em))


def test_section_length_reads_as_count_over_budget() -> None:
    length = SectionLength.of("summary", " ".join(["word"] * 112), SectionBudget(max_words=150))
    assert length.shown() == "112/150 words"
    assert length.over() == []
    over = SectionLength.of("summary", " ".join(["word"] * 160), SectionBudget(max_words=150, max_lines=1))
    assert over.shown() == "160/150 words, 10/1 lines"
    assert over.over() == ["160 words, over its budget of 150", "about 10 printed lines, over its budget of 1"]
    assert SectionLength.of("outlook", "Two words.", SectionBudget()).shown() == "2 words"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_word_counts_of_the_sample_sections_agree_with_pandocs_plain_text(sample_brief: Path) -> None:
    brief = load_brief(sample_brief)
    for name, text in brief.sections.items():
        plain = subprocess.run(["pandoc", "-f", "markdown", "-t", "plain", "--wrap=none"],
                               input=CITATION.sub("", text), capture_output=True, text=True, check=True).stdout
        plain = re.sub(r"^\d+\.\s", "", plain, flags=re.MULTILINE)  # pandoc keeps list numbers
        oracle = sum(1 for w in re.split(r"[\s\u2013\u2014]+", plain) if re.search(r"[^\W_]", w))
        assert count_words(text) == oracle, name
    assert prose_words(brief) > sum(count_words(t) for t in brief.sections.values())


def test_a_templates_budgets_are_read_from_its_header(sample_dir: Path) -> None:
    write_template(sample_dir, "budgets: {summary: {max_words: 150}, bottom-line: {max_lines: 4}, "
                   "pages: 2, max_words: 1500}")
    info = Templates(sample_dir).get("house")
    assert info.budgets.sections == {"summary": SectionBudget(max_words=150),
                                     "bottom-line": SectionBudget(max_lines=4)}
    assert (info.budgets.pages, info.budgets.max_words) == (2, 1500)


@pytest.mark.parametrize("header, field", [
    ("budgets: {summary: {max_words: 0}}", "budgets.summary.max_words"),
    ("budgets: {summary: {max_words: 1.5}}", "budgets.summary.max_words"),
    ("budgets: {summary: 150}", "budgets.summary"),
    ("budgets: {summary: {words: 150}}", "budgets.summary"),
    ("budgets: {pages: two}", "budgets.pages"),
    ("budgets: [summary]", "budgets"),
])
def test_a_bad_budget_names_the_template_file_line_and_field(sample_dir: Path, header: str, field: str) -> None:
    path = write_template(sample_dir, "\n" + header)
    with pytest.raises(TemplateError) as caught:
        Templates(sample_dir).get("house")
    assert (caught.value.path, caught.value.line, caught.value.field) == (path, 5, field)

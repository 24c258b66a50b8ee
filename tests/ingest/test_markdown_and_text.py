"""Markdown without its markup (front matter as metadata, a table row a paragraph, footnotes as
paragraphs without markers) and text files whose opening lines give title, author and date."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefkit.library.additions import add_sources
from briefkit.library.ingest.markdown import markdown_to_text
from briefkit.library.ingest.text import text_head_metadata
from briefkit.library.library import Library

Files = Callable[[str, bytes | str], Path]

NOTE = """---
title: "Field notes: Caracas"
author: Ana Pérez
date: 2025-06-03
---

# Field notes

The mission met officials.[^1] Talks resumed in May.[^n]

| Party | Seats |
|---|---|
| Unity | 12 |

[^1]: Two deputy ministers attended.
[^n]: According to the ministry.
"""


def test_markdown_front_matter_is_metadata_not_text(library: Path, files: Files) -> None:
    report = add_sources(library, [files("notes.md", NOTE)])
    lib = Library.open(library)
    entry = lib.entry("notes")
    assert entry.csl["title"] == "Field notes: Caracas"
    assert entry.csl["author"] == [{"family": "Pérez", "given": "Ana"}]
    assert entry.issued
    assert "front matter" in report.files[0].detail
    text = lib.source("notes").text
    assert "title:" not in text and "---" not in text


def test_markdown_table_row_is_one_paragraph_and_footnotes_lose_their_markers() -> None:
    paragraphs = [line for line in markdown_to_text(NOTE).split("\n") if line]
    assert paragraphs == [
        "Field notes", "The mission met officials. Talks resumed in May.", "Party | Seats",
        "Unity | 12", "Two deputy ministers attended.", "According to the ministry."]


def test_markdown_table_rows_and_footnotes_reach_the_library(library: Path, files: Files) -> None:
    add_sources(library, [files("notes.md", NOTE)])
    source = Library.open(library).source("notes")
    paragraphs = [source.text[p.start:p.end] for p in source.paragraphs]
    assert "Unity | 12" in paragraphs and "Two deputy ministers attended." in paragraphs
    assert "[^" not in source.text and "|---|" not in source.text


def test_markdown_blocks_stay_on_the_line_they_start_on() -> None:
    lines = markdown_to_text(NOTE).split("\n")
    assert lines[6] == "Field notes" and lines[12] == "Unity | 12"
    assert len(lines) == NOTE.count("\n") + 1


def test_text_file_title_byline_and_date_become_metadata(library: Path, files: Files) -> None:
    report = add_sources(library, [files("oped.txt", "Why the Talks Failed\nBy Ana Pérez\n"
                                                     "June 3, 2025\n\nThe talks failed in May.\n")])
    entry = Library.open(library).entry("oped")
    assert entry.csl["title"] == "Why the Talks Failed"
    assert entry.csl["author"] == [{"family": "Pérez", "given": "Ana"}]
    assert entry.csl["issued"] == {"date-parts": [[2025, 6, 3]]}
    assert entry.csl["type"] != "manuscript"
    assert "from its first lines" in report.files[0].detail


def test_text_whose_first_lines_are_prose_gives_no_metadata() -> None:
    assert text_head_metadata("The talks failed in May.\nBy then nobody cared.\n\nMore.") == {}
    assert text_head_metadata("Notes\nsome thoughts on the talks\n\nMore.") == {}
    assert text_head_metadata("One line only\n\nThe text.") == {}


def test_a_heading_block_of_one_line_paragraphs_is_metadata_too() -> None:
    spaced = "Border Carbon Adjustments\n\nBy Jane Example\n\nJune 3, 2025\n\nA border carbon adjustment would..."
    assert text_head_metadata(spaced) == {"title": "Border Carbon Adjustments",
                                          "author": [{"family": "Example", "given": "Jane"}],
                                          "issued": {"date-parts": [[2025, 6, 3]]}}
    assert text_head_metadata("Talks Resume\n\n3 June 2025\n\nThe talks resumed.")["issued"] == {
        "date-parts": [[2025, 6, 3]]}
    # a byline that is a sentence, a body paragraph, or a title alone: nothing
    assert text_head_metadata("Notes\n\nBy then nobody cared.\n\nMore.") == {}
    assert text_head_metadata("Notes\n\nby then nobody cared\n\nMore.") == {}
    assert text_head_metadata("Field Notes\n\nThe talks failed in May.\nBy then nobody cared.") == {}
    assert text_head_metadata("Field Notes\n\nBy Ana Pérez and\nmore prose here\n\nMore.") == {}
    # a byline after a body paragraph is not the text's: the heading block ended at the body
    assert text_head_metadata("Field Notes\n\nThe talks failed.\nThey resumed.\n\nBy Ana Pérez\n\nMore.") == {}

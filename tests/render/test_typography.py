"""Typography in the analyst's prose only: curly quotes, apostrophes and dashes where the analyst
typed straight ones, quotes from sources byte for byte, dates written for reading, and decision
lines whose blanks line up (underscore-leader tab stops)."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from briefkit.brief.store import load_brief, save_brief
from briefkit.cli import main
from briefkit.render.export import export_brief
from briefkit.render.typography import reading_date, smart_markdown, smart_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TEMPLATES = ("options-memo", "issue-brief", "decision-memo")


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ('an "interim government" here', "an “interim government” here"),
        ("Russia's invasion, the allies' view", "Russia’s invasion, the allies’ view"),
        ("'single' quotes", "‘single’ quotes"),
        ("the '90s", "the ’90s"),
        ('("quoted")', "(“quoted”)"),
        ("1990--2000, pressure -- or not, wait---no, x - y", "1990–2000, pressure – or not, wait—no, x – y"),
        ("and so...", "and so…"),
        ('a \\"straight\\" quote', 'a \\"straight\\" quote'),
        ("well-known U.S. policy", "well-known U.S. policy"),
    ],
)
def test_smart_text_sets_the_analysts_typing(typed: str, printed: str) -> None:
    assert smart_text(typed) == printed


def test_smart_markdown_leaves_code_links_citations_html_and_table_rules_alone() -> None:
    markdown = (
        'Use `"x" -- y` and [a "link"](https://x.org/a--b "t") [@cite--id] <span title="t">\n\n'
        '| a | b |\n|:--|--:|\n| "c" | d |\n\n---\n\n- item - "q"\n`x`\'s'
    )
    assert smart_markdown(markdown) == (
        'Use `"x" -- y` and [a “link”](https://x.org/a--b "t") [@cite--id] <span title="t">\n\n'
        "| a | b |\n|:--|--:|\n| “c” | d |\n\n---\n\n- item – “q”\n`x`’s"
    )


@pytest.mark.parametrize(
    ("iso", "readable"),
    [("2026-12-03", "3 December 2026"), ("2026-11", "November 2026"), (" 2026-01-31 ", "31 January 2026"),
     ("2026-02-30", "2026-02-30"), ("next week", "next week"), ("", "")],
)
def test_dates_are_written_for_reading(iso: str, readable: str) -> None:
    assert reading_date(iso) == readable


STRAIGHT_QUOTE = 'The envoy said "no deal" -- and Caracas\'s reply came within the hour...'
"""A quote with the source's own straight quotes, double hyphen and three dots."""


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, docx.document.Document]:
    """The sample brief with straight quotes typed in its prose and a quote holding straight
    apostrophes, exported with every template."""
    folder = tmp_path_factory.mktemp("seeds")
    for path in SEEDS.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    path = folder / "venezuela.brief.yaml"
    brief = load_brief(path)
    brief.sections["outlook"] = "Expect \"stop-and-start\" talks -- and Caracas's tests..."
    save_brief(brief, path)
    source = folder / "straight.txt"
    source.write_text(f"A wire report.\n\n{STRAIGHT_QUOTE} Talks resume.\n", encoding="utf-8")
    assert main(["sources", "add", str(source), "--id", "wire", "--library", str(folder)]) == 0
    assert main(["cite", str(path), "--position", "pressure", "--source", "wire",
                 "--quote", STRAIGHT_QUOTE, "--stance", "context", "--id", "straight"]) == 0
    brief = load_brief(path)
    return {t: docx.Document(str(export_brief(brief, "docx", folder / f"{t}.docx", template=t)))
            for t in TEMPLATES}


def texts(document: docx.document.Document) -> str:
    return " ".join("\n".join(p.text for p in document.paragraphs).split())


@pytest.mark.parametrize("template", ["options-memo", "issue-brief"])
def test_every_quote_from_a_source_prints_byte_for_byte(
    exports: dict[str, docx.document.Document], template: str
) -> None:
    body = texts(exports[template])
    assert STRAIGHT_QUOTE in body
    assert smart_text(STRAIGHT_QUOTE) not in body
    for _, citation in load_brief(SEEDS / "venezuela.brief.yaml").citations():
        assert " ".join(citation.anchor.quote.split()) in body


def test_the_analysts_straight_quotes_and_dashes_are_set(
    exports: dict[str, docx.document.Document],
) -> None:
    body = texts(exports["issue-brief"])
    assert "Expect “stop-and-start” talks – and Caracas’s tests…" in body
    assert "Russia’s invasion" in body and "Russia's" not in body


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_title_block_dates_read_as_a_date(
    exports: dict[str, docx.document.Document], template: str
) -> None:
    body = texts(exports[template])
    assert "Date: 23 November 2026" in body
    assert "2026-11-23" not in body


def test_decision_lines_share_their_tab_stops(exports: dict[str, docx.document.Document]) -> None:
    lines = [p for p in exports["decision-memo"].paragraphs
             if p.text.split("\t")[0] in ("Approve", "Disapprove", "Let’s discuss")]
    assert [p.text for p in lines] == ["Approve\t\t", "Disapprove\t\t", "Let’s discuss\t\t"]
    stops = {tuple((int(t.position), str(t.leader)) for t in p.paragraph_format.tab_stops)
             for p in lines}
    assert len(stops) == 1
    ((_, first_leader), (_, second_leader)) = stops.pop()
    assert "SPACES" in first_leader and "HEAVY" not in second_leader and "LINE" in second_leader

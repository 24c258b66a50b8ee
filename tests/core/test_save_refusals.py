"""Every write validates first: a value the loader would refuse, or read back otherwise, is refused
with a message naming the file and field, and the file keeps every byte it had."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from briefkit.brief.model import Anchor, Brief, Citation, Position
from briefkit.brief.store import dump_brief, load_brief, save_brief
from briefkit.cli import main
from briefkit.errors import BriefFileError, BriefkitError
from briefkit.library.sources_file import SourcesFile, yaml_value

BRIEF = """\
briefkit: 1
title: T   # a comment the refused save must not lose
positions:
  - id: p
    title: P
    citations:
      - id: c1
        source: s
        quote: First
        start: 0
        end: 5
      - id: c2
        source: s
        quote: line
        start: 6
        end: 10
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cite(brief: Brief, **anchor: object) -> Citation:
    fields = {"quote": "here", "prefix": "", "suffix": "", "start": 11, "end": 15, **anchor}
    citation = Citation(id="c3", source="s", anchor=Anchor(**fields))  # type: ignore[arg-type]
    brief.positions[0].citations.append(citation)
    return citation


EDITS: list[tuple[str, Callable[[Brief], object], str, str]] = [
    ("citation id", lambda b: setattr(b.positions[0].citations[1], "id", "bad id!"),
     "positions[1].citations[2].id", "is not a valid id"),
    ("position id", lambda b: b.positions.append(Position(id="bad pos/..", title="X")),
     "positions[2].id", "is not a valid id"),
    ("duplicate position", lambda b: b.positions.append(Position(id="p", title="X")),
     "positions[2].id", "duplicate id 'p'"),
    ("duplicate citation", lambda b: setattr(b.positions[0].citations[1], "id", "c1"),
     "positions[1].citations[2].id", "duplicate id 'c1'"),
    ("empty title", lambda b: setattr(b, "title", "  "), "title", "must not be empty"),
    ("two-line title", lambda b: setattr(b, "title", "one\ntwo"), "title", "single line"),
    ("two-line subtitle", lambda b: setattr(b, "subtitle", "one\ntwo"), "subtitle", "single line"),
    ("two-line holder", lambda b: setattr(b.positions[0], "holder", "a\nb"),
     "positions[1].holder", "single line"),
    ("empty position title", lambda b: setattr(b.positions[0], "title", ""),
     "positions[1].title", "must not be empty"),
    ("stance", lambda b: setattr(b.positions[0].citations[0], "stance", "maybe"),
     "positions[1].citations[1].stance", "stance must be one of"),
    ("negative start", lambda b: cite(b, start=-1), "positions[1].citations[3].start",
     "whole number"),
    ("end before start", lambda b: cite(b, start=9, end=3), "positions[1].citations[3].end",
     "before start"),
    ("blank quote", lambda b: cite(b, quote=" \t\n"), "positions[1].citations[3].quote",
     "must not be empty"),
    ("empty source", lambda b: setattr(b.positions[0].citations[0], "source", ""),
     "positions[1].citations[1].source", "must not be empty"),
    ("section name", lambda b: b.sections.update({"bad name": "x"}), "sections", "simple word"),
    ("empty template", lambda b: setattr(b, "template", ""), "template",
     "'' would read back as 'options-memo'"),
    ("empty stance", lambda b: setattr(b.positions[0].citations[0], "stance", ""),
     "positions[1].citations[1].stance", "'' would read back as 'supports'"),
    ("empty library", lambda b: setattr(b, "library", ""), "library", "would read back as '.'"),
    ("lone surrogate", lambda b: setattr(b.positions[0].citations[0], "note", "caf\udce9"),
     "positions[1].citations[1].note", "U+DCE9 is not a character"),
]


@pytest.mark.parametrize(("edit", "field", "message"), [e[1:] for e in EDITS], ids=[e[0] for e in EDITS])
def test_a_value_the_loader_would_refuse_is_not_saved(
    tmp_path: Path, edit: Callable[[Brief], object], field: str, message: str
) -> None:
    path = tmp_path / "b.brief.yaml"
    path.write_text(BRIEF, encoding="utf-8")
    before = digest(path)
    brief = load_brief(path)
    edit(brief)
    with pytest.raises(BriefFileError) as caught:
        save_brief(brief)
    assert caught.value.field == field and message in caught.value.message
    assert str(caught.value).startswith(f"{path.resolve()}: {field}: not saved: ")
    with pytest.raises(BriefFileError):
        dump_brief(brief)
    assert digest(path) == before


def test_a_save_sets_source_text_to_the_text_written(tmp_path: Path) -> None:
    path = tmp_path / "b.brief.yaml"
    path.write_text(BRIEF, encoding="utf-8")
    brief = load_brief(path)
    brief.positions[0].citations[0].note = "a note\nover two lines"
    save_brief(brief)
    assert brief.source_text == path.read_text(encoding="utf-8") == dump_brief(brief)
    assert brief.positions[0].citations[0].line == load_brief(path).positions[0].citations[0].line


def test_key_lines_name_the_line_of_each_top_level_key(tmp_path: Path) -> None:
    path = tmp_path / "b.brief.yaml"
    path.write_text(BRIEF, encoding="utf-8")
    assert load_brief(path).key_lines == {"briefkit": 1, "title": 2, "positions": 3}


# The commands -----------------------------------------------------------------------------------


@pytest.fixture
def library(tmp_path: Path) -> Path:
    (tmp_path / "s.txt").write_text("First line here.\n\nSecond para here.", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        "sources:\n- id: S\n  file: s.txt\n  title: A source   # hand-written\n", encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_cite_of_a_paragraph_break_checks_ok(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    brief = str(library / "b.brief.yaml")
    assert run(capsys, "new", brief, "--library", str(library), "--no-open")[0] == 0
    assert run(capsys, "cite", brief, "--position", "p", "--create-position", "--source", "S",
               "--start", "0", "--end", "34")[0] == 0
    assert run(capsys, "check", brief)[0] == 0  # was: orphaned, the quote read back with a "\n"


@pytest.mark.parametrize("argv", [
    ("--position", "p", "--source", "S", "--start", "0", "--end", "5", "--id", "bad id!"),
    ("--position", "bad pos/..", "--create-position", "--source", "S", "--start", "0", "--end", "5"),
    ("--position", "p", "--source", "S", "--start", "16", "--end", "18"),  # a blank quote
    ("--position", "p", "--source", "S", "--start", "0", "--end", "5", "--note", "caf\udce9"),
])
def test_cite_refuses_what_the_brief_cannot_hold_and_leaves_it_unchanged(
    capsys: pytest.CaptureFixture[str], library: Path, argv: tuple[str, ...]
) -> None:
    brief = library / "b.brief.yaml"
    run(capsys, "new", str(brief), "--library", str(library), "--no-open")
    run(capsys, "cite", str(brief), "--position", "p", "--create-position", "--source", "S",
        "--start", "0", "--end", "5")
    before = digest(brief)
    code, err = run(capsys, "cite", str(brief), *argv)
    assert code == 2 and err.startswith("briefkit: error: ") and err.count("\n") == 1
    assert digest(brief) == before


def test_sources_edit_with_bytes_that_are_not_utf8_is_refused_by_a_real_process(library: Path) -> None:
    sources = library / "sources.yaml"
    before = digest(sources)
    proc = subprocess.run([sys.executable, "-m", "briefkit", "sources", "edit", "S", "--title",
                           "caf\udce9", "--library", str(library)],
                          capture_output=True, text=True, errors="replace", check=False)
    assert proc.returncode == 2, proc.stderr
    assert "sources[1].title: not saved: U+DCE9 is not a character" in proc.stderr
    assert "Traceback" not in proc.stderr and digest(sources) == before


# sources.yaml -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "value", "field", "message"), [
    ("id", "bad id!", "id", "must be letters"),
    ("file", "missing.txt", "file", "source file not found"),
    ("issued", "yesterday", "issued", "must be a CSL date"),
    ("author", "Someone", "author", "must be a list of names"),
    ("title", "caf\udce9", "sources[1].title", "U+DCE9 is not a character"),
])
def test_sources_file_save_refuses_what_the_library_would_not_open(
    library: Path, key: str, value: str, field: str, message: str
) -> None:
    before = digest(library / "sources.yaml")
    sources = SourcesFile.load(library)
    sources.item("S")[key] = yaml_value(value, key)
    with pytest.raises(BriefkitError) as caught:
        sources.save()
    assert caught.value.field == field and message in caught.value.message
    assert "not saved: " in str(caught.value) and digest(library / "sources.yaml") == before


def test_sources_file_save_keeps_comments_and_writes_escapes_for_controls(library: Path) -> None:
    sources = SourcesFile.load(library)
    sources.item("S")["note"] = yaml_value("page one\n\f\npage two", "note")
    sources.save()
    text = (library / "sources.yaml").read_text(encoding="utf-8")
    assert "  title: A source   # hand-written\n" in text and '  note: "page one\\n\\f\\npage two"\n' in text

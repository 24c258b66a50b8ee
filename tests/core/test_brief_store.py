"""Loading, validating and saving brief files."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefkit.brief.model import Anchor, Citation, Position
from briefkit.brief.store import dump_brief, load_brief, save_brief
from briefkit.errors import BriefFileError

HAND_WRITTEN = """\
# A brief written by hand, with comments that must survive.
briefkit: 1
title: "Venezuela: Options"   # quoted on purpose
date: 2026-11-23
author: A. Analyst
sections:
  summary: |
    Pressure failed [@smilde-1].
positions:
- id: pressure
  title: Keep maximum pressure
  # why this position matters
  citations:
  - id: smilde-1
    source: smilde
    quote: 'maximum pressure'
    start: 10
    end: 26
    note: the core claim
"""


def write(tmp_path: Path, text: str, name: str = "b.brief.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_of_a_hand_written_brief_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    save_brief(load_brief(path))
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN


def test_edit_changes_only_the_edited_field_and_keeps_comments(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    brief = load_brief(path)
    brief.positions[0].title = "Keep pressure, with snapback"
    save_brief(brief)
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN.replace(
        "title: Keep maximum pressure", "title: Keep pressure, with snapback"
    )


@pytest.mark.parametrize("text", ["Yes", "on", "No", "null", "~", "0x1F", "1e3", "2021-08-06", "12:30"])
def test_text_that_yaml_would_read_as_another_type_is_saved_quoted_and_reads_back(
    tmp_path: Path, text: str
) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    brief = load_brief(path)
    brief.title, brief.positions[0].title, brief.sections["summary"] = text, text, text
    save_brief(brief)
    again = load_brief(path)
    assert (again.title, again.positions[0].title, again.sections["summary"]) == (text, text, text)


def test_new_citation_is_saved_with_its_full_anchor(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    brief = load_brief(path)
    brief.positions.append(
        Position(id="talks", title="Negotiate", citations=[
            Citation(id="rs-1", source="rs", anchor=Anchor("a b", "x ", " y", 3, 6), stance="opposes")
        ])
    )
    save_brief(brief)
    again = load_brief(path)
    cite = again.find_citation("rs-1")
    assert cite is not None
    assert cite[1].anchor == Anchor("a b", "x ", " y", 3, 6)
    assert cite[1].stance == "opposes"
    assert "# why this position matters" in path.read_text(encoding="utf-8")


def test_multiline_prose_is_saved_as_a_literal_block(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    brief = load_brief(path)
    brief.sections["background"] = "First paragraph.\n\nSecond [@smilde-1]."
    save_brief(brief)
    assert "  background: |-\n    First paragraph.\n\n    Second [@smilde-1].\n" in path.read_text(encoding="utf-8")
    assert load_brief(path).sections["background"] == "First paragraph.\n\nSecond [@smilde-1]."


@pytest.mark.parametrize(("text", "header"), [
    ("one\ntwo", "|-"), ("one\ntwo\n", "|"), ("one\ntwo\n\n\n", "|+"), ("  indented\nnext", "|2-"),
])
def test_a_literal_block_keeps_every_trailing_newline_and_leading_space(
    tmp_path: Path, text: str, header: str
) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    brief = load_brief(path)
    brief.sections["background"] = text
    save_brief(brief)
    assert f"  background: {header}\n" in path.read_text(encoding="utf-8")
    assert load_brief(path).sections["background"] == text


def test_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    save_brief(load_brief(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.brief.yaml"]


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("briefkit: 1\ntitle: [unclosed\n", 3, "invalid YAML"),
        ("- just\n- a list\n", 1, "must be a mapping"),
        ("briefkit: 1\ntitle: T\ncolour: red\n", 3, "unknown key 'colour'"),
        ("briefkit: 1\ntitle: T\ntempalte: x\n", 3, "did you mean 'template'"),
        ("briefkit: 1\nauthor: me\n", 1, "missing required field 'title'"),
        ("title: T\n", 1, "missing 'briefkit: 1'"),
        ("briefkit: 7\ntitle: T\n", 1, "unsupported format version 7"),
        ("briefkit: 1\ntitle: T\npositions:\n  - id: a\n    title: A\n  - id: a\n    title: B\n", 6,
         "duplicate id 'a' (first used on line 4)"),
        ("briefkit: 1\ntitle: T\npositions:\n  - id: a\n    title: A\n    citations:\n"
         "      - id: c\n        source: s\n        quote: q\n        start: 5\n        end: 2\n", 11,
         "end (2) is before start (5)"),
        ("briefkit: 1\ntitle: T\npositions:\n  - id: a\n    title: A\n    citations:\n"
         "      - id: c\n        source: s\n        quote: q\n        start: -1\n        end: 2\n", 10,
         "whole number"),
        ("briefkit: 1\ntitle: T\npositions:\n  - id: a\n    title: A\n    citations:\n"
         "      - id: c\n        source: s\n        quote: q\n        stance: agrees\n        start: 1\n"
         "        end: 2\n", 10, "stance must be one of"),
        ("briefkit: 1\ntitle: T\npositions:\n  - id: relief.\n    title: A\n", 4,
         "'relief.' is not a valid id (letters, digits, and _ . : - inside)"),
        ("briefkit: 1\ntitle: T\npositions: {a: 1}\n", 3, "positions must be a list"),
        ("briefkit: 1\ntitle: !!python/object/apply:os.system [ls]\n", 2, "tag"),
        ("briefkit: 1\ntitle: T\x07\n", 2, "control character U+0007"),
        ("", None, "empty"),
    ],
)
def test_bad_brief_files_get_one_message_naming_file_and_line(
    tmp_path: Path, text: str, line: int | None, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(BriefFileError) as info:
        load_brief(path)
    assert expected in str(info.value)
    assert info.value.path == path
    assert info.value.line == line
    if line is not None:
        assert f"{path}:{line}:" in str(info.value)


def test_binary_and_non_utf8_brief_files_are_refused_clearly(tmp_path: Path) -> None:
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    with pytest.raises(BriefFileError, match="binary"):
        load_brief(binary)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("briefkit: 1\ntitle: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(BriefFileError, match="not valid UTF-8") as info:
        load_brief(latin)
    assert info.value.line == 2


def test_utf8_bom_and_crlf_brief_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfbriefkit: 1\r\ntitle: Caf\xc3\xa9\r\n")
    assert load_brief(path).title == "Café"


def test_missing_brief_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BriefFileError, match="file not found"):
        load_brief(tmp_path / "nope.yaml")


def test_dump_of_a_new_brief_is_readable_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "briefkit: 1\ntitle: T\n")
    brief = load_brief(path)
    brief.sections["summary"] = "One line."
    assert dump_brief(brief) == "briefkit: 1\ntitle: T\nsections:\n  summary: One line.\n"


def test_a_new_brief_has_an_id_of_its_own_that_saves_and_reads_back(tmp_path: Path) -> None:
    from briefkit.brief.store import new_brief

    first, second = (new_brief(tmp_path / f"{n}.brief.yaml", title="Memo", library=".") for n in "ab")
    assert first.id and second.id and first.id != second.id
    save_brief(first)
    text = (tmp_path / "a.brief.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"briefkit: 1\nid: {first.id}\ntitle: Memo\n")
    back = load_brief(tmp_path / "a.brief.yaml")
    assert back.id == first.id
    back.title = "Memo to the Secretary"  # an edit keeps the id where it stands
    save_brief(back)
    assert load_brief(tmp_path / "a.brief.yaml").id == first.id


def test_a_brief_id_that_is_not_an_id_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN.replace("briefkit: 1\n", "briefkit: 1\nid: two words\n"))
    with pytest.raises(BriefFileError) as caught:
        load_brief(path)
    assert (caught.value.line, caught.value.field) == (3, "id") and "letters and digits" in caught.value.message

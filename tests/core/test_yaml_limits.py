"""YAML that would make briefkit work without bound, or fail with a traceback, is one message
naming the file, line and field: aliases, deep nesting, dates and numbers that cannot be."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefkit import yamlio
from briefkit.brief.store import load_brief
from briefkit.errors import BriefFileError, BriefkitError
from briefkit.library.library import Library

BRIEF = "briefkit: 1\ntitle: T\ndate: 2026-11-23\n"


def alias_bomb(indent: str, levels: int = 9) -> str:
    """A "billion laughs": 9 nested lists of 9 aliases, 9**9 strings once expanded (~400 bytes)."""
    lines = [f"{indent}a0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    lines += [f"{indent}a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def library(tmp_path: Path, entry_extra: str) -> Path:
    (tmp_path / "s.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        f"sources:\n- id: s\n  file: s.txt\n  title: T\n{entry_extra}", encoding="utf-8")
    return tmp_path


def test_an_alias_bomb_in_sources_yaml_is_refused_at_once_and_caches_nothing(tmp_path: Path) -> None:
    root = library(tmp_path, "  note:\n" + alias_bomb("    "))
    started = time.perf_counter()
    with pytest.raises(BriefkitError) as caught:
        Library.open(root)
    assert time.perf_counter() - started < 2  # was 11 s for 8 levels and a 39 MB cache; 9: >60 s
    assert str(caught.value) == (f"{root / 'sources.yaml'}:6: sources[1].note.a0: YAML anchors and "
                                 "aliases (&name, *name) are not allowed in briefkit files; "
                                 "write the value out")
    assert not (root / ".briefkit" / "sources.json").exists()  # the parsed-entries cache


def test_an_alias_in_a_brief_is_refused_with_its_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "b.brief.yaml"
    path.write_text(BRIEF + "sections:\n  one: &a text\n  two: *a\n", encoding="utf-8")
    with pytest.raises(BriefFileError) as caught:
        load_brief(path)
    assert (caught.value.line, caught.value.field) == (5, "sections.one")
    assert "anchors and aliases" in caught.value.message


@pytest.mark.parametrize(("opening", "closing"), [("{a: ", "}"), ("[", "]")])
def test_flow_nesting_600_deep_is_one_message_not_a_recursion_error(
    tmp_path: Path, opening: str, closing: str
) -> None:
    path = tmp_path / "b.brief.yaml"
    path.write_text(BRIEF + "sections: " + opening * 600 + "x" + closing * 600 + "\n", encoding="utf-8")
    with pytest.raises(BriefFileError) as caught:
        load_brief(path)
    assert caught.value.line == 4 and caught.value.message == "nested more than 100 levels deep"
    assert caught.value.field is not None and caught.value.field.endswith("…")


def test_nesting_up_to_the_limit_loads() -> None:
    depth = yamlio.MAX_DEPTH
    value = yamlio.loads("[" * depth + "x" + "]" * depth, "f.yaml")
    for _ in range(depth):
        value = value[0]
    assert value == "x"


@pytest.mark.parametrize(("line_text", "shown", "kind"), [
    ("date: 2026-13-45", "2026-13-45", "date or time"),
    ("date: 2026-02-30", "2026-02-30", "date or time"),
    ("date: 2026-01-01 25:00:00", "2026-01-01 25:00:00", "date or time"),
    ("subtitle: 0x_", "0x_", "whole number"),
    ("subtitle: " + "9" * 5000, "9" * 39 + "…", "whole number"),
])
def test_a_date_or_number_that_cannot_be_is_one_message(
    tmp_path: Path, line_text: str, shown: str, kind: str
) -> None:
    path = tmp_path / "b.brief.yaml"
    path.write_text("briefkit: 1\ntitle: T\n" + line_text + "\n", encoding="utf-8")
    with pytest.raises(BriefFileError) as caught:
        load_brief(path)
    key = line_text.split(":")[0]
    assert str(caught.value) == (f"{path}:3: {key}: '{shown}' is not a valid {kind}; "
                                 "put it in quotes if it is text")


def test_an_impossible_issued_date_in_sources_yaml_names_the_entry(tmp_path: Path) -> None:
    root = library(tmp_path, "  issued: 2021-13-45\n")
    with pytest.raises(BriefkitError) as caught:
        Library.open(root)
    assert (caught.value.line, caught.value.field) == (5, "sources[1].issued")


@pytest.mark.parametrize("value", [".nan", "1e999999", "-.inf"])
def test_odd_but_valid_numbers_load_without_a_traceback(tmp_path: Path, value: str) -> None:
    path = tmp_path / "b.brief.yaml"
    path.write_text(f"briefkit: 1\ntitle: T\nsubtitle: {value}\n", encoding="utf-8")
    assert load_brief(path).subtitle  # read as text of the number it names


def test_raw_control_characters_stay_refused_and_escaped_ones_load() -> None:
    with pytest.raises(BriefkitError, match="control character U[+]000C"):
        yamlio.loads("k: a\fb\n", "f.yaml")
    assert yamlio.loads('k: "a\\fb\\x85\\N\\L\\uFEFF\\U0001F600"\n', "f.yaml") == {
        "k": "a\fb\x85\x85\u2028\ufeff\U0001f600"}


def test_a_file_ruamel_cannot_read_for_saving_is_one_message_and_unchanged(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("First line here.", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text("sources:\n- id: s\n  file: s.txt\n", encoding="utf-8")
    path = tmp_path / "b.brief.yaml"
    text = "briefkit: 1\ntitle:\t T\nlibrary: .\n"  # libyaml reads the tab after "title:", ruamel not
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "briefkit", "cite", str(path), "--position", "p",
                           "--create-position", "--source", "s", "--start", "0", "--end", "5"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr == (f"briefkit: error: {path}:2: cannot be saved keeping its comments: found "
                           "character '\\t' that cannot start any token; edit that line\n")
    assert path.read_text(encoding="utf-8") == text


def test_the_cli_answers_an_alias_bomb_with_status_2_in_a_real_process(tmp_path: Path) -> None:
    root = library(tmp_path, "  note:\n" + alias_bomb("    "))
    proc = subprocess.run([sys.executable, "-m", "briefkit", "sources", "--library", str(root)],
                          capture_output=True, text=True, timeout=30, check=False)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "anchors and aliases" in proc.stderr

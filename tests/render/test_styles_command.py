"""`briefkit styles [SEARCH]` lists the installed CSL styles with title and class, found by words of
a name or title in any case (exit 1 when none match); the names are the ones `--style` takes, and
`--style` takes a .csl file as well, for `new` and `export`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from briefkit.brief.store import load_brief
from briefkit.cli import main
from briefkit.render.csl.catalogue import catalogue
from briefkit.render.csl.styles import resolve_style, style_names


def _styles(capsys: pytest.CaptureFixture[str], *words: str) -> tuple[int, list[str], str]:
    status = main(["styles", *words])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_a_search_lists_each_matching_style_with_its_class_and_title(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, err = _styles(capsys, "oscola")
    assert (status, err) == (0, "")
    assert [line.split()[:2] for line in lines] == [
        ["oscola", "note"], ["oscola-journal-abbreviations", "note"], ["oscola-no-ibid", "note"]]
    assert lines[0].endswith("  OSCOLA 4th edition")


def test_the_search_is_by_every_word_of_name_or_title_in_any_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert _styles(capsys, "OSCOLA")[1] == _styles(capsys, "oscola")[1]
    status, lines, _ = _styles(capsys, "apa", "STYLE", "7TH")  # "Style" and "7th" are only in titles
    names = [line.split()[0] for line in lines]
    assert status == 0 and "apa" in names
    assert lines[names.index("apa")].split()[1] == "in-text"
    _, lines, _ = _styles(capsys, "Chicago", "18th", "notes", "and", "bibliography", "ibid")
    assert "chicago-notes-bibliography-subsequent-ibid" in [line.split()[0] for line in lines]
    assert all("ibid" in line.casefold() for line in lines)


def test_no_match_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, err = _styles(capsys, "no-such-style-zq")
    assert (status, err) == (1, "")
    assert lines == ["no citation style matches 'no-such-style-zq' (search by words of a name or title)"]
    assert main(["styles", "--json", "no-such-style-zq"]) == 1
    assert json.loads(capsys.readouterr().out) == []


def test_a_dependent_style_shows_its_parents_class(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["styles", "--json", "taylor-and-francis-chicago-eb"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["class"] == "note"
    assert resolve_style(entry["name"]).stem == entry["parent"]  # what --style with its name loads


def test_every_name_listed_is_a_name_style_takes_and_all_are_listed() -> None:
    names = [i.name for i in catalogue()]
    assert names == style_names()
    assert len(names) > 10_000


def test_the_list_is_kept_in_the_run_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFKIT_CACHE", str(tmp_path / "cache"))
    first = catalogue()
    [entry] = [p for p in (tmp_path / "cache").glob("styles-*/*") if p.is_file()]
    assert catalogue() == first
    assert len(first) == len(style_names())
    assert entry.stat().st_size > 100_000


def test_style_takes_a_name_or_a_csl_file_for_new_and_export(
    sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    house = sample_brief.parent / "house" / "our-oscola.csl"
    house.parent.mkdir()
    shutil.copyfile(resolve_style("oscola"), house)
    brief = sample_brief.parent / "by-file.brief.yaml"
    assert main(["new", str(brief), "--style", str(house), "--no-open"]) == 0
    assert load_brief(brief).style == "house/our-oscola.csl"  # beside the brief: relative, as its library
    assert main(["new", str(tmp_path / "x.brief.yaml"), "--style", str(tmp_path / "none.csl")]) == 2
    assert "citation style file not found" in capsys.readouterr().err
    by_name, by_file = tmp_path / "by-name.md", tmp_path / "by-file.md"
    default = tmp_path / "default.md"
    assert main(["export", str(sample_brief), "--to", "md", "-o", str(by_name), "--style", "oscola"]) == 0
    assert main(["export", str(sample_brief), "--to", "md", "-o", str(by_file), "--style", str(house)]) == 0
    assert main(["export", str(sample_brief), "--to", "md", "-o", str(default)]) == 0
    assert by_file.read_text(encoding="utf-8") == by_name.read_text(encoding="utf-8")
    assert by_name.read_text(encoding="utf-8") != default.read_text(encoding="utf-8")

"""Opening a library: sources.yaml validation, entries, and loading sources (with a 50 MB one)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from briefkit.errors import BriefkitError, SourceError
from briefkit.library.library import Library
from briefkit.library.segment import split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PROSE = "The opposition called for talks. Mr. Maduro refused, and the U.S. kept its sanctions."


def make_library(folder: Path, yaml: str, files: dict[str, bytes | str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources.yaml").write_text(yaml, encoding="utf-8")
    for name, data in (files or {"a.txt": PROSE}).items():
        path = folder / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return folder


def open_error(folder: Path, yaml: str, files: dict[str, bytes | str] | None = None
               ) -> BriefkitError:
    with pytest.raises(BriefkitError) as caught:
        Library.open(make_library(folder, yaml, files))
    return caught.value


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds",
                                ignore=shutil.ignore_patterns(".briefkit", "*.brief.yaml")))


def test_sample_library_lists_its_five_sources_in_file_order(seeds: Path) -> None:
    library = Library.open(seeds)
    assert library.root == seeds.resolve()
    assert list(library.entries) == ["oped-group-of-friends", "crisisgroup-reboot", "fal-redlines",
                                     "rs-back-burner", "smilde-max-pressure"]
    fal = library.entry("fal-redlines")
    assert fal.file == seeds.resolve() / "fal-2021-negotiations-redlines.md"
    assert fal.issued == "2021-08-06"
    assert "file" not in fal.csl and fal.csl["id"] == "fal-redlines"
    assert type(fal.csl) is dict and type(fal.csl["author"][0]) is dict
    assert type(fal.csl["issued"]["date-parts"][0][0]) is int


def test_entry_line_points_at_the_entry_in_sources_yaml(tmp_path: Path) -> None:
    folder = make_library(tmp_path / "lib", "# sources\nsources:\n  - id: a\n    file: a.txt\n")
    assert Library.open(folder).entry("a").line == 3


def test_unknown_source_suggests_close_matches(seeds: Path) -> None:
    with pytest.raises(BriefkitError, match="unknown source 'fal-redline'.*'fal-redlines'"):
        Library.open(seeds).entry("fal-redline")


def test_unknown_source_without_close_match_lists_known_ones(seeds: Path) -> None:
    with pytest.raises(BriefkitError, match="known sources: oped-group-of-friends"):
        Library.open(seeds).entry("zzz")


def test_missing_library_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(BriefkitError, match="library folder not found") as caught:
        Library.open(tmp_path / "nowhere")
    assert caught.value.path == tmp_path / "nowhere"


def test_library_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(BriefkitError, match="must be a folder"):
        Library.open(tmp_path / "file")


def test_folder_without_sources_yaml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BriefkitError, match="no sources.yaml") as caught:
        Library.open(tmp_path)
    assert caught.value.path == tmp_path / "sources.yaml"


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    error = open_error(tmp_path, "sources:\n  - id: a\n    file: [a.txt\n")
    assert error.path == tmp_path / "sources.yaml" and error.line is not None


@pytest.mark.parametrize(("yaml", "line", "field", "message"), [
    ("- id: a\n", 1, None, "must be a mapping"),
    ("sources: []\ntitle: x\n", 2, "title", "unknown key"),
    ("sources: a.txt\n", 1, "sources", "must be a list"),
    ("sources:\n  - a.txt\n", 2, "sources[0]", "must be a mapping"),
    ("sources:\n  - file: a.txt\n", 2, "id", "has no 'id'"),
    ("sources:\n  - id: two words\n    file: a.txt\n", 2, "id", "letters, digits"),
    ("sources:\n  - id: a\n", 2, "file", "has no 'file'"),
    ("sources:\n  - id: a\n    file: missing.txt\n", 3, "file", "source file not found"),
    ("sources:\n  - id: a\n    file: /etc/passwd\n", 3, "file", "must be relative"),
    ("sources:\n  - id: a\n    file: a.txt\n  - id: a\n    file: a.txt\n", 4, "id",
     "duplicate source id 'a' (first listed at line 2)"),
    ("sources:\n  - id: a\n    file: a.txt\n    issued: 2021-08-06\n", 4, "issued", "CSL date"),
    ("sources:\n  - id: a\n    file: a.txt\n    issued: {date-parts: [[2021, x]]}\n", 4,
     "issued", "CSL date"),
    ("sources:\n  - id: a\n    file: a.txt\n    author: David Smilde\n", 4, "author",
     "list of names"),
])
def test_invalid_sources_yaml_is_reported_with_line_and_field(
        tmp_path: Path, yaml: str, line: int, field: str | None, message: str) -> None:
    error = open_error(tmp_path, yaml)
    assert message in error.message
    assert (error.path, error.line, error.field) == (tmp_path / "sources.yaml", line, field)


def test_empty_sources_list_is_an_empty_library(tmp_path: Path) -> None:
    assert Library.open(make_library(tmp_path, "sources:\n")).entries == {}


def test_source_is_decoded_cleaned_segmented_and_hashed(seeds: Path) -> None:
    source = Library.open(seeds).source("rs-back-burner")
    assert source.id == "rs-back-burner" and source.encoding == "utf-8"
    assert source.sha256 == hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    assert "keep reading" not in source.text and source.removed
    assert len(source.paragraphs) == 14
    first = source.paragraphs[2]
    assert source.text[first.start : first.end].startswith("With a razor-thin Senate majority")
    assert len(split_sentences(source.text, first.start, first.end)) > 1


def test_passages_have_ids_and_numbers_from_the_paragraphs(seeds: Path) -> None:
    source = Library.open(seeds).source("smilde-max-pressure")
    passages = source.passages()
    assert [p.paragraph for p in passages] == list(range(1, 14))
    assert all(p.id.startswith("smilde-max-pressure:") for p in passages)
    assert all(source.text[p.start : p.end] == p.text for p in passages)


def test_source_is_kept_in_memory_until_its_file_changes(tmp_path: Path) -> None:
    folder = make_library(tmp_path, "sources:\n  - id: a\n    file: a.txt\n")
    library = Library.open(folder)
    first = library.source("a")
    assert library.source("a") is first
    (folder / "a.txt").write_text(PROSE + "\n\nA new paragraph.", encoding="utf-8")
    second = library.source("a")
    assert second is not first and len(second.paragraphs) == 2


def test_crlf_cp1252_source_reads_like_its_utf8_twin(tmp_path: Path) -> None:
    text = "Guaidó’s “interim government”.\r\n\r\nA second paragraph – short.\r\n"
    folder = make_library(tmp_path, "sources:\n  - id: u\n    file: u.txt\n"
                          "  - id: w\n    file: w.txt\n",
                          {"u.txt": text.replace("\r\n", "\n"), "w.txt": text.encode("cp1252")})
    library = Library.open(folder)
    utf8, cp1252 = library.source("u"), library.source("w")
    assert cp1252.encoding == "cp1252"
    assert cp1252.text == utf8.text and cp1252.sha256 == utf8.sha256


def test_binary_source_file_gives_a_message_naming_it(tmp_path: Path) -> None:
    folder = make_library(tmp_path, "sources:\n  - id: a\n    file: a.pdf\n",
                          {"a.pdf": b"%PDF-1.7\n\x00\x01\x02binary"})
    with pytest.raises(SourceError, match="binary") as caught:
        Library.open(folder).source("a")
    assert caught.value.path == folder / "a.pdf"


def test_source_of_nothing_but_clutter_is_refused(tmp_path: Path) -> None:
    folder = make_library(tmp_path, "sources:\n  - id: a\n    file: a.txt\n",
                          {"a.txt": "Follow us on social\n\nRead more:\n"})
    with pytest.raises(SourceError, match="no text left"):
        Library.open(folder).source("a")


def test_source_deleted_after_opening_is_reported(tmp_path: Path) -> None:
    folder = make_library(tmp_path, "sources:\n  - id: a\n    file: a.txt\n")
    library = Library.open(folder)
    os.remove(folder / "a.txt")
    with pytest.raises(SourceError, match="cannot read"):
        library.source("a")


def test_fifty_megabyte_source_loads_whole(tmp_path: Path) -> None:
    paragraph = ("Negotiations have been attempted many times and have failed to deliver results, "
                 "yet both parties keep returning to the table in Mexico City. ") * 6
    blob = "\n\n".join(f"Part {i}: {paragraph.strip()}" for i in range(50_000_000 // len(paragraph)))
    folder = make_library(tmp_path, "sources:\n  - id: big\n    file: big.txt\n",
                          {"big.txt": blob})
    source = Library.open(folder).source("big")
    assert source.text == blob
    assert len(source.paragraphs) == blob.count("\n\n") + 1
    last = source.paragraphs[-1]
    assert source.text[last.start : last.end] == blob[blob.rindex("\n\n") + 2 :]
    assert len(split_sentences(source.text, last.start, last.end)) == 6


def test_a_library_opens_from_its_cached_entries_until_sources_yaml_changes(sample_dir: Path) -> None:
    first = Library.open(sample_dir)
    cache = sample_dir / ".briefkit" / "sources.json"
    assert cache.is_file()
    again = Library.open(sample_dir)
    assert [(e.id, e.file, e.csl, e.line) for e in again.entries.values()] == [
        (e.id, e.file, e.csl, e.line) for e in first.entries.values()]
    listing = sample_dir / "sources.yaml"
    listing.write_text(listing.read_text(encoding="utf-8").replace(
        'title: "Venezuela: Negotiations, Leverage, and U.S. Redlines"', "title: Renamed"), encoding="utf-8")
    assert Library.open(sample_dir).entry("fal-redlines").title == "Renamed"


def test_a_broken_entries_cache_is_ignored(sample_dir: Path) -> None:
    Library.open(sample_dir)
    (sample_dir / ".briefkit" / "sources.json").write_text("{not json", encoding="utf-8")
    assert len(Library.open(sample_dir).entries) == 5


@pytest.mark.parametrize(("field", "value", "says"), [
    ("DOI", "10.1000", "must be text (put it in quotes)"),  # YAML reads it as the number 10.1
    ("URL", "12345", "must be text"),
    ("title", "[Talks, Oslo]", "must be text"),
    ("volume", "{n: 3}", "must be text or a number"),
    ("issued", "{date-parts: [[2021, 2, 30]]}", "must be a CSL date"),
    ("issued", "{date-parts: [[2021, 13]]}", "must be a CSL date"),
])
def test_a_csl_field_of_the_wrong_kind_is_refused_where_sources_yaml_says_it(
        tmp_path: Path, field: str, value: str, says: str) -> None:
    error = open_error(tmp_path, f"sources:\n  - id: a\n    file: a.txt\n    {field}: {value}\n",
                       {"a.txt": "Text."})
    assert says in str(error) and error.line == 4 and error.field == field


def test_a_name_part_that_is_not_text_names_its_own_line(tmp_path: Path) -> None:
    error = open_error(tmp_path, "sources:\n  - id: a\n    file: a.txt\n    author:\n"
                                 "      - given: David\n        family: [Smilde]\n", {"a.txt": "Text."})
    assert error.line == 6 and "list of names" in str(error)


def test_real_dates_seasons_of_text_and_leap_days_are_accepted(tmp_path: Path) -> None:
    folder = make_library(tmp_path, "sources:\n  - id: a\n    file: a.txt\n"
                                    "    issued: {date-parts: [[2024, 2, 29]]}\n"
                                    "    accessed: {literal: Spring 2018}\n", {"a.txt": "Text."})
    assert Library.open(folder).entry("a").csl["issued"] == {"date-parts": [[2024, 2, 29]]}

"""`sources edit`, CSL-JSON and BibTeX imports matched by DOI, URL or title, and comment-keeping saves."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from briefkit.cli import main
from briefkit.library.additions import add_sources
from briefkit.library.library import Library

Files = Callable[[str, bytes | str], Path]


@pytest.fixture
def lib(library: Path, files: Files) -> Path:
    add_sources(library, [files("oil-report.txt", "Oil revenue fell by half.\n"),
                          files("talks.txt", "Talks resume next month.\n")])
    text = (library / "sources.yaml").read_text(encoding="utf-8")
    text = text.replace("  - id: talks\n", "  # checked by the analyst\n  - id: talks\n")
    (library / "sources.yaml").write_text(text, encoding="utf-8")
    return library


def test_edit_sets_title_authors_date_and_url_and_keeps_comments(
        lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["sources", "edit", "talks", "--title", "Talks Resume", "--author", "Smilde, David",
                   "--author", "Crisis Group", "--date", "2021-08", "--url", "https://x.example/t",
                   "--library", str(lib)])
    assert status == 0
    assert "changed title, author, issued, URL" in capsys.readouterr().out
    entry = Library.open(lib).entry("talks")
    assert entry.csl["author"] == [{"family": "Smilde", "given": "David"}, {"literal": "Crisis Group"}]
    assert entry.issued == "2021-08" and entry.csl["URL"] == "https://x.example/t"
    assert "  # checked by the analyst\n" in (lib / "sources.yaml").read_text(encoding="utf-8")


def test_edit_rejects_a_bad_date_with_exit_2(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "edit", "talks", "--date", "last May", "--library", str(lib)]) == 2
    assert "YYYY" in capsys.readouterr().err


def test_csl_import_matches_by_title_and_url_and_reports_the_rest(
        lib: Path, files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    main(["sources", "edit", "talks", "--url", "https://www.x.example/talks/?utm_source=mail",
          "--library", str(lib)])
    capsys.readouterr()
    items = [
        {"id": "zot1", "type": "report", "title": "Oil Report", "publisher": "IMF",
         "issued": {"date-parts": [[2020]]}},
        {"id": "zot2", "type": "webpage", "title": "Another title", "URL": "http://x.example/talks"},
        {"id": "zot3", "type": "book", "title": "Nothing like it"},
    ]
    export = files("zotero.json", json.dumps(items))
    assert main(["sources", "import-csl", str(export), "--library", str(lib)]) == 0
    out = capsys.readouterr().out
    assert "2 matched, 1 not matched" in out
    assert "zot1 -> oil-report (by title)" in out and "zot2 -> talks (by URL)" in out
    assert "zot3: no source matches" in out
    library = Library.open(lib)
    assert library.entry("oil-report").csl["publisher"] == "IMF"
    assert library.entry("oil-report").issued == "2020"
    assert library.entry("talks").csl["title"] == "Another title"
    assert library.entry("talks").file.name == "talks.txt"


def test_bibtex_import_matches_by_doi(lib: Path, files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    main(["sources", "edit", "oil-report", "--url", "https://doi.org/10.1234/OIL.2020",
          "--library", str(lib)])
    bib = files("refs.bib", "@techreport{imf2020,\n  title = {Oil and {Sanctions}},\n"
                            "  author = {Doe, Jane and {International Monetary Fund}},\n"
                            "  institution = {IMF}, year = {2020}, month = aug,\n"
                            "  doi = {10.1234/oil.2020}\n}\n")
    assert main(["sources", "import-bib", str(bib), "--library", str(lib)]) == 0
    assert "imf2020 -> oil-report (by DOI)" in capsys.readouterr().out
    csl = Library.open(lib).entry("oil-report").csl
    assert csl["title"] == "Oil and Sanctions" and csl["type"] == "report"
    assert csl["author"] == [{"family": "Doe", "given": "Jane"}, {"literal": "International Monetary Fund"}]
    assert csl["issued"] == {"date-parts": [[2020, 8]]} and csl["DOI"] == "10.1234/oil.2020"


def test_reference_files_with_syntax_errors_fail_one_by_one(
        lib: Path, files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    bad_json = files("bad.json", '[{"id": "a", "title": "x"},\n {"id": }]')
    good_json = files("good.json", json.dumps([{"id": "z", "title": "Talks"}]))
    assert main(["sources", "import-csl", str(bad_json), str(good_json), "--library", str(lib)]) == 1
    captured = capsys.readouterr()
    assert f"{bad_json}:2: is not valid JSON" in captured.err
    assert "z -> talks (by title)" in captured.out
    bad_bib = files("bad.bib", "@article{ok, title={Fine}}\n\n@article{broken, title={Unclosed\n")
    assert main(["sources", "import-bib", str(bad_bib), "--library", str(lib)]) == 1
    err = capsys.readouterr().err
    assert f"{bad_bib}:3: BibTeX error in the @article block: Unexpectedly reached end of file" in err


def test_a_bibtex_error_is_one_message_and_the_parser_logs_nothing(
        lib: Path, files: Files, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    bib = files("refs.bib", "@article{x, title = {unclosed\n")
    assert main(["sources", "import-bib", str(bib), "--library", str(lib)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"briefkit: error: {bib}:1: BibTeX error in the @article block: Unexpectedly reached end of file."]
    assert [r.name for r in caplog.records if r.name.startswith("bibtexparser")] == []


@pytest.mark.parametrize("depth", [17, 2000, 100_000])
def test_csl_json_nested_too_deep_is_refused_before_anything_reads_it(
        lib: Path, files: Files, capsys: pytest.CaptureFixture[str], depth: int) -> None:
    before = (lib / "sources.yaml").read_bytes()
    items = files("items.json", '[{"id": "a", "title": "Talks", "note": ' + "[" * (depth - 2)
                  + "]" * (depth - 2) + "}]")
    assert main(["sources", "import-csl", str(items), "--library", str(lib)]) == 1
    assert f"{items}: is not CSL-JSON: its lists and objects nest more than 16 levels deep" in (
        capsys.readouterr().err)
    assert (lib / "sources.yaml").read_bytes() == before

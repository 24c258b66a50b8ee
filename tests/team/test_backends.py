"""The same commands on a folder library and on a team library in PostgreSQL give the same
results: sources, show, search, cite, check and export (parametrised over both backends)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from briefkit.brief.store import load_brief
from briefkit.cli import main
from briefkit.library.postgres.transfer import push_library


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(params=["folder", "postgres"])
def library(request: pytest.FixtureRequest, sample_dir: Path) -> str:
    """The sample library as a folder path, or pushed into a fresh team library (its URL)."""
    if request.param == "folder":
        return str(sample_dir)
    url: str = request.getfixturevalue("team_url")
    push_library(sample_dir, url)
    return url


@pytest.fixture
def brief(library: str, sample_dir: Path) -> Path:
    """The sample brief, its `library:` naming the library under test."""
    path = sample_dir / "venezuela.brief.yaml"
    path.write_text(with_library(path.read_text(encoding="utf-8"), library), encoding="utf-8")
    return path


def with_library(text: str, library: str) -> str:
    """A brief's text with its top-level `library:` set (added after `title:` if missing)."""
    line = f"library: '{library}'"
    if re.search(r"(?m)^library: ", text):
        return re.sub(r"(?m)^library: .*$", line, text)
    return re.sub(r"(?m)^(title: .*)$", lambda m: m.group(1) + "\n" + line, text, count=1)


def test_sources_lists_the_sample_sources_as_the_folder_does(
        capsys: pytest.CaptureFixture[str], library: str, sample_dir: Path) -> None:
    status, out, _ = run(capsys, "sources", "--library", library, "--json")
    _, expected, _ = run(capsys, "sources", "--library", str(sample_dir), "--json")
    assert status == 0
    fields = ("id", "title", "outlet", "issued")
    rows = [tuple(r[k] for k in fields) for r in json.loads(out)]
    assert len(rows) == 5
    assert rows == [tuple(r[k] for k in fields) for r in json.loads(expected)]


def test_show_prints_the_same_reading_text_and_paragraphs(capsys: pytest.CaptureFixture[str],
                                                          library: str, sample_dir: Path) -> None:
    status, out, _ = run(capsys, "show", "fal-redlines", "--library", library, "--json")
    _, expected, _ = run(capsys, "show", "fal-redlines", "--library", str(sample_dir), "--json")
    assert status == 0
    assert json.loads(out) == json.loads(expected)


def test_an_unknown_source_suggests_a_close_id(capsys: pytest.CaptureFixture[str],
                                               library: str) -> None:
    status, _, err = run(capsys, "show", "fal-redline", "--library", library)
    assert status == 2
    assert "unknown source 'fal-redline' (did you mean 'fal-redlines'?)" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("query", ["sanctions", '"maximum pressure"', "negotiat*",
                                   "Maduro OR Guaidó", "sanctions NOT oil"])
def test_search_finds_highlighted_passages(capsys: pytest.CaptureFixture[str], library: str,
                                           query: str) -> None:
    status, out, _ = run(capsys, "search", query, "--library", library, "--json", "--limit", "50")
    hits = json.loads(out)
    assert status == 0 and hits
    assert all("[[" in h["snippet"] and "]]" in h["snippet"] for h in hits)
    if query == "sanctions NOT oil":
        assert not any(re.search(r"\boil\b", h["snippet"], re.I) for h in hits)
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_search_in_one_source(capsys: pytest.CaptureFixture[str], library: str) -> None:
    status, out, _ = run(capsys, "search", "sanctions", "--source", "fal-redlines",
                         "--library", library, "--json")
    assert status == 0
    assert {h["source"] for h in json.loads(out)} == {"fal-redlines"}


def test_cite_check_and_export_read_the_brief_s_library(capsys: pytest.CaptureFixture[str],
                                                        brief: Path, library: str,
                                                        tmp_path: Path, sample_dir: Path) -> None:
    status, out, err = run(capsys, "check", str(brief), "--json")
    assert status in (0, 1), err
    findings = json.loads(out)["findings"]
    assert not [f for f in findings if f["code"] in ("orphaned-quote", "unknown-source",
                                                     "needs-review", "moved-quote")]
    status, out, err = run(capsys, "cite", str(brief), "--position", "pressure", "--source",
                           "smilde-max-pressure", "--quote", "maximum pressure", "--json")
    assert status == 0, err
    cited = json.loads(out)
    assert load_brief(brief).find_citation(cited["id"]) is not None
    out_md = tmp_path / "brief.md"
    status, _, err = run(capsys, "export", str(brief), "--to", "md", "-o", str(out_md))
    assert status == 0, err
    # The same brief over the folder library exports the same Markdown, byte for byte.
    folder_brief = sample_dir / "folder.brief.yaml"
    folder_brief.write_text(with_library(brief.read_text(encoding="utf-8"), str(sample_dir)),
                            encoding="utf-8")
    expected = tmp_path / "folder.md"
    assert run(capsys, "export", str(folder_brief), "--to", "md", "-o", str(expected))[0] == 0
    assert out_md.read_bytes() == expected.read_bytes()

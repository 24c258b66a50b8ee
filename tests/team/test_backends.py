"""The same commands on a folder library and on a team library in PostgreSQL give the same
results: sources, show, search, cite, check, export, sources edit, import-csl and import-bib
(parametrised over both backends); and, for the team library, a metadata edit seen by another
analyst's session and a reader's edit refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import psycopg
import pytest

from briefkit.brief.store import load_brief
from briefkit.cli import main
from briefkit.library.interface import open_library
from briefkit.library.postgres.target import LibraryTarget
from briefkit.library.postgres.transfer import push_library
from briefkit.library.postgres.writes import CHANNEL
from tests.team.conftest import Server, readme_sql


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


def csl(library: str, source_id: str) -> dict[str, object]:
    return open_library(library).entry(source_id).csl


def test_edit_sets_title_authors_date_and_url(capsys: pytest.CaptureFixture[str],
                                             library: str) -> None:
    status, out, err = run(capsys, "sources", "edit", "rs-back-burner", "--title", "Back Burner",
                           "--author", "Smilde, David", "--author", "Crisis Group", "--date",
                           "2021-08", "--url", "https://x.example/rs", "--library", library)
    assert status == 0, err
    assert out == "rs-back-burner: changed title, author, issued, URL\n"
    item = csl(library, "rs-back-burner")
    assert item["title"] == "Back Burner" and item["URL"] == "https://x.example/rs"
    assert item["author"] == [{"family": "Smilde", "given": "David"}, {"literal": "Crisis Group"}]
    assert item["issued"] == {"date-parts": [[2021, 8]]}
    assert item["genre"] == "Analysis"  # fields not named stay
    status, out, _ = run(capsys, "sources", "edit", "rs-back-burner", "--title", "Back Burner",
                         "--url", "", "--library", library)
    assert (status, out) == (0, "rs-back-burner: changed URL\n")
    assert "URL" not in csl(library, "rs-back-burner")


def test_edit_refuses_a_bad_date_and_an_unknown_source_and_changes_nothing(
        capsys: pytest.CaptureFixture[str], library: str) -> None:
    before = csl(library, "fal-redlines")
    status, _, err = run(capsys, "sources", "edit", "fal-redlines", "--title", "New",
                         "--date", "last May", "--library", library)
    assert status == 2 and "YYYY" in err
    status, _, err = run(capsys, "sources", "edit", "fal-redline", "--title", "New",
                         "--library", library)
    assert status == 2 and "did you mean 'fal-redlines'?" in err
    assert csl(library, "fal-redlines") == before


def test_csl_import_matches_by_title_and_url_and_reports_the_rest(
        capsys: pytest.CaptureFixture[str], library: str, tmp_path: Path) -> None:
    run(capsys, "sources", "edit", "smilde-max-pressure", "--url",
        "https://www.x.example/smilde/?utm_source=mail", "--library", library)
    items = [
        {"id": "zot1", "type": "report", "title": "VENEZUELA - Negotiations, Leverage "
         "and U.S. Redlines", "publisher": "FAL", "issued": {"date-parts": [[2021]]}},
        {"id": "zot2", "type": "article-newspaper", "title": "Maximum pressure failed",
         "URL": "http://x.example/smilde"},
        {"id": "zot3", "type": "book", "title": "Nothing like it"},
    ]
    export = tmp_path / "zotero.json"
    export.write_text(json.dumps(items), encoding="utf-8")
    status, out, err = run(capsys, "sources", "import-csl", str(export), "--library", library)
    assert status == 0, err
    assert out.splitlines() == [
        f"{export}: 2 matched, 1 not matched",
        "  zot1 -> fal-redlines (by title): updated title, publisher, issued",
        "  zot2 -> smilde-max-pressure (by URL): updated title, URL",
        "  zot3: no source matches",
        "  sources with no item in the file: oped-group-of-friends, crisisgroup-reboot, "
        "rs-back-burner"]
    fal = csl(library, "fal-redlines")
    assert fal["publisher"] == "FAL" and fal["issued"] == {"date-parts": [[2021]]}
    assert csl(library, "smilde-max-pressure")["title"] == "Maximum pressure failed"
    status, out, _ = run(capsys, "sources", "import-csl", str(export), "--library", library)
    assert "zot1 -> fal-redlines (by title): already up to date" in out


def test_bibtex_import_matches_by_doi(capsys: pytest.CaptureFixture[str], library: str,
                                      tmp_path: Path) -> None:
    run(capsys, "sources", "edit", "crisisgroup-reboot", "--url",
        "https://doi.org/10.1234/CG.2020", "--library", library)
    bib = tmp_path / "refs.bib"
    bib.write_text("@techreport{cg2020,\n  title = {A {Twist} in Caracas},\n"
                   "  author = {Doe, Jane and {International Crisis Group}},\n"
                   "  institution = {Crisis Group}, year = {2020}, month = aug,\n"
                   "  doi = {10.1234/cg.2020}\n}\n", encoding="utf-8")
    status, out, err = run(capsys, "sources", "import-bib", str(bib), "--library", library)
    assert status == 0, err
    assert "cg2020 -> crisisgroup-reboot (by DOI)" in out
    item = csl(library, "crisisgroup-reboot")
    assert item["title"] == "A Twist in Caracas" and item["type"] == "report"
    assert item["author"] == [{"family": "Doe", "given": "Jane"},
                              {"literal": "International Crisis Group"}]


def test_a_team_edit_is_announced_and_seen_by_another_session(
        capsys: pytest.CaptureFixture[str], sample_dir: Path, team_url: str) -> None:
    push_library(sample_dir, team_url)
    other = open_library(team_url)  # another analyst's open library
    with psycopg.connect(LibraryTarget.parse(team_url).conninfo, autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        assert run(capsys, "sources", "edit", "fal-redlines", "--title", "Redlines",
                   "--library", team_url)[0] == 0
        note = next(listener.notifies(timeout=5, stop_after=1))
    assert json.loads(note.payload)["source"] == "fal-redlines"
    assert json.loads(note.payload)["action"] == "updated"
    other.reload()  # type: ignore[attr-defined]
    assert other.entry("fal-redlines").title == "Redlines"
    # A push of the folder afterwards puts the folder's metadata back: the folder is its source.
    assert push_library(sample_dir, team_url).count("updated") == 1


def test_a_reader_s_edit_and_import_are_refused_with_one_message(
        team_roles: Server, sample_dir: Path, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    dbname = team_roles.database()
    push_library(sample_dir, team_roles.url(dbname))
    team_roles.sql(dbname, readme_sql("roles-sql").replace("team_db", dbname))
    reader = team_roles.url(dbname, user="bob")
    status, _, err = run(capsys, "sources", "edit", "fal-redlines", "--title", "X",
                         "--library", reader)
    assert status == 2 and "read-only" in err and err.count("\n") == 1
    export = tmp_path / "zotero.json"
    export.write_text(json.dumps([{"id": "z", "title": "Venezuela: Negotiations, Leverage, "
                                   "and U.S. Redlines", "publisher": "Y"}]), encoding="utf-8")
    status, _, err = run(capsys, "sources", "import-csl", str(export), "--library", reader)
    assert status == 2 and "read-only" in err and err.count("\n") == 1
    assert open_library(team_roles.url(dbname)).entry("fal-redlines").csl["publisher"] == (
        "Forum for American Leadership")

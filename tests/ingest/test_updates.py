"""Re-adding a source: identical content skipped, changed text re-anchors the briefs citing it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from made_files import HTML_PAGE

from briefkit.brief.anchoring import anchor_quote
from briefkit.brief.model import Citation, Position
from briefkit.brief.store import load_brief, new_brief, save_brief
from briefkit.cli import main
from briefkit.library.library import Library
from briefkit.workflows.source_updates import add_sources

Files = Callable[[str, bytes | str], Path]
V1 = ("The ministry published its figures on Monday.\n\n"
      "Oil revenue fell by half after the sanctions of 2019.\n\n"
      "Talks resume in Mexico City next month.\n")


def cite(library: Path, brief_path: Path, quotes: dict[str, str], source: str = "report") -> None:
    brief = new_brief(brief_path, title="Test", library=".")
    text = Library.open(library).source(source).text
    position = Position(id="p", title="P")
    for cid, quote in quotes.items():
        position.citations.append(Citation(id=cid, source=source, anchor=anchor_quote(text, quote)))
    brief.positions.append(position)
    save_brief(brief)
    raw = brief_path.read_text(encoding="utf-8")
    brief_path.write_text("# analyst's note: keep this comment\n" + raw, encoding="utf-8")


def test_same_content_under_two_names_is_one_source(library: Path, files: Files) -> None:
    a = files("report.txt", V1)
    b = files("copy-of-report.txt", V1)
    report = add_sources(library, [a, b])
    assert [x.action for x in report.added.files] == ["added", "duplicate"]
    assert "same content as source report" in report.added.files[1].detail
    assert list(Library.open(library).entries) == ["report"]


def test_adding_the_same_file_again_is_recognised_and_skipped(library: Path, files: Files) -> None:
    path = files("report.txt", V1)
    add_sources(library, [path])
    before = (library / "sources.yaml").read_bytes()
    report = add_sources(library, [path])
    assert report.added.files[0].action == "unchanged"
    assert (library / "sources.yaml").read_bytes() == before


def test_new_version_moves_quotes_and_orphans_the_vanished_one(library: Path, files: Files) -> None:
    add_sources(library, [files("report.txt", V1)])
    brief_path = library / "talks.brief.yaml"
    cite(library, brief_path, {"kept": "Oil revenue fell by half", "gone": "Talks resume in Mexico City"})
    v2 = "A new opening paragraph was added.\n\n" + V1.replace("Talks resume in Mexico City next month.",
                                                             "Talks are off.")
    report = add_sources(library, [files("v2/report.txt", v2)])
    assert report.added.files[0].action == "updated"
    outcome = {r.citation: r for r in report.reanchored}
    assert outcome["kept"].status == "moved"
    assert outcome["gone"].status == "orphaned"
    assert not report.ok
    brief = load_brief(brief_path)
    text = Library.open(library).source("report").text
    kept = brief.find_citation("kept")[1].anchor  # type: ignore[index]
    assert text[kept.start:kept.end] == "Oil revenue fell by half"
    gone = brief.find_citation("gone")[1].anchor  # type: ignore[index]
    assert gone.quote == "Talks resume in Mexico City"  # not re-pointed anywhere
    assert brief_path.read_text(encoding="utf-8").startswith("# analyst's note: keep this comment")


def test_briefs_outside_the_library_are_re_anchored_when_named(
        library: Path, files: Files, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_sources(library, [files("report.txt", V1)])
    outside = tmp_path / "elsewhere" / "memo.brief.yaml"
    outside.parent.mkdir()
    cite(library, outside, {"k": "Oil revenue fell by half"})
    brief = load_brief(outside)
    brief.library = str(library)
    save_brief(brief)
    new = files("v2/report.txt", "Preface.\n\n" + V1)
    status = main(["sources", "add", str(new), "--brief", str(outside), "--library", str(library)])
    out = capsys.readouterr().out
    assert status == 0
    assert "citation k (report) moved" in out
    anchor = load_brief(outside).find_citation("k")[1].anchor  # type: ignore[index]
    assert anchor.start == V1.index("Oil revenue") + len("Preface.\n\n")


def test_html_with_the_same_canonical_url_updates_that_source(library: Path, files: Files) -> None:


    add_sources(library, [files("ledger.html", HTML_PAGE)])
    changed = HTML_PAGE.replace("next month", "in the spring")
    report = add_sources(library, [files("saved-again.html", changed)])
    assert [(x.action, x.source_id) for x in report.added.files] == [("updated", "ledger")]
    assert "in the spring" in Library.open(library).source("ledger").text

"""Adding sources to a team library whose connection the server dropped while the files were
read: the add carries on, on a fresh connection (it used to keep the first connection in a
local variable and fail); and a source watch that lost its connection listens again and says
that any source may have changed meanwhile."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from briefkit.brief.anchoring import anchor_range
from briefkit.brief.model import Brief, Citation, Position
from briefkit.library.postgres.library import PostgresLibrary
from briefkit.library.postgres.target import LibraryTarget
from briefkit.workflows.team_briefs import create_team_brief, update_team_brief
from briefkit.workflows.team_sources import SourceChanges, SourceWatch, add_team_sources
from tests.team.conftest import Server, pg_server, team_url  # noqa: F401  (the fixtures)
from tests.team.test_reconnect import drop_connections, team  # noqa: F401

QUOTE = "Washington should prepare and be ready to launch new rounds of sanctions"


def test_an_add_whose_connection_was_dropped_while_files_were_read_carries_on(
        team: str, pg_server: Server, sample_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    brief = LibraryTarget.parse(team).brief_url("memo")
    create_team_brief(brief, title="Memo", template="options-memo")
    library = PostgresLibrary.open(team)
    text = library.source("fal-redlines").text
    library.close()
    start = text.index(QUOTE)

    def cite(b: Brief) -> bool:
        b.positions.append(Position("pressure", "Pressure", citations=[Citation(
            "q1", "fal-redlines", anchor_range(text, start, start + len(QUOTE)))]))
        return True

    update_team_brief(brief, cite, summary="cite")
    new = tmp_path / "fresh-note.md"
    new.write_text("# A fresh note\n\nNothing but a fresh note on the talks.\n", encoding="utf-8")
    original = next(sample_dir.glob("fal-*"))
    replaced = tmp_path / "fal-redlines.md"
    replaced.write_text("A preface the new edition adds.\n\n"
                        + original.read_text(encoding="utf-8"), encoding="utf-8")
    dropped: list[int] = []

    def progress(line: str) -> None:  # while the files are read, the server drops the library's
        if not dropped:
            dropped.append(drop_connections(pg_server, team))

    report = add_team_sources(team, [new], progress=progress)
    assert dropped == [1] and report.actions == {"fresh-note": "added"}
    dropped.clear()
    report = add_team_sources(team, [replaced], source_id="fal-redlines", progress=progress)
    assert dropped == [1] and report.actions == {"fal-redlines": "replaced"}
    assert [(r.citation, r.status) for r in report.reanchored] == [("q1", "moved")]
    library = PostgresLibrary.open(team)
    try:
        assert "fresh-note" in library.entries
        assert library.source("fal-redlines").text.startswith("A preface")
    finally:
        library.close()


def test_a_source_watch_that_lost_its_connection_listens_again_and_says_any_may_have_changed(
        team: str, pg_server: Server, tmp_path: Path) -> None:  # noqa: F811
    watch = SourceWatch(team, retry=0.1)
    try:
        assert watch.listening.wait(10)
        new = tmp_path / "first-note.md"
        new.write_text("# First note\n\nA first note on the talks.\n", encoding="utf-8")
        add_team_sources(team, [new])
        heard = until_heard(watch)
        assert heard.actions == {"first-note": "added"} and not heard.unknown
        assert watch.take() is None
        watch.listening.clear()
        assert drop_connections(pg_server, team) == 1
        assert watch.listening.wait(10)
        heard = until_heard(watch)
        assert heard.unknown and "may have changed" in heard.summary()
    finally:
        watch.close()


def until_heard(watch: SourceWatch, limit: float = 10.0) -> SourceChanges:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        heard = watch.take()
        if heard is not None:
            return heard
        time.sleep(0.02)
    pytest.fail("nothing heard")

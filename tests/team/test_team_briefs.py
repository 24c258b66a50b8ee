"""Briefs stored in a team library: created, cited into, checked, exported and logged through
the CLI; compare-and-swap saves that merge concurrent edits; LISTEN/NOTIFY of saves; and eight
processes citing into one brief at once, as two database users, losing nothing."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import subprocess
import sys
import time
from multiprocessing.queues import Queue
from pathlib import Path

import pytest

from briefkit.brief.model import Position
from briefkit.brief.revisions import base_copy
from briefkit.cli import main
from briefkit.library.postgres.target import LibraryTarget
from briefkit.library.postgres.transfer import push_library
from briefkit.workflows.team_briefs import (
    listen,
    load_team_brief,
    save_team_brief,
    update_team_brief,
    wait_for_saves,
)
from tests.team.conftest import Server, readme_sql


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def team_brief(sample_dir: Path, team_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """A new team brief 'memo' in a team library holding the sample sources."""
    push_library(sample_dir, team_url)
    status, out, err = run(capsys, "new", "memo", "--library", team_url, "--title", "Memo")
    assert status == 0, err
    url = LibraryTarget.parse(team_url).brief_url("memo")
    assert out.strip() == f"created {url}"
    return url


def test_cite_check_export_and_log_work_on_a_team_brief(
        team_brief: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for quote in ("maximum pressure", "Redlines for Negotiations"):
        source = "smilde-max-pressure" if quote == "maximum pressure" else "fal-redlines"
        status, _, err = run(capsys, "cite", team_brief, "--position", "pressure",
                             "--create-position", "--source", source, "--quote", quote)
        assert status == 0, err
    brief, revision = load_team_brief(team_brief)
    assert revision == 3
    assert [c.source for _, c in brief.citations()] == ["smilde-max-pressure", "fal-redlines"]
    status, out, _ = run(capsys, "check", team_brief, "--json")
    assert not [f for f in json.loads(out)["findings"]
                if f["code"] in ("orphaned-quote", "unknown-source", "moved-quote")]
    status, _, err = run(capsys, "export", team_brief, "--to", "md", "-o", str(tmp_path / "m.md"))
    assert status == 0, err
    assert "maximum pressure" in (tmp_path / "m.md").read_text(encoding="utf-8")
    status, out, _ = run(capsys, "summary", team_brief)
    assert status == 0 and f"library {LibraryTarget.parse(team_brief).library_url}" in out
    status, out, _ = run(capsys, "log", team_brief, "--json")
    log = json.loads(out)
    assert [(c["revision"], c["by"]) for c in log] == [(1, "postgres"), (2, "postgres"),
                                                       (3, "postgres")]
    assert log[0]["summary"] == "created" and "cite fal-redlines in pressure" in log[2]["summary"]


def test_an_editor_s_save_merges_what_another_saved_meanwhile(team_brief: str) -> None:
    mine, revision = load_team_brief(team_brief)
    base = base_copy(mine)
    mine.positions.append(Position(id="relief", title="Phased relief"))

    def theirs(brief):  # another analyst adds a section while mine is open
        brief.sections["background"] = "Talks moved to Mexico City."
        return True

    update_team_brief(team_brief, theirs, summary="background")
    result = save_team_brief(mine, base, revision, team_brief)
    assert result.saved and result.revision == revision + 2
    saved, now = load_team_brief(team_brief)
    assert now == result.revision
    assert [p.id for p in saved.positions] == ["relief"]
    assert saved.sections["background"] == "Talks moved to Mexico City."


def test_a_real_conflict_is_shown_to_the_one_saving_and_nothing_is_written(team_brief: str) -> None:
    mine, revision = load_team_brief(team_brief)
    base = base_copy(mine)
    mine.title = "Mine"

    def retitle(brief):
        brief.title = "Theirs"
        return True

    update_team_brief(team_brief, retitle, summary="title")
    result = save_team_brief(mine, base, revision, team_brief)
    assert not result.saved and [c.key for c in result.merge.unresolved] == ["title"]
    assert load_team_brief(team_brief)[0].title == "Theirs"
    settled = save_team_brief(mine, base, revision, team_brief, {"title": "mine"})
    assert settled.saved and load_team_brief(team_brief)[0].title == "Mine"


def test_a_listener_hears_of_another_analyst_s_save(team_brief: str) -> None:
    conn = listen(team_brief)
    try:
        subprocess.run([sys.executable, "-m", "briefkit", "cite", team_brief, "--position", "p",
                        "--create-position", "--source", "fal-redlines", "--quote",
                        "Redlines for Negotiations"], check=True, capture_output=True)
        heard = wait_for_saves(conn, timeout=10)
    finally:
        conn.close()
    assert [(n["brief"], n["revision"], n["by"]) for n in heard] == [("memo", 2, "postgres")]


def _cite_for(url: str, worker: int, seconds: float, counts: Queue) -> None:
    """A forked analyst: cite through the CLI until time is up, then report how many landed."""
    done, stop = 0, time.monotonic() + seconds
    status = 0
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        while time.monotonic() < stop and status == 0:
            status = main(["cite", url, "--position", f"p{worker}", "--create-position",
                           "--source", "fal-redlines", "--quote", "Redlines for Negotiations",
                           "--id", f"w{worker}-{done}"])
            done += status == 0
    counts.put((worker, done, status))
    counts.close()
    counts.join_thread()
    os._exit(0)  # not the parent's exit handlers: they would close its connections


@pytest.mark.long
def test_eight_processes_citing_into_one_brief_lose_no_update(
        team_roles: Server, team_brief: str) -> None:
    """8 processes, as two database users (alice and carol, editors), cite into one team brief
    for 5 s each; every citation a process saw saved is in the brief, each once."""
    dbname = LibraryTarget.parse(team_brief).conninfo.rsplit("/", 1)[1].split("?")[0]
    team_roles.sql(dbname, readme_sql("roles-sql").replace("team_db", dbname))
    team_roles.sql(dbname, f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                           f"'carol') THEN CREATE ROLE carol LOGIN IN ROLE briefkit_editor; "
                           f"END IF; END $$")
    fork = multiprocessing.get_context("fork")  # modules already imported: no start-up cost
    queue: Queue = fork.Queue()
    procs = [fork.Process(target=_cite_for, args=(
        team_brief.replace("user=postgres", f"user={'alice' if w % 2 else 'carol'}"), w, 5.0,
        queue)) for w in range(8)]
    started = time.monotonic()
    for proc in procs:
        proc.start()
    results = sorted(queue.get(timeout=120) for _ in procs)
    for proc in procs:
        proc.join(timeout=30)
    elapsed = time.monotonic() - started
    assert [status for _, _, status in results] == [0] * 8
    counts = [done for _, done, _ in results]
    brief, revision = load_team_brief(team_brief)
    ids = [c.id for _, c in brief.citations()]
    expected = {f"w{w}-{n}" for w, count in enumerate(counts) for n in range(count)}
    lost = expected - set(ids)
    print(f"\n8 processes, {sum(counts)} cites in {elapsed:.1f} s "
          f"({sum(counts) / elapsed:.1f}/s), revision {revision}, lost updates: {len(lost)}")
    assert sum(counts) >= 8
    assert not lost and len(ids) == len(set(ids)) == len(expected)
    assert revision == 1 + sum(counts)


def test_replacing_a_source_re_anchors_team_briefs_in_the_same_transaction(
        team_brief: str, sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library_url = LibraryTarget.parse(team_brief).library_url
    assert run(capsys, "cite", team_brief, "--position", "p", "--create-position", "--source",
               "smilde-max-pressure", "--quote", "maximum pressure", "--id", "mp")[0] == 0
    before = load_team_brief(team_brief)[0].find_citation("mp")[1].anchor.start
    original = (sample_dir / "smilde-maximum-pressure-failed.txt").read_text(encoding="utf-8")
    at = original.index("\n\n")
    changed = tmp_path / "smilde.txt"
    changed.write_text(original[:at] + "\n\nA new editor's note.\n" + original[at:],
                       encoding="utf-8")
    status, out, err = run(capsys, "sources", "add", str(changed), "--id", "smilde-max-pressure",
                           "--library", library_url, "--json")
    assert status == 0, err
    assert [(r["brief"], r["citation"], r["status"]) for r in json.loads(out)["reanchored"]] == [
        ("memo", "mp", "moved")]
    brief, revision = load_team_brief(team_brief)
    assert brief.find_citation("mp")[1].anchor.start > before and revision == 3
    status, out, _ = run(capsys, "log", team_brief, "--json")
    assert json.loads(out)[-1]["summary"] == "re-anchored mp: source smilde-max-pressure replaced"
    status, out, _ = run(capsys, "check", team_brief, "--json")
    assert not [f for f in json.loads(out)["findings"] if f["citation"] == "mp"]


def test_check_fix_saves_moved_quotes_of_a_team_brief_as_a_new_revision(
        team_brief: str, sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "cite", team_brief, "--position", "p", "--create-position", "--source",
               "smilde-max-pressure", "--quote", "maximum pressure", "--id", "mp")[0] == 0
    text = sample_dir / "smilde-maximum-pressure-failed.txt"
    original = text.read_text(encoding="utf-8")
    at = original.index("\n\n")
    text.write_text(original[:at] + "\n\nA new editor's note.\n" + original[at:], encoding="utf-8")
    push_library(sample_dir, LibraryTarget.parse(team_brief).library_url)  # no re-anchoring
    status, out, _ = run(capsys, "check", team_brief, "--json")
    assert [f["code"] for f in json.loads(out)["findings"] if f["citation"] == "mp"] == [
        "moved-quote"]
    status, out, _ = run(capsys, "check", team_brief, "--fix", "--json")
    assert json.loads(out)["fixed"] == ["mp"]
    assert not [f for f in json.loads(out)["findings"] if f["citation"] == "mp"]
    assert load_team_brief(team_brief)[1] == 3
    status, out, _ = run(capsys, "log", team_brief, "--json")
    assert json.loads(out)[-1]["summary"] == "re-anchored mp"

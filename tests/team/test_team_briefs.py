"""Briefs stored in a team library: created, cited into, checked, exported and logged through
the CLI; compare-and-swap saves that merge concurrent edits; LISTEN/NOTIFY of saves; and eight
processes citing into and saving one brief at once (through the CLI and as the TUI does), as
two database users, losing nothing."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from multiprocessing.queues import Queue
from pathlib import Path

import pytest

from briefkit import yamlio
from briefkit.brief.model import Position
from briefkit.brief.revisions import base_copy
from briefkit.cli import main
from briefkit.errors import BriefFileError
from briefkit.library.postgres.target import LibraryTarget
from briefkit.library.postgres.transfer import push_library
from briefkit.workflows.team_briefs import (
    BriefWatch,
    _stored_library,
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
    # the new brief's sections are empty: each warning names the brief by its URL (it has no file)
    assert f"briefkit: warning: {team_brief}: section 'summary' is empty" in err
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


@pytest.mark.parametrize("text", [
    "title: x\nlibrary: ../lib\n",
    "title: x\nlibrary: 'a: b'\n",
    'library: "a long URL\n  wrapped"\ntitle: y\n',
    "library:\n  postgresql://x/y\n\n# a comment\ntitle: z\n",
    "title: |\n  library: not this one\nlibrary: this one\n",
    "title: no library\n",
    "library: 5\n",
])
def test_the_stored_library_is_read_as_loading_the_whole_brief_reads_it(text: str) -> None:
    assert _stored_library(text) == str(yamlio.loads(text, "b", BriefFileError).get("library", "."))


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


def test_a_watch_that_lost_its_connection_still_hears_the_save_made_meanwhile(
        team_brief: str, pg_server: Server) -> None:
    watch = BriefWatch(team_brief, 1, retry=0.1)
    try:
        assert watch.listening.wait(10)
        dbname = LibraryTarget.parse(team_brief).conninfo.rsplit("/", 1)[1].split("?")[0]
        pg_server.sql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  f"WHERE datname = '{dbname}' AND application_name = 'briefkit'")
        update_team_brief(team_brief, lambda brief: setattr(brief, "subtitle", "Meanwhile") or True,
                          summary="subtitle")  # announced while the watch is not listening
        deadline = time.monotonic() + 10
        while (found := watch.newer_than(1)) is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        watch.close()
    assert found is not None and found[1] == 2 and found[0].subtitle == "Meanwhile"


QUOTE = "Redlines for Negotiations"


def _cite_for(url: str, worker: int, seconds: float, counts: Queue) -> None:
    """A forked analyst citing through the CLI (`briefkit cite`, one compare-and-swap change
    each) until time is up; reports the citations it saw saved."""
    landed: list[str] = []
    stop, status = time.monotonic() + seconds, 0
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        while time.monotonic() < stop and status == 0:
            cid = f"w{worker}-{len(landed)}"
            status = main(["cite", url, "--position", f"p{worker}", "--create-position",
                           "--source", "fal-redlines", "--quote", QUOTE, "--id", cid])
            if status == 0:
                landed.append(cid)
    _report(counts, ("cli", worker, status, landed, len(landed), 0))


def _edit_for(url: str, worker: int, seconds: float, counts: Queue) -> None:
    """A forked analyst holding the brief open as the TUI does (`TeamDraft`): cites into its own
    position, takes others' saves in when idle, and saves every so often, merging what others
    saved meanwhile; reports the citations (by note) it saw saved, its saves and merges."""
    from briefkit.library.postgres.library import PostgresLibrary
    from briefkit.tui.team_draft import open_team_draft

    rng = random.Random(worker)
    text = PostgresLibrary.open(url).source("fal-redlines").text
    start = text.index(QUOTE)
    draft = open_team_draft(url)
    position = draft.add_position(f"Editor {worker}").id
    landed: list[str] = []
    pending: list[str] = []
    saves = merges = status = 0
    stop = time.monotonic() + seconds
    try:
        while True:
            result = draft.save()
            if not result.saved:  # a conflict: nothing here edits what another edits
                status = 1
                break
            saves, merges = saves + 1, merges + (result.merge is not None)
            landed, pending = landed + pending, []
            if time.monotonic() >= stop:
                break
            theirs = draft.outside_change()
            if theirs is not None and rng.random() < 0.5 and draft.take_outside(theirs).unresolved:
                status = 2
                break
            for _ in range(rng.randint(1, 3)):
                note = f"e{worker}-{len(landed) + len(pending)}"
                draft.cite(position, "fal-redlines", text, start, start + len(QUOTE), note=note)
                pending.append(note)
            time.sleep(rng.uniform(0, 0.2))  # others save meanwhile
    finally:
        draft.close()
    _report(counts, ("tui", worker, status, landed, saves, merges))


def _report(counts: Queue, result: tuple[object, ...]) -> None:
    counts.put(result)
    counts.close()
    counts.join_thread()
    os._exit(0)  # not the parent's exit handlers: they would close its connections


def _analyst(target: Callable[[str, int, float, Queue], None], url: str, worker: int,
             seconds: float, counts: Queue) -> None:
    try:
        target(url, worker, seconds, counts)
    except BaseException as exc:  # reported, so the test fails saying why, not on a timeout
        _report(counts, ("error", worker, repr(exc), [], 0, 0))


@pytest.mark.long
def test_eight_processes_citing_into_and_saving_one_brief_lose_no_update(
        team_roles: Server, team_brief: str) -> None:
    """8 processes, as two database users (alice and carol, editors), for 30 s: 4 cite through
    the CLI, 4 hold the brief open as the TUI does and save their citations, merging others'.
    Every citation a process saw saved is in the brief, each once; every save is a revision."""
    dbname = LibraryTarget.parse(team_brief).conninfo.rsplit("/", 1)[1].split("?")[0]
    team_roles.sql(dbname, readme_sql("roles-sql").replace("team_db", dbname))
    team_roles.sql(dbname, f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                           f"'carol') THEN CREATE ROLE carol LOGIN IN ROLE briefkit_editor; "
                           f"END IF; END $$")
    fork = multiprocessing.get_context("fork")  # modules already imported: no start-up cost
    queue: Queue = fork.Queue()
    procs = [fork.Process(target=_analyst, args=(
        _cite_for if w < 4 else _edit_for,
        team_brief.replace("user=postgres", f"user={'alice' if w % 2 else 'carol'}"), w, 30.0,
        queue)) for w in range(8)]
    started = time.monotonic()
    for proc in procs:
        proc.start()
    results = sorted(queue.get(timeout=180) for _ in procs)
    for proc in procs:
        proc.join(timeout=30)
    elapsed = time.monotonic() - started
    statuses = [(kind, status) for kind, _, status, *_ in results]
    assert statuses == [("cli", 0)] * 4 + [("tui", 0)] * 4
    brief, revision = load_team_brief(team_brief)
    ids = [c.id for _, c in brief.citations()]
    notes = [c.note for p in brief.positions if p.id.startswith("editor-") for c in p.citations]
    cited = [cid for kind, _, _, landed, _, _ in results if kind == "cli" for cid in landed]
    edited = [note for kind, _, _, landed, _, _ in results if kind == "tui" for note in landed]
    lost = (set(cited) - set(ids)) | (set(edited) - set(notes))
    saves = sum(r[4] for r in results)
    merges = sum(r[5] for r in results)
    print(f"\n8 processes ({elapsed:.1f} s): {len(cited)} CLI cites, {len(edited)} citations in "
          f"{saves - len(cited)} editor saves ({merges} merged others' saves), "
          f"{saves / elapsed:.1f} saves/s, revision {revision}, lost updates: {len(lost)}")
    assert len(cited) >= 4 and len(edited) >= 4 and merges > 0
    assert not lost
    assert sorted(ids) == sorted(set(ids)) and sorted(notes) == sorted(edited)  # each once
    assert len(ids) == len(cited) + len(edited)  # nothing made up either
    assert revision == 1 + saves


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

"""push and pull between a folder library and a team library; sources add into a team library;
the messages for a URL with a password, a database never set up, and a read-only user."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from briefkit.brief.store import load_brief
from briefkit.cli import main
from briefkit.library.interface import open_library
from briefkit.library.postgres.target import LibraryTarget
from briefkit.library.postgres.transfer import WRITERS, pull_library, push_library
from tests.team.conftest import Server, readme_sql

def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_push_twice_changes_nothing_the_second_time(sample_dir: Path, team_url: str) -> None:
    first = push_library(sample_dir, team_url)
    second = push_library(sample_dir, team_url)
    assert first.count("added") == 5
    assert second.count("unchanged") == 5 and second.count("added") == 0


def test_an_interrupted_push_run_again_finishes(sample_dir: Path, team_url: str) -> None:
    seen: list[str] = []

    def stop_after_two(line: str) -> None:
        seen.append(line)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):  # batches of one source: stopped after two commits
        push_library(sample_dir, team_url, stop_after_two, batch_bytes=1)
    again = push_library(sample_dir, team_url)
    # The batches in flight when it stopped (one per writer at most) commit or not, whole.
    reported = {line.rsplit("(", 1)[1].split()[0] for line in seen}
    assert reported <= set(again.actions["unchanged"])
    assert 2 <= again.count("unchanged") <= 2 + WRITERS
    assert again.count("unchanged") + again.count("added") == 5


@pytest.mark.long
def test_a_push_killed_at_random_moments_leaves_whole_sources(sample_dir: Path, team_url: str,
                                                              tmp_path: Path) -> None:
    """kill -9 during a push, three times at random delays: every stored source is whole (its
    passages match its text) and a last push completes the library."""
    rng = random.Random(1414)
    code = ("import sys; from pathlib import Path; from briefkit.library.postgres.transfer "
            "import push_library; push_library(Path(sys.argv[1]), sys.argv[2])")
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", code, str(sample_dir), team_url])
        time.sleep(rng.uniform(0.3, 1.5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        team = open_library(team_url)
        for sid in team.entries:
            source = team.source(sid)
            assert source.paragraphs and source.paragraphs[-1].end <= len(source.text)
    final = push_library(sample_dir, team_url)
    assert final.count("added") + final.count("unchanged") == 5
    pull_library(team_url, tmp_path / "copy")
    folder, copy = open_library(sample_dir), open_library(tmp_path / "copy")
    assert [copy.source(s).sha256 for s in copy.entries] == [folder.source(s).sha256
                                                              for s in folder.entries]


def test_pull_makes_a_folder_library_with_the_same_texts_and_metadata(
        sample_dir: Path, team_url: str, tmp_path: Path) -> None:
    push_library(sample_dir, team_url)
    assert pull_library(team_url, tmp_path / "travel") == 5
    folder, copy = open_library(sample_dir), open_library(tmp_path / "travel")
    assert list(copy.entries) == list(folder.entries)
    for sid, entry in folder.entries.items():
        assert copy.entries[sid].csl == entry.csl
        mine, theirs = folder.source(sid), copy.source(sid)
        assert theirs.sha256 == mine.sha256
        assert [(p.start, p.end, p.page) for p in theirs.paragraphs] == [
            (p.start, p.end, p.page) for p in mine.paragraphs]


def test_pull_refuses_a_folder_of_other_files(sample_dir: Path, team_url: str,
                                             tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    status, _, err = run(capsys, "library", "pull", team_url, str(tmp_path))
    assert status == 2 and "holds files but no sources.yaml" in err
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_replacing_a_source_re_anchors_the_briefs_citing_it(
        sample_dir: Path, team_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    push_library(sample_dir, team_url)
    brief = sample_dir / "venezuela.brief.yaml"
    text = brief.read_text(encoding="utf-8")
    brief.write_text(re.sub(r"(?m)^(title: .*)$", lambda m: m.group(1) + f"\nlibrary: '{team_url}'",
                            text, count=1), encoding="utf-8")
    before = {c.id: c.anchor.start for _, c in load_brief(brief).citations()
              if c.source == "smilde-max-pressure"}
    assert before
    original = (sample_dir / "smilde-maximum-pressure-failed.txt").read_text(encoding="utf-8")
    first_break = original.index("\n\n")
    inserted = "\n\nAn editor's note added in the new edition of this article.\n"
    changed = tmp_path / "smilde.txt"
    changed.write_text(original[:first_break] + inserted + original[first_break:],
                       encoding="utf-8")
    status, out, err = run(capsys, "sources", "add", str(changed), "--id", "smilde-max-pressure",
                           "--library", team_url, "--brief", str(brief), "--json")
    assert status == 0, err
    report = json.loads(out)
    assert report["sources"] == {"smilde-max-pressure": "replaced"}
    moved = {r["citation"] for r in report["reanchored"] if r["status"] == "moved"}
    after = {c.id: c.anchor.start for _, c in load_brief(brief).citations()
             if c.source == "smilde-max-pressure"}
    assert moved == set(before)
    assert all(after[cid] > before[cid] for cid in before)
    status, out, _ = run(capsys, "check", str(brief), "--json")
    assert not [f for f in json.loads(out)["findings"]
                if f["code"] in ("moved-quote", "orphaned-quote", "needs-review")]
    # The title analysts gave the source stays: a new file replaces the text, not the metadata.
    assert open_library(team_url).entry("smilde-max-pressure").title.startswith("[Op-ed on why")


def test_a_url_with_a_password_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "sources", "--library",
                         "postgresql://alice:secret@db.example/team?library=main")
    assert status == 2
    assert "must not hold a password" in err and "secret" not in err


def test_a_database_never_set_up_says_to_run_init(pg_server: Server,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    url = pg_server.url(pg_server.database())
    status, _, err = run(capsys, "sources", "--library", url)
    assert status == 2
    assert f"has no briefkit tables: run 'briefkit library init {url}'" in err
    assert run(capsys, "library", "init", url)[0] == 0
    status, out, _ = run(capsys, "library", "init", url)
    assert "schema up to date; the library exists" in out


def test_a_read_only_user_gets_one_clear_message_on_a_write(
        team_roles: Server, sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pg_server = team_roles
    dbname = pg_server.database()
    owner = pg_server.url(dbname)
    push_library(sample_dir, owner)
    pg_server.sql(dbname, readme_sql("roles-sql").replace("team_db", dbname))
    reader = pg_server.url(dbname, user="bob")
    status, out, _ = run(capsys, "search", "sanctions", "--library", reader, "--json")
    assert status == 0 and json.loads(out)
    status, _, err = run(capsys, "sources", "add", str(sample_dir / "fal-2021-negotiations-redlines.md"),
                         "--id", "fal-copy", "--library", reader)
    assert status == 2
    assert err.count("\n") == 1 and "read-only" in err and "Traceback" not in err


def test_two_pushes_at_once_agree_on_every_count(sample_dir: Path, team_url: str) -> None:
    """Two analysts push the same folder at the same moment, each with its batch writers: both
    finish, every source is stored once, and the document frequencies and totals are what the
    passages give (a batch that met the other push's rows was rolled back and replayed)."""
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda _: push_library(sample_dir, team_url, batch_bytes=1),
                                range(2)))
    assert all(r.count("added") + r.count("unchanged") == 5 for r in reports)
    assert sum(r.count("added") for r in reports) == 5
    with psycopg.connect(LibraryTarget.parse(team_url).conninfo) as conn:
        assert conn.execute(
            "SELECT count(*) FROM (SELECT u.lexeme, count(*) AS n FROM passages p, "
            "unnest(p.tsv) u GROUP BY u.lexeme) c FULL JOIN lexemes l USING (lexeme) "
            "WHERE c.n IS DISTINCT FROM l.df").fetchone() == (0,)
        assert conn.execute("SELECT passages, total_length FROM libraries").fetchone() == (
            conn.execute("SELECT count(*), sum(length) FROM passages").fetchone())

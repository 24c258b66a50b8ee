"""Two writers at once, many times, counting lost updates and corrupt files (SQLite's testing
page in spirit): pairs of `briefkit cite` processes started together on one brief, and the TUI
saving while `briefkit cite` runs. Before locking and merging, 16 of 20 pairs of `python -m
briefkit cite` lost a citation, 50 of 50 forked pairs with the locks switched off did, and the
TUI scenario lost all 15 of the CLI's citations (15 of 30).

Starting Python and importing briefkit costs a cite about 0.5 s of CPU, so the 200 pairs are
forked, two at a time, by a process that imported briefkit once: each child is a separate
process running the CLI's `main` (the same code, locks and files as `python -m briefkit cite`,
without the start-up). A smaller run of real `python -m briefkit cite` pairs checks the same.
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from briefkit.brief.model import Position
from briefkit.brief.store import load_brief, new_brief, save_brief
from briefkit.errors import BriefkitError

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TUI_TESTS = Path(__file__).resolve().parents[1] / "tui"
QUOTES = (
    "Washington should prepare and be ready to launch new rounds of sanctions",
    "should consider a “snapback” strategy to penalize the regime",
)
FORKED_PAIRS = 200
SPAWNED_PAIRS = 20  # `python -m briefkit cite` pairs: 0.5 s of CPU each process
LANES = 2  # pairs running side by side, each lane on its own brief
PAIR_TIMEOUT = 120  # seconds: a pair that hangs fails the test instead of stalling it

# Reads one JSON list of argv lists per line, forks a child per argv at once (each runs the CLI
# and exits with its status), and answers with the list of exit statuses. The modules a cite
# loads are imported first, so that children do not each import them.
FORK_SERVER = """
import json, os, sys
import ruamel.yaml
import briefkit.brief.anchoring, briefkit.brief.check, briefkit.brief.revisions  # what cite imports
from briefkit.cli import main
for line in sys.stdin:
    children = []
    for argv in json.loads(line):
        pid = os.fork()
        if pid == 0:
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            try:
                code = main(argv)
            finally:
                sys.stderr.flush()
            os._exit(code)
        children.append(pid)
    print(json.dumps([os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]), flush=True)
"""


def cite_argv(brief: Path, cid: str, quote: str) -> list[str]:
    return ["cite", str(brief), "--position", "pressure", "--source", "fal-redlines", "--quote", quote,
            "--id", cid]


def outcome(brief: Path, ids: list[str], codes: list[int]) -> tuple[int, int, int]:
    """(lost, corrupt, failed) for one pair: a citation missing, an unreadable file, a non-zero exit."""
    failed = sum(code != 0 for code in codes)
    try:
        saved = {c.id for _, c in load_brief(brief).citations()}
    except BriefkitError:
        return 0, 1, failed
    return sum(cid not in saved for cid in ids), 0, failed


def lane_briefs(tmp_path: Path) -> list[Path]:
    """A small brief per lane on its own copy of the sample library: a round-trip YAML save of
    the 17-citation sample costs a cite 0.2 s of CPU, and the brief's size is not what is tested."""
    briefs = []
    for lane in range(LANES):
        folder = tmp_path / f"lane{lane}"
        shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns(".briefkit", "*.brief.yaml"))
        brief = new_brief(folder / "lane.brief.yaml", title=f"Lane {lane}", library=".")
        brief.positions.append(Position("pressure", "Keep maximum pressure"))
        briefs.append(save_brief(brief))
    return briefs


def run_lanes(briefs: list[Path], pairs: int,
              run_pair: Callable[[Path, range], list[tuple[int, int, int]]]) -> tuple[tuple[int, ...], float]:
    """Run pairs numbered 0..pairs-1 in lanes side by side; totals of (lost, corrupt, failed)."""
    started = time.monotonic()
    with ThreadPoolExecutor(len(briefs)) as pool:
        lanes = list(pool.map(run_pair, briefs, [range(n, pairs, len(briefs)) for n in range(len(briefs))]))
    totals = tuple(sum(r[i] for lane in lanes for r in lane) for i in range(3))
    assert sum(len(lane) for lane in lanes) == pairs
    return totals, time.monotonic() - started


def forked_lane(brief: Path, numbers: range) -> list[tuple[int, int, int]]:
    server = subprocess.Popen([sys.executable, "-c", FORK_SERVER], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert server.stdin is not None and server.stdout is not None
    results = []
    fresh = brief.read_bytes()
    try:
        for n in numbers:
            brief.write_bytes(fresh)  # each pair starts from the same brief
            ids = [f"pair{n}-a", f"pair{n}-b"]
            server.stdin.write(json.dumps([cite_argv(brief, cid, q) for cid, q in zip(ids, QUOTES)]) + "\n")
            server.stdin.flush()
            results.append(outcome(brief, ids, json.loads(server.stdout.readline())))
    finally:
        server.stdin.close()
        server.wait(PAIR_TIMEOUT)
        server.stdout.close()
    return results


def spawned_lane(brief: Path, numbers: range) -> list[tuple[int, int, int]]:
    results = []
    fresh = brief.read_bytes()
    for n in numbers:
        brief.write_bytes(fresh)
        ids = [f"pair{n}-a", f"pair{n}-b"]
        procs = [subprocess.Popen([sys.executable, "-m", "briefkit", *cite_argv(brief, cid, q)],
                                  stdout=subprocess.DEVNULL) for cid, q in zip(ids, QUOTES)]
        results.append(outcome(brief, ids, [p.wait(PAIR_TIMEOUT) for p in procs]))
    return results


@pytest.mark.long
@pytest.mark.parametrize(("pairs", "lane", "what"), [
    (FORKED_PAIRS, forked_lane, "forked cite pairs"),
    (SPAWNED_PAIRS, spawned_lane, "`python -m briefkit cite` pairs"),
])
def test_two_cites_at_once_never_lose_a_citation(
        tmp_path: Path, pairs: int, lane: Callable[[Path, range], list[tuple[int, int, int]]],
        what: str) -> None:
    (lost, corrupt, failed), elapsed = run_lanes(lane_briefs(tmp_path), pairs, lane)
    print(f"\n{pairs} {what} in {elapsed:.0f} s: {lost} lost, {corrupt} corrupt, {failed} failed")
    assert (lost, corrupt, failed) == (0, 0, 0)


ROUNDS = 15


@pytest.mark.long
def test_the_tui_saving_while_the_cli_cites_loses_nothing(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(TUI_TESTS))
    from driving import quick_app, ready, settle

    shutil.copytree(SEEDS, tmp_path / "seeds", ignore=shutil.ignore_patterns(".briefkit"))
    brief = tmp_path / "seeds" / "venezuela.brief.yaml"
    rng = random.Random(10)
    mine: list[str] = []

    async def session() -> None:
        app = quick_app(brief)
        app.poll_interval = 0.3  # idle reloads race the CLI too
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot, app)
            text = app.library.source("fal-redlines").text
            for round_ in range(ROUNDS):
                cli = subprocess.Popen([sys.executable, "-m", "briefkit",
                                        *cite_argv(brief, f"cli-{round_}", QUOTES[round_ % 2])],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                start = rng.randrange(0, len(text) - 200)
                citation = app.draft.cite("pressure", "fal-redlines", text, start, start + 40)
                mine.append(citation.id)
                app._changed()
                await asyncio.sleep(rng.uniform(0.0, 1.5))
                await pilot.press("ctrl+s")
                while cli.poll() is None:
                    await asyncio.sleep(0.05)
                assert cli.returncode == 0, cli.communicate()[1]
                cli.communicate()
            await settle(pilot, app, lambda: app.brief.find_citation(f"cli-{ROUNDS - 1}") is not None)
            await pilot.press("ctrl+s")
            await settle(pilot, app)
            assert not app.draft.modified

    asyncio.run(session())
    saved = {c.id for _, c in load_brief(brief).citations()}
    lost = [cid for cid in [*mine, *(f"cli-{n}" for n in range(ROUNDS))] if cid not in saved]
    print(f"\nTUI + CLI: {ROUNDS} rounds, {2 * ROUNDS} citations, {len(lost)} lost")
    assert lost == []


HOLD = """
import sys, time
from briefkit.brief.store import load_brief, save_brief
from briefkit.locks import locked
with locked(sys.argv[1]):
    print("held", flush=True)
    time.sleep(1.0)
    brief = load_brief(sys.argv[1])
    brief.title = "Saved by the lock holder"
    save_brief(brief)
"""


@pytest.mark.parametrize("argv", [
    ["cite", "--position", "pressure", "--source", "fal-redlines", "--quote", QUOTES[0], "--id", "waited"],
    ["check", "--fix"],
])
def test_writing_commands_wait_for_the_brief_lock(tmp_path: Path, argv: list[str]) -> None:
    from briefkit.cli import main

    shutil.copytree(SEEDS, tmp_path / "seeds", ignore=shutil.ignore_patterns(".briefkit"))
    brief = tmp_path / "seeds" / "venezuela.brief.yaml"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(brief)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    status = main([argv[0], str(brief), *argv[1:]])
    waited = time.monotonic() - started
    holder.communicate()
    assert status == 0 and waited > 0.8
    assert load_brief(brief).title == "Saved by the lock holder"  # not overwritten by what waited

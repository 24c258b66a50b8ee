"""Two writers at once, many times, counting lost updates and corrupt files (SQLite's testing
page in spirit): pairs of `briefkit cite` processes started together on one brief, and the TUI
saving while `briefkit cite` runs. Before locking, 16 of 20 pairs lost a citation."""

from __future__ import annotations

import asyncio
import random
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from briefkit.brief.store import load_brief
from briefkit.errors import BriefkitError

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TUI_TESTS = Path(__file__).resolve().parents[1] / "tui"
QUOTES = (
    "Washington should prepare and be ready to launch new rounds of sanctions",
    "should consider a “snapback” strategy to penalize the regime",
)
PAIRS = 200
AT_ONCE = 3  # pairs running side by side, each on its own brief: 6 processes on 2 cores
PAIR_TIMEOUT = 120  # seconds: a pair that hangs fails the test instead of stalling it


def cite_command(brief: Path, cid: str, quote: str) -> list[str]:
    return [sys.executable, "-m", "briefkit", "cite", str(brief), "--position", "pressure",
            "--source", "fal-redlines", "--quote", quote, "--id", cid]


def run_pair(brief: Path, pair: int) -> tuple[int, int, list[str]]:
    """Start two cites together on `brief`; returns (lost, corrupt, failures)."""
    ids = [f"pair{pair}-a", f"pair{pair}-b"]
    procs = [subprocess.Popen(cite_command(brief, cid, quote), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for cid, quote in zip(ids, QUOTES)]
    failures = []
    for proc in procs:
        _, err = proc.communicate(timeout=PAIR_TIMEOUT)
        if proc.returncode != 0:
            failures.append(err.strip())
    try:
        saved = {c.id for _, c in load_brief(brief).citations()}
    except BriefkitError:
        return 0, 1, failures
    return sum(cid not in saved for cid in ids), 0, failures


@pytest.mark.long
def test_two_cites_at_once_never_lose_a_citation(tmp_path: Path) -> None:
    briefs = []
    for lane in range(AT_ONCE):
        shutil.copytree(SEEDS, tmp_path / f"lane{lane}", ignore=shutil.ignore_patterns(".briefkit"))
        briefs.append(tmp_path / f"lane{lane}" / "venezuela.brief.yaml")
    started = time.monotonic()
    with ThreadPoolExecutor(AT_ONCE) as pool:
        results = list(pool.map(lambda n: run_pair(briefs[n % AT_ONCE], n), range(PAIRS)))
    elapsed = time.monotonic() - started
    lost = sum(r[0] for r in results)
    corrupt = sum(r[1] for r in results)
    failures = [f for r in results for f in r[2]]
    print(f"\n{PAIRS} concurrent cite pairs in {elapsed:.0f} s: {lost} lost, {corrupt} corrupt, "
          f"{len(failures)} failed runs")
    assert (lost, corrupt, failures) == (0, 0, [])
    for brief in briefs:  # every pair's two citations, in one valid file per lane
        assert len(load_brief(brief).position("pressure").citations) == 2 + 2 * (PAIRS // AT_ONCE) + (
            2 if briefs.index(brief) < PAIRS % AT_ONCE else 0)


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
                cli = subprocess.Popen(cite_command(brief, f"cli-{round_}", QUOTES[round_ % 2]),
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

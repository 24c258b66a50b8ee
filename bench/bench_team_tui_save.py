"""How long the TUI's event loop stalls while a team brief saves, with keys typed meanwhile.

    python bench/bench_team_tui_save.py [--citations N] [--saves S] [--runs R] [--old TREE]

Starts a throwaway PostgreSQL cluster, pushes the sample library into it and stores a team
brief of N citations (2,000 by default) into its sources. Each run is a child process that opens
the brief in the TUI (Pilot, 120x40) and types into the prose editor from a thread, as a
terminal does, a key every 33 ms whatever the loop is doing (autosaving every second, as
typing without a pause does), and reports: the longest a key pressed during a save waited for
the loop to take it, the same for the other keys, the loop's longest stall during a save (a
5 ms ticker on the loop), each save's wall time, the child's CPU time while typing, and
whether the team library holds every key typed once the last save is done.

`--old TREE` runs the same child in turns (A B A B) against another briefkit tree (say, `git
archive HEAD | tar -x -C /tmp/old`), on the same cluster and brief size: before and after.
Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from briefkit import resources
from briefkit.library.postgres.cluster import server_bindir, throwaway_cluster
from briefkit.library.postgres.target import LibraryTarget
from briefkit.library.postgres.transfer import init_library, push_library

CHILD = r"""
import asyncio, json, sys, threading, time
from textual import events

import briefkit.tui.app as tui_app
import briefkit.tui.team_draft as team_draft
from briefkit.tui.app import make_app
from briefkit.workflows.team_briefs import load_team_brief

tui_app.AUTOSAVE_MAX = 1.0  # typing without a pause autosaves every second
saves = []  # (start, end) of each team save, wherever it runs (the loop, or a worker thread)
_save = team_draft.save_team_brief


def timed_save(*args, **kwargs):
    started = time.perf_counter()
    try:
        return _save(*args, **kwargs)
    finally:
        saves.append((started, time.perf_counter()))


team_draft.save_team_brief = timed_save


async def main(url, wanted):
    app = make_app(url)
    loop = asyncio.get_running_loop()
    waits = []  # (sent, how long the key waited for the loop)
    typed = []
    async with app.run_test(size=(120, 40)) as pilot:
        async def until(done, limit=60.0):
            end = time.perf_counter() + limit
            while not done() and time.perf_counter() < end:
                await asyncio.sleep(0.002)

        await until(lambda: app.library is not None and app.index_ready)
        await pilot.press("f3")
        area = app.query_one("#prose-text")
        await until(lambda: app.focused is area)
        area.move_cursor(area.document.end)

        def arrive(sent, ch):  # on the loop: the key as the terminal driver hands it over
            waits.append((sent, time.perf_counter() - sent))
            app.post_message(events.Key("space" if ch == " " else ch, ch))

        stop = threading.Event()

        def typist():  # a terminal: keys every 33 ms, whatever the loop is doing
            text = "words typed during saves "
            n = 0
            while not stop.is_set():
                ch = text[n % len(text)]
                typed.append(ch)
                loop.call_soon_threadsafe(arrive, time.perf_counter(), ch)
                n += 1
                time.sleep(0.033)

        async def ticker():
            last = time.perf_counter()
            while True:
                await asyncio.sleep(0.005)
                now = time.perf_counter()
                ticks.append((now, now - last))
                last = now

        ticks = []
        tick = asyncio.create_task(ticker())
        cpu0 = time.process_time()
        thread = threading.Thread(target=typist, daemon=True)
        thread.start()
        await until(lambda: len(saves) >= wanted, 120)
        stop.set()
        thread.join()
        await until(lambda: len(waits) == len(typed))
        await until(lambda: area.text.endswith("".join(typed)))
        tick.cancel()
        cpu = time.process_time() - cpu0
        await pilot.press("ctrl+s")
        await until(lambda: app._save_job is None and not app.draft.modified)
        stored = load_team_brief(url)[0].sections.get("outlook", "")

        def overlaps(t, gap):
            return any(s < t and t - gap < e for s, e in saves)

        during = [w for t, w in waits if overlaps(t + w, w)]
        others = [w for t, w in waits if not overlaps(t + w, w)]
        stalls = [gap for t, gap in ticks if overlaps(t, gap)]
        out = {"during": max(during, default=None), "between": max(others, default=None),
               "keys_during": len(during), "keys": len(waits),
               "stall": max(stalls, default=None), "saves": [e - s for s, e in saves],
               "cpu": cpu, "typed": stored.endswith("".join(typed))}
    app.draft.close()
    print(json.dumps(out))


asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


def make_brief(url: str, citations: int) -> None:
    """A team brief of `citations` citations spread over the sample sources, saved once."""
    from briefkit.library.interface import open_library
    from briefkit.tui.team_draft import open_team_draft
    from briefkit.workflows.team_briefs import create_team_brief

    create_team_brief(url, title="Bench", template="options-memo", replace=True)
    library = open_library(url)
    texts = [library.source(sid) for sid in library.entries]
    draft = open_team_draft(url)
    try:
        positions = [draft.add_position(f"Position {n}").id for n in range(20)]
        for n in range(citations):
            source = texts[n % len(texts)]
            paragraph = source.paragraphs[(n // len(texts)) % len(source.paragraphs)]
            end = min(paragraph.end, paragraph.start + 80)
            draft.cite(positions[n % len(positions)], source.entry.id, source.text,
                       paragraph.start, end)
        draft.set_section("outlook", "Typed: ")
        assert draft.save().saved
    finally:
        draft.close()
        library.close()


def run_child(tree: Path, url: str, saves: int) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run([sys.executable, "-c", CHILD, url, str(saves)], env=env,
                          capture_output=True, text=True, timeout=600, cwd=tempfile.gettempdir())
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def ms(value: object) -> str:
    return "-" if value is None else f"{float(value) * 1000:6.0f}"  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citations", type=int, default=2000)
    parser.add_argument("--saves", type=int, default=4, help="autosaves per run")
    parser.add_argument("--runs", type=int, default=2, help="runs of each tree, in turns")
    parser.add_argument("--old", type=Path, help="another briefkit tree to run in turns")
    args = parser.parse_args()
    bindir = server_bindir()
    if bindir is None:
        raise SystemExit("no PostgreSQL server binaries (apt-get install postgresql)")
    here = Path(__file__).resolve().parents[1]
    trees = [("new", here)] + ([("old", args.old.resolve())] if args.old else [])
    with throwaway_cluster(bindir) as cluster, tempfile.TemporaryDirectory() as tmp:
        url = cluster.url(cluster.database())
        init_library(url)
        folder = Path(tmp) / "seeds"
        shutil.copytree(resources.shipped("seeds"), folder,
                        ignore=shutil.ignore_patterns(".briefkit", "*.brief.yaml"))
        push_library(folder, url)
        results: dict[str, list[dict[str, object]]] = {name: [] for name, _ in trees}
        for run in range(args.runs):
            for name, tree in (trees if run % 2 == 0 else trees[::-1]):
                brief = LibraryTarget.parse(url).brief_url(f"bench-{name}-{run}")
                make_brief(brief, args.citations)
                found = run_child(tree, brief, args.saves)
                results[name].append(found)
                saves = found["saves"]
                assert isinstance(saves, list)
                print(f"{name} run {run + 1}: key during a save {ms(found['during'])} ms "
                      f"({found['keys_during']} keys), other keys {ms(found['between'])} ms, "
                      f"loop stall during a save {ms(found['stall'])} ms, saves "
                      f"{'/'.join(ms(s).strip() for s in saves)} ms, CPU {found['cpu']:.2f} s, "
                      f"all typed kept: {found['typed']}", flush=True)
    print(f"\n{args.citations} citations, {args.saves} autosaves a run, {args.runs} runs each "
          f"(load average now {os.getloadavg()[0]:.1f}):")
    for name, runs in results.items():
        stall = statistics.median(float(r["stall"]) for r in runs if r["stall"] is not None)  # type: ignore[arg-type]
        during = [float(r["during"]) for r in runs if r["during"] is not None]  # type: ignore[arg-type]
        print(f"  {name}: loop's longest stall during a save, median of runs {stall * 1000:.0f} ms; "
              f"slowest key during a save {max(during, default=0) * 1000:.0f} ms")
    if len(results) == 2 and all(results.values()):
        new, old = (statistics.median(float(r["stall"]) for r in results[k]) for k in ("new", "old"))  # type: ignore[arg-type]
        print(f"  stall ratio old/new: {old / new:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

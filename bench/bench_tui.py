"""Benchmark of the TUI on a generated library of 2,000 sources and 100,000 passages.

Prints: ready time from process start (the sources listed on screen), search latency after the
last keystroke, opening a 1 MB source, and cursor movement per key, all measured through
App.run_test() (headless). Keys are sent as the terminal driver sends them and each figure ends
with the screen painted; pilot.press() is not used for timing, since it waits for idle (at least
40 ms a key) by design.

Then the same library with a brief of 5,000 citations in 25 positions (a 1.6 MB file): the first
full screen (sources and positions drawn), its ratio to a bare Textual app, and the slowest of
the keys an analyst presses while drafting (outline moves, Tab, F-keys, typing prose, paging
through the preview; the first F4 after typing is timed until the preview shows the typed
words), with each key's median beside it (a shared machine's own pauses land in the slowest),
and when the preview and problems are ready. Waits are bounded: a key or
frame that takes over 5 s is reported as 5 s (and counted), not a crash. With
`--tmux`, the first full screen is also timed in a real terminal: tmux at 120x40, from the
command to the positions' last row appearing in `capture-pane`.

    python bench/bench_tui.py [--keep DIR] [--runs N] [--tmux]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

SOURCES = 2000
PASSAGES = 100_000
BIG_ID = "big-source"
BIG_BRIEF_CITATIONS = 5000
BIG_BRIEF_POSITIONS = 25
WORDS = ("sanctions relief negotiations opposition government election oil exports regime "
         "mediation Norway Mexico talks humanitarian diesel licence snapback pressure regional "
         "partners verification military transition Caracas Washington Congress migration "
         "inflation prisoners concessions leverage credibility").split()


def _paragraph(rng: random.Random, words: int = 34) -> str:
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        n = rng.randint(8, 16)
        body = " ".join(rng.choice(WORDS) for _ in range(n))
        sentences.append(body[0].upper() + body[1:] + ".")
    return " ".join(sentences)


def generate_big_brief(root: Path) -> Path:
    """A brief of BIG_BRIEF_CITATIONS real anchors (a sentence each, from the generated sources)."""
    from briefkit.brief.anchoring import anchor_range
    from briefkit.brief.model import STANCES, Citation, Position
    from briefkit.brief.store import load_brief, save_brief
    from briefkit.library.library import Library

    rng = random.Random(11)
    library = Library.open(root / "library")
    brief = load_brief(root / "bench.brief.yaml")
    brief.path = root / "big.brief.yaml"
    brief.positions = [Position(f"p{i:02d}", f"Position number {i} on sanctions and talks")
                       for i in range(BIG_BRIEF_POSITIONS)]
    ids = [sid for sid in library.entries if sid != BIG_ID]
    texts: dict[str, str] = {}
    for n in range(BIG_BRIEF_CITATIONS):
        sid = rng.choice(ids)
        text = texts.get(sid) or texts.setdefault(sid, library.source(sid).text)
        start = text.index(". ", rng.randrange(len(text) // 2)) + 2
        end = text.index(".", start) + 1
        citation = Citation(f"{sid}-{n}", sid, anchor_range(text, start, end), STANCES[n % 3])
        brief.positions[n % BIG_BRIEF_POSITIONS].citations.append(citation)
    save_brief(brief, brief.path)
    return brief.path


def generate(root: Path) -> Path:
    """Write the library, build its index, and write a small brief; returns the brief path."""
    rng = random.Random(7)
    lib = root / "library"
    lib.mkdir(parents=True)
    per_source = PASSAGES // SOURCES
    entries = []
    for i in range(SOURCES - 1):
        paras = [_paragraph(rng) for _ in range(per_source)]
        (lib / f"s{i:04d}.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        entries.append(f"  - id: s{i:04d}\n    file: s{i:04d}.txt\n    type: report\n"
                       f"    title: Generated report number {i}\n    publisher: Bench Institute\n"
                       f"    issued:\n      date-parts: [[2021, {1 + i % 12}, {1 + i % 28}]]\n")
    big = []
    while sum(len(p) + 2 for p in big) < 1_000_000:
        big.append(_paragraph(rng, 30))
    (lib / "big.txt").write_text("\n\n".join(big) + "\n", encoding="utf-8")
    entries.append(f"  - id: {BIG_ID}\n    file: big.txt\n    type: report\n    title: A one-megabyte source\n")
    (lib / "sources.yaml").write_text("sources:\n" + "".join(entries), encoding="utf-8")
    brief = root / "bench.brief.yaml"
    brief.write_text(textwrap.dedent(f"""\
        briefkit: 1
        title: Bench brief
        library: {lib}
        positions:
          - id: relief
            title: Phased sanctions relief for electoral steps
            summary: Trade relief for verifiable steps toward a competitive election.
        """), encoding="utf-8")
    from briefkit.library.library import Library

    started = time.perf_counter()
    Library.open(lib).index().update()
    print(f"index built in {time.perf_counter() - started:.1f} s ({len(big)} paragraphs in the 1 MB source)")
    return brief


CHILD = r"""
import asyncio, json, os, sys, time
t0 = float(os.environ["BENCH_T0"])
from pathlib import Path
import briefkit.cli  # the path `briefkit open BRIEF` takes: the CLI module, then tui.start
from briefkit.tui import start as start_app


async def main():
    app = start_app(Path(sys.argv[1]))  # imports Textual, as `briefkit` does
    from textual import events
    out = {}
    async with app.run_test(size=(120, 40)) as pilot:

        async def until(done, limit=10.0):
            # Poll without pilot's idle waits (each at least 20 ms), then paint the screen once.
            end = time.perf_counter() + limit
            while not done():
                if time.perf_counter() > end:
                    raise TimeoutError
                await asyncio.sleep(0.001)
            await pilot.pause(0)  # runs the screen update, as the next frame would

        def key(name):  # one key from the terminal, as the driver delivers it
            app._driver.send_message(events.Key(name, name if len(name) == 1 else None))

        while app.ready_at is None:
            await asyncio.sleep(0.002)
        out["ready"] = time.time() - t0 - (time.perf_counter() - app.ready_at)
        while not (app.index_ready and app.rendered):  # measure the steady state, not startup work
            await pilot.pause(0.01)
        pane = app.query_one("#sources")
        latencies = []
        for query in ("sanctions relief", "diesel licence", "snapback pressure"):
            pane.action_clear()
            await pilot.press(*query[:-1])
            await pilot.pause(0.2)
            start = time.perf_counter()
            key(query[-1])
            await until(lambda: pane.showing_hits and pane.hits_query == query)
            latencies.append(time.perf_counter() - start)
        out["search"] = latencies
        reader = app.query_one("#reader")
        start = time.perf_counter()
        app.open_source("big-source", 500_000)
        await until(lambda: reader.source is not None and reader.source.id == "big-source")
        out["open_big"] = time.perf_counter() - start
        out["big_chars"] = len(reader.source.text)
        await pilot.pause(0.2)
        costs = []
        for name in ["down"] * 40 + ["right_square_bracket"] * 20 + ["pagedown"] * 10:
            before = reader.cursor
            start = time.perf_counter()
            key(name)
            await until(lambda: reader.cursor != before)
            costs.append(time.perf_counter() - start)
        out["cursor_per_key"] = sum(costs) / len(costs)
        out["cursor_worst"] = max(costs)
        start = time.perf_counter()
        for _ in range(200):
            reader.action_sentence(1)
            for y in range(reader.size.height):
                reader.render_line(y)
        out["cursor_move_and_redraw"] = (time.perf_counter() - start) / 200
    print(json.dumps(out))

asyncio.run(main())
"""


BIG_CHILD = r"""
import asyncio, json, os, sys, time
t0 = float(os.environ["BENCH_T0"])
from pathlib import Path
LIMIT = 5.0  # seconds a key or a frame may take before it is reported as taking that long
SIDE = {"f3": "prose", "f4": "preview", "f5": "problems"}
import briefkit.cli
from briefkit.tui import start as start_app


async def main():
    app = start_app(Path(sys.argv[1]))
    # Textual imported after the app starts, as `briefkit` imports it: start() reads a large
    # brief in a second process while Textual is imported, which an import here would forestall.
    from textual import events
    from textual.pilot import WaitForScreenTimeout
    out = {}
    async with app.run_test(size=(120, 40)) as pilot:

        def key(name, char=None):
            app._driver.send_message(events.Key(name, char if char else (name if len(name) == 1 else None)))

        async def frame(limit=LIMIT):
            # The screen brought up to date, as the next frame would; a loop held longer than
            # `limit` is reported as such, not as a crash (pilot gives up after 30 s).
            try:
                await asyncio.wait_for(pilot.pause(0), limit)
            except (asyncio.TimeoutError, WaitForScreenTimeout):
                out["stalled"] = out.get("stalled", 0) + 1

        async def until(done, limit=LIMIT):
            end = time.perf_counter() + limit
            while not done() and time.perf_counter() < end:
                await asyncio.sleep(0.002)

        await until(lambda: app.ready_at is not None, 60)
        out["ready"] = time.time() - t0 - (time.perf_counter() - (app.ready_at or time.perf_counter()))
        # Keys are timed as the analyst presses them: the index is built, and the first check
        # and render of 5,000 citations (seconds of CPU) is still running.
        await until(lambda: app.index_ready, 60)
        await asyncio.sleep(0.3)
        outline = app.query_one("#outline")
        outline.focus()
        await frame()
        costs, during_save, saves = {}, [], []
        store = app.draft.store  # a save's writing, in a worker thread (app._save returns at once)

        def timed_store(*args, **kwargs):  # keys pressed while an autosave writes are told apart
            started = time.perf_counter()
            try:
                return store(*args, **kwargs)
            finally:
                saves.append((started, time.perf_counter()))

        app.draft.store = timed_store

        async def timed(label, name, done, char=None):
            start = time.perf_counter()
            key(name, char)
            await until(lambda: done() and not app._keys.busy)
            await frame()  # the frame that shows it
            end = time.perf_counter()
            if any(s < end and start < e for s, e in saves):
                during_save.append(end - start)
            else:
                costs.setdefault(label, []).append(end - start)
            await asyncio.sleep(0.02)

        for _ in range(20):
            before = outline.highlighted
            await timed("outline down", "down", lambda: outline.highlighted != before)
        for _ in range(5):
            before = outline.highlighted
            await timed("outline pagedown", "pagedown", lambda: outline.highlighted != before)
        area = app.query_one("#prose-text")
        for _ in range(5):
            await timed("F3 prose", "f3", lambda: app.focused is area)
            before = area.text  # (an older briefkit indented on Tab rather than leaving)
            await timed("tab out of prose", "tab", lambda: app.focused is not area or area.text != before)
        await timed("F3 prose", "f3", lambda: app.focused is area)
        for ch in "typing words":
            before = area.text
            await timed("type a letter", "space" if ch == " " else ch, lambda: area.text != before, ch)
        await until(lambda: app.rendered, 60)  # the preview and problems, once they are ready
        out["rendered"] = time.time() - t0 if app.rendered else None
        side = app.query_one("#side")
        document = app.query_one("#preview-scroll")
        # The first F4 after the edit: timed until the preview shows the typed words (the
        # preview's own thread done), not only until its tab is up.
        preview = app.query_one("#preview-pane")
        await until(lambda: "typing words" in (preview._pending or ("", ""))[0] + preview._body, 60)
        await timed("f4 after an edit, until shown", "f4", lambda: side.active == "preview" and any(
            "typing words" in block for block in document.blocks) and not any(
            worker.is_running for worker in app.workers if worker.group == "preview"))
        for tab in ("f5", "f3"):
            await timed(f"{tab} tab", tab, lambda: side.active == SIDE[tab])
        await timed("f4 tab", "f4", lambda: side.active == "preview")
        for name in ("pagedown", "pagedown", "end", "pageup", "home"):
            before = document.scroll_y
            await timed(f"preview {name}", name, lambda: document.scroll_y != before)
        out["keys"] = {k: max(v) for k, v in costs.items()}
        out["key_samples"] = costs
        out["worst_key"] = max((max(v) for v in costs.values()), default=None)
        out["during_save"] = max(during_save, default=None)
        out["saves"] = [e - s for s, e in saves]
    print(json.dumps(out))

asyncio.run(main())
"""


# For scale: the same measure for a bare Textual app (header, one line of text, footer).
BARE = r"""
import asyncio, os, time
t0 = float(os.environ["BENCH_T0"])
from textual.app import App
from textual.widgets import Footer, Header, Static


class Bare(App):
    ready_at = None

    def compose(self):
        yield Header()
        yield Static("ready")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(lambda: setattr(self, "ready_at", time.perf_counter()))


async def main():
    app = Bare()
    async with app.run_test(size=(120, 40)):
        while app.ready_at is None:
            await asyncio.sleep(0.002)
        print(time.time() - t0 - (time.perf_counter() - app.ready_at))

asyncio.run(main())
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    parser.add_argument("--runs", type=int, default=5, help="measured runs (medians are printed)")
    parser.add_argument("--tmux", action="store_true", help="also time the 5,000-citation brief in tmux")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="briefkit-bench-"))
    brief = root / "bench.brief.yaml"
    if not brief.exists():
        brief = generate(root)
    big_brief = root / "big.brief.yaml"
    if not big_brief.exists():
        big_brief = generate_big_brief(root)
    # As installed, Python finds briefkit's modules compiled: the first run writes the bytecode
    # (PYTHONDONTWRITEBYTECODE is dropped for that) and is reported apart.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def child(code: str, *argv: str) -> str:
        env["BENCH_T0"] = repr(time.time())
        result = subprocess.run([sys.executable, "-c", code, *argv], env=env, capture_output=True,
                                text=True, check=False)
        if result.returncode != 0:
            sys.exit(result.stderr[-3000:])
        return result.stdout.strip().splitlines()[-1]

    # The app and a bare Textual app take turns, so that a machine whose speed drifts (this one
    # does, by a third within minutes) affects both alike.
    runs, bare = [], []
    for _ in range(1 + max(1, args.runs)):
        runs.append(json.loads(child(CHILD, str(brief))))
        bare.append(float(child(BARE)) * 1000)
    first, measured = runs[0], runs[1:]
    ready = sorted(run["ready"] * 1000 for run in measured)
    ratio = statistics.median(run["ready"] * 1000 / b for run, b in zip(measured, bare[1:]))

    def median(key: str, scale: float = 1000) -> float:
        return statistics.median(run[key] * scale for run in measured)

    def spread(key: str) -> str:
        values = sorted(run[key] * 1000 for run in measured)
        return f"{values[0]:.0f}-{values[-1]:.0f}"

    for run in measured:
        run["search_worst"] = max(run["search"])
    print(f"ready from process start:        {statistics.median(ready):7.0f} ms   (target < 1000; median of "
          f"{len(ready)} runs, {ready[0]:.0f}-{ready[-1]:.0f}; {first['ready'] * 1000:.0f} on the run "
          "that compiled the bytecode)")
    print(f"  for scale:  a bare Textual app {statistics.median(bare[1:]):7.0f} ms   (header, text, footer; "
          f"briefkit / bare = {ratio:.2f}, median of the runs' ratios)")
    print(f"search results after last key:   {median('search_worst'):7.0f} ms   (median of each run's worst "
          f"of {len(measured[0]['search'])} queries, {spread('search_worst')}; target < 100)")
    print(f"open a {first['big_chars'] / 1e6:.1f} MB source:          {median('open_big'):7.0f} ms   "
          f"(median, {spread('open_big')}; target < 300)")
    print(f"cursor move per key:             {median('cursor_per_key'):7.1f} ms   (target < 50; median; "
          f"worst single key {max(run['cursor_worst'] for run in measured) * 1000:.1f})")
    print(f"cursor move + redraw (direct):   {median('cursor_move_and_redraw'):7.2f} ms")

    big, big_bare = [], []
    for _ in range(max(1, args.runs)):
        run_brief = root / "big-run.brief.yaml"  # each run types into a fresh copy
        shutil.copyfile(big_brief, run_brief)
        big.append(json.loads(child(BIG_CHILD, str(run_brief))))
        big_bare.append(float(child(BARE)) * 1000)
    big_ready = sorted(run["ready"] * 1000 for run in big)
    big_ratio = statistics.median(run["ready"] * 1000 / b for run, b in zip(big, big_bare))
    size = big_brief.stat().st_size / 1e6
    print(f"{BIG_BRIEF_CITATIONS:,} citations ({size:.1f} MB brief), first full screen:"
          f" {statistics.median(big_ready):5.0f} ms   (target < 1000; {big_ready[0]:.0f}-{big_ready[-1]:.0f})")
    print(f"  for scale:  a bare Textual app {statistics.median(big_bare):7.0f} ms   (briefkit / bare = "
          f"{big_ratio:.2f}; target <= 1.5)")
    worst = {label: max(run["keys"][label] for run in big if label in run["keys"]) * 1000
             for label in dict.fromkeys(label for run in big for label in run["keys"])}
    print(f"  slowest key, of every run:      {max(worst.values()):7.1f} ms   (target < 50; "
          + ", ".join(f"{label} {ms:.0f}" for label, ms in worst.items()) + ")")
    typical = {label: statistics.median(t for run in big for t in run["key_samples"].get(label, ())) * 1000
               for label in worst}
    print(f"  median of each key, all runs:   {max(typical.values()):7.1f} ms   (the largest; "
          + ", ".join(f"{label} {ms:.0f}" for label, ms in typical.items()) + ")")
    saves = [t * 1000 for run in big for t in run["saves"]]
    in_save = [run["during_save"] * 1000 for run in big if run["during_save"] is not None]
    if saves:
        during = (f"the slowest key pressed during one: {max(in_save):.0f} ms; those keys are left out "
                  "above" if in_save else "no key was pressed during one")
        print(f"  autosaves (written in a thread):{max(saves):7.0f} ms   (slowest of {len(saves)}; {during})")
    rendered = sorted(run["rendered"] * 1000 for run in big if run["rendered"] is not None)
    print(f"  preview and problems ready:     {statistics.median(rendered) if rendered else float('nan'):7.0f} ms   "
          f"(from process start, keys pressed meanwhile; {len(big) - len(rendered)} runs not ready in 60 s)")
    stalled = sum(run.get("stalled", 0) for run in big)
    if stalled:
        print(f"  frames that took over 5 s:      {stalled:7d}")
    if args.tmux:
        times = sorted(_tmux_first_screen(big_brief) * 1000 for _ in range(max(1, args.runs)))
        print(f"  in tmux 120x40, first full screen: {statistics.median(times):5.0f} ms   "
              f"(command to the sources and positions on screen; {times[0]:.0f}-{times[-1]:.0f})")
    return 0


def _tmux_first_screen(brief: Path) -> float:
    """Seconds from starting `briefkit open BRIEF` in a fresh tmux window to the sources and the
    positions' citations all showing in the pane."""
    session = f"briefkit-bench-{os.getpid()}-{time.monotonic_ns()}"  # a fresh server each time
    tmux = ["tmux", "-L", session]  # a server of its own: other tmux sessions are left alone
    started = time.perf_counter()
    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
                    f"{sys.executable} -m briefkit open {brief}"], check=True)
    try:
        while time.perf_counter() - started < 30:
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", session], capture_output=True,
                                    text=True, check=False).stdout
            if "Generated report number" in screen and "1. Position number 0" in screen and "“" in screen:
                return time.perf_counter() - started
            time.sleep(0.01)
        raise TimeoutError("the first screen did not show in 30 s")
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)  # its own server, named for this run


if __name__ == "__main__":
    sys.exit(main())

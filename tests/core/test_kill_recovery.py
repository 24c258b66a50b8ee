"""Crash test: `kill -9` at random moments, then the same command again, leaves nothing corrupt or stale.

In the manner of SQLite's crash tests: each trial copies a small library (two real sources from
seeds/, five briefs citing them), starts one command as its own process (`python -m briefkit`),
kills it with SIGKILL after a random delay (from its start, within its measured run time, or for
most trials from the moment it first changed a file, so the kill lands while it writes), runs the
same command again (in this process), and then counts
- corrupt files: a brief or sources.yaml the loader refuses, a source text whose SHA-256 is not
  its entry's, an export that is not the complete document;
- stale briefs: a citation whose quote is not at its stored offsets;
- leftover temporary files (`.NAME.*.tmp`) a killed atomic write leaves behind (reported; they are
  hidden and never read).
Commands: `cite`, `export`, `check --fix` (after a source was replaced), `sources add` replacing
a source, `sources edit`. The kills run two at a time; the trials stop at the time limit.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from briefkit.brief.anchoring import anchor_quote
from briefkit.brief.model import Citation, Position
from briefkit.brief.store import load_brief, new_brief, save_brief
from briefkit.cli import main
from briefkit.errors import BriefkitError
from briefkit.library.library import Library
from briefkit.workflows.source_updates import add_sources

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
TRIALS = 240  # at most; on a loaded two-core machine about 70 fit in TIME_LIMIT
TIME_LIMIT = 60.0  # seconds for the trials, after a few seconds measuring each command once
BRIEFS = 5
NEW_QUOTE = "the Trump administration’s policies"
EXTRA = ("Editor's update: this version adds a paragraph at the top, and another in the middle, "
         "of the text first published.\n\n")


@dataclass(frozen=True, slots=True)
class Setup:
    template: Path  # a fresh library and briefs
    replaced: Path  # the same after `sources add` of v2 with every brief still at v1's offsets
    v2: Path  # the new version of the source "report"
    export: bytes  # what `export b0 --to md` writes in the fresh library


def _library(folder: Path) -> None:
    """report (the Smilde op-ed) and other (the Responsible Statecraft piece), five briefs."""
    folder.mkdir(parents=True)
    add_sources(folder, [SEEDS / "smilde-maximum-pressure-failed.txt"], source_id="report")
    add_sources(folder, [SEEDS / "responsible-statecraft-back-burner.txt"], source_id="other")
    library = Library.open(folder)
    report = library.source("report").text
    sentences = [s for s in report.split(". ") if 40 < len(s) < 200 and "\n" not in s]
    other = library.source("other").text.split("\n\n")[2].split(". ")[0]
    for n in range(BRIEFS):
        brief = new_brief(folder / f"b{n}.brief.yaml", title=f"Brief {n}", library=".")
        cites = [Citation(id=f"r{k}", source="report", anchor=anchor_quote(report, sentences[3 * n + k]),
                          stance=("supports", "opposes", "context")[k]) for k in range(3)]
        cites.append(Citation(id="o", source="other", anchor=anchor_quote(library.source("other").text, other),
                              stance="opposes"))
        brief.positions.append(Position(id="p", title="Position", citations=cites))
        save_brief(brief)


def _v2(text: str) -> str:
    """A paragraph inserted at the top and one in the middle: every quote moves, context intact."""
    paras = text.split("\n\n")
    middle = len(paras) // 2
    return EXTRA + "\n\n".join(paras[:middle] + [EXTRA.strip()] + paras[middle:]) + "\n"


def _stale(folder: Path, briefs: list[Path]) -> int:
    library = Library.open(folder)
    stale = 0
    for path in briefs:
        for _, cite in load_brief(path).citations():
            text = library.source(cite.source).text
            stale += text[cite.anchor.start : cite.anchor.end] != cite.anchor.quote
    return stale


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    return make_setup(tmp_path_factory.mktemp("kill"))


def make_setup(root: Path) -> Setup:
    """The fresh library, the replaced one, v2 and the reference export, under `root`."""
    template = root / "template"
    _library(template)
    v2 = root / "v2" / "report.txt"
    v2.parent.mkdir()
    v2.write_text(_v2(Library.open(template).source("report").text), encoding="utf-8")
    replaced = root / "replaced"
    shutil.copytree(template, replaced)
    stale = {p.name: p.read_bytes() for p in replaced.glob("*.brief.yaml")}
    report = add_sources(replaced, [v2], source_id="report")
    assert report.ok and {r.status for r in report.reanchored} == {"moved"}
    for name, data in stale.items():
        (replaced / name).write_bytes(data)
    assert _stale(replaced, sorted(replaced.glob("*.brief.yaml"))) == 3 * BRIEFS
    out = root / "reference.md"
    assert main(["export", str(template / "b0.brief.yaml"), "--to", "md", "-o", str(out)]) == 0
    return Setup(template, replaced, v2, out.read_bytes())


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    start: str  # "template" or "replaced": the library the command runs on
    argv: Callable[[Path, Setup], list[str]]
    rerun_ok: tuple[int, ...]  # exit statuses the re-run may give
    checked: Callable[[Path], list[Path]]  # the briefs that must verify afterwards


def _all(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.brief.yaml"))


COMMANDS = (
    Command("cite", "template",
            lambda f, s: ["cite", str(f / "b0.brief.yaml"), "--position", "p", "--source", "report",
                          "--quote", NEW_QUOTE, "--id", "new"], (0, 2), _all),
    Command("export", "template",
            lambda f, s: ["export", str(f / "b0.brief.yaml"), "--to", "md", "-o", str(f / "out.md")], (0,), _all),
    Command("check --fix", "replaced",
            lambda f, s: ["check", str(f / "b0.brief.yaml"), "--fix"], (0, 1), lambda f: [f / "b0.brief.yaml"]),
    Command("sources add", "template",
            lambda f, s: ["sources", "add", str(s.v2), "--id", "report", "--library", str(f)], (0,), _all),
    Command("sources edit", "template",
            lambda f, s: ["sources", "edit", "report", "--title", "A new title", "--library", str(f)], (0,), _all),
)


@dataclass(slots=True)
class Tally:
    trials: Counter[str] = field(default_factory=Counter)
    interrupted: Counter[str] = field(default_factory=Counter)  # killed after it had written something
    corrupt: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    leftover_tmp: int = 0
    bad_rerun: list[str] = field(default_factory=list)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and ".briefkit" not in p.parts and not p.name.endswith(".tmp")}


def _files(folder: Path) -> set[tuple[str, int, int]]:
    """Name, mtime and size of the files in `folder` (a temporary file may vanish as we look)."""
    found = set()
    for entry in os.scandir(folder):
        try:
            info = entry.stat()
        except FileNotFoundError:
            continue
        if not entry.name.endswith(".tmp") and entry.is_file():
            found.add((entry.name, info.st_mtime_ns, info.st_size))
    return found


def _spawn_and_kill(folder: Path, argv: list[str], delay: float, after_write: bool, code: Path) -> bool:
    """Run briefkit (from `code`) on `argv` and SIGKILL it `delay` seconds after its start, or
    after it first changed a file in `folder` (`after_write`); True if it was still running."""
    env = dict(os.environ, PYTHONPATH=str(code))
    before = _files(folder)
    process = subprocess.Popen([sys.executable, "-m", "briefkit", *argv], cwd=folder, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while after_write and process.poll() is None and _files(folder) == before:
        time.sleep(0.001)
    try:
        process.wait(delay)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def _measure(setup: Setup, work: Path, commands: tuple[Command, ...],
             code: Path) -> dict[str, tuple[float, float]]:
    """Each command run once as a process on a copy of its starting library: when it first
    changed a file in the library, and when it ended (seconds from its start)."""
    times = {}
    env = dict(os.environ, PYTHONPATH=str(code))
    for command in commands:
        folder = work / f"measure-{command.name.replace(' ', '-')}"
        shutil.copytree(getattr(setup, command.start), folder)
        before = _files(folder)
        began = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "briefkit", *command.argv(folder, setup)],
                                   cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        first = None
        while process.poll() is None:
            if first is None and _files(folder) != before:
                first = time.monotonic() - began
            time.sleep(0.002)
        total = time.monotonic() - began
        times[command.name] = (first if first is not None else 0.8 * total, total)
    return times


def _corrupt(folder: Path, setup: Setup, command: Command) -> list[str]:
    problems = []
    try:
        library = Library.open(folder)
        for entry in library.entries.values():
            if entry.sha256 and hashlib.sha256(entry.file.read_bytes()).hexdigest() != entry.sha256:
                problems.append(f"{entry.file.name} does not match its sha256")
    except BriefkitError as exc:
        problems.append(f"sources.yaml: {exc}")
    for path in _all(folder):
        try:
            load_brief(path)
        except BriefkitError as exc:
            problems.append(f"{path.name}: {exc}")
    if command.name == "export" and (folder / "out.md").read_bytes() != setup.export:
        problems.append("out.md is not the complete export")
    return problems


def _rerun(folder: Path, setup: Setup, command: Command, code: Path) -> int:
    """The same command again: in this process, or (to measure other code) as a process."""
    if code == REPO:
        return main(command.argv(folder, setup))
    env = dict(os.environ, PYTHONPATH=str(code))
    return subprocess.run([sys.executable, "-m", "briefkit", *command.argv(folder, setup)], cwd=folder,
                          env=env, capture_output=True, check=False).returncode


def _after(folder: Path, setup: Setup, command: Command, label: str, tally: Tally, code: Path) -> None:
    """The re-run, then the counts."""
    status = _rerun(folder, setup, command, code)
    if status not in command.rerun_ok:
        tally.bad_rerun.append(f"{label}: exit {status}")
    tally.corrupt += [f"{label}: {p}" for p in _corrupt(folder, setup, command)]
    try:
        stale = _stale(folder, command.checked(folder))
    except BriefkitError as exc:
        stale = 1
        tally.corrupt.append(f"{label}: {exc}")
    if stale:
        tally.stale.append(f"{label}: {stale} citations")
    if command.name == "cite":
        ids = [c.id for _, c in load_brief(folder / "b0.brief.yaml").citations()]
        if ids.count("new") != 1:
            tally.corrupt.append(f"{label}: citation 'new' saved {ids.count('new')} times")
    if command.name == "sources edit" and Library.open(folder).entries["report"].csl.get("title") != "A new title":
        tally.corrupt.append(f"{label}: the title was not set")
    tally.leftover_tmp += sum(1 for _ in folder.rglob(".*.tmp"))


def run_kills(setup: Setup, work: Path, trials: int, time_limit: float, seed: int = 10,
              commands: tuple[Command, ...] = COMMANDS, code: Path = REPO) -> Tally:
    """Kill and re-run up to `trials` random commands (briefkit from `code`) within `time_limit`."""
    times = _measure(setup, work, commands, code)
    rng = random.Random(seed)
    tally = Tally()
    deadline = time.monotonic() + time_limit
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending: list[tuple[Future[bool], Path, Command, dict[str, bytes], str]] = []
        started = 0

        def start() -> None:
            nonlocal started
            command = rng.choice(commands)
            folder = work / f"trial-{started}"
            shutil.copytree(getattr(setup, command.start), folder)
            first, total = times[command.name]
            after_write = rng.random() < 0.6  # most kills land while it writes: that is the test
            delay = rng.uniform(0, total - first) if after_write else rng.uniform(0, total)
            before = _snapshot(folder)
            label = f"trial {started} {command.name} killed {delay:.3f}s after {'its first write' if after_write else 'its start'}"
            pending.append((pool.submit(_spawn_and_kill, folder, command.argv(folder, setup), delay,
                                        after_write, code),
                            folder, command, before, label))
            started += 1

        for _ in range(2):
            start()
        while pending:
            future, folder, command, before, label = pending.pop(0)
            killed = future.result()
            if started < trials and time.monotonic() < deadline:
                start()
            tally.trials[command.name] += 1
            if killed and _snapshot(folder) != before:
                tally.interrupted[command.name] += 1
            _after(folder, setup, command, label, tally, code)
            shutil.rmtree(folder)
    return tally


@pytest.mark.long
def test_kill_at_random_moments_then_rerun_leaves_nothing_corrupt_or_stale(
        setup: Setup, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tally = run_kills(setup, tmp_path, TRIALS, TIME_LIMIT)
    with capsys.disabled():
        print(f"\nkill test: {sum(tally.trials.values())} kills {dict(tally.trials)}; interrupted "
              f"mid-write {dict(tally.interrupted)}; corrupt {len(tally.corrupt)}, stale {len(tally.stale)}, "
              f"leftover temporary files {tally.leftover_tmp}")
    assert sum(tally.trials.values()) >= 40, f"only {dict(tally.trials)} kills within {TIME_LIMIT} s"
    assert sum(tally.interrupted.values()) >= 15, "too few kills landed while a command was writing"
    assert tally.corrupt == []
    assert tally.stale == []
    assert tally.bad_rerun == []

"""Benchmark the passage index on a synthetic library of 2,000 sources (about 50 MB).

    python bench/bench_index.py [--sources N] [--rounds R] [--passages P] [--keep DIR]

Whole processes are timed: `python bench_index.py --build DIR` (start the interpreter, import
briefkit, open the library, build its index, exit) against a plain script of the same kind
(`--reference`: read the same files, split them into paragraphs, load a bare FTS5 table), taking
turns round by round so that a shared machine's drift hits both; the ratio printed is the build's
speed over the plain load's, median and range of the rounds. Memory is the peak of the sum of
resident sizes of the process and every helper process it starts, sampled from /proc, beside
each process's own peak (ru_maxrss, RUSAGE_SELF and RUSAGE_CHILDREN). The code is compiled
before anything is timed (into a temporary PYTHONPYCACHEPREFIX): this machine sets
PYTHONDONTWRITEBYTECODE, and timing the compiler would measure it rather than the build.

Then, on the built index: re-indexing after one source changes, and search latency (p50/p99 over
100 varied queries, including very common words). `--passages 1000000` also builds a library of
that many passages and times short prefix queries there: the bench's own (`to*`, `interests
co*`, `se* OR vo*`, ...) and those the TUI's type-ahead sends (a last word of three letters or
more: `the*`, `con*`, `the gov*`), each first as a new query and then again.

Targets: build >= 0.8x the plain load, peak (process + helpers) < 100 MB, one-source re-index
< 1 s, search p99 < 50 ms, prefix queries p99 < 50 ms at 1M passages.

The builds' CPU time (process and helpers, from wait4) is printed beside the wall-clock ratio: on
a machine whose cores are busy with other work the wall-clock ratio follows the CPU ratio, and
the reader process helps only where a core is free. The build's own process's CPU time is its
critical path when the reader has a core to itself: the plain load's CPU time over it is
roughly the wall-clock ratio on an idle two-core machine (less the waits between processes).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = 20261123
SOURCES = 2000
TARGET_BYTES = 50_000_000

# The most frequent English words with roughly their relative frequencies, so that "the", "of"
# and "and" match nearly every passage, as they do in real prose.
_COMMON = [
    "the:62", "of:29", "and:27", "to:26", "a:21", "in:18", "is:10", "that:10", "for:9", "it:8",
    "as:7", "was:7", "with:7", "be:6", "by:6", "on:6", "not:5", "he:5", "this:5", "are:5", "or:4",
    "his:4", "from:4", "at:4", "which:4", "but:4", "have:4", "an:4", "had:3", "they:3", "its:3",
    "has:3", "were:3", "their:3", "been:3", "would:2", "will:2", "more:2", "government:2",
    "president:2", "between:1"
]
_SYLLABLES = [
    "ba", "be", "bi", "bo", "bu", "ca", "ce", "ci", "co", "cu", "da", "de", "di", "do", "du", "fa",
    "fe", "fi", "fo", "ga", "ge", "go", "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "mu",
    "na", "ne", "ni", "no", "nu", "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "ru", "sa", "se",
    "si", "so", "su", "ta", "te", "ti", "to", "tu", "va", "ve", "vi", "vo", "za", "zo", "tra",
    "pre", "con", "dis", "ver", "mon", "cal", "tor"
]
_ABBREVIATIONS = ["U.S.", "U.N.", "Mr.", "Dr.", "Gen.", "p.m.", "O.A.S."]


def vocabulary(rng: random.Random, size: int = 40_000) -> tuple[list[str], list[float]]:
    """Common words plus invented ones with a Zipf tail; returns words and cumulative weights."""
    words = [w.split(":")[0] for w in _COMMON]
    weights = [float(w.split(":")[1]) for w in _COMMON]
    seen = set(words)
    rank = 1
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word in seen:
            continue
        seen.add(word)
        words.append(word)
        weights.append(12.0 / rank)  # Zipf: the n-th invented word is n times rarer
        rank += 1
    return words, list(itertools.accumulate(weights))


def paragraph(rng: random.Random, words: list[str], cum: list[float]) -> str:
    sentences = []
    for _ in range(rng.randint(2, 7)):
        picked = rng.choices(words, cum_weights=cum, k=rng.randint(8, 32))
        if rng.random() < 0.2:
            picked.insert(rng.randrange(len(picked)), rng.choice(_ABBREVIATIONS))
        if rng.random() < 0.1:
            picked.insert(rng.randrange(len(picked)), f"{rng.randint(1, 99)}.{rng.randint(1, 9)}")
        text = " ".join(picked)
        sentences.append(text[0].upper() + text[1:] + rng.choice(".....?"))
    return " ".join(sentences)


def generate(folder: Path, sources: int, target: int) -> int:
    """Write a deterministic library into `folder`; returns its size in bytes."""
    rng = random.Random(SEED)
    words, cum = vocabulary(rng)
    per_source = target // sources
    total = 0
    entries = ["sources:"]
    for n in range(sources):
        parts = [f"Source {n}: " + " ".join(rng.choices(words[40:], k=6)).title()]
        size = len(parts[0])
        while size < per_source:
            parts.append(paragraph(rng, words, cum))
            size += len(parts[-1]) + 2
        if n % 10 == 0:
            parts.insert(1, "Follow us on social")  # some clutter for the cleaner to find
        separator = "\n" if n % 3 == 0 else "\n\n"  # captures use both paragraph styles
        data = (separator.join(parts) + "\n").encode("utf-8")
        (folder / f"s{n:04d}.txt").write_bytes(data)
        total += len(data)
        entries.append(f"  - id: s{n:04d}\n    file: s{n:04d}.txt\n    type: webpage\n"
                       f"    title: Source {n}")
    (folder / "sources.yaml").write_text("\n".join(entries) + "\n", encoding="utf-8")
    return total


def queries(rng: random.Random, folder: Path) -> list[str]:
    """100 queries: common words, rare words, pairs, phrases, prefixes, filters, user text."""
    words, _ = vocabulary(random.Random(SEED))
    common = [w.split(":")[0] for w in _COMMON]
    mid, rare = words[60:600], words[2000:20000]
    text = (folder / "s0007.txt").read_text(encoding="utf-8").split()
    out: list[str] = []
    out += ["the", "of", "and", "the of", "a to in", "government president", "the government"]
    out += [rng.choice(rare) for _ in range(15)]
    out += [rng.choice(mid) for _ in range(15)]
    out += [f"{rng.choice(common)} {rng.choice(mid)}" for _ in range(12)]
    out += [f"{rng.choice(mid)} {rng.choice(rare)}" for _ in range(10)]
    for _ in range(12):
        i = rng.randrange(len(text) - 3)
        out.append('"' + " ".join(w.strip(".?,") for w in text[i : i + 3]) + '"')
    out += [rng.choice(mid)[:4] + "*" for _ in range(8)]
    out += ["U.S. " + rng.choice(mid) for _ in range(5)]
    out += [f"{rng.choice(mid)} OR {rng.choice(rare)}" for _ in range(6)]
    out += ["the OR of", '"of the"', "the* ", "Mr. " + rng.choice(rare)]
    while len(out) < 100:
        out.append(rng.choice(common) + "'s " + rng.choice(mid))
    return out[:100]


def build(folder: Path) -> dict[str, float]:
    """The timed build: open the library and index it from nothing, as `briefkit search` would."""
    from briefkit.library import Library

    library = Library.open(folder)
    report = library.index().update()
    assert report.rebuilt and len(report.added) == len(library.entries), "not a build from nothing"
    return _own_memory()


def reference(folder: Path) -> dict[str, float]:
    """The plain script: the same files, split into paragraphs, into a bare FTS5 table."""
    import sqlite3

    db = folder / "reference.sqlite"
    db.unlink(missing_ok=True)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE VIRTUAL TABLE p USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO p(p, rank) VALUES ('hashsize', 16777216)")
    conn.execute("BEGIN")
    for path in sorted(folder.glob("s*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        conn.executemany("INSERT INTO p(text) VALUES (?)",
                         ((line,) for line in map(str.strip, lines) if line))
    conn.execute("COMMIT")
    conn.close()
    db.unlink()
    return _own_memory()


def search(folder: Path) -> dict[str, float]:
    """Change one source and re-index, then time 100 queries and related() on the index."""
    from briefkit.library import Library

    library = Library.open(folder)
    index = library.index()
    middle = f"s{len(library.entries) // 2:04d}"
    changed = folder / f"{middle}.txt"
    original = changed.read_bytes()
    changed.write_text(original.decode("utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    started = time.perf_counter()
    report = index.update()
    reindex = time.perf_counter() - started
    assert report.changed == [middle], report
    rng = random.Random(SEED + 1)
    timings, hits = [], 0
    for query in queries(rng, folder):
        source = f"s{rng.randrange(len(library.entries)):04d}" if rng.random() < 0.1 else None
        started = time.perf_counter()
        hits += len(index.search(query, source=source))
        timings.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    related = index.related(changed.read_text(encoding="utf-8")[:1500])
    related_ms = (time.perf_counter() - started) * 1000
    changed.write_bytes(original)
    timings.sort()
    return {"reindex_s": reindex, "p50_ms": statistics.median(timings), "p99_ms": timings[98],
            "max_ms": timings[-1], "hits": hits, "related_ms": related_ms,
            "related_hits": len(related), "index_mb": index.path.stat().st_size / 1e6}


PREFIXES = ["to*", "co*", "th*", "a*", "interests co*", "ba*", "pre*", "con*", "gover*", "the co*",
            "ma* ri*", "\"the government\" pr*", "tra* con*", "di*", "se* OR vo*"]
# What the TUI's type-ahead sends: the last word, of three letters or more, as a prefix.
TYPED = ["the*", "gov*", "gover*", "con*", "pre*", "tra*", "mon*", "dis*", "ver*", "cal*",
         "the gov*", "president con*", "the government pre*", "tor*", "tra* con*"]


def prefix(folder: Path) -> dict[str, float]:
    """Short prefix queries, each run several times (after one run that warms the page cache)."""
    from briefkit.library import Library

    index = Library.open(folder).index()
    index.update()
    with sqlite3_connect(index.path) as conn:
        passages = conn.execute("SELECT value FROM meta WHERE key = 'passages'").fetchone()[0]
    queries = list(dict.fromkeys(PREFIXES + TYPED))
    timings: dict[str, list[float]] = {q: [] for q in queries}
    for query in queries:  # the first run of each, as type-ahead meets it: nothing remembered
        started = time.perf_counter()
        index.search(query, limit=50)
        timings[query].append((time.perf_counter() - started) * 1000)
    for _ in range(7):
        for query in queries:
            started = time.perf_counter()
            index.search(query, limit=50)
            timings[query].append((time.perf_counter() - started) * 1000)

    def summary(chosen: list[str]) -> dict[str, float | str]:
        every = sorted(t for q in chosen for t in timings[q])
        first = sorted(timings[q][0] for q in chosen)
        return {"p50_ms": statistics.median(every), "p99_ms": every[int(len(every) * 0.99) - 1],
                "first_p50_ms": statistics.median(first), "max_ms": every[-1],
                "slowest": max(chosen, key=lambda q: max(timings[q]))}

    return {"passages": int(passages), "bench": summary(PREFIXES), "typed": summary(TYPED)}


def sqlite3_connect(path: Path):  # type: ignore[no-untyped-def]
    import contextlib
    import sqlite3

    return contextlib.closing(sqlite3.connect(path))


def _own_memory() -> dict[str, float]:
    """Own and helpers' peak memory, and the CPU time of both (the whole process's, from start)."""
    own, helpers = (resource.getrusage(who)
                    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {"self_mb": own.ru_maxrss / 1024, "children_mb": helpers.ru_maxrss / 1024,
            "cpu_s": own.ru_utime + own.ru_stime + helpers.ru_utime + helpers.ru_stime,
            "self_cpu_s": own.ru_utime + own.ru_stime}


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants, from /proc. Children are found from each
    thread's `children` file: walking every process's `stat` took 2 ms a sample, a tenth of a
    core stolen from the two processes of a build on a two-core machine."""
    tree, frontier = [root], [root]
    while frontier:
        pid = frontier.pop()
        try:
            threads = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue  # it has just ended
        for thread in threads:
            try:
                children = [int(child) for child in
                            Path(f"/proc/{pid}/task/{thread}/children").read_text().split()]
            except (OSError, ValueError):
                continue
            tree += children
            frontier += children
    total = 0
    page = resource.getpagesize()
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            pass
    return total


def timed(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run `command` as a whole process: wall time, and its tree's peak resident size sampled."""
    import threading

    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _ = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{command[2:]} failed with status {process.returncode}")
    return json.loads(out) | {"s": elapsed, "tree_mb": peak / 2**20}


def prepared_env(cache: Path) -> dict[str, str]:
    """The environment for timed processes, with briefkit and this file compiled beforehand."""
    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "briefkit"), __file__],
                   env=env, check=True)
    # Third-party modules the build imports (yaml, ruamel...) are compiled by a first import.
    subprocess.run([sys.executable, "-c", "import briefkit.library.index, briefkit.library"],
                   env=env, check=True)
    return env


def _range(values: list[float], fmt: str = ".2f") -> str:
    values = sorted(values)
    return (f"{statistics.median(values):{fmt}} (range {values[0]:{fmt}}-{values[-1]:{fmt}}, "
            f"{len(values)} rounds)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=SOURCES)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--rounds", type=int, default=5,
                        help="build and plain load this many times each, in turns (medians)")
    parser.add_argument("--passages", type=int, default=0,
                        help="also time prefix queries on a library of about this many passages")
    parser.add_argument("--work", choices=("build", "reference", "search", "prefix"),
                        help=argparse.SUPPRESS)
    parser.add_argument("folder", type=Path, nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.work:
        work = {"build": build, "reference": reference, "search": search, "prefix": prefix}
        print(json.dumps(work[args.work](args.folder)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="briefkit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="briefkit-bench-pycache-"))
    try:
        env = prepared_env(cache)
        started = time.perf_counter()
        size = generate(folder, args.sources, TARGET_BYTES * args.sources // SOURCES)
        print(f"generated {args.sources} sources, {size / 1e6:.1f} MB "
              f"in {time.perf_counter() - started:.1f} s")

        def run(work: str, where: Path = folder) -> dict[str, float]:
            return timed([sys.executable, __file__, "--work", work, str(where)], env)

        builds, plains = [], []
        for n in range(max(1, args.rounds)):
            shutil.rmtree(folder / ".briefkit", ignore_errors=True)
            if n % 2:  # each goes first in every other round
                plains.append(run("reference"))
                builds.append(run("build"))
            else:
                builds.append(run("build"))
                plains.append(run("reference"))
        mb = size / 1e6
        print(f"build (whole process):      {_range([mb / b['s'] for b in builds], '.1f')} MB/s")
        print(f"plain FTS5 load (same):     {_range([mb / p['s'] for p in plains], '.1f')} MB/s")
        print(f"build / plain load speed:   "
              f"{_range([p['s'] / b['s'] for b, p in zip(builds, plains)])}  (target >= 0.8)")
        print(f"CPU time, build:            {_range([b['cpu_s'] for b in builds])} s; plain load "
              f"{_range([p['cpu_s'] for p in plains])} s; ratio (plain / build) "
              f"{_range([p['cpu_s'] / b['cpu_s'] for b, p in zip(builds, plains)])}")
        print(f"CPU time, build's own process: {_range([b['self_cpu_s'] for b in builds])} s "
              f"(its critical path where the reader has a core of its own); plain load / that "
              f"{_range([p['cpu_s'] / b['self_cpu_s'] for b, p in zip(builds, plains)])}")
        print(f"build peak memory:          {_range([b['tree_mb'] for b in builds], '.0f')} MB, "
              f"process and helpers together, sampled (target < 100); own peaks: process "
              f"{_range([b['self_mb'] for b in builds], '.0f')}, largest helper "
              f"{_range([b['children_mb'] for b in builds], '.0f')} MB")
        print(f"plain load peak memory:     {_range([p['tree_mb'] for p in plains], '.0f')} MB")
        r = run("search")
        print(f"index size:                 {r['index_mb']:.1f} MB")
        print(f"re-index 1 file:            {r['reindex_s'] * 1000:.0f} ms  (target < 1000)")
        print(f"search latency:             p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
              f"max {r['max_ms']:.1f} ms over 100 queries (target p99 < 50); {r['hits']} hits")
        print(f"related():                  {r['related_ms']:.1f} ms, {r['related_hits']} hits")
        if args.passages:
            big = folder / "big"
            shutil.rmtree(big, ignore_errors=True)
            big.mkdir()
            sources = max(1, round(args.sources * args.passages / _passages(folder)))
            big_size = generate(big, sources, TARGET_BYTES * sources // SOURCES)
            started = time.perf_counter()
            q = run("prefix", big)
            print(f"prefix queries:             {q['passages']} passages ({big_size / 1e6:.0f} MB, "
                  f"built in {time.perf_counter() - started:.0f} s), each query run 8 times:")
            for name, what in (("bench", PREFIXES), ("typed", TYPED)):
                r = q[name]
                print(f"  {name} ({len(what)} queries):  p50 {r['p50_ms']:.1f} ms, p99 "
                      f"{r['p99_ms']:.1f} ms (target < 50), max {r['max_ms']:.1f} ms "
                      f"({r['slowest']}); first runs p50 {r['first_p50_ms']:.1f} ms")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def _passages(folder: Path) -> int:
    """How many passages the index of `folder` holds."""
    from briefkit.library.cachedir import cache_folder

    with sqlite3_connect(cache_folder(folder) / "index.sqlite") as conn:
        return int(conn.execute("SELECT value FROM meta WHERE key = 'passages'").fetchone()[0])


if __name__ == "__main__":
    main()

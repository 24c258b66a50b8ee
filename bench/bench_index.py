"""Benchmark the passage index on a synthetic library of 2,000 sources (about 50 MB).

    python bench/bench_index.py [--sources N] [--keep DIR]

Prints the full build time and throughput, the time to re-index after one source changes,
search latency (p50/p99 over 100 varied queries, including very common words) and the peak
memory of the process that did the work. The work runs in a child process so that its peak
resident size (ru_maxrss) is the index's own, not the generator's; the process that reads
sources beside it during a big build is reported on its own.

Targets: build >= 20 MB/s, peak < 100 MB, one-source re-index < 1 s, search p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import itertools
import json
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


def child(folder: Path, size: int) -> dict[str, float]:
    """Build, change one source, re-index, search; runs in its own process."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from briefkit.library import Library

    startup_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    library = Library.open(folder)
    index = library.index()
    started = time.perf_counter()
    report = index.update()
    build = time.perf_counter() - started
    assert len(report.added) == len(library.entries)

    middle = f"s{len(library.entries) // 2:04d}"
    changed = folder / f"{middle}.txt"
    original = changed.read_bytes()
    changed.write_text(original.decode("utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    started = time.perf_counter()
    report = index.update()
    reindex = time.perf_counter() - started
    assert report.changed == [middle], report

    rng = random.Random(SEED + 1)
    timings = []
    hits = 0
    for query in queries(rng, folder):
        source = f"s{rng.randrange(len(library.entries)):04d}" if rng.random() < 0.1 else None
        started = time.perf_counter()
        hits += len(index.search(query, source=source))
        timings.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    related = index.related(changed.read_text(encoding="utf-8")[:1500])
    related_ms = (time.perf_counter() - started) * 1000
    changed.write_bytes(original)  # the library as generated, for the next round
    timings.sort()
    return {
        "mb": size / 1e6,
        "build_s": build,
        "mb_per_s": size / 1e6 / build,
        "reindex_s": reindex,
        "p50_ms": statistics.median(timings),
        "p99_ms": timings[98],
        "max_ms": timings[-1],
        "hits": hits,
        "related_ms": related_ms,
        "related_hits": len(related),
        "startup_mb": startup_mb,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "reader_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "index_mb": index.path.stat().st_size / 1e6,
    }


def baseline(folder: Path, size: int) -> dict[str, float]:
    """A plain FTS5 bulk load of the same paragraphs, for scale: what SQLite alone costs here."""
    import sqlite3

    db = folder / "baseline.sqlite"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE VIRTUAL TABLE p USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO p(p, rank) VALUES ('hashsize', 16777216)")
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("s*.txt"))]
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO p(text) VALUES (?)",
                     ((line,) for text in texts for line in text.split("\n") if line))
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    db.unlink()
    return {"fts_mb_per_s": size / 1e6 / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=SOURCES)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--rounds", type=int, default=3,
                        help="build and plain load this many times each, in turn (medians)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        work = baseline if args.baseline else child
        print(json.dumps(work(args.child, args.size)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="briefkit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        size = generate(folder, args.sources, TARGET_BYTES * args.sources // SOURCES)
        print(f"generated {args.sources} sources, {size / 1e6:.1f} MB "
              f"in {time.perf_counter() - started:.1f} s")
        command = [sys.executable, __file__, "--child", str(folder), "--size", str(size)]
        # Build and plain load take turns, so that a machine whose speed drifts affects both;
        # the ratio is taken round by round.
        rounds = []
        for _ in range(max(1, args.rounds)):
            shutil.rmtree(folder / ".briefkit", ignore_errors=True)
            r = json.loads(subprocess.run(command, check=True, capture_output=True,
                                          text=True).stdout)
            r |= json.loads(subprocess.run([*command, "--baseline"], check=True,
                                           capture_output=True, text=True).stdout)
            rounds.append(r)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    r = min(rounds, key=lambda x: abs(x["build_s"] - statistics.median(y["build_s"] for y in rounds)))
    builds = sorted(x["mb_per_s"] for x in rounds)
    ratio = statistics.median(x["mb_per_s"] / x["fts_mb_per_s"] for x in rounds)
    print(f"full build:      {r['build_s']:.2f} s  ({r['mb_per_s']:.1f} MB/s, median of {len(rounds)}; "
          f"range {builds[0]:.1f}-{builds[-1]:.1f}; target >= 20)")
    print(f"  for scale:     a plain FTS5 bulk load of the same text runs at "
          f"{statistics.median(x['fts_mb_per_s'] for x in rounds):.1f} MB/s on this machine now "
          f"(build / plain load = {ratio:.2f}, median of the rounds' ratios)")
    print(f"index size:      {r['index_mb']:.1f} MB")
    print(f"re-index 1 file: {r['reindex_s'] * 1000:.0f} ms  (target < 1000)")
    print(f"search latency:  p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
          f"max {r['max_ms']:.1f} ms over 100 queries (target p99 < 50); {r['hits']} hits")
    print(f"related():       {r['related_ms']:.1f} ms, {r['related_hits']} hits")
    print(f"peak memory:     {r['peak_mb']:.0f} MB max RSS (interpreter + imports: "
          f"{r['startup_mb']:.0f} MB; target < 100); reader process {r['reader_mb']:.0f} MB")


if __name__ == "__main__":
    main()

"""Benchmark the team library on a throwaway PostgreSQL cluster, with a library it generates.

    python bench/bench_team.py [--passages N] [--sources S] [--analysts A] [--seconds T]

1. Push: a synthetic folder library (Zipf-distributed words, paragraphs of about 60 words)
   pushed with `briefkit library push`'s code; throughput in MB of source files per second.
2. Search: p50 and p99 latency of 20-hit searches (snippets included) over 120 queries: very
   common words, mid-frequency and rare words, two-word queries, phrases and prefixes.
3. Analysts: A processes (forked, so no interpreter start-up is timed) each cite into and save
   the same team brief through the CLI for T seconds; operations per second and lost updates
   (citations a process saw saved that the brief does not hold).

Targets (issue 14): push >= 10 MB/s, search p99 < 100 ms at 10M passages, 0 lost updates.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from briefkit.cli import main
from briefkit.library.interface import open_library
from briefkit.library.postgres.cluster import server_bindir, throwaway_cluster
from briefkit.library.postgres.connection import connect, library_id
from briefkit.library.postgres.search import PostgresIndex
from briefkit.library.postgres.target import LibraryTarget
from briefkit.library.postgres.transfer import init_library, push_library
from briefkit.workflows.team_briefs import create_team_brief, load_team_brief

SEED = 14
_SYLLABLES = ["ba", "co", "de", "fi", "gu", "ha", "jo", "ka", "li", "mo", "ne", "pa", "qui", "ro",
              "su", "ta", "ve", "wi", "xo", "ze", "lan", "mer", "tor", "vis", "sen", "dra"]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def make_library(folder: Path, passages: int, sources: int, rng: random.Random) -> list[str]:
    """Write a folder library of `sources` text files holding `passages` paragraphs in all."""
    words = vocabulary(rng, 40_000)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))  # Zipf
    per = max(1, passages // sources)
    entries = []
    for n in range(sources):
        paragraphs = []
        for _ in range(per):
            drawn = rng.choices(words, cum_weights=weights, k=rng.randint(40, 80))
            paragraphs.append(" ".join(drawn).capitalize() + ".")
        name = f"s{n:05d}.txt"
        (folder / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        entries.append(f"  - id: s{n:05d}\n    file: {name}\n    type: report\n"
                       f"    title: Synthetic report {n}\n")
    (folder / "sources.yaml").write_text("sources:\n" + "".join(entries), encoding="utf-8")
    return words


GENERATE = """
CREATE TEMP TABLE voc AS SELECT n, array_to_string(ARRAY(SELECT s.syl[1 + floor(random() * 26)::int]
    FROM generate_series(1, 2 + n %% 3) g WHERE n > 0), '') AS w
    FROM generate_series(1, 40000) n, (SELECT %(syllables)s::text[] AS syl) s;
CREATE INDEX ON voc (n);
SELECT setseed(0.14);
INSERT INTO sources (library_id, id, position, csl, file_name, file_bytes, file_sha256, text,
                     text_sha256, encoding)
    SELECT %(lib)s, 'g' || i, i, jsonb_build_object('id', 'g' || i, 'type', 'report',
           'title', 'Generated report ' || i), 'g' || i || '.txt', '', '', '', '', 'utf-8'
    FROM generate_series(0, %(sources)s - 1) i;
DROP INDEX passages_fts;
"""
CHUNK = """
INSERT INTO passages (library_id, source_id, paragraph, passage_id, start, "end", length, body)
    SELECT %(lib)s, 'g' || d.i / 100, d.i %% 100 + 1, 'g' || d.i / 100 || '-' || d.i %% 100 + 1,
           0, 0, count(*), string_agg(v.w, ' ' ORDER BY d.k)
    FROM (SELECT i, k, 1 + floor(40000 ^ random())::int AS r
          FROM generate_series(%(first)s, %(last)s) i, generate_series(1, 60) k) d
    JOIN voc v ON v.n = d.r GROUP BY d.i
"""
FINISH = """
CREATE INDEX passages_fts ON passages USING gin (tsv);
INSERT INTO lexemes (library_id, lexeme, df) SELECT %(lib)s, u.lexeme, count(*)
    FROM passages p, unnest(p.tsv) u WHERE p.library_id = %(lib)s GROUP BY u.lexeme;
INSERT INTO words (library_id, word, lexeme) SELECT DISTINCT ON (w) %(lib)s, w,
    coalesce((SELECT lexeme FROM unnest(to_tsvector('english', w)) LIMIT 1), '') FROM voc;
UPDATE libraries SET passages = %(passages)s,
    total_length = (SELECT sum(length) FROM passages WHERE library_id = %(lib)s)
    WHERE id = %(lib)s;
ANALYZE;
"""


def generate_in_database(url: str, passages: int) -> list[str]:
    """Fill the library at `url` with `passages` generated passages (100 a source) by set-based
    SQL, much faster than writing and pushing files; the GIN index is built once at the end.
    Returns the vocabulary, most frequent first (Zipf, as `make_library`)."""
    init_library(url)
    target = LibraryTarget.parse(url)
    with connect(target) as conn, psycopg.ClientCursor(conn) as cur:  # binds DDL's values too
        lib = library_id(conn, target)
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET work_mem = '256MB'")  # the chunks' joins and string_agg in memory
        args = {"lib": lib, "syllables": _SYLLABLES, "sources": (passages + 99) // 100,
                "passages": passages}
        for statement in GENERATE.split(";\n"):
            if statement.strip():
                cur.execute(statement, args)
        for first in range(0, passages, 100_000):
            cur.execute(CHUNK, {**args, "first": first,
                                 "last": min(passages, first + 100_000) - 1})
            conn.commit()
            print(f"generated {min(passages, first + 100_000):,} passages", flush=True)
        for statement in FINISH.split(";\n"):
            if statement.strip():
                cur.execute(statement, args)
        conn.commit()
        return [row[0] for row in conn.execute("SELECT w FROM voc ORDER BY n")]


def generated_queries(words: list[str], rng: random.Random) -> list[str]:
    """As `queries`, with phrases of two words drawn as the generator draws them."""
    out = [rng.choice(words[:20]) for _ in range(20)]
    out += [rng.choice(words[200:2000]) for _ in range(20)]
    out += [rng.choice(words[10_000:]) for _ in range(20)]
    out += [f"{rng.choice(words[:500])} {rng.choice(words[:5000])}" for _ in range(20)]
    out += [f'"{rng.choice(words[:100])} {rng.choice(words[:300])}"' for _ in range(20)]
    out += [rng.choice(words[:3000])[:3] + "*" for _ in range(20)]
    return out


def time_searches(url: str, group_queries: list[str]) -> None:
    """Print p50 and p99 of 20-hit searches, snippets included, by kind of query."""
    library = open_library(url)
    index = PostgresIndex(library)  # type: ignore[arg-type]
    for kind, group in zip(("common", "mid", "rare", "two words", "phrase", "prefix"),
                           _chunks(group_queries, 20)):
        times = []
        for query in group:
            t = time.perf_counter()
            index.search(query, limit=20)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        print(f"search {kind:<9}: p50 {statistics.median(times):6.1f} ms, "
              f"p99 {times[int(len(times) * 0.99) - 1]:6.1f} ms", flush=True)


def queries(words: list[str], library_folder: Path, rng: random.Random) -> list[str]:
    text = (library_folder / "s00000.txt").read_text(encoding="utf-8").split()
    out = [rng.choice(words[:20]) for _ in range(20)]  # very common
    out += [rng.choice(words[200:2000]) for _ in range(20)]  # mid-frequency
    out += [rng.choice(words[10_000:]) for _ in range(20)]  # rare
    out += [f"{rng.choice(words[:500])} {rng.choice(words[:5000])}" for _ in range(20)]
    for _ in range(20):
        at = rng.randrange(len(text) - 3)
        out.append('"' + " ".join(w.strip(".").lower() for w in text[at:at + 2]) + '"')
    out += [rng.choice(words[:3000])[:3] + "*" for _ in range(20)]  # prefixes
    return out


def _analyst(url: str, worker: int, seconds: float, results: multiprocessing.Queue) -> None:
    done, stop = 0, time.monotonic() + seconds
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        while time.monotonic() < stop:
            if main(["cite", url, "--position", f"p{worker}", "--create-position", "--source",
                     "s00000", "--start", "0", "--end", "20", "--id", f"w{worker}-{done}"]) != 0:
                break
            done += 1
    results.put((worker, done))
    results.close()
    results.join_thread()
    os._exit(0)


def main_bench() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=50_000)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--analysts", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--generate", type=int, metavar="N",
                        help="only search: N passages generated in the database, not pushed")
    args = parser.parse_args()
    bindir = server_bindir()
    if bindir is None:
        sys.exit("no PostgreSQL server binaries: apt-get install postgresql, or set PG_BINDIR")
    rng = random.Random(SEED)
    if args.generate:
        with throwaway_cluster(bindir, settings="-c shared_buffers=512MB -c max_wal_size=8GB"
                               ) as cluster:
            url = cluster.url(cluster.database())
            started = time.perf_counter()
            words = generate_in_database(url, args.generate)
            print(f"generated {args.generate:,} passages in {time.perf_counter() - started:.0f} s")
            time_searches(url, generated_queries(words, rng))
        return 0
    with tempfile.TemporaryDirectory() as tmp, throwaway_cluster(
            bindir, settings="-c shared_buffers=256MB") as cluster:
        folder = Path(tmp) / "library"
        folder.mkdir()
        words = make_library(folder, args.passages, args.sources, rng)
        size = sum(p.stat().st_size for p in folder.glob("*.txt"))
        url = cluster.url(cluster.database())
        started, cpu = time.perf_counter(), time.process_time() + server_cpu(cluster.socket_dir)
        push_library(folder, url)
        took = time.perf_counter() - started
        cpu = time.process_time() + server_cpu(cluster.socket_dir) - cpu
        print(f"push: {args.passages:,} passages, {size / 1e6:.1f} MB in {took:.1f} s = "
              f"{size / 1e6 / took:.2f} MB/s wall; {cpu:.1f} CPU-s (briefkit + server) = "
              f"{size / 1e6 / cpu:.2f} MB per CPU-second (target >= 10 MB/s; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")

        time_searches(url, queries(words, folder, rng))

        brief_url = LibraryTarget.parse(url).brief_url("bench")
        create_team_brief(brief_url, title="Bench", template="options-memo")
        fork = multiprocessing.get_context("fork")
        results: multiprocessing.Queue = fork.Queue()
        procs = [fork.Process(target=_analyst, args=(brief_url, w, args.seconds, results))
                 for w in range(args.analysts)]
        started = time.perf_counter()
        for proc in procs:
            proc.start()
        counts = dict(results.get(timeout=600) for _ in procs)
        for proc in procs:
            proc.join()
        took = time.perf_counter() - started
        brief, revision = load_team_brief(brief_url)
        held = {c.id for _, c in brief.citations()}
        saved = {f"w{w}-{n}" for w, count in counts.items() for n in range(count)}
        print(f"analysts: {args.analysts} cite-and-save loops, {len(saved)} saves in {took:.1f} s "
              f"= {len(saved) / took:.1f} ops/s; revision {revision}; lost updates "
              f"{len(saved - held)} (target 0)")
    return 0


def server_cpu(socket_dir: Path) -> float:
    """CPU seconds the cluster's processes used so far: the postmaster's own and those of the
    backends it has reaped (cutime), plus its live children's (a shared machine's wall clock
    says more about the other users' load than about briefkit)."""
    tick = os.sysconf("SC_CLK_TCK")
    postmaster = int((socket_dir / "data" / "postmaster.pid").read_text().split()[0])

    def fields(pid: int) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    total = sum(int(x) for x in fields(postmaster)[11:15])
    for child in Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split():
        with contextlib.suppress(OSError):
            total += sum(int(x) for x in fields(int(child))[11:13])
    return total / tick


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


if __name__ == "__main__":
    raise SystemExit(main_bench())

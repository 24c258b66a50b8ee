"""Export benchmark: briefs of 10, 100, 1,000 and 5,000 citations, timed as whole processes.

For each size, `briefkit export --to docx` and `pandoc -f markdown -t docx` (on briefkit's own
Markdown export of the same brief) run in turns, A B A B ..., and the ratio briefkit / pandoc is
the median of the pairs' ratios, so a machine whose speed drifts moves both sides alike. Targets
(issue 16): <= 2x at 10 citations, <= 1x at 100, and no worse than before at 1,000. A bare
`python -c pass` runs in the same turns: the floor any Python command starts from, beside pandoc's
whole run; CPU seconds (user + system, the children's) are shown beside the wall times, as
other work on a shared machine stretches wall time more than CPU time.

Bytecode is compiled before anything is timed: every process writes and reads its .pyc files
under one temporary PYTHONPYCACHEPREFIX (even where PYTHONDONTWRITEBYTECODE is set), and one
untimed run fills it, as it fills the run cache (verdicts of style checks, compiled templates,
formatted notes, the prepared base document of the DOCX writer) in a temporary BRIEFKIT_CACHE, as
a second export of the day finds it. So the "docx s" column is an export again of a brief that has
not changed, which the run cache answers by running only the DOCX writer; the "edited s" column
is the export that follows an edit of the brief's prose (made, untimed, before each run), which
renders afresh with only the unchanged parts (notes, compiled templates) from the cache, and its
ratio to pandoc is printed too. The DOCX export runs with --no-page-count: counting pages is
LibreOffice laying the file out, seconds of its own, not export.
Run: python bench/bench_export.py [--runs N] [--sizes 10 100 1000 5000]
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefkit.brief.anchoring import anchor_range
from briefkit.brief.model import Brief, Citation, Position
from briefkit.brief.store import save_brief
from briefkit.library.library import Library
from briefkit.library.segment import split_sentences

WORDS = ["sanctions", "negotiation", "election", "opposition", "government", "regime", "relief", "pressure", "oil", "region", "military", "talks", "transition", "humanitarian", "crisis", "policy", "leverage", "diplomacy", "Caracas", "Washington", "the", "of", "and", "to", "in", "a", "that", "is", "for", "on", "with", "as", "by"]


def make_library(root: Path, sources: int, rng: random.Random) -> None:
    lines = ["sources:"]
    for i in range(sources):
        paragraphs = []
        for _ in range(12):
            sentences = []
            for _ in range(4):
                words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
                sentences.append(" ".join(words).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        (root / f"s{i:03d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        lines += [
            f"  - id: s{i:03d}", f"    file: s{i:03d}.txt", "    type: webpage",
            f"    title: Synthetic analysis number {i}", f"    publisher: Think Tank {i % 17}",
            "    author:", f"      - family: Author{i}", "        given: Pat",
            f"    issued:\n      date-parts: [[20{10 + i % 15}, {1 + i % 12}, {1 + i % 28}]]",
            f"    URL: https://example.org/analysis/{i}",
        ]
    (root / "sources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_brief(root: Path, citations: int, rng: random.Random) -> Path:
    library = Library.open(root)
    ids = list(library.entries)
    count = min(20, max(3, citations // 5))  # an everyday brief weighs three options; big ones, twenty
    positions = [Position(id=f"p{i}", title=f"Option {i}", summary="A synthetic option.") for i in range(count)]
    for n in range(citations):
        source = library.source(ids[n % len(ids)])
        para = rng.choice(source.paragraphs)
        span = rng.choice(split_sentences(source.text, para.start, para.end))
        positions[n % count].citations.append(Citation(
            id=f"c{n}", source=source.id, anchor=anchor_range(source.text, span.start, span.end),
            stance=("supports", "opposes", "context")[n % 3],
        ))
    brief = Brief(title="Benchmark brief", author="Bench", date="2026-11-23", positions=positions,
                  sections={"summary": "Synthetic.", "background": "Synthetic.", "recommendation": "Synthetic."})
    path = root / "bench.brief.yaml"
    save_brief(brief, path)
    return path


def sources_for(citations: int) -> int:
    """Everyday briefs cite a handful of sources; the big ones draw on a large library."""
    return min(200, max(5, citations // 5))


class Editor:
    """Each call changes the brief's summary, as an analyst's edit between two exports does."""

    def __init__(self, brief: Path) -> None:
        self.brief, self.count = brief, 0

    def __call__(self) -> None:
        self.count += 1
        text = self.brief.read_text(encoding="utf-8")
        head, sep, rest = text.partition("\n  summary: ")
        _, _, tail = rest.partition("\n")
        self.brief.write_text(f"{head}{sep}Synthetic, edited {self.count} times.\n{tail}", encoding="utf-8")


@dataclass(frozen=True)
class Turns:
    """Medians over commands run in turns: wall and CPU seconds of each, and each one's ratio to the
    second command, taken turn by turn (of wall and of CPU seconds)."""

    wall: list[float]
    cpu: list[float]
    ratio: list[float]
    cpu_ratio: list[float]


def paired(commands: list[list[str]], runs: int, env: dict[str, str],
           prepare: dict[int, Callable[[], None]] | None = None) -> Turns:
    """`commands` run in turns, A B C A B C ..., `runs` times after one untimed run each;
    `prepare[i]`, if given, runs untimed before each run of command i."""
    def run(i: int) -> tuple[float, float]:
        cmd, step = commands[i], (prepare or {}).get(i)
        if step is not None:
            step()
        before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    for i in range(len(commands)):
        run(i)
    turns = [[run(i) for i in range(len(commands))] for _ in range(runs)]
    columns = range(len(commands))
    return Turns([statistics.median(t[i][0] for t in turns) for i in columns],
                 [statistics.median(t[i][1] for t in turns) for i in columns],
                 [statistics.median(t[i][0] / t[1][0] for t in turns) for i in columns],
                 [statistics.median(t[i][1] / max(t[1][1], 1e-6) for t in turns) for i in columns])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 5000])
    args = parser.parse_args()
    if shutil.which("pandoc") is None:
        sys.exit("pandoc is needed for the reference run (apt-get install -y pandoc)")
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        env["BRIEFKIT_CACHE"] = str(Path(tmp) / "cache")  # the run cache, filled by the untimed run
        print(f"median of {args.runs} whole-process runs in turns (briefkit DOCX, pandoc DOCX, python -c pass);"
              " s = wall seconds, cpu = CPU seconds")
        print(f"{'citations':>9} {'sources':>7} {'notes':>6} {'md s':>6} {'docx s':>6} {'cpu':>5} {'edited s':>8} "
              f"{'pandoc s':>8} {'cpu':>5} {'python s':>8} {'docx/pandoc':>11} {'(cpu)':>5} {'edited/pandoc':>13} "
              f"{'python/pandoc':>13}")
        for size in args.sizes:
            root = Path(tmp) / f"b{size}"
            root.mkdir()
            rng = random.Random(20261123)
            make_library(root, sources_for(size), rng)
            brief = make_brief(root, size, rng)
            md, docx, ref = root / "out.md", root / "out.docx", root / "pandoc.docx"
            briefkit = [sys.executable, "-m", "briefkit", "export", str(brief)]
            t_md = paired([[*briefkit, "--to", "md", "-o", str(md)], ["true"]], max(3, args.runs // 2), env).wall[0]
            edited = root / "edited.docx"
            t = paired([[*briefkit, "--to", "docx", "--no-page-count", "-o", str(docx)],
                        ["pandoc", "-f", "markdown", "-t", "docx", str(md), "-o", str(ref)],
                        [sys.executable, "-c", "pass"],
                        [*briefkit, "--to", "docx", "--no-page-count", "-o", str(edited)]],
                       args.runs, env, prepare={3: Editor(brief)})
            notes = md.read_text(encoding="utf-8").count("\n[^")
            print(f"{size:>9,} {sources_for(size):>7} {notes:>6} {t_md:>6.3f} {t.wall[0]:>6.3f} {t.cpu[0]:>5.3f} "
                  f"{t.wall[3]:>8.3f} {t.wall[1]:>8.3f} {t.cpu[1]:>5.3f} {t.wall[2]:>8.3f} {t.ratio[0]:>11.2f} "
                  f"{t.cpu_ratio[0]:>5.2f} {t.ratio[3]:>13.2f} {t.ratio[2]:>13.2f}")


if __name__ == "__main__":
    main()

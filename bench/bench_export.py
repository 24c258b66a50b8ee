"""Export benchmark: a brief with 1,000 citations over 200 sources, timed as whole processes.

Prints the median of several runs of `briefkit export --to md`, `briefkit export --to docx`, and
`pandoc -f markdown -t docx` on briefkit's own Markdown output, and the ratio briefkit-DOCX / pandoc
(target: <= 0.5). Run: python bench/bench_export.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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
    positions = [Position(id=f"p{i}", title=f"Option {i}", summary="A synthetic option.") for i in range(20)]
    for n in range(citations):
        source = library.source(ids[n % len(ids)])
        para = rng.choice(source.paragraphs)
        span = rng.choice(split_sentences(source.text, para.start, para.end))
        positions[n % 20].citations.append(Citation(
            id=f"c{n}", source=source.id, anchor=anchor_range(source.text, span.start, span.end),
            stance=("supports", "opposes", "context")[n % 3],
        ))
    brief = Brief(title="Benchmark brief", author="Bench", date="2026-11-23", positions=positions,
                  sections={"summary": "Synthetic.", "background": "Synthetic.", "recommendation": "Synthetic."})
    path = root / "bench.brief.yaml"
    save_brief(brief, path)
    return path


def timed(cmd: list[str], runs: int) -> float:
    """Median wall time of whole-process runs, after one warm-up run.

    Bytecode caching is left on (as in any normal install) even where the environment disables it,
    so each run does not recompile every imported module.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--citations", type=int, default=1000)
    args = parser.parse_args()
    if shutil.which("pandoc") is None:
        sys.exit("pandoc is needed for the reference run (apt-get install -y pandoc)")
    rng = random.Random(20261123)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_library(root, args.sources, rng)
        brief = make_brief(root, args.citations, rng)
        md, docx, ref = root / "out.md", root / "out.docx", root / "pandoc.docx"
        briefkit = [sys.executable, "-m", "briefkit", "export", str(brief)]
        t_md = timed([*briefkit, "--to", "md", "-o", str(md)], args.runs)
        t_docx = timed([*briefkit, "--to", "docx", "-o", str(docx)], args.runs)
        t_pandoc = timed(["pandoc", "-f", "markdown", "-t", "docx", str(md), "-o", str(ref)], args.runs)
        notes = md.read_text(encoding="utf-8").count("\n[^")
        print(f"brief: {args.citations} citations over {args.sources} sources, {notes} footnotes; "
              f"median of {args.runs} whole-process runs")
        print(f"briefkit export --to md    {t_md:6.3f} s")
        print(f"briefkit export --to docx  {t_docx:6.3f} s")
        print(f"pandoc -f markdown -t docx {t_pandoc:6.3f} s")
        print(f"ratio briefkit-DOCX / pandoc = {t_docx / t_pandoc:.2f} (target <= 0.5)")


if __name__ == "__main__":
    main()

"""Check benchmark: what `briefkit check` spends on a big brief, stage by stage, and how it grows.

Builds the export benchmark's library (200 sources) and a brief of 5,000 citations, then briefs of
K and 2K copies of its positions (1.65 MB a copy: K = 9 gives 15 MB and 30 MB, the size of
issue 10's brief), and one whose summary is 28 MB of prose with 600,000 citations. Prints the
CPU seconds (best of --runs) of each stage: YAML (yamlio.loads), the rest of loading (validation
into a Brief), and check_brief (prose parsing and quote verification), the ratio t(2K)/t(K), and
the whole check of the 2K brief against a plain PyYAML safe load of the same file (the reference).
Run: python bench/bench_check.py [--copies K] [--runs N]
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from bench_export import make_brief, make_library

from briefkit import yamlio
from briefkit.brief.check import check_brief
from briefkit.brief.store import load_brief
from briefkit.library.library import Library
from briefkit.render.parse import prose_citations


def best(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return min(times)


def copies(text: str, k: int) -> str:
    """The brief with its positions repeated `k` times under new position and citation ids."""
    head, rest = text.split("positions:\n", 1)
    blocks = [re.sub(r"(  - id: p\d+|      - id: c\d+)", lambda m, j=j: f"{m.group(1)}x{j}", rest)
              for j in range(k)]
    return head + "positions:\n" + "".join(blocks)


def stages(path: Path, library: Library, runs: int) -> tuple[float, float, float]:
    text = path.read_text(encoding="utf-8")
    t_yaml = best(lambda: yamlio.loads(text, path), runs)
    t_load = best(lambda: load_brief(path), runs)
    brief = load_brief(path)
    t_check = best(lambda: check_brief(brief, library, prose_citations), runs)
    return t_yaml, t_load - t_yaml, t_check


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=9)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_library(root, 200, random.Random(20261123))
        base = make_brief(root, 5000, random.Random(1)).read_text(encoding="utf-8")
        library = Library.open(root)
        briefs = {}
        for k in (args.copies, 2 * args.copies):
            briefs[f"{k} copies"] = root / f"c{k}.brief.yaml"
            briefs[f"{k} copies"].write_text(copies(base, k), encoding="utf-8")
        prose = " ".join(f"Word{i} of the analysis [@c{i % 5000}] continues." for i in range(600_000))
        briefs["prose"] = root / "prose.brief.yaml"
        briefs["prose"].write_text(base.replace("  summary: Synthetic.\n", f"  summary: {prose}\n", 1),
                                   encoding="utf-8")
        totals = {}
        print(f"CPU seconds, best of {args.runs}: yaml / rest of loading / check_brief = total")
        for name, path in briefs.items():
            t_yaml, t_load, t_check = stages(path, library, args.runs)
            totals[name] = t_yaml + t_load + t_check
            print(f"{name:>10} {path.stat().st_size / 1e6:5.1f} MB  {t_yaml:5.2f} / {t_load:5.2f} / "
                  f"{t_check:5.2f} = {totals[name]:5.2f}")
        small, large = (totals[f"{k} copies"] for k in (args.copies, 2 * args.copies))
        print(f"ratio t(2K)/t(K) = {large / small:.2f} (linear: 2)")
        biggest = briefs[f"{2 * args.copies} copies"]
        text = biggest.read_text(encoding="utf-8")
        reference = best(lambda: yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)),
                         args.runs)
        print(f"reference: a plain PyYAML safe load (libyaml) of the {len(text) / 1e6:.1f} MB brief "
              f"takes {reference:.2f} s; briefkit's whole check of it is {large / reference:.2f}x that")


if __name__ == "__main__":
    main()

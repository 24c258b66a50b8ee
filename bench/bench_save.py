"""Save benchmark: saving a big brief after a one-field edit, spliced and as a whole document.

Builds the export benchmark's library and briefs of 1,000 and 5,000 citations, edits one
section, and times (CPU seconds, best of --runs) briefkit's save, which splices unchanged
citations in as they are, against the whole-document round trip (ruamel loads and dumps every
citation) in the same process: the reference, and what every save cost before.
Run: python bench/bench_save.py [--runs N]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from bench_export import make_brief, make_library

from briefkit import yamlio
from briefkit.brief import store


def cpu(run) -> float:  # type: ignore[no-untyped-def]
    started = time.process_time()
    run()
    return time.process_time() - started


def whole_document(path: Path) -> None:
    """The save as it was: the round-trip document of the whole file, dumped and read back."""
    brief = store.load_brief(path)
    brief.sections["summary"] = "Edited for the reference."
    text = yamlio.dump(store._sync(brief), brief.layout)
    store._read_back(brief, text, path)


def spliced(path: Path) -> None:
    brief = store.load_brief(path)
    brief.sections["summary"] = "Edited."
    store.save_brief(brief)
    assert brief.document is None, "the save did not splice"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_library(root, 200, random.Random(20261123))
        print("citations   MB   save (spliced)   whole document   ratio")
        for count in (1000, 5000):
            path = make_brief(root, count, random.Random(count))
            size = path.stat().st_size / 1e6
            ours = min(cpu(lambda: spliced(path)) for _ in range(args.runs))
            reference = min(cpu(lambda: whole_document(path)) for _ in range(args.runs))
            print(f"{count:>9} {size:5.2f} {ours:12.2f} s {reference:14.2f} s {ours / reference:8.2f}x")


if __name__ == "__main__":
    main()

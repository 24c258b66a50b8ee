"""Citations against the oracle: briefkit's notes (or in-text citations) and bibliography entries
compared one by one with `pandoc --citeproc` on the corpus in tests/render/citeproc_corpus.

Prints, per style, identical/total for citations and for bibliography entries. `--record` first
runs pandoc (it must be installed) and rewrites the fixtures the tests compare with; `--diff STYLE`
prints each difference. Run: python bench/bench_citeproc.py [--record] [--diff STYLE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "render"))

from citeproc_oracle import (
    CORPUS,
    STYLES,
    briefkit_output,
    corpus_items,
    corpus_notes,
    run_pandoc,
)

from briefkit.render.csl.styles import resolve_style


def record() -> None:
    version = subprocess.run(["pandoc", "--version"], capture_output=True, text=True,
                             check=True).stdout.splitlines()[0]
    for style in STYLES:
        with tempfile.TemporaryDirectory() as folder:
            found = run_pandoc(corpus_items(), corpus_notes(), resolve_style(style), Path(folder))
        found = {"pandoc": version, **found}
        (CORPUS / f"{style}.json").write_text(
            json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--diff", metavar="STYLE")
    args = parser.parse_args()
    if args.record:
        record()
    print(f"{'style':<45} {'citations':>10} {'bibliography':>13} {'seconds':>8}")
    for style in STYLES:
        expected = json.loads((CORPUS / f"{style}.json").read_text(encoding="utf-8"))
        start = time.perf_counter()
        got = briefkit_output(style)
        seconds = time.perf_counter() - start
        counts = []
        for part in ("notes", "bibliography"):
            same = sum(a == b for a, b in zip(got[part], expected[part]))
            counts.append(f"{same}/{len(expected[part])}")
            if args.diff == style:
                for index, (a, b) in enumerate(zip(got[part], expected[part])):
                    if a != b:
                        print(f"{part} {index}\n  briefkit: {a}\n  pandoc:   {b}")
                if len(got[part]) != len(expected[part]):
                    print(f"{part}: briefkit {len(got[part])}, pandoc {len(expected[part])}")
        print(f"{style:<45} {counts[0]:>10} {counts[1]:>13} {seconds:>8.2f}")


if __name__ == "__main__":
    main()

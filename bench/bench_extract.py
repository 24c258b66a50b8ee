"""PDF extraction benchmark: our reading text of each producer's fixture against ground truth.

Prints, per producer (pdfTeX, dvips + Ghostscript, groff + ps2pdf, LibreOffice Writer, Chromium
print-to-PDF, reportlab, libreoffice_memo: LibreOffice's layout of briefkit's own Word export
of the sample brief, and libreoffice_table: the last three pages of its options memo, with a
ruled table read row by row): word accuracy against the ground truth and against pdftotext, the share of
running header/footer lines removed, and paragraph-break precision and recall, with the time
taken. Targets: >= 99.5% words, 100% furniture removed, >= 0.95 precision and recall.
Run: python bench/bench_extract.py   (rebuild the fixtures with tests/ingest/fixtures/make_fixtures.py)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "ingest"))

from extract_scores import FIXTURES, PRODUCERS, score

from briefkit.library.ingest.pdf import read_pdf


def main() -> int:
    print(f"{'producer':<16} {'words':>7} {'vs pdftotext':>12} {'furniture':>9} "
          f"{'P':>5} {'R':>5} {'ms':>6}")
    failed = 0
    for name in PRODUCERS:
        started = time.perf_counter()
        text = read_pdf(FIXTURES / f"{name}.pdf").text or ""
        elapsed = 1000 * (time.perf_counter() - started)
        s = score(name, text)
        ok = s.words >= 0.995 and s.furniture == 1.0 and min(s.precision, s.recall) >= 0.95
        failed += not ok
        print(f"{name:<16} {s.words:>7.2%} {s.oracle:>12.2%} {s.furniture:>9.0%} "
              f"{s.precision:>5.2f} {s.recall:>5.2f} {elapsed:>6.0f}{'' if ok else '  MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

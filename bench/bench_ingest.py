"""Benchmark `sources add` per format on generated files, and its peak memory on a 100 MB text.

    python bench/bench_ingest.py [--text-mb 100] [--pdf-pages 500]

Each measurement runs `add_sources` in a child process on a fresh library, so the reported
peak resident size (ru_maxrss) belongs to the ingestion alone. Throughput is MB of input per
second (and pages per second for the PDF). Files are generated here: a large UTF-8 text, a
reportlab PDF with a running header and page numbers, a web page with boilerplate (repeated
articles), and a python-docx document.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

SEED = 20261123
WORDS = ["sanctions", "oil", "revenue", "talks", "government", "opposition", "election", "observers", "negotiators", "ministry", "treasury", "relief", "plan", "regional", "budget", "embargo", "delegation", "agreement", "envoy", "pressure", "transition", "humanitarian"]

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from briefkit.library.additions import add_sources
start = time.perf_counter()
report = add_sources(Path(sys.argv[1]), [Path(sys.argv[2])])
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "action": report.files[0].action,
                  "detail": report.files[0].detail,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))


def make_text(path: Path, megabytes: int, rng: random.Random) -> None:
    target = megabytes * 1_000_000
    with path.open("w", encoding="utf-8") as out:
        written = 0
        while written < target:
            chunk = "\n\n".join(paragraph(rng) for _ in range(200)) + "\n\n"
            out.write(chunk)
            written += len(chunk)


def make_pdf(path: Path, pages: int, rng: random.Random) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica", 9)
        pdf.drawString(72, 805, "Quarterly Review of Sanctions Policy")
        pdf.drawString(290, 30, str(number))
        pdf.setFont("Helvetica", 11)
        y = 760
        while y > 80:
            for _ in range(rng.randint(3, 7)):
                words = [rng.choice(WORDS) for _ in range(11)]
                pdf.drawString(72, y, " ".join(words))
                y -= 14
            y -= 14
        pdf.showPage()
    pdf.save()


def make_html(path: Path, rng: random.Random) -> None:
    nav = "<nav><ul>" + "".join(f"<li><a href='/{w}'>{w}</a></li>" for w in WORDS) + "</ul></nav>"
    body = "".join(f"<p>{paragraph(rng)}</p>" for _ in range(400))
    path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>Bench page</title></head><body>"
        f"{nav}<div class='cookie-banner'>We use cookies.</div><article><h1>Bench page</h1>{body}"
        "</article><aside class='related'><a href='/x'>Related</a></aside>"
        "<footer>Copyright</footer></body></html>", encoding="utf-8")


def make_docx(path: Path, rng: random.Random) -> None:
    import docx

    document = docx.Document()
    for _ in range(2000):
        document.add_paragraph(paragraph(rng))
    document.save(str(path))


def measure(workdir: Path, source: Path) -> dict[str, float | str]:
    library = workdir / f"lib-{source.stem}"
    library.mkdir()
    done = subprocess.run([sys.executable, "-c", _CHILD, str(library), str(source)],
                          capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    result["mb"] = source.stat().st_size / 1_000_000
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--text-mb", type=int, default=100)
    parser.add_argument("--pdf-pages", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = {"text": work / "big.txt", "pdf": work / "report.pdf",
                  "html": work / "page.html", "docx": work / "memo.docx"}
        make_text(inputs["text"], args.text_mb, rng)
        make_pdf(inputs["pdf"], args.pdf_pages, rng)
        make_html(inputs["html"], rng)
        make_docx(inputs["docx"], rng)
        print(f"{'format':<6} {'input':>9} {'seconds':>8} {'MB/s':>7} {'pages/s':>8} {'peak RSS':>9}")
        for fmt, path in inputs.items():
            r = measure(work, path)
            assert r["action"] == "added", r
            seconds = float(r["seconds"])
            pages = f"{args.pdf_pages / seconds:8.0f}" if fmt == "pdf" else f"{'':>8}"
            print(f"{fmt:<6} {r['mb']:>7.1f}MB {seconds:>8.2f} {float(r['mb']) / seconds:>7.1f} "
                  f"{pages} {float(r['peak_mb']):>7.0f}MB")


if __name__ == "__main__":
    main()

"""Page-estimate benchmark: briefkit's estimated pages against LibreOffice's rendering of the DOCX.

For each shipped template (measured as the principal's copy) and each variant of the sample brief (as shipped; no prose; prose twice
and three times over; one position; positions three times over), exports DOCX, converts it with
`soffice --headless`, and measures the pages the PDF fills (the last page as the share of its text
area used, footnotes included, from `pdftotext -bbox-layout`). Prints both, the error, and the words
briefkit counts against the words `pdftotext` finds. With --fit, also searches the estimate's two
constants (character width and line height, in ems) for the least squared error.
Run: python bench/bench_page_estimate.py [--fit]
"""

from __future__ import annotations

import argparse
import copy
import itertools
import re
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from briefkit import resources
from briefkit.brief.model import Brief
from briefkit.brief.store import load_brief
from briefkit.render.docx import write_docx
from briefkit.render.export import render_brief
from briefkit.render.page_estimate import PageGeometry, measure
from briefkit.render.pdf import docx_to_pdf
from briefkit.render.templates import Templates

TOP, BOTTOM = 72.0, 720.0  # the text area of a Letter page with one-inch margins, from the top
_LINE = re.compile(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">')
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.DOTALL)


def variants(sample: Brief) -> dict[str, Brief]:
    def changed(**edit: object) -> Brief:
        brief = copy.deepcopy(sample)
        for key, value in edit.items():
            setattr(brief, key, value)
        return brief

    sections = sample.sections
    return {
        "as shipped": sample,
        "no prose": changed(sections={name: "" for name in sections}),
        "prose x2": changed(sections={n: "\n\n".join([t] * 2) for n, t in sections.items()}),
        "prose x3": changed(sections={n: "\n\n".join([t] * 3) for n, t in sections.items()}),
        "one position": changed(sections={name: "" for name in sections}, positions=sample.positions[:1]),
        "positions x3": changed(positions=[
            replace(p, id=p.id + suffix, citations=[replace(c, id=c.id + suffix) for c in p.citations])
            for suffix in ("", "-2", "-3") for p in sample.positions]),
    }


def filled_pages(pdf: bytes) -> float:
    """Pages before the last, plus the share of the last page's text area its lines use."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "brief.pdf"
        path.write_bytes(pdf)
        xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                             text=True, check=True).stdout
    pages = _PAGE.findall(xml)
    lines = sorted((float(a), float(b)) for a, b in _LINE.findall(pages[-1]) if float(a) < BOTTOM)
    used, top = 0.0, TOP
    for (_, end), (start, _) in itertools.pairwise(lines):
        if start - end > 40:  # the gap above the footnotes: count the lines on both sides only
            used += end - top
            top = start
    used += lines[-1][1] - top if lines else 0.0
    return len(pages) - 1 + used / (BOTTOM - TOP)


def pdf_words(pdf: bytes) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "brief.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    return len([w for w in re.split(r"[\s\u2013\u2014]+", text) if re.search(r"[^\W_]", w)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="search the estimate's constants")
    args = parser.parse_args()
    sample = load_brief(resources.sample_brief())
    cases = []
    print(f"{'template':<14} {'variant':<13} {'LibreOffice':>11} {'estimate':>8} {'error':>6} "
          f"{'pages':>9} {'words':>6} {'pdf words':>9}")
    for template in [i.name for i in Templates().list() if i.origin == "shipped"]:
        for name, brief in variants(sample).items():
            doc = render_brief(brief, template=template, copy="principal").document
            pdf = docx_to_pdf(write_docx(doc))
            real, length = filled_pages(pdf), measure(doc)
            cases.append((doc, real))
            counted = pdf_words(pdf)
            print(f"{template:<14} {name:<13} {real:>11.2f} {length.pages:>8.2f} {length.pages - real:>+6.2f} "
                  f"{f'{length.whole_pages}/{-int(-real // 1)}':>9} {length.words + length.note_words:>6} "
                  f"{counted:>9}")
    errors = [measure(doc).pages - real for doc, real in cases]
    print(f"mean absolute error {sum(map(abs, errors)) / len(errors):.2f} pages, "
          f"worst {max(errors, key=abs):+.2f}, mean relative error "
          f"{sum(abs(e) / r for e, (_, r) in zip(errors, cases)) / len(cases):.1%}")
    if args.fit:
        best = min(
            ((sum((measure(doc, PageGeometry(char_em=c / 100, line_em=h / 100)).pages - real) ** 2
                  for doc, real in cases), c / 100, h / 100)
             for c in range(40, 61) for h in range(110, 141, 2)),
        )
        print(f"best fit: char_em {best[1]:.2f}, line_em {best[2]:.2f} (sum of squared errors {best[0]:.3f})")


if __name__ == "__main__":
    main()

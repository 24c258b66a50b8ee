"""Real files of each format, written by real producers: reportlab PDFs (with a TrueType font
that has ligature glyphs), python-docx documents, and saved-page HTML with boilerplate."""

from __future__ import annotations

import os
from pathlib import Path

HTML_PAGE = """<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Sanctions bite as talks stall | The Daily Ledger</title>
<meta name="author" content="Jane Doe">
<meta property="og:site_name" content="The Daily Ledger">
<meta property="article:published_time" content="2021-08-06T09:00:00Z">
<link rel="canonical" href="https://www.dailyledger.example/world/sanctions-bite">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/opinion">Opinion</a></li><li><a href="/subscribe">Subscribe now</a></li></ul></nav></header>
<div class="cookie-banner" id="cookie-consent">We use cookies to improve your experience.
<button>Accept all cookies</button></div>
<main><article>
<h1>Sanctions bite as talks stall</h1>
<p>The sanctions imposed in 2019 cut the government's oil revenue by more than half, according
to figures the finance ministry published on Monday after months of delay.</p>
<h2>What comes next</h2>
<p>Negotiators are due to meet again in Mexico City next month to discuss a phased relief plan
tied to electoral guarantees and the release of political prisoners.</p>
<p>Diplomats said the talks would fail unless both sides accepted independent observers for the
regional elections scheduled for November.</p>
</article></main>
<aside class="related"><h3>Related articles</h3><ul>
<li><a href="/a">Ten things you did not know about oil tankers</a></li>
<li><a href="/b">Opinion: why the embargo is working</a></li></ul></aside>
<footer><p>Copyright 2021 The Daily Ledger. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer>
</body></html>
"""

HEADER = "Quarterly Review of Sanctions Policy"
# Three pages of distinct prose; page 2 carries the ligatures and a word hyphenated at a line end.
PAGES = [
    ["Oil exports fell sharply in the first quarter as buyers in Asia withdrew from",
     "long-term contracts and shipping insurers raised their premiums again.",
     "",
     "The central bank stopped publishing monthly reserve figures in March."],
    ["The ﬁnancial ﬂows that once reached the treasury were signi-",
     "ficant for the state budget, and their loss forced deep cuts in",
     "public spending on health and schools.",
     "",
     "A well-known economist warned that the long-",
     "term damage would outlast any agreement."],
    ["Negotiators meet again in October to discuss a phased relief plan.",
     "",
     "Observers expect no breakthrough before the regional elections."],
]


def _vera() -> str:
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
        pdfmetrics.registerFont(TTFont("Vera", os.path.join(folder, "Vera.ttf")))
    return "Vera"


# Two roman-numbered front pages before the body that PAGES holds, numbered again from 1.
FRONT_MATTER = [
    ["Foreword", "", "This review was commissioned by the committee in January."],
    ["Contents", "", "Exports, the treasury, the talks."],
]
# Page label ranges for reportlab: (first page index, style, first number, prefix).
PageLabel = tuple[int, str | None, int | None, str | None]
ROMAN_THEN_ARABIC: list[PageLabel] = [(0, "ROMAN_LOWER", 1, None), (2, "ARABIC", 1, None)]


def write_pdf(path: Path, pages: list[list[str]] | None = None, *, header: str | None = HEADER,
              title: str = "Sanctions and Their Effects", author: str = "Jane Analyst",
              password: str | None = None, text: bool = True,
              labels: list[PageLabel] | None = None) -> Path:
    """A PDF from reportlab: a running header, page numbers in the footer, body lines, and
    printed page labels (the catalog's /PageLabels) when `labels` are given."""
    from reportlab.lib import pdfencrypt
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _vera()
    encrypt = pdfencrypt.StandardEncryption(password, canPrint=0) if password else None
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    pdf.setTitle(title)
    pdf.setAuthor(author)
    for number, lines in enumerate(pages or PAGES, 1):
        if not text:
            pdf.rect(72, 300, 400, 400, fill=1)  # a "scan": marks, no text layer
            pdf.showPage()
            continue
        if header:
            pdf.setFont(font, 9)
            pdf.drawString(72, 805, header)
            pdf.drawString(290, 30, str(number))
        pdf.setFont(font, 11)
        y = 760
        for line in lines:
            if line:
                pdf.drawString(72, y, line)
            y -= 14
        pdf.showPage()
    for first, style, start, prefix in labels or []:
        pdf.addPageLabel(first, style, start, prefix)
    pdf.save()
    return path


def write_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Memo on the Mexico City talks"
    document.core_properties.author = "Carlos Ruiz"
    document.add_heading("Where the talks stand", level=1)
    document.add_paragraph("The delegations agreed on an agenda in August.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Delegation"
    table.cell(0, 1).text = "Head"
    document.add_paragraph("A second round is planned for October.")
    document.save(str(path))
    return path



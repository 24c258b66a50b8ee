"""Locators as a brief writes them, read into a CSL locator and its label: a quote's own ("para. 4",
"p. 12"), or one written in prose after the id (`[@c1, para. 5]`, `[@c1, pp. 3-4]`, `[@c1, 7]`),
which takes precedence, as in pandoc."""

from __future__ import annotations

# pandoc's abbreviations for the CSL locator terms a brief is likely to use, singular and plural
_LABELS = {
    "p.": "page", "pp.": "page", "page": "page", "pages": "page",
    "para.": "paragraph", "paras.": "paragraph", "¶": "paragraph", "¶¶": "paragraph",
    "chap.": "chapter", "chaps.": "chapter", "sec.": "section", "secs.": "section",
    "§": "section", "§§": "section", "n.": "note", "nn.": "note", "fig.": "figure",
    "figs.": "figure", "l.": "line", "ll.": "line", "vol.": "volume", "vols.": "volume",
    "art.": "article", "arts.": "article", "pt.": "part", "pts.": "part",
}


def prose_locator(written: str) -> tuple[str | None, str | None]:
    """`" para. 5"` -> ("5", "paragraph"); a bare number is a page, as in pandoc."""
    text = written.strip()
    if not text:
        return None, None
    word, _, rest = text.partition(" ")
    label = _LABELS.get(word.lower())
    if label is None or not rest.strip():
        return text, "page"
    return rest.strip(), label


def quote_locator(locator: str) -> tuple[str | None, str | None]:
    """A quote's own locator ("para. 4", "p. 12", or "" for none)."""
    number, label = prose_locator(locator)
    return (number, label) if number else (None, None)

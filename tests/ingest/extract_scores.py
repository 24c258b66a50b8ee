"""Scores of an extracted reading text against ground truth: words, furniture, paragraph breaks.

Used by the producer tests and by bench/bench_extract.py, so both measure the same thing.
Words are compared as sequences (difflib's longest matching blocks), so a doubled letter, a
false space or a lost line each cost the words they touch, wherever they are.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PRODUCERS = ("pdflatex", "dvips", "groff", "libreoffice", "chromium", "reportlab",
             "libreoffice_memo", "libreoffice_table")
_SAME = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\f": " "})


@dataclass(frozen=True, slots=True)
class Scores:
    words: float  # share of words identical to the ground truth, in order
    oracle: float  # share of our words that pdftotext's text has too, in order
    furniture: float  # share of running header/footer lines and page numbers removed
    precision: float  # of our paragraph breaks, the share that are the author's
    recall: float  # of the author's paragraph breaks, the share we make


def tokens(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", text).translate(_SAME).split()


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def word_share(ours: list[str], theirs: list[str], of_ours: bool = False) -> float:
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / max(1, len(ours) if of_ours else max(len(ours), len(theirs)))


def boundary_scores(ours: list[str], truth: list[str]) -> tuple[float, float]:
    """Paragraph-break precision and recall: breaks as word positions, ours mapped onto the
    truth's words through the matching blocks (an unmatched break counts as wrong)."""
    def starts(paras: list[str]) -> tuple[list[str], set[int]]:
        words: list[str] = []
        breaks: set[int] = set()
        for para in paras:
            if words:
                breaks.add(len(words))
            words.extend(tokens(para))
        return words, breaks

    our_words, our_breaks = starts(ours)
    true_words, true_breaks = starts(truth)
    matcher = difflib.SequenceMatcher(None, our_words, true_words, autojunk=False)
    mapping = {a + k: b + k for a, b, size in matcher.get_matching_blocks() for k in range(size)}
    mapped = {mapping.get(b, -1) for b in our_breaks}
    precision = len(mapped & true_breaks) / max(1, len(our_breaks))
    recall = len(mapped & true_breaks) / max(1, len(true_breaks))
    return precision, recall


def furniture_removed(ours: str, oracle: str, truth: str, furniture: list[str]) -> float:
    """Share of the running lines printed on the pages (pdftotext -layout, spaces collapsed) that
    our text no longer has. A `#` stands for a number; a bare `#` is a page number on a line of
    its own."""
    def count(text: str, pattern: str) -> int:
        digits = "\n".join(" ".join(ln.split()) for ln in re.sub(r"\d+", "#", text).splitlines())
        if pattern == "#":
            return sum(1 for ln in digits.splitlines() if ln.strip() == "#")
        return digits.count(pattern)

    total = kept = 0
    for pattern in furniture:
        base = count(truth, pattern)
        total += max(0, count(oracle, pattern) - base)
        kept += max(0, count(ours, pattern) - base)
    return 1.0 - kept / max(1, total)


def pdftotext(path: Path, *options: str) -> str:
    import subprocess

    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def score(name: str, ours: str) -> Scores:
    """Score our reading text of fixture `name` against its ground truth and pdftotext."""
    truth = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    furniture = (FIXTURES / f"{name}.furniture").read_text(encoding="utf-8").splitlines()
    oracle = pdftotext(FIXTURES / f"{name}.pdf")
    oracle_words = tokens(re.sub(r"-\n(?=[a-z])", "", oracle))
    precision, recall = boundary_scores(paragraphs(ours), paragraphs(truth))
    return Scores(word_share(tokens(ours), tokens(truth)),
                  word_share(tokens(ours), oracle_words, of_ours=True),
                  furniture_removed(ours, pdftotext(FIXTURES / f"{name}.pdf", "-layout"), truth,
                                    [f for f in furniture if f]),
                  precision, recall)

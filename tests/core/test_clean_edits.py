"""Randomized edits to the sample sources' reading texts: the cleaner keeps every paragraph.

Each trial takes a sample source's reading text and applies one to four edits an author makes:
paragraphs below the title duplicated in place (said twice, right after itself: at the top,
a title printed twice is the one repeat captures make and the cleaner takes out), moved and deleted, sentences from
other sources inserted as paragraphs or inside one, and words changed. None of that is clutter, so
cleaning the edited text must give it back unchanged. As a control, some trials also put a real
pull quote (a sentence of the next paragraph, on its own before it) into the text: that one, and
only that one, must go.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest

from briefkit.library.clean import clean
from briefkit.library.library import Library

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TRIALS = 2100
TIME_LIMIT = 30.0  # seconds; the trials stop early rather than run on a slow machine
_WORDS = ("sanctions", "regime", "talks", "opposition", "Washington", "elections", "pressure")
_SENTENCE = re.compile(r"[A-Z][^.!?\n]{40,200}[.!?](?= [A-Z]|$)")


def _edit(rng: random.Random, paras: list[str], sentences: list[str]) -> None:
    """Apply one random author's edit to `paras` in place."""
    kind = rng.choice(("dup-para", "move-para", "del-para", "insert", "insert-inline", "word"))
    i = rng.randrange(len(paras))
    if kind == "dup-para" and i >= 2:  # a title printed twice at the top is a capture's
        paras.insert(i + 1, paras[i])
    elif kind == "move-para":
        paras.insert(rng.randrange(len(paras)), paras.pop(i))
    elif kind == "del-para" and len(paras) > 2:
        del paras[i]
    elif kind == "insert":
        paras.insert(i, rng.choice(sentences))
    elif kind == "insert-inline":
        cuts = [m.end() for m in re.finditer(r"[.!?] ", paras[i])]
        if cuts:
            at = rng.choice(cuts)
            paras[i] = paras[i][:at] + rng.choice(sentences) + " " + paras[i][at:]
    elif kind == "word":
        words = list(re.finditer(r"\b[a-z]{4,}\b", paras[i]))
        if words:
            w = rng.choice(words)
            paras[i] = paras[i][:w.start()] + rng.choice(_WORDS).lower() + paras[i][w.end():]


@pytest.mark.long
def test_authors_edits_survive_cleaning_and_only_pull_quotes_go() -> None:
    library = Library.open(SEEDS)
    texts = [library.source(source_id).text for source_id in library.entries]
    # Inserted sentences come from the other sources: one of its own before the paragraph holding
    # it would be a pull quote.
    others = [[m.group() for other in texts if other is not text for m in _SENTENCE.finditer(other)]
              for text in texts]
    rng = random.Random(8)
    trials = lost = controls = quotes_kept = 0
    failures: list[str] = []
    deadline = time.monotonic() + TIME_LIMIT
    while trials < TRIALS and time.monotonic() < deadline:
        n = rng.randrange(len(texts))
        paras, sentences = texts[n].split("\n\n"), others[n]
        for _ in range(rng.randint(1, 4)):
            _edit(rng, paras, sentences)
        trials += 1
        edited = "\n\n".join(paras)
        reading, removed = clean(edited)
        if (reading, removed) != (edited, []):
            lost += 1
            failures.append(f"trial {trials}: {[(r.kind, r.text[:60]) for r in removed]}")
        bodies = [i for i, p in enumerate(paras) if i > 2 and len(_SENTENCE.findall(p)) >= 3]
        if bodies and rng.random() < 0.3:
            at = rng.choice(bodies)
            quote = _SENTENCE.match(paras[at])
            if quote is None or quote.group().count(" ") < 8:
                continue
            controls += 1
            with_quote = paras[:at] + [quote.group()] + paras[at:]
            if clean("\n\n".join(with_quote))[0] != edited:
                quotes_kept += 1
    assert trials >= 1000, f"only {trials} trials ran within {TIME_LIMIT} s"
    assert lost == 0, f"{lost} of {trials} edited texts lost text: {failures[:5]}"
    assert controls >= 50 and quotes_kept == 0, f"{quotes_kept} of {controls} pull quotes kept"

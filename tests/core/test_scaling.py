"""Work that grows linearly with its input: each test times one input and one twice its size and
checks the ratio (CPU time, best of five, so other processes on the machine do not count).

Before the fixes: a one-line source of 1 MB took 2.5 s to search and 2 MB took 9.8 s (FTS5's
snippet() over one huge row), and cleaning 10,000 / 40,000 broken paragraphs took 1.3 s / 30 s
(each join copied the paragraph so far)."""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from briefkit.brief.anchoring import anchor_range
from briefkit.brief.check import check_brief
from briefkit.brief.model import Brief, Citation, Position
from briefkit.brief.store import load_brief, save_brief
from briefkit.library.clean import clean
from briefkit.library.index import PIECE_CHARS
from briefkit.library.library import Library
from briefkit.library.segment import segment, split_sentences
from briefkit.render.parse import prose_citations

WORDS = ("sanctions negotiation election opposition government regime relief pressure oil region "
         "military talks the of and to in a that").split()
MAX_RATIO = 3.0  # twice the input: about twice the time; quadratic work would give about 4


def _prose(chars: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + ". "
        out.append(sentence)
        size += len(sentence)
    return "".join(out).rstrip()


def _cpu(run: Callable[[], object]) -> float:
    """Best of five CPU times, the cycle collector off (its passes grow with the whole heap).
    Five, not three: on a shared machine CPU time varies too (cache and clock), and a CI run's
    check of 3,000 citations once measured 3.15x that of 1,500 where 1.8-2.5x is usual."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            started = time.process_time()
            run()
            best = min(best, time.process_time() - started)
    finally:
        gc.enable()
    return best


def _ratio(make: Callable[[int], Callable[[], object]], n: int) -> float:
    small, large = make(n), make(2 * n)
    small()  # warm up: imports, caches
    return _cpu(large) / max(_cpu(small), 1e-3)


def _library(root: Path, text: str) -> Library:
    root.mkdir()
    (root / "big.txt").write_text(text + "\n", encoding="utf-8")
    (root / "sources.yaml").write_text(
        "sources:\n  - id: big\n    file: big.txt\n    type: report\n    title: Big\n", encoding="utf-8")
    return Library.open(root)


@pytest.mark.long
def test_indexing_and_searching_a_one_line_source_is_linear(tmp_path: Path) -> None:
    runs = iter(range(100))

    def make(chars: int) -> Callable[[], object]:
        text = _prose(chars)

        def run() -> object:
            library = _library(tmp_path / f"lib{next(runs)}", text)
            return library.index().search("sanctions", limit=5)

        return run

    assert _ratio(make, 1_000_000) < MAX_RATIO


def test_a_long_paragraph_is_indexed_in_pieces_that_point_at_its_text(tmp_path: Path) -> None:
    text = _prose(50_000) + " " + "x" * (PIECE_CHARS * 2) + " tail words"
    library = _library(tmp_path / "lib", text)
    source = library.source("big")
    hits = library.index().search("sanctions", limit=100)
    assert len(hits) > 5 and all(h.paragraph == 1 for h in hits)
    assert all(h.passage_id == source.passages()[0].id for h in hits)
    for hit in library.index().search("sanctions OR tail OR xxxx*", limit=100):
        body = source.text[hit.start:hit.end]
        assert 0 < len(body) <= PIECE_CHARS and body == body.strip()
        assert body.replace(" ", "") in source.text.replace(" ", "")
    assert library.index().search("tail", limit=1)[0].end == len(source.text)


@pytest.mark.long
def test_cleaning_paragraphs_broken_mid_sentence_is_linear() -> None:
    def make(n: int) -> Callable[[], object]:
        text = "\n\n".join(f"the talks went on for days number {i} and weeks and" for i in range(n))
        return lambda: clean(text)

    assert _ratio(make, 20_000) < MAX_RATIO
    title = "A title broken in two and the rest of it"
    joined, removals = clean(title.replace(" the", "\n\nthe") + "\n\n" + title)
    assert joined == title  # the join, then a repeat of it dropped
    assert [r.kind for r in removals] == ["paragraph-break", "duplicate-heading"]


def test_segmenting_a_one_line_source_is_linear() -> None:
    def make(chars: int) -> Callable[[], object]:
        text = _prose(chars)
        return lambda: split_sentences(text, 0, len(text)) and segment(text)

    assert _ratio(make, 1_000_000) < MAX_RATIO


@pytest.mark.long
def test_checking_a_brief_is_linear_in_its_citations(tmp_path: Path) -> None:
    library = _library(tmp_path / "lib", "\n\n".join(_prose(600, seed) for seed in range(400)))
    source = library.source("big")
    def make(citations: int) -> Callable[[], object]:
        position = Position(id="p", title="P")
        for i in range(citations):
            para = source.paragraphs[i % len(source.paragraphs)]
            anchor = anchor_range(source.text, para.start, para.start + 60 + i % 7)
            position.citations.append(Citation(id=f"c{i}", source="big", anchor=anchor))
        summary = " ".join(f"Point {i} [@c{i}]." for i in range(citations))
        path = tmp_path / "lib" / f"b{citations}.brief.yaml"
        save_brief(Brief(title="Scaling", sections={"summary": summary}, positions=[position]), path)

        def run() -> object:
            report = check_brief(load_brief(path), library, prose_citations)
            assert [v.reason for v in report.verifications.values() if not v.ok] == []
            return report

        return run

    assert _ratio(make, 1500) < MAX_RATIO


def test_parsing_prose_full_of_escapes_is_linear() -> None:
    """Each escaped character used to be added to the text node so far (80,000 of them: 5.4 s)."""
    def make(n: int) -> Callable[[], object]:
        text = "word\\* and [@c1] " * n
        return lambda: prose_citations(text)

    assert _ratio(make, 20_000) < MAX_RATIO
    assert prose_citations("a\\*b [@c1] c\\_d [see @c2]") == (["c1"], ["[see @c2]"])
    assert prose_citations("plain [@c1; @c2] prose [see @c3] and [@c4]") == (["c1", "c2", "c4"], ["[see @c3]"])

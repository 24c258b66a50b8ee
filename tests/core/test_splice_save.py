"""Saves that splice unchanged citations in as they are: byte for byte, comments and all."""

from __future__ import annotations

import random
from pathlib import Path

from briefkit.brief.model import Anchor, Citation, Position
from briefkit.brief.store import load_brief, save_brief

BRIEF = """\
# A hand-kept brief: comments in and between citations must survive saves.
briefkit: 1
title: Splicing
sections:
  summary: |
    First [@a] and [@c].
positions:
  - id: p1
    title: One
    citations:
      # the strongest quote
      - id: a
        source: s
        quote: 'alpha words'   # quoted by hand
        start: 0
        end: 11
      - id: b
        source: s
        quote: beta
        prefix: 'x '
        start: 20
        end: 24
        note: |
          A note
          over two lines.

      # between citations
  - id: p2
    title: Two
    summary: Second.
    citations:
      - id: c
        source: s
        quote: gamma
        start: 30
        end: 35
        stance: opposes
"""


def saved(tmp_path: Path, edit) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    path = tmp_path / "b.brief.yaml"
    path.write_text(BRIEF, encoding="utf-8")
    brief = load_brief(path)
    edit(brief)
    save_brief(brief)
    assert brief.document is None  # spliced: the whole document was not dumped
    return BRIEF, path.read_text(encoding="utf-8")


def lines_of(text: str, first: str, count: int) -> list[str]:
    lines = text.splitlines()
    at = lines.index(first)
    return lines[at: at + count]


def test_an_edit_elsewhere_leaves_every_citation_byte_for_byte(tmp_path: Path) -> None:
    before, after = saved(tmp_path, lambda b: b.sections.__setitem__("summary", "Changed [@a].\n"))
    assert after == before.replace("    First [@a] and [@c].\n", "    Changed [@a].\n")


def test_a_changed_citation_keeps_its_comments_and_the_others_their_bytes(tmp_path: Path) -> None:
    def edit(brief):  # type: ignore[no-untyped-def]
        brief.positions[0].citations[0].note = "Now with a note."

    before, after = saved(tmp_path, edit)
    assert "quote: 'alpha words'   # quoted by hand" in after
    assert "      # the strongest quote" in after and "      # between citations" in after
    assert "        note: Now with a note." in after
    assert lines_of(after, "      - id: b", 9) == lines_of(before, "      - id: b", 9)
    assert lines_of(after, "      - id: c", 5) == lines_of(before, "      - id: c", 5)


def test_moved_reordered_added_and_deleted_citations_read_back_exactly(tmp_path: Path) -> None:
    def edit(brief):  # type: ignore[no-untyped-def]
        one, two = brief.positions
        b = one.citations.pop(1)
        two.citations.insert(0, b)  # moved to another position, first there
        del one.citations[0]       # deleted
        one.citations.append(Citation("d", "s", Anchor("delta", "", "", 40, 45)))
        brief.positions.append(Position("p3", "Three"))

    path = tmp_path / "b.brief.yaml"
    path.write_text(BRIEF, encoding="utf-8")
    brief = load_brief(path)
    edit(brief)
    save_brief(brief)
    back = load_brief(path)
    assert [[c.id for c in p.citations] for p in back.positions] == [["d"], ["b", "c"], []]
    assert [c.anchor for p in back.positions for c in p.citations] == \
        [c.anchor for p in brief.positions for c in p.citations]
    text = path.read_text(encoding="utf-8")
    assert "alpha words" not in text and "A note\n          over two lines.\n" in text


def test_random_edits_of_a_big_brief_read_back_field_for_field(tmp_path: Path) -> None:
    """Saves after random edits (each read back field for field by the save itself) keep every
    untouched citation's lines as they were."""
    rng = random.Random(5)
    path = tmp_path / "big.brief.yaml"
    positions = []
    for p in range(6):
        cites = "".join(
            f"      - id: c{p}-{k}\n        source: s{k % 3}\n        quote: words of quote {k}\n"
            f"        start: {k}\n        end: {k + 5}\n" + ("        # kept by hand\n" if k % 4 == 0 else "")
            for k in range(30))
        positions.append(f"  - id: p{p}\n    title: Position {p}\n    citations:\n{cites}")
    path.write_text("briefkit: 1\ntitle: Big\npositions:\n" + "".join(positions), encoding="utf-8")
    brief = load_brief(path)
    for _ in range(40):
        before = path.read_text(encoding="utf-8")
        touched = set()
        for _ in range(rng.randint(1, 4)):
            position = rng.choice(brief.positions)
            if not position.citations:
                continue
            k = rng.randrange(len(position.citations))
            action = rng.choice(["note", "quote", "move", "delete"])
            cite = position.citations[k]
            touched.add(cite.id)
            if action == "note":
                cite.note = rng.choice(["short", "two\nlines", "it's: odd #"])
            elif action == "quote":
                cite.anchor = Anchor(cite.anchor.quote + " more", "", "", cite.anchor.start, cite.anchor.end + 5)
            elif action == "move":
                rng.choice(brief.positions).citations.append(position.citations.pop(k))
            else:
                del position.citations[k]
        save_brief(brief)
        assert brief.document is None
        back = load_brief(path)
        assert [(c.id, c.source, c.anchor, c.note) for p in back.positions for c in p.citations] == \
            [(c.id, c.source, c.anchor, c.note) for p in brief.positions for c in p.citations]
        after = path.read_text(encoding="utf-8")
        for p in brief.positions:
            for c in p.citations:
                if c.id not in touched:
                    block = f"      - id: {c.id}\n        source: {c.source}\n"
                    assert block in before and block in after
        assert after.count("# kept by hand") <= before.count("# kept by hand")

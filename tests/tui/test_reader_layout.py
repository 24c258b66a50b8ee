"""The reader's word wrap, which works on offsets into the source text."""

from __future__ import annotations

from briefkit.tui.widgets.reader import wrap

TEXT = "A short one.\n\nA paragraph long enough to wrap over several lines of twenty.\n\nLine\nbreak kept."


def _paragraphs(text: str) -> list[tuple[int, int, int]]:
    out, pos = [], 0
    for number, part in enumerate(text.split("\n\n"), 1):
        out.append((number, pos, pos + len(part)))
        pos += len(part) + 2
    return out


def test_wrap_keeps_lines_within_the_width_and_every_word_in_order() -> None:
    layout = wrap(TEXT, _paragraphs(TEXT), 20)
    lines = [TEXT[s:e] for s, e in zip(layout.starts, layout.ends)]
    assert all(len(line) <= 20 for line in lines)
    assert " ".join(" ".join(lines).split()) == " ".join(TEXT.split())


def test_wrap_numbers_each_paragraph_on_its_first_line_and_breaks_at_newlines() -> None:
    layout = wrap(TEXT, _paragraphs(TEXT), 20)
    numbered = [(n, TEXT[s:e]) for n, s, e in zip(layout.numbers, layout.starts, layout.ends) if n]
    assert numbered == [(1, "A short one."), (2, "A paragraph long"), (3, "Line")]
    assert "break kept." in [TEXT[s:e] for s, e in zip(layout.starts, layout.ends)]

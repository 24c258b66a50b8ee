"""The direct block-YAML reader against libyaml: the same values, types and lines, or it declines.

The promise that matters: wherever `yamlblock.read` returns a value, libyaml's builder returns an
equal one with the same line numbers; wherever libyaml refuses a text, `read` declines it (so the
message still comes from libyaml). Checked on files yamlio writes from generated data, on random
edits of them (most of which are not valid YAML), and on hand-written corners.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefkit import yamlblock, yamlio
from briefkit.errors import BriefkitError
from briefkit.yamlblock import LineMap, LineSeq, Unsupported


def libyaml(text: str) -> Any:
    loader = yamlio._Loader(text)
    try:
        return yamlio._Builder(loader, "t.yaml", BriefkitError).document()
    finally:
        loader.dispose()


def difference(a: Any, b: Any, where: str = "$") -> str | None:
    """Where two loaded values differ in value, type or remembered lines, or None."""
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} {a!r:.60} vs {type(b).__name__} {b!r:.60}"
    if isinstance(a, LineMap):
        if (a.line, a.key_lines, list(a)) != (b.line, b.key_lines, list(b)):
            return f"{where}: lines {a.line} {a.key_lines} vs {b.line} {b.key_lines}"
        return next((d for k in a if (d := difference(a[k], b[k], f"{where}.{k}"))), None)
    if isinstance(a, LineSeq):
        if (a.line, a.item_lines, len(a)) != (b.line, b.item_lines, len(b)):
            return f"{where}: lines {a.line} {a.item_lines} vs {b.line} {b.item_lines}"
        return next((d for k, (x, y) in enumerate(zip(a, b)) if (d := difference(x, y, f"{where}[{k}]"))),
                    None)
    if isinstance(a, float) and a != a:
        return None if b != b else f"{where}: nan vs {b!r}"
    return None if a == b else f"{where}: {a!r:.80} vs {b!r:.80}"


def agrees(text: str) -> bool:
    """Assert the promise for `text`; True when the direct reader answered."""
    try:
        expected: Any = libyaml(text)
    except (BriefkitError, yaml.YAMLError) as exc:
        expected = exc
    try:
        got = yamlblock.read(text)
    except Unsupported:
        return False
    assert not isinstance(expected, Exception), f"read accepted what libyaml refuses ({expected}):\n{text}"
    assert difference(expected, got) is None, f"{difference(expected, got)}\n{text}"
    return True


# Text with the characters that decide how YAML writes and reads it.
TRICKY = "ab :#-'\"|>\n\t\\?,[]{}&*!%@`~é…“”\x85\u2028 \x0c"
words = st.sampled_from(["yes", "No", "on", "null", "~", "1", "007", "0x1F", "1e3", "-5", "2026-12-03",
                         "2026-12-03 10:00:00", "true", ".inf", "a: b", "a #b", "- x", "? x", ":x",
                         "", " ", "  lead", "trail  ", "x\n", "\n\nx", "x\n\n", "|", ">", "'", '"'])
texts = st.one_of(words, st.text(alphabet=TRICKY, max_size=30),
                  st.text(min_size=60, max_size=300).map(lambda t: t.replace("\x00", "")),
                  st.lists(st.text(alphabet="abc def,.;'\"-", min_size=1, max_size=25), min_size=1,
                           max_size=12).map(" ".join))
scalars = st.one_of(texts, st.integers(-10**6, 10**12), st.booleans(), st.none(),
                    st.dates(min_value=datetime.date(1900, 1, 1)))
ids = st.from_regex(r"[a-z][a-z0-9_-]{0,10}", fullmatch=True)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(ids, inner, max_size=4)), max_leaves=25)
documents = st.dictionaries(ids, values, min_size=1, max_size=6)


def written(data: dict[str, Any]) -> str:
    return yamlio.dump(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_what_briefkit_writes_reads_the_same(data: dict[str, Any]) -> None:
    text = written(data)
    try:
        libyaml(text)
    except (BriefkitError, yaml.YAMLError):
        return  # not this test's concern (yamlio's own tests cover what it writes)
    agrees(text)


def test_briefkit_files_are_read_directly() -> None:
    """The sample brief and generated brief-shaped files take the direct path, not the fallback."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sample = (root / "seeds" / "venezuela.brief.yaml").read_text(encoding="utf-8")
    assert agrees(sample)
    rng = random.Random(7)
    citations = [{"id": f"c{k}", "source": f"s{k % 7}", "quote": " ".join(rng.choices(
        ["The", "sanctions", "regime", "“relief”", "it's", "a: b", "#1", "-", "x"], k=40)),
        "prefix": rng.choice(["'s start ", " lead", "plain"]), "suffix": "end.\n\nNext para",
        "start": k * 10, "end": k * 10 + 5} for k in range(60)]
    text = written({"briefkit": 1, "title": "T", "sections": {"summary": "Para one.\n\nPara two [@c1].\n"},
                    "positions": [{"id": "p1", "title": "P", "citations": citations}]})
    assert agrees(text)


EDITS = [" ", "\n", ":", ": ", "-", "- ", "#", " #", "'", '"', "|", "|-", "\t", "a", "1", "[", "]",
         "{", "}", ">", "&a", "*a", "!", "?", ",", "\\", "  ", "\n  ", "---\n", "\r", "%"]


def test_random_edits_never_read_differently() -> None:
    """Thousands of random edits of written files: the direct reader agrees or declines."""
    rng = random.Random(20261203)
    base = [written({"briefkit": 1, "title": "A title: with colon", "sections": {
        "summary": "One.\n\nTwo “x” [@a].\n", "empty": ""}, "positions": [
        {"id": "p", "title": "'Quoted' title", "summary": "word " * 40, "citations": [
            {"id": "a", "source": "s", "quote": "Text that goes on " * 8, "prefix": " lead",
             "suffix": "tail\n\n  indented", "start": 3, "end": 9, "note": "yes"},
            {"id": "b", "source": "s", "quote": "tab\there \x0c feed", "prefix": "", "suffix": "x",
             "start": 0, "end": 1}]}], "tags": [], "extra": {}, "list": ["a", "b: c", 3]})]
    base.append("a:\n- 1\n- two\nb:\n  c: |+\n    kept\n\n\nd: 'it''s'\n")
    answered = 0
    for trial in range(3000):
        text = rng.choice(base)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.4 and at < len(text):
                text = text[:at] + text[at + rng.randint(1, 4):]
            else:
                text = text[:at] + rng.choice(EDITS) + text[at:]
        answered += agrees(text)
    assert answered > 300  # the check means something only if the direct path answered often


@pytest.mark.parametrize("text", [
    "a:\n- 1\n- 2\nb: x\n",                       # a list at its key's own indentation
    "a:\n  - b: 1\n    c: 2\n  - d\n",
    "# comment\n\na: 1  \nb:   two\n\n# end\n",
    "a: |\n  x\n\n  y\n",
    "a: |2-\n    lead\n  text\n",
    "a: |+\n  x\n\n",
    "a: |-\n  x\nb: 1\n",
    "a: folded\n  over\n\n  lines\nb: 2\n",
    "a: 'it''s\n  long\n\n  text'\n",
    '"a": 1\n',
    'a: "esc \\x41\\u00e9 \\\n  \\ next"\n',
    "a: []\nb: {}\n",
    "a:\nb:\n  c:\n",
    "- x\n- - y\n",
    "on: yes\n1: 2\n2026-01-01: d\n",
    "a: b\n  - c\n",
    "a: 1\na: 2\n",
    "a: x: y\n",
    "a: [1, 2]\n",
    "a: &x 1\nb: *x\n",
    "a:\n\tb: 1\n",
    "a: |\n  x\n b\n",
    "x\n",
    "a:\n" + " " * 450 + "b: c\n" + " " * 450 + "d: |\n" + " " * 452 + "e\n",  # deeper than any table
    "",
    "# only a comment\n",
])
def test_corners(text: str) -> None:
    agrees(text)

"""A brief pickled and unpickled is the same brief, field for field: the TUI sends it so to its
render process on every change, and reads a large one so from the process that loaded it."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from briefkit.brief.model import Anchor, Citation
from briefkit.brief.store import load_brief

text = st.text(max_size=40)
anchors = st.builds(Anchor, text, text, text, st.integers(0, 10**9), st.integers(0, 10**9))
citations = st.builds(Citation, text, text, anchors, text, text, st.none() | st.integers(1, 10**6))


@given(citations)
def test_a_citation_comes_back_with_every_field_of_its_own_and_of_its_anchor(citation: Citation) -> None:
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        again = pickle.loads(pickle.dumps(citation, protocol))
        assert again == citation and type(again) is Citation and type(again.anchor) is Anchor
    assert copy.deepcopy(citation) == citation
    shallow = copy.copy(citation)
    assert shallow == citation and shallow is not citation


def test_the_pickled_fields_are_all_the_fields() -> None:
    """A field added to Citation or Anchor must be added to their `__reduce__` too."""
    citation = Citation("c", "s", Anchor("q", "p", "x", 1, 2), "opposes", "n", 7)
    _, args = citation.__reduce__()
    assert len(args) == len(dataclasses.fields(Citation)) - 1 + len(dataclasses.fields(Anchor))
    _, anchor_args = citation.anchor.__reduce__()
    assert list(anchor_args) == [getattr(citation.anchor, f.name) for f in dataclasses.fields(Anchor)]


def test_the_sample_brief_pickles_to_itself(sample_brief: Path) -> None:
    brief = load_brief(sample_brief)
    again = pickle.loads(pickle.dumps(brief, pickle.HIGHEST_PROTOCOL))
    assert again == brief and again.source_text == brief.source_text
    assert [c.anchor for _, c in again.citations()] == [c.anchor for _, c in brief.citations()]

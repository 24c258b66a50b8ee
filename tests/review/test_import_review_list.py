"""The brief's review list: exact YAML round trip, validation with file/line/field, 3-way merge by id."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefkit.brief.merge import merge_briefs
from briefkit.brief.model import Brief, Reply, ReviewItem
from briefkit.brief.revisions import base_copy, revision, save_over
from briefkit.brief.store import load_brief, save_brief
from briefkit.errors import BriefFileError

HAND_WRITTEN = """\
briefkit: 1
title: Review round trip
review:
  # the director's first pass
  - id: word-1a2b
    author: Dana Director
    date: '2026-12-01T09:00:00Z'
    element: sections.summary
    quoted: "Maximum pressure"   # what the comment covers
    text: |-
      Too strong?
      Say who says so.
    replies:
      - author: Ann Analyst
        date: 2026-12-02
        text: Softened.
  - id: word-ffff
    kind: quote-change
    element: citations.fal-1.quote
    quoted: Washington should prepare
    text: Washington must prepare
    status: resolved
"""


def comment(rid: str, text: str = "Too strong?", **fields: object) -> ReviewItem:
    return ReviewItem(id=rid, author="Dana", date="2026-12-01T09:00:00Z",
                      element="sections.summary", text=text, quoted="Maximum", **fields)  # type: ignore[arg-type]


def test_a_hand_written_review_list_loads_and_saves_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "r.brief.yaml"
    path.write_text(HAND_WRITTEN)
    brief = load_brief(path)
    first, second = brief.review
    assert (first.author, first.element, first.quoted, first.status, first.kind) == (
        "Dana Director", "sections.summary", "Maximum pressure", "open", "comment")
    assert first.text == "Too strong?\nSay who says so."
    assert first.replies == [Reply("Ann Analyst", "2026-12-02", "Softened.")]
    assert (second.kind, second.status, second.author) == ("quote-change", "resolved", "")
    save_brief(brief)
    assert path.read_text() == HAND_WRITTEN


def test_a_changed_entry_changes_only_its_own_lines(tmp_path: Path) -> None:
    path = tmp_path / "r.brief.yaml"
    path.write_text(HAND_WRITTEN)
    brief = load_brief(path)
    brief.review[0].status = "resolved"
    brief.review[0].replies.append(Reply("Dana Director", "2026-12-03T08:00:00Z", "Thanks:\nfine."))
    save_brief(brief)
    text = path.read_text()
    assert "# the director's first pass" in text and "# what the comment covers" in text
    assert load_brief(path).review == brief.review
    assert text.count("status: resolved") == 2


def test_new_entries_with_any_text_read_back_exactly(tmp_path: Path) -> None:
    brief = Brief(title="T", path=tmp_path / "n.brief.yaml")
    odd = ["yes", "2026-12-01T09:00:00Z", "- a list?", "# not a comment", "  leading", "trailing \n",
           "ünïcode “quotes”", "a: b", ""]
    for i, text in enumerate(odd):
        brief.review.append(comment(f"c{i}", text, replies=[Reply(text, text, text or "x")]))
    save_brief(brief)
    assert load_brief(brief.path).review == brief.review  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=60), author=st.text(max_size=20), reply=st.text(min_size=1, max_size=40))
def test_any_review_text_reads_back_exactly_or_is_refused_naming_its_field(
    tmp_path: Path, text: str, author: str, reply: str
) -> None:
    brief = Brief(title="T", path=tmp_path / "p.brief.yaml")
    brief.review.append(ReviewItem(id="c1", author=author, date="", element="sections.summary",
                                   text=text, replies=[Reply(author, "", reply)]))
    try:
        save_brief(brief)
    except BriefFileError as exc:  # a text YAML cannot hold (a lone surrogate, say): never written
        assert exc.field is not None and exc.field.startswith("review[1].")
        return
    assert load_brief(brief.path).review == brief.review  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "says", "field", "line"),
    [
        (("status: resolved", "status: done"), "status must be one of open, resolved", "review[2].status", 22),
        (("kind: quote-change", "kind: edit"), "kind must be one of comment, quote-change", "review[2].kind", 18),
        (("element: sections.summary", "element: summary"), "names no element", "review[1].element", 8),
        (("id: word-ffff", "id: word-1a2b"), "duplicate id 'word-1a2b'", "review[2].id", 17),
        (("    quoted: \"Max", "    quote: \"Max"), "unknown key 'quote' (did you mean 'quoted'?)",
         "review[1].quote", 9),
        (("      - author: Ann Analyst", "      - who: Ann Analyst"), "unknown key 'who'",
         "review[1].replies[1].who", 14),
    ],
)
def test_a_bad_entry_is_one_message_naming_line_and_field(
    tmp_path: Path, change: tuple[str, str], says: str, field: str, line: int
) -> None:
    path = tmp_path / "bad.brief.yaml"
    path.write_text(HAND_WRITTEN.replace(*change))
    with pytest.raises(BriefFileError) as info:
        load_brief(path)
    assert says in info.value.message
    assert (info.value.field, info.value.line) == (field, line)


def test_review_must_be_a_list(tmp_path: Path) -> None:
    path = tmp_path / "bad.brief.yaml"
    path.write_text("briefkit: 1\ntitle: T\nreview: yes\n")
    with pytest.raises(BriefFileError, match="review must be a list") as info:
        load_brief(path)
    assert info.value.line == 3


def make_base() -> Brief:
    return Brief(title="Base", review=[comment("a"), comment("b", "Second")])


def test_replies_added_on_both_sides_are_all_kept_and_a_resolve_is_taken() -> None:
    base = make_base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine.review[0].replies.append(Reply("Ann", "d1", "mine"))
    theirs.review[0].replies.append(Reply("Colin", "d2", "theirs"))
    theirs.review[0].status = "resolved"
    merge = merge_briefs(base, mine, theirs)
    assert merge.unresolved == []
    merged = merge.brief.review[0]
    assert [r.text for r in merged.replies] == ["theirs", "mine"]
    assert merged.status == "resolved"


def test_a_comment_one_side_added_is_taken_and_one_removed_goes() -> None:
    base = make_base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    theirs.review.append(comment("c", "New from the file"))
    mine.review = [item for item in mine.review if item.id != "b"]
    merge = merge_briefs(base, mine, theirs)
    assert [i.id for i in merge.brief.review] == ["a", "c"]
    assert "review comment c added" in merge.taken


def test_the_same_comment_changed_differently_is_a_conflict_until_chosen() -> None:
    base = make_base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine.review[1].text, theirs.review[1].text = "Mine", "Theirs"
    merge = merge_briefs(base, mine, theirs)
    assert [c.key for c in merge.unresolved] == ["review.b.text"]
    chosen = merge_briefs(base, mine, theirs, {"review.b.text": "mine"})
    assert chosen.unresolved == [] and chosen.brief.review[1].text == "Mine"


def test_a_comment_removed_on_one_side_and_answered_on_the_other_is_a_conflict() -> None:
    base = make_base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine.review.pop(0)
    theirs.review[0].replies.append(Reply("Colin", "d", "Still relevant"))
    assert [c.key for c in merge_briefs(base, mine, theirs).unresolved] == ["review.a"]


def test_save_over_merges_a_reply_written_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "m.brief.yaml"
    path.write_text(HAND_WRITTEN)
    editor = load_brief(path)
    base, base_rev = base_copy(editor), revision(editor.source_text)
    other = load_brief(path)
    other.review[0].replies.append(Reply("Colin", "2026-12-04", "Seen."))
    save_brief(other)
    editor.review[0].status = "resolved"
    result = save_over(editor, base, base_rev)
    assert result.saved
    saved = load_brief(path).review[0]
    assert saved.status == "resolved"
    assert [r.text for r in saved.replies] == ["Softened.", "Seen."]

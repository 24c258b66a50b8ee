"""Three-way merge of briefs: what one side changed is kept, what both changed differently is a
conflict, and nothing either side added is lost."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from briefkit.brief.merge import merge_briefs
from briefkit.brief.model import Anchor, Brief, Citation, Position
from briefkit.brief.revisions import base_copy, revision, save_over
from briefkit.brief.store import load_brief, save_brief


def cite(cid: str, quote: str = "a quote", note: str = "", stance: str = "supports") -> Citation:
    return Citation(cid, "src", Anchor(quote, "", "", 0, len(quote)), stance, note)


def make_base() -> Brief:
    return Brief(
        title="Base", sections={"summary": "Summary.", "outlook": "Outlook."},
        positions=[Position("p1", "First", citations=[cite("c1"), cite("c2")]),
                   Position("p2", "Second", citations=[cite("c3")])],
    )


def fork(brief: Brief) -> Brief:
    return copy.deepcopy(brief)


def ids(brief: Brief) -> dict[str, list[str]]:
    return {p.id: [c.id for c in p.citations] for p in brief.positions}


def test_changes_to_different_elements_are_all_kept() -> None:
    base = make_base()
    mine, theirs = fork(base), fork(base)
    mine.sections["summary"] = "My summary."
    mine.position("p2").citations.append(cite("c4"))
    theirs.title = "Their title"
    theirs.position("p1").citations.append(cite("c5"))
    theirs.position("p1").citations[0].note = "their note"
    merge = merge_briefs(base, mine, theirs)
    assert not merge.conflicts
    assert merge.brief.title == "Their title" and merge.brief.sections["summary"] == "My summary."
    assert ids(merge.brief) == {"p1": ["c1", "c2", "c5"], "p2": ["c3", "c4"]}
    assert merge.brief.find_citation("c1")[1].note == "their note"
    assert sorted(merge.taken) == ["citation c1: note changed", "citation c5 added", "title changed"]


def test_the_same_element_changed_differently_is_a_conflict_until_chosen() -> None:
    base = make_base()
    mine, theirs = fork(base), fork(base)
    mine.sections["outlook"] = "Mine."
    theirs.sections["outlook"] = "Theirs."
    merge = merge_briefs(base, mine, theirs)
    assert [(c.key, c.mine, c.theirs) for c in merge.unresolved] == [("sections.outlook", "Mine.", "Theirs.")]
    chosen = merge_briefs(base, mine, theirs, {"sections.outlook": "mine"})
    assert not chosen.unresolved and chosen.brief.sections["outlook"] == "Mine."
    assert merge_briefs(base, mine, theirs, {"sections.outlook": "theirs"}).brief.sections["outlook"] == "Theirs."


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    base = make_base()
    mine, theirs = fork(base), fork(base)
    for side in (mine, theirs):
        side.position("p1").title = "Renamed"
    merge = merge_briefs(base, mine, theirs)
    assert not merge.conflicts and not merge.taken and merge.brief.position("p1").title == "Renamed"


def test_a_deletion_is_taken_unless_the_other_side_changed_the_element() -> None:
    base = make_base()
    mine, theirs = fork(base), fork(base)
    theirs.positions.remove(theirs.position("p2"))
    del theirs.sections["outlook"]
    mine.position("p1").citations[1].note = "kept"
    merge = merge_briefs(base, mine, theirs)
    assert not merge.conflicts and ids(merge.brief) == {"p1": ["c1", "c2"]}
    assert "outlook" not in merge.brief.sections

    mine.position("p2").citations[0].note = "I changed it"
    merge = merge_briefs(base, mine, theirs)
    assert [c.key for c in merge.unresolved] == ["positions.p2"]
    kept = merge_briefs(base, mine, theirs, {"positions.p2": "mine"})
    assert ids(kept.brief) == {"p1": ["c1", "c2"], "p2": ["c3"]}
    assert kept.brief.find_citation("c3")[1].note == "I changed it"


def test_a_citation_moved_on_one_side_and_edited_on_the_other_keeps_both_changes() -> None:
    base = make_base()
    mine, theirs = fork(base), fork(base)
    moved = mine.position("p1").citations.pop(0)
    mine.position("p2").citations.append(moved)
    theirs.position("p1").citations[0].stance = "opposes"
    merge = merge_briefs(base, mine, theirs)
    assert not merge.conflicts
    assert ids(merge.brief) == {"p1": ["c2"], "p2": ["c3", "c1"]}
    assert merge.brief.find_citation("c1")[1].stance == "opposes"


def test_citations_both_sides_added_under_one_id_are_both_kept() -> None:
    base = make_base()
    mine, theirs = fork(base), fork(base)
    mine.position("p1").citations.append(cite("src-1", "my quote"))
    mine.sections["summary"] = "As shown [@src-1]."
    theirs.position("p1").citations.append(cite("src-1", "their quote"))
    merge = merge_briefs(base, mine, theirs)
    assert not merge.conflicts and merge.renamed == {"src-1": "src-2"}
    quotes = {c.id: c.anchor.quote for _, c in merge.brief.citations()}
    assert quotes["src-1"] == "their quote" and quotes["src-2"] == "my quote"
    assert merge.brief.sections["summary"] == "As shown [@src-2]."
    assert ids(mine)["p1"][-1] == "src-1"  # the caller's brief is not changed


def test_order_follows_mine_unless_only_theirs_reordered() -> None:
    base = make_base()
    mine, theirs = fork(base), fork(base)
    theirs.positions.reverse()
    mine.positions.append(Position("p3", "Third"))
    assert [p.id for p in merge_briefs(base, mine, theirs).brief.positions] == ["p2", "p1", "p3"]
    mine.positions.reverse()
    theirs = fork(base)
    theirs.positions.insert(1, Position("p4", "Fourth"))
    assert [p.id for p in merge_briefs(base, mine, theirs).brief.positions] == ["p3", "p4", "p2", "p1"]


@pytest.fixture
def brief_file(tmp_path: Path) -> Path:
    path = tmp_path / "b.brief.yaml"
    brief = make_base()
    brief.path = path
    save_brief(brief, path)
    return path


def test_save_over_merges_what_another_writer_saved_and_keeps_its_comments(brief_file: Path) -> None:
    mine = load_brief(brief_file)
    base, base_rev = base_copy(mine), revision(mine.source_text)
    theirs = load_brief(brief_file)
    theirs.position("p2").citations.append(cite("cli-1"))
    save_brief(theirs)
    brief_file.write_text("# a comment someone added\n" + brief_file.read_text())
    mine.sections["outlook"] = "Edited here."
    result = save_over(mine, base, base_rev)
    assert result.saved and result.merge is not None and result.merge.taken == ["citation cli-1 added"]
    on_disk = load_brief(brief_file)
    assert on_disk.sections["outlook"] == "Edited here." and on_disk.find_citation("cli-1")
    assert brief_file.read_text().startswith("# a comment someone added\n")
    assert revision(result.text) == revision(on_disk.source_text)


def test_save_over_writes_nothing_while_a_conflict_is_unresolved(brief_file: Path) -> None:
    mine = load_brief(brief_file)
    base, base_rev = base_copy(mine), revision(mine.source_text)
    theirs = load_brief(brief_file)
    theirs.title = "Theirs"
    save_brief(theirs)
    before = brief_file.read_bytes()
    mine.title = "Mine"
    result = save_over(mine, base, base_rev)
    assert not result.saved and [c.key for c in result.merge.unresolved] == ["title"]
    assert brief_file.read_bytes() == before
    assert save_over(mine, base, base_rev, {"title": "mine"}).saved
    assert load_brief(brief_file).title == "Mine"


def test_a_citation_both_sides_keep_stays_when_the_position_mine_moved_it_to_goes() -> None:
    base = make_base()
    mine, theirs = fork(base), fork(base)
    mine.position("p2").citations.append(mine.position("p1").citations.pop(0))
    theirs.positions.remove(theirs.position("p2"))
    merge = merge_briefs(base, mine, theirs)
    assert [c.key for c in merge.unresolved] == ["positions.p2"]
    gone = merge_briefs(base, mine, theirs, {"positions.p2": "theirs"})
    assert ids(gone.brief) == {"p1": ["c1", "c2"]}


def test_a_merge_names_the_elements_that_came_from_theirs() -> None:
    base = make_base()
    mine, theirs = fork(base), fork(base)
    theirs.sections["summary"] = "Theirs."
    mine.title, theirs.title = "Mine", "Theirs"
    merge = merge_briefs(base, mine, theirs, {"title": "theirs"})
    assert merge.from_theirs() == ["sections.summary", "title"]
    assert merge_briefs(base, mine, theirs, {"title": "mine"}).from_theirs() == ["sections.summary"]

"""The SQLite FTS5 passage index: incremental updates, ranked search, query handling, its file."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from briefkit.errors import BriefkitError, QueryError, SourceError
from briefkit.library.index import HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, Index, _block_rows
from briefkit.library.library import Library

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ALL = ["oped-group-of-friends", "crisisgroup-reboot", "fal-redlines", "rs-back-burner",
       "smilde-max-pressure"]


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds",
                                ignore=shutil.ignore_patterns(".briefkit", "*.brief.yaml")))


@pytest.fixture
def index(seeds: Path) -> Index:
    index = Library.open(seeds).index()
    index.update()
    return index


def rewrite(path: Path, text: str) -> None:
    """Change a file so that its size or modification time changes too."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def plain(snippet: str) -> str:
    return snippet.replace(HIGHLIGHT_OPEN, "").replace(HIGHLIGHT_CLOSE, "")


def test_first_update_indexes_every_source_beside_the_library(seeds: Path) -> None:
    index = Library.open(seeds).index()
    report = index.update()
    assert report.added == ALL and report.rebuilt
    assert index.path == seeds.resolve() / ".briefkit" / "index.sqlite"
    assert (seeds / ".briefkit" / ".gitignore").read_text().endswith("*\n")
    conn = sqlite3.connect(index.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # readers never wait
    conn.close()


def test_second_update_finds_nothing_to_do(index: Index) -> None:
    report = index.update()
    assert report.unchanged == ALL and report.touched == [] and not report.rebuilt


def test_changing_one_source_reindexes_only_that_source(seeds: Path, index: Index) -> None:
    smilde = seeds / "smilde-maximum-pressure-failed.txt"
    rewrite(smilde, smilde.read_text(encoding="utf-8").replace("Read more:", "Zorbulent ending."))
    report = index.update()
    assert report.changed == ["smilde-max-pressure"]
    assert report.unchanged == [s for s in ALL if s != "smilde-max-pressure"]
    (hit,) = index.search("zorbulent")
    assert hit.source_id == "smilde-max-pressure" and hit.paragraph == 14


def test_touching_a_file_without_changing_its_bytes_reindexes_nothing(seeds: Path,
                                                                      index: Index) -> None:
    oped = seeds / "oped-2017-plebiscite-group-of-friends.txt"
    rewrite(oped, oped.read_text(encoding="utf-8"))
    assert index.update().touched == []


def test_removed_and_added_sources_follow_sources_yaml(seeds: Path, index: Index) -> None:
    yaml = (seeds / "sources.yaml").read_text(encoding="utf-8")
    cut = yaml.index("  - id: fal-redlines")
    yaml = yaml[:cut] + yaml[yaml.index("  - id: rs-back-burner"):]
    (seeds / "new.txt").write_text("A quixotic passage about sanctions.", encoding="utf-8")
    (seeds / "sources.yaml").write_text(yaml + "  - id: new\n    file: new.txt\n",
                                        encoding="utf-8")
    report = Index(Library.open(seeds)).update()
    assert (report.removed, report.added) == (["fal-redlines"], ["new"])
    fresh = Index(Library.open(seeds))
    assert fresh.search("snapback") == []
    assert [h.source_id for h in fresh.search("quixotic")] == ["new"]


def test_hits_point_at_passages_of_the_source(seeds: Path, index: Index) -> None:
    library = Library.open(seeds)
    hits = index.search("sanctions", limit=50)
    assert len(hits) > 10
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for hit in hits:
        passages = {p.id: p for p in library.source(hit.source_id).passages()}
        passage = passages[hit.passage_id]
        assert (passage.paragraph, passage.start, passage.end) == (hit.paragraph, hit.start,
                                                                    hit.end)
        assert "sanctions" in hit.snippet.lower() and HIGHLIGHT_OPEN in hit.snippet
        assert plain(hit.snippet).strip("…") in passage.text


def test_phrase_query_matches_the_words_in_order(index: Index) -> None:
    hits = index.search('"maximum pressure"')
    assert hits and all("[[maximum pressure]]" in h.snippet.lower() for h in hits)
    assert not any("pressure maximum" in plain(h.snippet).lower() for h in hits)


def test_prefix_query_matches_longer_words(index: Index) -> None:
    hits = index.search("snapb*")
    assert {h.source_id for h in hits} == {"fal-redlines"}
    assert all("[[snapback]]" in h.snippet.lower() for h in hits)


def test_search_can_be_limited_to_one_source(index: Index) -> None:
    hits = index.search("Maduro", source="crisisgroup-reboot", limit=100)
    assert len(hits) > 5 and {h.source_id for h in hits} == {"crisisgroup-reboot"}


def test_unknown_source_filter_is_a_clear_error(index: Index) -> None:
    with pytest.raises(BriefkitError, match="unknown source 'crisisgroup'"):
        index.search("Maduro", source="crisisgroup")


@pytest.mark.parametrize("query", ["U.S. sanctions", "Maduro's", "Maduro’s regime",
                                   'the "interim government', "Redlines:", "NOT", "(talks",
                                   '"maximum pressure', '"the"'])
def test_plain_text_that_is_not_fts5_syntax_is_searched_as_words(index: Index,
                                                                  query: str) -> None:
    assert index.search(query)


def test_accents_do_not_matter_in_queries(index: Index) -> None:
    assert {h.passage_id for h in index.search("Guaido")} == {
        h.passage_id for h in index.search("Guaidó")}


@pytest.mark.parametrize("query", ["", "   ", "...", "*", '""', "?!"])
def test_query_without_words_is_a_clear_error(index: Index, query: str) -> None:
    with pytest.raises(QueryError, match="nothing to search for"):
        index.search(query)


def test_query_that_matches_nothing_returns_no_hits(index: Index) -> None:
    assert index.search("xylophone") == []


def test_query_matching_more_rows_than_the_rank_limit_is_ranked_over_a_bounded_set(
        index: Index) -> None:
    assert len(index.search("the", limit=100)) == 100
    index.rank_limit = 20
    assert len(index.search("the", limit=100)) == 20
    hits = index.search('"of the"', limit=100)
    assert 0 < len(hits) <= 20
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_common_word_beside_a_rare_one_still_finds_every_match(index: Index) -> None:
    index.rank_limit = 20
    assert {h.passage_id for h in index.search("the snapback")} == {
        h.passage_id for h in index.search("snapback")}


def test_first_search_brings_a_new_index_up_to_date(seeds: Path) -> None:
    index = Library.open(seeds).index()
    assert index.search("plebiscite")
    assert index.path.exists()


def test_related_finds_passages_sharing_distinctive_words(index: Index) -> None:
    text = ("Keep maximum pressure on the Maduro regime and prepare a snapback of sanctions if "
            "negotiations in Mexico stall.")
    hits = index.related(text, limit=5)
    assert len(hits) == 5 and hits[0].source_id in {"fal-redlines", "smilde-max-pressure",
                                                    "rs-back-burner"}
    rest = index.related(text, exclude={hits[0].passage_id}, limit=5)
    assert hits[0].passage_id not in {h.passage_id for h in rest}
    assert index.related("the and of") == []


def test_index_of_another_schema_version_is_rebuilt(index: Index) -> None:
    with sqlite3.connect(index.path) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    conn.close()
    report = Index(index.library).update()
    assert report.rebuilt and report.added == ALL


def test_damaged_index_file_is_replaced(index: Index) -> None:
    index.path.write_bytes(b"this is not a database" * 100)
    report = Index(index.library).update()
    assert report.rebuilt and report.added == ALL


def test_unwritable_library_folder_keeps_its_index_in_the_user_cache(
        seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (seeds / ".briefkit").write_text("a file where the index folder would go")
    index = Library.open(seeds).index()
    assert index.update().added == ALL
    assert index.path.is_relative_to(tmp_path / "cache" / "briefkit")
    assert index.search("plebiscite")


def test_update_that_meets_an_unreadable_source_commits_nothing(seeds: Path,
                                                               index: Index) -> None:
    oped = seeds / "oped-2017-plebiscite-group-of-friends.txt"
    smilde = seeds / "smilde-maximum-pressure-failed.txt"
    original = smilde.read_bytes()
    rewrite(oped, oped.read_text(encoding="utf-8") + "\nA zorbulent new paragraph.\n")
    smilde.write_bytes(b"\x00\x01binary")
    with pytest.raises(SourceError, match="binary") as caught:
        Index(Library.open(seeds)).update()
    assert caught.value.path == smilde.resolve()
    smilde.write_bytes(original)
    report = Index(Library.open(seeds)).update()
    assert report.changed == ["oped-group-of-friends"]  # the failed update left it unindexed
    assert "smilde-max-pressure" in report.unchanged


def stored_rows(index: Index) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(index.path)) as conn:
        return list(_block_rows(conn, 1, 2**63 - 1))


def test_a_build_read_by_a_second_process_stores_the_same_passages(seeds: Path,
                                                                   tmp_path: Path) -> None:
    serial = Library.open(seeds).index()
    serial.update()
    other = Path(shutil.copytree(seeds, tmp_path / "other",
                                 ignore=shutil.ignore_patterns(".briefkit")))
    parallel = Library.open(other).index()
    parallel.parallel_bytes = 0  # any amount of source text goes to the reader process
    assert parallel.update().added == ALL
    assert stored_rows(parallel) == stored_rows(serial) != []
    assert [h.passage_id for h in parallel.search("sanctions")] == [
        h.passage_id for h in serial.search("sanctions")]


def test_an_unreadable_source_met_by_the_reader_process_names_its_file(seeds: Path) -> None:
    smilde = seeds / "smilde-maximum-pressure-failed.txt"
    smilde.write_bytes(b"\x00\x01binary")
    index = Library.open(seeds).index()
    index.parallel_bytes = 0
    with pytest.raises(SourceError, match="binary") as caught:
        index.update()
    assert caught.value.path == smilde.resolve()
    assert stored_rows(index) == []  # nothing of the failed build was committed



def test_a_reader_process_that_stops_leaves_the_reading_to_this_one(
        seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefkit.library import index_reader

    monkeypatch.setattr(index_reader, "_READER", "import sys; sys.stdin.buffer.read(1)")
    index = Library.open(seeds).index()
    index.parallel_bytes = 0
    report = index.update()
    assert sorted(report.added) == sorted(ALL)
    assert index.search("Maduro", limit=1)


def test_a_two_letter_prefix_query_matches_only_words_with_that_prefix(index: Index) -> None:
    index.update()
    words = {w.casefold() for hit in index.search("ma*", limit=50)
             for w in re.findall(r"\[\[(\w+)\]\]", hit.snippet)}
    assert words and all(w.startswith("ma") for w in words)


def test_passage_ids_are_the_sha1_of_each_paragraph_numbered_when_repeated(seeds: Path) -> None:
    from briefkit.library.source_text import read_source

    library = Library.open(seeds)
    ids = []
    for entry in library.entries.values():
        source = read_source(entry)
        seen: dict[str, int] = {}
        for passage in source.passages():
            digest = hashlib.sha1(passage.text.encode("utf-8")).hexdigest()[:12]
            seen[digest] = seen.get(digest, 0) + 1
            suffix = "" if seen[digest] == 1 else f"-{seen[digest]}"
            assert passage.id == f"{entry.id}:{digest}{suffix}"
            assert passage.text == source.text[passage.start : passage.end]
        assert source.passage_ids() == [p.id for p in source.passages()]
        ids += source.passage_ids()
    # The sample library's ids as every earlier version gave them: briefs anchor to these.
    assert "crisisgroup-reboot:3b969b7edd65-2" in ids and len(ids) == 124
    assert hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16] == "ec37309f28295ce9"


def test_a_new_index_left_in_several_segments_is_merged_into_one(
        seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefkit.library import index as index_module
    from briefkit.library.index_terms import segment_count

    other = Path(shutil.copytree(seeds, tmp_path / "other",
                                 ignore=shutil.ignore_patterns(".briefkit")))
    # A small term hash makes FTS5 write a segment every few sources, as big builds do.
    monkeypatch.setattr(index_module, "FTS_HASH_BYTES", 16 << 10)
    kept, merged = Library.open(seeds).index(), Library.open(other).index()
    kept.merged_segments = 1000
    kept.update()
    merged.update()
    with contextlib.closing(sqlite3.connect(kept.path)) as conn:
        assert (segment_count(conn, "passages") or 0) > index_module.MERGED_SEGMENTS
    with contextlib.closing(sqlite3.connect(merged.path)) as conn:
        assert segment_count(conn, "passages") == 1
    assert stored_rows(merged) == stored_rows(kept)
    for query in ["sanc*", "ma*", "the", '"maximum pressure"', "negotiat* OR talks"]:
        assert merged.search(query, limit=50) == kept.search(query, limit=50), query

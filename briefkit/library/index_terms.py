"""The terms of an FTS5 index that begin with a prefix, and how often they occur in its first
rows, read from its segments' leaf pages.

FTS5 answers a prefix query ("gover*") by merging the full lists of every term with that prefix
before it returns a row: 0.7 s for "the*" at 1.1M passages. A list of the terms lets the index
ask for a common prefix as an OR of its terms instead, which FTS5 walks lazily, and the terms
are already on the index's leaf pages: reading the few pages where a prefix's terms begin takes
a millisecond or two, where fts5vocab counts every one of their rows, and costs nothing at
build time. The format is the one FTS5 documents
in fts5_index.c: a structure record (rowid 10) listing segments, leaf pages whose footer gives
the offset of each term on the page, and terms stored as the bytes they share with the previous
one plus new bytes. Records of any other shape (the "V2" structure of contentless_delete
tables) give None, and prefix queries stay with FTS5.

The list may hold terms whose rows were all deleted (until FTS5 merges their segments), never
too few: such a term in an OR matches nothing.

bm25 weighs a prefix term in a row by how many of the row's tokens it matches: FTS5 merges the
whole doclists of its words again to find out. `term_frequencies` reads the same from the heads
of those doclists, as far as the rows a query ranks; `row_tokens` and `index_totals` read the
row lengths and totals bm25 takes from FTS5's %_docsize and averages records.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator

__all__ = ["doclist_pages", "index_totals", "prefix_terms", "row_tokens", "segment_count",
           "term_frequencies"]

_STRUCTURE_ROWID = 10
_STRUCTURE_V2 = b"\xff\x00\x00\x01"
_MAIN_INDEX = 0x30  # b"0": the first byte of a main-index term (prefix indexes use "1", "2"...)
_SEGMENT_SHIFT = 37  # a leaf page's rowid is (segment id << 37) + page number


def prefix_terms(conn: sqlite3.Connection, table: str, prefix: bytes) -> list[bytes] | None:
    """The sorted UTF-8 terms of FTS5 table `table`'s main index that begin with `prefix`, or
    None when its records are not in the form read here. Reads, in each segment, only the leaf
    pages where such terms begin: %_idx lists each page on which a term begins (its pgno is the
    page number << 1) under a key at most that first term, in order."""
    record = _structure(conn, table)
    if record is None:
        return None
    low = bytes([_MAIN_INDEX]) + prefix
    high = low[:-1] + bytes([low[-1] + 1])
    terms: set[bytes] = set()
    try:
        for segment, _, _ in _segments(record):
            base = segment << _SEGMENT_SHIFT
            (start,) = conn.execute(f"SELECT max(term) FROM {table}_idx WHERE segid = ?"
                                    " AND term <= ?", (segment, low)).fetchone()
            pages = conn.execute(
                f"SELECT block FROM {table}_data WHERE id IN (SELECT ? + (pgno >> 1)"
                f" FROM {table}_idx WHERE segid = ? AND term >= ? AND term < ?) ORDER BY id",
                (base, segment, start if start is not None else b"", high))
            for (page,) in pages:
                _page_terms(page, terms)
    except (IndexError, ValueError):
        return None
    return sorted(term[1:] for term in terms if low <= term < high)


def segment_count(conn: sqlite3.Connection, table: str) -> int | None:
    """How many segments FTS5 table `table`'s index has, or None when its structure record is
    not in the form read here. A prefix's words are each looked up in every segment."""
    record = _structure(conn, table)
    if record is None:
        return None
    try:
        return len(_segments(record))
    except IndexError:
        return None


def term_frequencies(conn: sqlite3.Connection, table: str, low: bytes, high: bytes,
                     rows: tuple[int, int]) -> dict[int, int] | None:
    """How many tokens of each row with a rowid in `rows` are terms of single-column FTS5 table
    `table` from `low` up to (not including) `high`, for the rows holding any; None when its
    records are not in the form read here. What bm25 counts for a prefix term ("se*" in "se*
    OR vo*") in each row it ranks, read from the heads of its words' doclists, where FTS5
    would first merge the whole doclists of all of them.

    A doclist is a rowid, then a delta from the last for each further row, each followed by
    its position list's size in bytes (times two, plus a delete flag) and the positions: one
    varint each, so each byte below 128 ends one. It runs on over the pages after its term's;
    there the first rowid before any term is whole, at the offset the page's header gives,
    which lets pages holding only rows before `rows` be skipped. Where several segments hold a
    word's row, the newest tells (a delete leaves a row with no positions)."""
    record = _structure(conn, table)
    if record is None:
        return None
    low, high = bytes([_MAIN_INDEX]) + low, bytes([_MAIN_INDEX]) + high
    seen: dict[bytes, set[int]] = {}  # per term, the rows a newer segment told about
    counts: dict[int, int] = {}
    try:
        segments = _segments(record, newest_first=True)
        for segment, first, last in segments:
            for doclist in _segment_doclists(conn, table, segment, (first, last), (low, high),
                                             rows):
                told = seen.setdefault(doclist.term, set()) if len(segments) > 1 else None
                for rowid, tokens in doclist.found:
                    if told is not None:
                        if rowid in told:
                            continue
                        told.add(rowid)
                    if tokens:
                        counts[rowid] = counts.get(rowid, 0) + tokens
    except (IndexError, ValueError):
        return None
    return counts


def index_totals(conn: sqlite3.Connection, table: str) -> tuple[int, int] | None:
    """How many rows FTS5 table `table` holds and how many tokens in all (its "averages" record,
    rowid 1, from which bm25 takes its average row length), or None where it has none."""
    row = conn.execute(f"SELECT block FROM {table}_data WHERE id = 1").fetchone()
    if row is None:
        return None
    try:
        rows, at = _varint(row[0], 0)
        tokens, _ = _varint(row[0], at)
    except IndexError:
        return None
    return rows, tokens


def row_tokens(conn: sqlite3.Connection, table: str, rowids: list[int]) -> dict[int, int]:
    """How many tokens each of these rows of FTS5 table `table` holds, all columns together,
    from its %_docsize table (one varint a column), as bm25 counts a row's length."""
    sizes = {}
    for rowid, record in conn.execute(f"SELECT id, sz FROM {table}_docsize WHERE id IN"
                                      " (SELECT value FROM json_each(?))",
                                      ("[" + ",".join(map(str, rowids)) + "]",)):
        at, total = 0, 0
        while at < len(record):
            value, at = _varint(record, at)
            total += value
        sizes[rowid] = total
    return sizes


def doclist_pages(conn: sqlite3.Connection, table: str, low: bytes, high: bytes) -> int | None:
    """How many leaf pages of FTS5 table `table` hold the doclists of its terms from `low` up to
    (not including) `high`, about: what FTS5 reads to merge them for a prefix query. None when
    its records are not in the form read here."""
    record = _structure(conn, table)
    if record is None:
        return None
    low, high = bytes([_MAIN_INDEX]) + low, bytes([_MAIN_INDEX]) + high
    total = 0
    for segment, _, last in _segments(record):
        begins, end = _term_pages(conn, table, segment, low, high)
        if begins:
            total += (last + 1 if end is None else max(end, begins[0] + 1)) - begins[0]
    return total


def _term_pages(conn: sqlite3.Connection, table: str, segment: int, low: bytes,
                high: bytes) -> tuple[list[int], int | None]:
    """The pages of a segment on which terms begin from the one where a term from `low` may
    begin, up to the first where a term from `high` on does, and that one (None: none does),
    from %_idx: it holds each such page under a key at most its first term."""
    start = conn.execute(f"SELECT term FROM {table}_idx WHERE segid = ? AND term <= ?"
                         " ORDER BY term DESC LIMIT 1", (segment, low)).fetchone()
    begins = [pgno for (pgno,) in conn.execute(
        f"SELECT pgno >> 1 FROM {table}_idx WHERE segid = ? AND term >= ? AND term < ?"
        " ORDER BY term", (segment, start[0] if start else b"", high))]
    end = conn.execute(f"SELECT pgno >> 1 FROM {table}_idx WHERE segid = ? AND term >= ?"
                       " ORDER BY term LIMIT 1", (segment, high)).fetchone()
    return begins, None if end is None else end[0]


def _segment_doclists(conn: sqlite3.Connection, table: str, segment: int,
                      pages: tuple[int, int], terms: tuple[bytes, bytes], rows: tuple[int, int]
                      ) -> list[_Doclist]:
    """The doclists of the terms in `terms` in one segment, each with the rows in `rows` it
    holds and their tokens (0: a delete). Reads the pages where such terms begin (from %_idx),
    and the pages a doclist runs on over only while it has rows wanted."""
    base = segment << _SEGMENT_SHIFT
    low, high = terms
    begins, end = _term_pages(conn, table, segment, low, high)
    begins += [] if end is None else [end]

    read: dict[int, bytes] = {}

    def block(pgno: int) -> bytes:
        if pgno not in read:
            found = conn.execute(f"SELECT block FROM {table}_data WHERE id = ?",
                                 (base + pgno,)).fetchone()
            if found is None:
                raise ValueError("a leaf page is missing")
            read.clear()  # only the last page or two are asked for again
            read[pgno] = found[0]
        return read[pgno]

    doclists: list[_Doclist] = []
    doclist: _Doclist | None = None  # of the term whose rows run on over the next page
    upcoming = iter(begins)
    pgno = next(upcoming, None)
    page = None if pgno is None else block(pgno)
    while pgno is not None and page is not None:
        entries = list(_page_entries(page))
        footer = int.from_bytes(page[2:4], "big")
        following = functools.partial(block, pgno + 1) if pgno < pages[1] else None
        if doclist is not None:
            doclist.read(page, 4, entries[0][0] if entries else footer,
                         int.from_bytes(page[:2], "big"), None if entries else following)
        for k, (_, term, at) in enumerate(entries):
            if doclist is not None and not doclist.ended():
                raise ValueError("a doclist ends inside a row")
            if term >= high:
                return doclists
            doclist = None
            last = k + 1 == len(entries)
            end = footer if last else entries[k + 1][0]
            # Most words of a prefix have no row among the first few thousand: one number says.
            if term >= low and (at == end or _varint(page, at)[0] <= rows[1]):
                doclist = _Doclist(term, rows)
                doclists.append(doclist)
                doclist.read(page, at, end, 0, following if last else None)
        if doclist is not None and not doclist.done and following is not None:
            pgno, page = pgno + 1, following()  # its rows run on over the next page
        else:
            doclist = None
            pgno = next((n for n in upcoming if n > pgno), None)
            page = None if pgno is None else block(pgno)
    if doclist is not None and not doclist.ended():
        raise ValueError("a doclist runs on past the pages read")
    return doclists


_HIGH_BYTES = bytes(range(0x80, 0x100))


class _Doclist:
    """One term's doclist in one segment, read a page's part at a time into `found`: the rows
    wanted, with how many tokens each has."""

    def __init__(self, term: bytes, rows: tuple[int, int]) -> None:
        self.term = term
        self.rows = rows
        self.rowid = 0
        self.whole = True  # the next rowid is whole, not a delta from the last
        self.left = -1  # bytes of the current row's positions still to read; -1: its size next
        self.tokens = 0
        self.between = True  # between rows: a rowid is next
        self.done = False  # past the last row wanted
        self.skipping = False  # the rest is of rows before those wanted, up to a whole rowid
        self.found: list[tuple[int, int]] = []

    def ended(self) -> bool:
        """Whether the doclist may end here, between two rows."""
        return self.done or self.skipping or self.between

    def read(self, page: bytes, at: int, end: int, rowid_at: int,
             following: Callable[[], bytes] | None) -> None:
        """Read the rows wanted in the doclist's part `page[at:end]`. `rowid_at` is where the page's
        first rowid is, whole (0: nowhere in this part); `following` gives the next page where
        the doclist may run on over it."""
        if self.done:
            return
        if self.skipping:
            if not rowid_at:
                return
            at, self.skipping, self.between, self.whole = rowid_at, False, True, True
        low, high = self.rows
        if following is not None and self.rowid + 1 < low:  # rows before `low` may come
            after = following()
            next_at = int.from_bytes(after[:2], "big")
            if next_at and _varint(after, next_at)[0] <= low:
                self.skipping = True  # every row before that page's first is before `low`
                return
        rowid, left, tokens, whole, between = (self.rowid, self.left, self.tokens, self.whole,
                                               self.between)
        try:
            while at < end:
                if at == rowid_at:
                    if not between:
                        raise ValueError("a page's first rowid inside a row")
                    whole = True
                value = page[at]  # nearly every number here is below 128: one byte, read inline
                if between or left < 0:
                    if value < 0x80:
                        at += 1
                    else:
                        value, at = _varint(page, at)
                    if between:
                        rowid = value if whole else rowid + value
                        whole = between = False
                        if rowid > high:
                            self.done = True
                            return
                        continue
                    left, tokens = value >> 1, 0
                else:
                    stop = min(end, at + left)
                    tokens += len(page[at:stop].translate(None, _HIGH_BYTES))
                    left -= stop - at
                    at = stop
                if left == 0:
                    between, left = True, -1
                    if rowid >= low:
                        self.found.append((rowid, tokens))
        finally:
            self.rowid, self.left, self.tokens, self.whole, self.between = (
                rowid, left, tokens, whole, between)


def _structure(conn: sqlite3.Connection, table: str) -> bytes | None:
    """The structure record of FTS5 table `table`, or None when it has none in the form read
    here."""
    row = conn.execute(f"SELECT block FROM {table}_data WHERE id = ?",
                       (_STRUCTURE_ROWID,)).fetchone()
    return None if row is None or row[0][4:8] == _STRUCTURE_V2 else row[0]


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """FTS5's varint (SQLite 4's: 7 bits a byte, high bit set while more follow, a 9th byte
    of 8 bits) at `at`; returns the value and the offset after it."""
    value = 0
    for _ in range(8):
        byte = data[at]
        at += 1
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at
    return (value << 8) | data[at], at + 1


def _segments(record: bytes, newest_first: bool = False) -> list[tuple[int, int, int]]:
    """(segment id, first page, last page) of each segment in a structure record: by level,
    from level 0 where new segments go, each level's from the oldest (or the newest, the
    order in which FTS5 lets a segment's rows hide those of the ones after it)."""
    at = 4  # a 4-byte configuration cookie
    levels, at = _varint(record, at)
    _, at = _varint(record, at)  # segments in all
    _, at = _varint(record, at)  # write counter
    segments: list[tuple[int, int, int]] = []
    for _ in range(levels):
        _, at = _varint(record, at)  # segments being merged into the next level
        count, at = _varint(record, at)
        level = []
        for _ in range(count):
            segment, at = _varint(record, at)
            first, at = _varint(record, at)
            last, at = _varint(record, at)
            level.append((segment, first, last))
        segments += reversed(level) if newest_first else level
    return segments


def _page_terms(page: bytes, terms: set[bytes]) -> None:
    """Add the terms that begin on one leaf page."""
    terms.update(term for _, term, _ in _page_entries(page))


def _page_entries(page: bytes) -> Iterator[tuple[int, bytes, int]]:
    """(offset, term, offset of its doclist) of each term that begins on one leaf page. Its
    header's second 16-bit number is where the footer starts; the footer holds each term's
    offset, as a difference from the last. Nearly every number here is below 128, one byte:
    those are read inline."""
    at = int.from_bytes(page[2:4], "big")
    offset = 0
    term = b""
    while at < len(page):
        step = page[at]
        if step < 0x80:
            at += 1
        else:
            step, at = _varint(page, at)
        offset += step
        keep = 0
        if term:  # bytes shared with the previous term, then new ones; the first is whole
            keep = page[offset]
            if keep < 0x80:
                offset_size = offset + 1
            else:
                keep, offset_size = _varint(page, offset)
        else:
            offset_size = offset
        size = page[offset_size]
        if size < 0x80:
            start = offset_size + 1
        else:
            size, start = _varint(page, offset_size)
        term = term[:keep] + page[start : start + size]
        yield offset, term, start + size

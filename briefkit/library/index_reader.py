"""Sources read for the index: each one's passages as rows, and the process that reads them
during a big update.

Reading a source (decoding, cleaning, splitting, hashing passages) costs about as much as FTS5's
insert of it, so a big update has a second process read while the index process writes. That
process runs `index_reader.main()`: it is started before anything is read and writes a newline
once its imports are done (the index process reads sources itself until then), then batches of
source entries arrive pickled on its stdin and each batch's reads go back pickled on its
stdout, in order. A read travels as the reading text, the passage ids and an array of numbers,
which pickle as a few large objects (a tuple per row cost the writer as much to unpickle as the
reader saved it); the writer slices each row's text out of the reading text. A plain pipe rather than a multiprocessing pool: no
resource-tracker process, and the pipe's own buffer bounds how far the reader runs ahead.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import os
import pickle
import subprocess
import sys
import threading
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NamedTuple

from briefkit.errors import SourceError
from briefkit.library.model import SourceEntry
from briefkit.library.source_text import read_source

__all__ = ["PIECE_CHARS", "Read", "ReaderProcess", "SourceRows", "Unreadable", "file_sha256",
           "read_rows"]

# FTS5's snippet() takes time quadratic in a row's matches: a 2 MB one-line source took 8 s to
# search. A longer paragraph is indexed as pieces of at most this many characters, cut after a
# sentence or at a space, each a row with the paragraph's passage id and its own offsets.
PIECE_CHARS = 4000
# Rows are stored beside FTS5 in blocks of consecutive rows spanning about this many characters:
# one insert per block costs a fraction of one per row, and a hit reads one small block.
BLOCK_CHARS = 16000

class SourceRows(NamedTuple):
    """A source as read for the index: its file's SHA-256 and its rows, compactly."""

    digest: str  # of the file's bytes
    text: str  # the reading text; each row's text is a slice of it
    ids: list[str]  # the passage id of each row
    numbers: array  # paragraph, start, end, page (-1: none) of each row, four per row

    def texts(self, first: int) -> Iterator[tuple[int, str]]:
        """(rowid, text) of each row, rowids from `first`: what FTS5 indexes."""
        text = self.text
        return zip(itertools.count(first),
                   [text[start:end] for start, end in zip(self.numbers[1::4], self.numbers[2::4])])

    def blocks(self, first: int, source_id: str) -> Iterator[tuple[int, str, int, str, str, bytes]]:
        """The rows as stored beside FTS5, a block of consecutive rows per record: first rowid,
        source id, offset of the block's text in the reading text, that text (from its first row's
        start to its last row's end), the rows' passage ids (one a line), and their numbers
        (`numbers`, four little-endian 64-bit integers a row)."""
        numbers = self.numbers
        starts, ends = numbers[1::4], numbers[2::4]  # both ascending
        at = 0
        while at < len(starts):
            base = starts[at]
            end = max(at + 1, bisect.bisect_right(ends, base + BLOCK_CHARS, at))
            chunk = numbers[4 * at : 4 * end]
            if sys.byteorder == "big":
                chunk.byteswap()
            yield (first + at, source_id, base, self.text[base : ends[end - 1]],
                   "\n".join(self.ids[at:end]), chunk.tobytes())
            at = end


class Unreadable(NamedTuple):
    """A source the reader could not read, sent back as data: exceptions lose their path in
    transit between processes."""

    message: str
    path: Path | None


Read = SourceRows | Unreadable
_READER = "from briefkit.library.index_reader import main; main()"


def read_rows(entry: SourceEntry) -> Read:
    """One source's file hash and passages as index rows; runs in the reader process too."""
    try:
        digest = file_sha256(entry.file)
        source = read_source(entry, removals=False)
    except SourceError as exc:
        return Unreadable(exc.message, exc.path)
    ids = source.passage_ids()
    paragraphs = source.paragraphs
    if all(p.end - p.start <= PIECE_CHARS for p in paragraphs):  # nearly always: a row each
        numbers = array("q", [n for p in paragraphs for n in (
            p.number, p.start, p.end, -1 if p.page is None else p.page)])
        return SourceRows(digest, source.text, ids, numbers)
    rows: list[str] = []
    numbers = array("q")
    for p, passage_id in zip(paragraphs, ids):
        page = -1 if p.page is None else p.page
        for start, end in _pieces(source.text[p.start : p.end], p.start):
            rows.append(passage_id)
            numbers.extend((p.number, start, end, page))
    return SourceRows(digest, source.text, rows, numbers)


def _pieces(text: str, start: int) -> Iterator[tuple[int, int]]:
    """Offsets of `text` (at offset `start`) in pieces of at most PIECE_CHARS, without edge
    whitespace."""
    at = 0
    while at < len(text):
        cut = len(text)
        if cut - at > PIECE_CHARS:
            window = at + PIECE_CHARS // 2
            cut = (text.rfind(". ", window, at + PIECE_CHARS) + 1
                   or text.rfind(" ", window, at + PIECE_CHARS))
            cut = cut if cut > 0 else at + PIECE_CHARS
        piece = text[at:cut]
        body = piece.strip()
        if body:
            first = at + len(piece) - len(piece.lstrip())
            yield start + first, start + first + len(body)
        at = cut


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise SourceError(f"cannot read source file: {exc.strerror}", path=path) from None
    return digest.hexdigest()


class ReaderProcess:
    """A reader process, started at once: it says when its imports are done (a newline on its
    stdout), then reads each batch of entries it is sent and sends back the batch's reads."""

    def __init__(self) -> None:
        """Start the process; it imports while the caller goes on.

        Raises:
            OSError: no process can be started here.
        """
        root = str(Path(__file__).resolve().parents[2])  # the folder holding the briefkit package
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (root, env.get("PYTHONPATH"))))
        # Not "-m": run as __main__, this module's classes would not unpickle here.
        self._process = subprocess.Popen([sys.executable, "-c", _READER],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, env=env)
        self._started = threading.Event()
        self._waiter = threading.Thread(target=self._wait_start, daemon=True)
        self._waiter.start()
        self._feeder: threading.Thread | None = None

    @property
    def started(self) -> bool:
        """Whether the process is ready for work (or has stopped already)."""
        return self._started.is_set()

    def _wait_start(self) -> None:
        assert self._process.stdout is not None
        try:
            self._process.stdout.read(1)  # b"\n" when ready, b"" when it stopped first
        except (OSError, ValueError):
            pass  # closed by close()
        self._started.set()

    def reads(self, batches: list[list[SourceEntry]]) -> Iterator[list[Read]]:
        """Each batch's reads, in order; call once.

        Raises:
            RuntimeError: the reader process stopped before it sent every batch.
        """
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        self._feeder = threading.Thread(target=_feed, args=(process.stdin, batches), daemon=True)
        self._feeder.start()
        self._started.wait()
        for _ in batches:
            try:
                yield pickle.load(process.stdout)
            except (EOFError, pickle.UnpicklingError) as exc:
                raise RuntimeError("the index's reader process stopped") from exc

    def close(self) -> None:
        """Stop the process, whatever it is doing."""
        self._process.kill()
        self._process.wait()
        self._waiter.join()
        assert self._process.stdout is not None and self._process.stdin is not None
        self._process.stdout.close()
        if self._feeder is not None:
            self._feeder.join()
        else:
            self._process.stdin.close()


def _feed(stream: IO[bytes], batches: list[list[SourceEntry]]) -> None:
    """Send every batch; the pipe blocks this thread while the reader is busy."""
    try:
        with stream:
            for batch in batches:
                pickle.dump(batch, stream, protocol=pickle.HIGHEST_PROTOCOL)
    except (BrokenPipeError, ValueError):  # the reader stopped, or was stopped: nothing to send
        pass


def main() -> None:
    """The reader process: read each batch of entries from stdin, send its reads to stdout."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(b"\n")  # ready: the imports are done
    stdout.flush()
    while True:
        try:
            batch: list[SourceEntry] = pickle.load(stdin)
        except EOFError:
            return
        pickle.dump([read_rows(entry) for entry in batch], stdout,
                    protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()


"""A large brief file read in a second process while the TUI imports Textual.

Reading a 5,000-citation brief (1.7 MB) takes about 210 ms and importing Textual and the app about
450 ms, one after the other on one core; in a process of its own the brief is read on the other
core meanwhile, and taking it back (unpickling) costs 25 ms. A brief under `PRELOAD_BYTES`
reads faster than a process starts. Whatever goes wrong in the process (a brief that does not
load, a file changed since the process read it, a process that died), the brief is read here
instead, as before, so its errors say the same. Imports no Textual.
"""

from __future__ import annotations

import gc
import pickle
import subprocess
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from briefkit.brief.model import Brief

PRELOAD_BYTES = 256 << 10


class BriefPreload:
    """Starts reading `path` in a process if it is large; `brief()` returns it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._process: subprocess.Popen[bytes] | None = None
        try:
            large = path.stat().st_size >= PRELOAD_BYTES
        except OSError:
            large = False  # reading it here says why
        if large:
            self._process = subprocess.Popen(
                [sys.executable, "-c", "from briefkit.tui.preload import serve; serve()", str(path)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    @property
    def started(self) -> bool:
        return self._process is not None

    def brief(self) -> Brief:
        """The brief as the file holds it now.

        Raises:
            BriefFileError: the brief cannot be read or is invalid.
        """
        from briefkit.brief.store import load_brief
        from briefkit.tui.draft import file_stamp

        process, self._process = self._process, None
        if process is not None:
            taken = _take(process)
            if taken is not None and taken[0] == file_stamp(self.path):  # as the draft tells changes
                return taken[1]
        return load_brief(self.path)


def _take(process: subprocess.Popen[bytes]) -> tuple[tuple[int, int, int], Brief] | None:
    """The (stamp, brief) the process sent, or None where it sent none."""
    stdout: IO[bytes] | None = process.stdout
    assert stdout is not None
    try:
        sent = pickle.load(stdout)
    except (EOFError, OSError, pickle.UnpicklingError, AttributeError, ImportError):
        sent = None
    finally:
        stdout.close()
        process.wait()
    return sent if isinstance(sent, tuple) else None


def serve() -> None:
    """In the process: read the brief named on the command line, send (stamp, brief) on stdout,
    the stamp taken before reading; send nothing for a brief that does not load."""
    from briefkit.brief.store import load_brief
    from briefkit.errors import BriefkitError
    from briefkit.tui.draft import file_stamp

    gc.disable()  # a short life, as the app's start-up
    path = Path(sys.argv[1])
    stamp = file_stamp(path)
    try:
        brief = load_brief(path)
    except BriefkitError:
        return
    pickle.dump((stamp, brief), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()

"""Python's cycle collector kept out of the analyst's keys: full collections wait for a pause.

After the first screen, start-up's objects are frozen (`gc.freeze`), but what the app makes
later (the index, each render's report, the preview's laid-out lines) builds up in the oldest
generation. A full collection of it took 31-53 ms here with a 5,000-citation brief, inside
whichever key it fell on: it was the slowest key of the TUI bench's runs. Young collections
stay automatic (a millisecond or two). Full ones run once the keys and the mouse have rested
and the screen has had nothing new to show (a render's results landing) for `IDLE`, or, if
they never rest, once a full collection is ten times overdue, so memory held by cycles stays
bounded.

Imports no Textual: the app tells it of input and results, and asks it on a timer.
"""

from __future__ import annotations

import gc
import time

IDLE = 1.0  # seconds without input or results before a full collection may run
CHECK_EVERY = 0.5  # seconds between the app's checks
PYTHON_DUE = 10  # Python's own: a full collection after this many middle-generation ones
OVERDUE = 10 * PYTHON_DUE  # collect then, even while the analyst types on
_HELD = 1_000_000  # the oldest generation's threshold while full collections are held back


class IdleCollector:
    """Holds back Python's automatic full collections and runs them when the app is at rest."""

    def __init__(self, idle: float = IDLE) -> None:
        self.idle = idle  # an attribute, so tests can set it
        self.last_activity = time.monotonic()
        self.collections = 0  # full collections run here (for tests and benchmarks)
        self._given: tuple[int, int, int] | None = None  # the thresholds before `hold`

    @property
    def holding(self) -> bool:
        return self._given is not None

    def hold(self) -> None:
        """Take over full collections (young ones stay Python's)."""
        if self._given is None:
            self._given = gc.get_threshold()
            gc.set_threshold(self._given[0], self._given[1], _HELD)

    def release(self) -> None:
        """Give the thresholds back as they were."""
        if self._given is not None:
            gc.set_threshold(*self._given)
            self._given = None

    def activity(self) -> None:
        """Input came, or results the analyst will look at at once."""
        self.last_activity = time.monotonic()

    def due(self, now: float | None = None) -> bool:
        """Whether a full collection should run now: Python would have run one by now and input
        and results have rested, or it is long overdue."""
        if self._given is None or not gc.isenabled():
            return False
        waiting = gc.get_count()[2]  # middle-generation collections since the last full one
        now = time.monotonic() if now is None else now
        return waiting >= OVERDUE or (waiting >= PYTHON_DUE and now - self.last_activity >= self.idle)

    def check(self) -> None:
        """Run a full collection if one is due (the app calls this every `CHECK_EVERY`)."""
        if self.due():
            gc.collect()
            self.collections += 1

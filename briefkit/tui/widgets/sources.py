"""The library pane: every source, or, once the analyst types a query, the passages that match it.

The search box works like a picker: results follow the typing, ↓ and ↑ move through them without
leaving the box, and Enter opens the highlighted one (or the first, once its results arrive).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input
from textual.worker import get_current_worker

from briefkit.errors import BriefkitError, QueryError
from briefkit.tui.widgets.rowlist import RowList

if TYPE_CHECKING:
    from briefkit.library.index import Hit
    from briefkit.library.model import SourceEntry

SEARCH_DELAY = 0.015  # seconds of quiet typing before a search runs
SEARCH_LIMIT = 50
CITED_TIP = "✎N: this brief cites the source N times. Enter opens it; / searches passages."
_PREFIX_WORD = re.compile(r"(?:^|\s)\w{3,}$")  # a last word being typed, long enough to expand


def live_query(typed: str) -> str:
    """The query searched while the analyst types: the last word, unfinished, also matches longer
    words (`sanct` finds `sanctions`), unless the query uses quotes or ends with a space."""
    if '"' not in typed and _PREFIX_WORD.search(typed):
        return typed + "*"
    return typed.strip()


class SearchBox(Input):
    """The search input; a `/` typed into it while it is empty is the search key, not a query
    (the placeholder says "/ search", so a newcomer presses it)."""

    def on_key(self, event: events.Key) -> None:
        if event.character == "/" and not self.value:
            event.prevent_default()
            event.stop()


class SourcesPane(Vertical):
    """A search box over a list of sources or of matching passages."""

    DEFAULT_CSS = """
    SourcesPane { height: 1fr; }
    SourcesPane > Input { border: none; height: 1; padding: 0 1; background: $boost; }
    SourcesPane > Input:focus { background: $primary 20%; }
    SourcesPane > RowList { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "clear", "Clear search", show=False),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", "move(5)", show=False),
        Binding("pageup", "move(-5)", show=False),
        # Letters reach these from the list only: in the search box they are typed.
        Binding("a", "app.add_sources", "Add sources", show=False),
        Binding("E", "app.edit_source", "Edit source", show=False),
    ]

    class OpenRequested(Message):
        """Open a source, at a search hit's first match when the analyst picked a hit."""

        def __init__(self, source_id: str, hit: Hit | None = None,
                     release_keys: Callable[[], None] | None = None, query: str = "") -> None:
            super().__init__()
            self.source_id = source_id
            self.hit = hit
            self.query = query  # what the hit answers, to open it on the sentence that best matches
            self.release_keys = release_keys  # keys held since Enter: release once the source shows

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.searcher: Callable[[str], list[Hit]] | None = None
        self.hold_keys: Callable[[], Callable[[], None]] | None = None  # the app's key gate
        self.indexing = False  # the index is being built: searches wait for it
        self.entries: list[SourceEntry] = []
        self.counts: dict[str, int] = {}
        self.titles: dict[str, str] = {}
        self.hits: list[Hit] = []
        self.hits_query = ""  # the query `hits` answer
        self.showing_hits = False  # the list shows `hits` (else the sources)
        self.last_search_seconds = 0.0
        self._open_when_found: Callable[[], None] | None = None  # releases the keys held since Enter

    def compose(self) -> ComposeResult:
        yield SearchBox(placeholder="/ search passages…", id="search")
        yield RowList(id="results")

    @property
    def typed(self) -> str:
        """The query as typed (DOMNode.query is the DOM lookup, hence the name)."""
        return self.query_one("#search", Input).value.strip()

    @property
    def results(self) -> RowList:
        return self.query_one("#results", RowList)

    def show_sources(self, entries: dict[str, SourceEntry], counts: dict[str, int]) -> None:
        """List the library's sources; kept in view while no query is typed."""
        self.entries, self.counts = list(entries.values()), counts
        self.titles = {e.id: e.title for e in self.entries}
        if not self.typed:
            self._list_sources(keep=True)

    def set_counts(self, counts: dict[str, int]) -> None:
        """Citations per source changed: redraw the list as it is."""
        self.counts = counts
        if not self.typed:
            self.results.redraw()

    def _list_sources(self, keep: bool = False) -> None:
        self.showing_hits = False
        self.results.tooltip = CITED_TIP
        self.results.set_items(len(self.entries), 2, self._source_lines, keep=keep,
                               empty="The library lists no sources." if self.searcher else "Opening the library…")

    def _source_lines(self, index: int, width: int) -> list[Text]:
        entry = self.entries[index]
        title = Text(entry.title)
        title.truncate(width, overflow="ellipsis")
        meta = Text(" · ".join(x for x in (entry.outlet, entry.issued) if x) or entry.id, style="dim")
        n = self.counts.get(entry.id, 0)
        if n:
            mark = f"  ✎{n}"
            meta.truncate(max(1, width - len(mark)), overflow="ellipsis")
            meta.append(mark, style="bold green")
        meta.truncate(width, overflow="ellipsis")
        return [title, meta]

    def _hit_lines(self, index: int, width: int) -> list[Text]:
        from briefkit.tui.widgets.hits import hit_lines  # search results exist once the index does

        hit = self.hits[index]
        return hit_lines(hit, self.titles.get(hit.source_id, hit.source_id), self.app.console, width)

    # Searching ------------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._cancel_open()
        if not event.value.strip():
            self.workers.cancel_group(self, "search")
            self.hits, self.hits_query = [], ""
            self._list_sources()
            return
        if self.indexing and not self.showing_hits:
            self.results.set_items(0, 1, self._hit_lines, empty="Building the search index; results follow…")
        self._search(event.value, time.perf_counter())

    @on(Input.Submitted, "#search")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.typed:
            self.results.focus()
        elif self.hits_query == self.typed:
            if self.hits:
                self._open(self.results.highlighted or 0)
        elif self._open_when_found is None:
            # Enter came before the results: open the first one when they come, and keep the
            # keys typed meanwhile for the reader rather than the search box.
            self._open_when_found = self.hold_keys() if self.hold_keys else (lambda: None)

    def _cancel_open(self) -> None:
        if self._open_when_found is not None:
            self._open_when_found()
            self._open_when_found = None

    @work(thread=True, exclusive=True, group="search")
    def _search(self, typed: str, started: float) -> None:
        time.sleep(SEARCH_DELAY)
        worker = get_current_worker()
        if worker.is_cancelled or self.searcher is None:
            return
        query = live_query(typed)
        try:
            try:
                hits, error = self.searcher(query), ""
            except QueryError:
                if query == typed.strip():
                    raise
                hits, error = self.searcher(typed.strip()), ""
        except BriefkitError as exc:
            hits, error = [], exc.message
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_hits, typed.strip(), hits, error, started)

    def _show_hits(self, query: str, hits: list[Hit], error: str, started: float) -> None:
        if query != self.typed:
            return
        from briefkit.tui.widgets.hits import HIT_ROWS

        self.hits, self.hits_query, self.showing_hits = hits, query, True
        self.results.tooltip = None
        self.results.set_items(len(hits), HIT_ROWS, self._hit_lines, empty=error or "no passages match")
        self.last_search_seconds = time.perf_counter() - started
        release, self._open_when_found = self._open_when_found, None
        if release is not None:
            if hits:
                self.post_message(self.OpenRequested(hits[0].source_id, hits[0], release, live_query(query)))
            else:
                release()
                self.notify(error or f"No passages match “{query}”.", severity="warning")

    def action_move(self, step: int) -> None:
        self.results.action_move(step)

    # Opening --------------------------------------------------------------------------------------

    @on(RowList.Selected, "#results")
    def _selected(self, event: RowList.Selected) -> None:
        event.stop()
        self._open(event.index)

    def _open(self, index: int) -> None:
        """Ask for the hit or source on row `index`, holding the keys typed after Enter until it
        shows: held here, as Enter is handled, not later in the app, or a fast typist's next keys
        would already have gone to the reader before it has the source."""
        if self.showing_hits:
            if index >= len(self.hits):
                return
            hit = self.hits[index]
            source_id = hit.source_id
        elif index < len(self.entries):
            hit, source_id = None, self.entries[index].id
        else:
            return
        release = self.hold_keys() if self.hold_keys else None
        self.post_message(self.OpenRequested(source_id, hit, release, live_query(self.hits_query) if hit else ""))

    def highlighted_source(self) -> str | None:
        """The id of the source on the highlighted row (a listed source, or a hit's source)."""
        index = self.results.highlighted
        if index is None:
            return None
        if self.showing_hits:
            return self.hits[index].source_id if index < len(self.hits) else None
        return self.entries[index].id if index < len(self.entries) else None

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.focus()

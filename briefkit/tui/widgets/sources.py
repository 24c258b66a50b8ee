"""The library pane: every source, or, once the analyst types a query, the passages that match it."""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from briefkit.errors import BriefkitError
from briefkit.library.index import Hit
from briefkit.library.model import SourceEntry
from briefkit.tui.widgets.hits import hit_prompt

SEARCH_DELAY = 0.04  # seconds of quiet typing before a search runs
SEARCH_LIMIT = 50


class SourcesPane(Vertical):
    """A search box over a list of sources or of matching passages."""

    DEFAULT_CSS = """
    SourcesPane { height: 1fr; }
    SourcesPane > Input { border: none; height: 1; padding: 0 1; background: $boost; }
    SourcesPane > Input:focus { background: $primary 20%; }
    SourcesPane > OptionList { border: none; height: 1fr; padding: 0; }
    SourcesPane > .sources--status { color: $text-muted; height: 1; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "clear", "Clear search", show=False)]

    class OpenRequested(Message):
        """Open a source, at a passage when the analyst picked a search hit."""

        def __init__(self, source_id: str, start: int | None = None, end: int | None = None) -> None:
            super().__init__()
            self.source_id = source_id
            self.start = start
            self.end = end

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.searcher: Callable[[str], list[Hit]] | None = None
        self.entries: dict[str, SourceEntry] = {}
        self.counts: dict[str, int] = {}
        self.hits: list[Hit] = []
        self.last_search_seconds = 0.0

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ search passages…", id="search")
        yield OptionList(id="results")

    @property
    def query(self) -> str:
        return self.query_one("#search", Input).value.strip()

    def show_sources(self, entries: dict[str, SourceEntry], counts: dict[str, int]) -> None:
        """List the library's sources; kept in view while no query is typed."""
        self.entries, self.counts = entries, counts
        if not self.query:
            self._list_sources()

    def _list_sources(self) -> None:
        results = self.query_one("#results", OptionList)
        highlighted = results.highlighted
        options = []
        for entry in self.entries.values():
            prompt = Text(entry.title, no_wrap=True, overflow="ellipsis")
            meta = " · ".join(x for x in (entry.outlet, entry.issued) if x)
            n = self.counts.get(entry.id, 0)
            line = Text(no_wrap=True, overflow="ellipsis", style="dim")
            line.append(meta or entry.id)
            if n:
                line.append(f"  ✎{n}", style="bold green")
            options.append(Option(Text("\n", no_wrap=True, overflow="ellipsis").join([prompt, line]),
                                  id=f"s:{entry.id}"))
        results.set_options(options)
        if options:
            results.highlighted = min(highlighted or 0, len(options) - 1)

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not event.value.strip():
            self.workers.cancel_group(self, "search")
            self.hits = []
            self._list_sources()
            return
        self._search(event.value.strip(), time.perf_counter())

    @on(Input.Submitted, "#search")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#results", OptionList).focus()

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str, typed: float) -> None:
        time.sleep(SEARCH_DELAY)
        worker = get_current_worker()
        if worker.is_cancelled or self.searcher is None:
            return
        try:
            hits = self.searcher(query)
            error = ""
        except BriefkitError as exc:
            hits, error = [], exc.message
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_hits, query, hits, error, typed)

    def _show_hits(self, query: str, hits: list[Hit], error: str, typed: float) -> None:
        if query != self.query:
            return
        self.hits = hits
        results = self.query_one("#results", OptionList)
        if error:
            results.set_options([Option(Text(error, style="red"), disabled=True)])
        elif not hits:
            results.set_options([Option(Text("no passages match", style="dim"), disabled=True)])
        else:
            results.set_options([
                Option(hit_prompt(h, self._title(h.source_id), self.app.console, results.scrollable_content_region.width - 1),
                       id=f"h:{i}") for i, h in enumerate(hits)
            ])
            results.highlighted = 0
        self.last_search_seconds = time.perf_counter() - typed

    def _title(self, source_id: str) -> str:
        entry = self.entries.get(source_id)
        return entry.title if entry else source_id

    @on(OptionList.OptionSelected, "#results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, key = (event.option.id or "").partition(":")
        if kind == "s":
            self.post_message(self.OpenRequested(key))
        elif kind == "h":
            hit = self.hits[int(key)]
            self.post_message(self.OpenRequested(hit.source_id, hit.start, hit.end))

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.focus()
